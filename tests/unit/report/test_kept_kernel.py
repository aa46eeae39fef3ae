"""Notebooks executed on one kept kernel (`render.KeptKernel`) give the same HTML as each on a fresh kernel.

The organisation-report rule renders every unit's notebook on one kernel per worker; each must run as if
alone: nothing left from the notebook before it, execution counts from 1 (the executed .ipynb shows them).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from workforce_eval.report import render


def write_notebook(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('name = "default"')
    params.metadata["tags"] = ["parameters"]
    body = nbformat.v4.new_code_cell(
        'seen = "leftover" in globals()\nleftover = name\nprint(f"report for {name}; leftover seen: {seen}")'
    )
    nb.cells = [params, body]
    nbformat.write(nb, str(path))
    return path


def test_a_kept_kernel_gives_the_same_reports_as_fresh_kernels(tmp_path: Path) -> None:
    notebook = write_notebook(tmp_path / "unit.ipynb")
    names = ["alpha", "beta", "gamma"]
    fresh, kept = tmp_path / "fresh", tmp_path / "kept"
    for name in names:
        render.render_notebook(notebook, {"name": name}, name, name, fresh / f"{name}.ipynb", fresh / f"{name}.html")
    kept.mkdir()
    with render.KeptKernel(kept) as kernel:
        for name in names:
            render.render_notebook(
                notebook, {"name": name}, name, name, kept / f"{name}.ipynb", kept / f"{name}.html", kernel
            )
    for name in names:
        html = (kept / f"{name}.html").read_text(encoding="utf-8")
        assert f"report for {name}; leftover seen: False" in html
        assert html == (fresh / f"{name}.html").read_text(encoding="utf-8")
        # the executed notebook counts from 1 again: the injected parameters cell is 2, the body 3
        cells = nbformat.read(str(kept / f"{name}.ipynb"), as_version=4).cells
        assert [c.execution_count for c in cells if c.cell_type == "code"] == [1, 2, 3]


def test_a_kept_kernel_runs_only_notebooks_of_its_folder(tmp_path: Path) -> None:
    notebook = write_notebook(tmp_path / "unit.ipynb")
    (tmp_path / "kept").mkdir()
    with render.KeptKernel(tmp_path / "kept") as kernel, pytest.raises(ValueError, match="kernel started in"):
        render.render_notebook(notebook, {}, "x", "x", tmp_path / "x.ipynb", tmp_path / "x.html", kernel)
