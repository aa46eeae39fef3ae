"""docs/architecture.md's "To do X, change these files" table is true for a measure, a figure and a report section.

The test copies the package and the notebooks to a temporary folder, edits there only the files the table's
rows name (a toy measure, a toy figure drawn from its register row, a toy report section that shows both),
then runs the package's own steps on the tiny cohort in a fresh interpreter that imports the copy: clean, the
`analyses` rule's step, the `figures` rule's step and the report (papermill and nbconvert). The toy must be
in the register, drawn, and in the rendered report. A file the change needs that the table does not name
is a file this test does not edit, so the toy would not appear; a file the table names that the toy does not
need, or one the toy edits that the table does not name, fails `test_the_table_names_exactly_the_files_the_toy_edits`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest

from tests.conftest import ROOT, write_tiny_cohort

PACKAGE = Path("src/workforce_eval")
COHORT_ID = "tiny"
#: The tiny cohort has three post responses, so the toy analysis computes 3 + 1000.
TOY_TOTAL = 1003
TOY_HEADING = "Toy section"
TOY_CAPTION = "The toy total of the cohort, drawn as one bar."

Edit = Callable[[Path], None]


def _replace(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in `path` (the toy's anchor in today's code) by `new`."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: the toy's anchor {old!r} is not there once; update the toy"
    path.write_text(text.replace(old, new), encoding="utf-8")


# --------------------------------------------------------------------------- add a measure


def _measure_in_catalogue(root: Path) -> None:
    path = root / PACKAGE / "register/measures.py"
    _replace(path, 'RANK = "rank"\n', 'RANK = "rank"\nTOY_TOTAL = "toy_total"\n')
    _replace(
        path,
        '"the model was not estimated; `method` gives the reason"),\n)',
        '"the model was not estimated; `method` gives the reason"),\n'
        '    Measure(RESPONSE, TOY_TOTAL, "count", "count", "post responses plus a thousand (a toy)"),\n)',
    )


def _measure_in_analysis(root: Path) -> None:
    path = root / PACKAGE / "analyses/describe.py"
    _replace(
        path,
        "from workforce_eval.register.measures import (\n",
        "from workforce_eval.register.measures import (\n    TOY_TOTAL,\n",
    )
    _replace(
        path,
        "    rows += breakdown_rows(meta, survey, scores)\n",
        "    rows += breakdown_rows(meta, survey, scores)\n"
        "    toy = len(post_responses(survey)) + 1000\n"
        '    rows.append(Row(RESPONSE, TOY_TOTAL, toy, source="survey", n=toy, method="count"))\n',
    )


# --------------------------------------------------------------------------- add a figure


def _figure_spec(root: Path) -> None:
    _replace(
        root / PACKAGE / "names.py",
        "    ),\n)\nFIGURE_NAMES",
        f'    ),\n    FigureSpec("toy", "{TOY_CAPTION}"),\n)\nFIGURE_NAMES',
    )


def _figure_builder(root: Path) -> None:
    path = root / PACKAGE / "figures/cohort.py"
    _replace(
        path,
        "from workforce_eval.register.measures import (\n",
        "from workforce_eval.register.measures import (\n    TOY_TOTAL,\n",
    )
    _replace(
        path,
        "#: The builders of the single-page cohort figures, by name.\n",
        "def toy_figure(stats: pd.DataFrame, cohort: Cohort) -> Figure:\n"
        "    row = register.one(stats, RESPONSE, TOY_TOTAL)\n"
        "    fig = Figure(figsize=(3.0, 2.0))\n"
        "    ax = fig.add_subplot()\n"
        '    ax.bar([0], [float(row["estimate"])])\n'
        "    ax.set_title(f\"Toy total {int(row['estimate'])}\")\n"
        "    return fig\n\n\n"
        "#: The builders of the single-page cohort figures, by name.\n",
    )
    _replace(path, '    "prepost": _prepost_figure,\n}', '    "prepost": _prepost_figure,\n    "toy": toy_figure,\n}')


def _figure_alt(root: Path) -> None:
    path = root / PACKAGE / "report/accessible.py"
    _replace(
        path,
        "#: Alt text of each cohort figure, by figure name",
        "def toy_alt(stats: pd.DataFrame, cohort: Cohort) -> str:\n"
        "    row = register.one(stats, m.RESPONSE, m.TOY_TOTAL)\n"
        "    return f\"One bar, {fmt_int(row['estimate'])} high: the toy total.\"\n\n\n"
        "#: Alt text of each cohort figure, by figure name",
    )
    _replace(path, '    "saturation": saturation_alt,\n}', '    "saturation": saturation_alt,\n    "toy": toy_alt,\n}')


def _figure_caption(root: Path) -> None:
    _replace(
        root / "workflow/report/figure_cohort.rst",
        "{% endif %}",
        '{% elif figure == "toy" %}\nThe toy total of cohort {{ cohort }}, from ``statistics.csv``.\n{% endif %}',
    )


def _figure_in_notebook(root: Path) -> None:
    _notebook_cell(root, "limitations", 'show_figure("toy", accessible.see_table("the toy section"))\n', "toy-figure")


# --------------------------------------------------------------------------- add a report section


def _section_declared(root: Path) -> None:
    _replace(
        root / PACKAGE / "report/sections.py",
        '    Section("qualitative", "Qualitative analysis", _has_qualitative),\n',
        '    Section("qualitative", "Qualitative analysis", _has_qualitative),\n'
        f'    Section("toy", "{TOY_HEADING}"),\n',
    )


def _section_builder(root: Path) -> None:
    (root / PACKAGE / "report/toy.py").write_text(
        '"""The toy section."""\n\n'
        "from workforce_eval import register\n"
        "from workforce_eval.register.measures import RESPONSE, TOY_TOTAL\n"
        "from workforce_eval.report.results import Results\n\n\n"
        "def toy_text(res: Results) -> str:\n"
        "    row = register.one(res.stats, RESPONSE, TOY_TOTAL)\n"
        "    return f\"The toy total is {int(row['estimate'])}.\"\n",
        encoding="utf-8",
    )


def _section_in_notebook(root: Path) -> None:
    _notebook_cell(
        root,
        "limitations",
        "from workforce_eval.report import toy\n\n"
        'section = SECTIONS["toy"]\n'
        "if section.present(res):\n"
        "    display(Markdown(section.markdown))\n"
        "    display(Markdown(toy.toy_text(res)))\n",
        "toy",
    )


def _notebook_cell(root: Path, before: str, source: str, cell_id: str) -> None:
    """A code cell `source` inserted before the cell `before` (the toy figure's call goes into the toy section's
    cell when that exists, as the table says: in its section's cell)."""
    path = root / "notebooks/cohort_report.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    ids = [c.get("id") for c in nb["cells"]]
    if cell_id == "toy-figure" and "toy" in ids:
        cell = nb["cells"][ids.index("toy")]
        cell["source"] = ["".join(cell["source"]) + "    " + source]
    else:
        cell = {"cell_type": "code", "execution_count": None, "id": cell_id, "metadata": {}, "outputs": []}
        cell["source"] = [source]
        nb["cells"].insert(ids.index(before), cell)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


#: Each row of the table the toy exercises: the files its "change" column names (as written there) and the
#: edit the toy makes to each, in the order applied.
ROWS: dict[str, dict[str, Edit]] = {
    "add a measure": {
        "register/measures.py": _measure_in_catalogue,
        "analyses/<analysis>.py": _measure_in_analysis,
    },
    "add a report section": {
        "report/sections.py": _section_declared,
        "report/<section>.py": _section_builder,
        "notebooks/cohort_report.ipynb": _section_in_notebook,
    },
    "add a figure": {
        "names.py": _figure_spec,
        "figures/cohort.py": _figure_builder,
        "report/accessible.py": _figure_alt,
        "workflow/report/figure_cohort.rst": _figure_caption,
        "notebooks/cohort_report.ipynb": _figure_in_notebook,
    },
}
#: The file each templated path of the table is for the toy.
TOY_FILES = {"analyses/<analysis>.py": "analyses/describe.py", "report/<section>.py": "report/toy.py"}


def table_files(row: str) -> list[str]:
    """The files the "change" column of the table's row `row` names: each written as "`path`: what to do"."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = text.split("## To do X, change these files", 1)[1].split("\n## ", 1)[0]
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] == row:
            return re.findall(r"`([^`\s]+\.(?:py|rst|ipynb|yaml|md))`:", cells[1])
    raise AssertionError(f"docs/architecture.md's table has no row {row!r}")


def repo_path(documented: str) -> Path:
    """A path as the table writes it, from the repository's root (package paths are under src/workforce_eval/)."""
    documented = TOY_FILES.get(documented, documented)
    if documented.split("/", 1)[0] in ("notebooks", "workflow", "docs", "tests"):
        return Path(documented)
    return PACKAGE / documented


@pytest.mark.parametrize("row", sorted(ROWS))
def test_the_table_names_exactly_the_files_the_toy_edits(row: str) -> None:
    assert table_files(row) == list(ROWS[row]), row


def apply_edits(root: Path, skip: frozenset[str] = frozenset()) -> list[Path]:
    """Copy what the rows touch to `root` and apply every row's edits (but those in `skip`, row/path); returns the
    files changed."""
    shutil.copytree(ROOT / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    (root / "workflow" / "report").mkdir(parents=True)
    shutil.copy(ROOT / "workflow/report/figure_cohort.rst", root / "workflow/report/figure_cohort.rst")
    changed = []
    for row, edits in ROWS.items():
        for documented, edit in edits.items():
            if f"{row}/{documented}" not in skip:
                edit(root)
                changed.append(repo_path(documented))
    return changed


#: Run by the copy's interpreter: the steps the rules call, in order, for one cohort.
BUILD = """
import sys
from pathlib import Path

import workforce_eval
from workforce_eval import layout, names, register
from workforce_eval.figures import cohort as cohort_figures
from workforce_eval.inputs import metadata
from workforce_eval.report import render
from workforce_eval.steps import analyses, cohort, figures

copy, data, results = (Path(a) for a in sys.argv[1:4])
assert Path(workforce_eval.__file__).is_relative_to(copy), workforce_eval.__file__
here = layout.cohort(results, "tiny")
cohort.clean(data, "tiny", here.cohort_json, here.participants, here.survey, here.segments)
parts = {name: here.table(name) for name in analyses.PARTS}
analyses.analyses(here.clean_dir, parts, here.case_code_table, here.statistics, here.quotes)
# the figures the workflow asks for: names.cohort_figures (common.smk's all_cohort_figures), then the qualitative
stats, meta = register.read(here.statistics), metadata.load(here.cohort_json)
drawn = cohort_figures.applicable(stats, meta) + list(names.QUALITATIVE_FIGURE_NAMES)
figures.figures(here.statistics, here.cohort_json, here.figures_dir, drawn, ("png",))
notebook = copy / "notebooks" / "cohort_report.ipynb"
inputs = render.report_inputs(results, "tiny", drawn)
render.render_report(results, "tiny", notebook, here.report.ipynb, here.report.html, inputs)
"""


def build(root: Path) -> subprocess.CompletedProcess[str]:
    """The tiny cohort's register, figures and report, built by the copy of the package under `root`."""
    data = write_tiny_cohort(root / "data" / COHORT_ID)
    env = {**os.environ, "PYTHONPATH": str(root / "src"), "SOURCE_DATE_EPOCH": "0", "MPLBACKEND": "Agg"}
    return subprocess.run(
        [sys.executable, "-c", BUILD, str(root), str(data), str(root / "results")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def caption(root: Path, figure: str) -> str:
    """The Snakemake report's caption of a cohort figure, as Snakemake renders the caption template."""
    template = (root / "workflow/report/figure_cohort.rst").read_text(encoding="utf-8")
    wildcards = SimpleNamespace(figure=figure, cohort=COHORT_ID)
    return jinja2.Template(template).render(snakemake=SimpleNamespace(wildcards=wildcards)).strip()


def test_a_toy_measure_figure_and_section_made_through_the_documented_files_only(tmp_path: Path) -> None:
    root = tmp_path / "copy"
    changed = apply_edits(root)
    assert sorted(set(changed)) == sorted({repo_path(f) for row in ROWS for f in table_files(row)}), (
        "the toy edits the files the table names"
    )

    done = build(root)
    assert done.returncode == 0, done.stderr[-3000:]

    here = root / "results" / COHORT_ID
    register_text = (here / "statistics.csv").read_text(encoding="utf-8")
    toy_rows = [line for line in register_text.splitlines() if line.startswith("response,toy_total,")]
    assert len(toy_rows) == 1 and f",{TOY_TOTAL},{TOY_TOTAL}," in toy_rows[0], toy_rows

    figure = here / "figures" / "toy.png"
    assert figure.is_file() and figure.read_bytes().startswith(b"\x89PNG")
    assert caption(root, "toy") == f"The toy total of cohort {COHORT_ID}, from ``statistics.csv``."

    html = (here / "report.html").read_text(encoding="utf-8")
    assert f'id="{TOY_HEADING.replace(" ", "-")}"' in html  # the section's heading
    assert f'<a href="#{TOY_HEADING.replace(" ", "-")}">{TOY_HEADING}</a>' in html  # in the contents list
    section = html.split(f'id="{TOY_HEADING.replace(" ", "-")}"', 1)[1].split('id="Limitations"', 1)[0]
    assert f"The toy total is {TOY_TOTAL}." in section  # the builder's text, from the register row
    assert TOY_CAPTION in section and "<img" in section  # the figure, with the FigureSpec's caption
    assert f'alt="One bar, {TOY_TOTAL} high: the toy total."' in section  # and its alt text from the register
