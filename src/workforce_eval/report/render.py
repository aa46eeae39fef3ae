"""Rendering a report: papermill executes the parameterised notebook, nbconvert exports code-free,
deterministic HTML."""

from __future__ import annotations

import contextlib
import copy
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workforce_eval.report import organisation
from workforce_eval.report.cohort import title

#: nbconvert's lab template, with figures given the alt text set on `IPython.display.Image`
#: (the stock template drops it and writes a generic placeholder), and self-contained: the stock
#: template loads require.js, MathJax and mermaid from a CDN; here no script is loaded or allowed
#: (reports open offline inside NHS networks, and a Content-Security-Policy stops any script that
#: reached the page: figures are data: URIs, styles are inline).
CONTENT_SECURITY_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:"
_HTML_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{% block extra_css %}
<meta http-equiv="Content-Security-Policy" content="@CSP@">
{% endblock extra_css %}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}" \
alt="{{ (output | get_metadata('alt', 'image/png') or '') | escape_html }}">
</div>
{%- endblock data_png %}
{% block notebook_css %}
{{ super() }}
<style>
/* tables hold labels, item wording and quotes as much as numbers: read them left to right */
:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td,
:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon th { text-align: left; vertical-align: top; }
/* numbers (cells marked "num" by report/format.py's table builder): right-aligned, tabular figures */
:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td.num,
:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon th.num {
  text-align: right; font-variant-numeric: tabular-nums; }
.jp-RenderedHTMLCommon p.table-note { font-size: 0.9em; color: #444; margin-top: 0.3em; }
.jp-RenderedHTMLCommon table.title-block th { font-weight: 600; padding-right: 1em; }
.jp-RenderedHTMLCommon nav ol { columns: 2; }
</style>
{% endblock notebook_css %}
""".replace("@CSP@", CONTENT_SECURITY_POLICY)


class ReportError(RuntimeError):
    """The report notebook failed to execute or render."""


def clean_for_export(nb: Any) -> Any:
    """A copy of an executed notebook without timing metadata, prompts or empty code cells."""
    out = copy.deepcopy(nb)
    for key in ("papermill", "widgets"):
        out.metadata.pop(key, None)
    cells = []
    for cell in out.cells:
        for key in ("papermill", "execution", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.execution_count = None
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = None
            if not cell.get("outputs"):
                continue
        cells.append(cell)
    out.cells = cells
    return out


@contextlib.contextmanager
def _package_on_kernel_path() -> Iterator[None]:
    """Let the notebook's kernel import this very package (not another install of it) while it runs."""
    src = str(Path(__file__).resolve().parents[2])
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (src, before) if p)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = before


@contextlib.contextmanager
def _kernel_stderr_to_log() -> Iterator[None]:
    """Send what the kernel process writes to its stderr (e.g. ipykernel's shutdown chatter) to this step's log.

    The rule script points `sys.stderr` at the rule's log, but a child process inherits file descriptor 2;
    point descriptor 2 at the same file while the kernel runs, then restore it.
    """
    try:
        target = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        target = 2
    if target == 2:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    os.dup2(target, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def render_notebook(
    notebook: Path, parameters: dict[str, str], what: str, page_title: str, out_ipynb: Path, out_html: Path
) -> None:
    """Execute a parameterised notebook with papermill and export deterministic, code-free HTML titled `page_title`."""
    import jinja2
    import nbformat
    import papermill
    from nbconvert import HTMLExporter
    from papermill.exceptions import PapermillExecutionError

    out_ipynb = Path(out_ipynb)
    out_html = Path(out_html)
    out_ipynb.parent.mkdir(parents=True, exist_ok=True)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    # results_dir relative to the notebook's working folder, so the executed notebook does not depend on where
    # the project lives (two clean runs in different folders give the same notebook but for papermill's timings)
    params = dict(parameters)
    if "results_dir" in params:
        rel = os.path.relpath(Path(params["results_dir"]).resolve(), out_ipynb.parent.resolve())
        params["results_dir"] = Path(rel).as_posix()
    try:
        with _package_on_kernel_path(), _kernel_stderr_to_log():
            papermill.execute_notebook(
                str(notebook),
                str(out_ipynb),
                parameters=params,
                kernel_name="python3",
                progress_bar=False,
                log_output=False,
                cwd=str(out_ipynb.parent.resolve()),
            )
    except PapermillExecutionError as err:
        raise ReportError(
            f"report notebook {notebook} failed for {what} in cell {err.exec_count}: "
            f"{err.ename}: {err.evalue} (executed notebook with the traceback: {out_ipynb})"
        ) from err

    nb = clean_for_export(nbformat.read(str(out_ipynb), as_version=4))
    nb.metadata["title"] = page_title
    exporter = HTMLExporter(
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        extra_loaders=[jinja2.DictLoader({"cohort_report.html.j2": _HTML_TEMPLATE})],
        template_file="cohort_report.html.j2",
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": page_title}})
    out_html.write_bytes(body.encode("utf-8"))


def render_report(results_dir: Path, cohort_id: str, notebook: Path, out_ipynb: Path, out_html: Path) -> None:
    """Execute the report notebook for a cohort with papermill and export deterministic, code-free HTML."""
    params = {"cohort_id": str(cohort_id), "results_dir": str(Path(results_dir).resolve())}
    meta = json.loads((Path(results_dir) / str(cohort_id) / "clean" / "cohort.json").read_text(encoding="utf-8"))
    render_notebook(notebook, params, f"cohort {cohort_id!r}", title(meta), out_ipynb, out_html)


def render_programme_report(results_dir: Path, programme: str, notebook: Path, out_ipynb: Path, out_html: Path) -> None:
    """Execute the programme report notebook for `<results_dir>/programmes/<programme>/` and export HTML."""
    params = {"programme": str(programme), "results_dir": str(Path(results_dir).resolve())}
    folder = Path(results_dir) / "programmes" / str(programme)
    meta = json.loads((folder / "programme.json").read_text(encoding="utf-8"))
    page_title = f"{meta.get('programme', programme)} — programme report"
    render_notebook(notebook, params, f"programme {programme!r}", page_title, out_ipynb, out_html)


def render_organisation_report(
    results_dir: Path, cohort_id: str, slug: str, notebook: Path, out_ipynb: Path, out_html: Path
) -> None:
    """Execute the organisation notebook for one unit (by its file name `slug`), or the overview (slug ""), and
    export HTML."""
    res = organisation.load(Path(results_dir), str(cohort_id))
    unit = ""
    if slug:
        found = [u["value"] for u in res.units if u["slug"] == slug]
        if not found:
            raise ReportError(f"cohort {cohort_id!r} has no reported unit with file name {slug!r}")
        unit = found[0]
    params = {"cohort_id": str(cohort_id), "results_dir": str(Path(results_dir).resolve()), "unit": unit}
    page_title = organisation.unit_title(res.meta, unit) if unit else organisation.overview_title(res.meta)
    what = f"cohort {cohort_id!r}, " + (f"unit {slug!r}" if unit else "overview")
    render_notebook(notebook, params, what, page_title, out_ipynb, out_html)
