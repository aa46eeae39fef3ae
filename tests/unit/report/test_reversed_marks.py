"""Issue 21, part 3: a reverse-coded item is marked "(reversed)" in every table that names it.

Hand-built registers where the item is reversed; each test failed before the change (the programme tables and
"Groups compared" printed the bare item text), and the rendered cohort report is checked by its DOM.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from tests.unit.report import test_report as fixture_report
from workforce_eval.register.rows import Row, to_frame
from workforce_eval.report import likert, programme, render
from workforce_eval.report import prepost as prepost_report
from workforce_eval.report.results import ProgrammeResults, Results

LEVELS = ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]
ITEMS = [
    {"id": "cope", "text": "I cope with my workload.", "type": "likert", "levels": LEVELS, "reverse": False},
    {"id": "depth", "text": "I feel out of my depth.", "type": "likert", "levels": LEVELS, "reverse": True},
]
GROUPS = [{"code": "doc", "label": "Doctors"}, {"code": "man", "label": "Managers"}]


def test_groups_compared_marks_the_reversed_item(tmp_path: Path) -> None:
    rows = [
        Row("between_groups", "rank_biserial", v, item=item, group="doc", level="man", n=20, ci_low=-0.5,
            ci_high=0.7, p_value=0.4, method="mann-whitney", source="survey")
        for item, v in (("cope", 0.1), ("depth", 0.2))
    ]  # fmt: skip
    meta = {"cohort_id": "x", "design": "pre_post", "groups": GROUPS, "items": ITEMS, "disclosure_threshold": 5}
    res = Results(stats=to_frame(rows), meta=meta, figures=tmp_path, quotes=pd.DataFrame())
    table = prepost_report.between_groups_table(res)
    assert list(table.iloc[:, 0]) == ["I cope with my workload.", "I feel out of my depth. (reversed)"]


def test_programme_tables_mark_the_reversed_item(tmp_path: Path) -> None:
    rows = []
    for cohort in ("c1", "c2", "all"):
        for item in ("cope", "depth"):
            change = Row("pre_post", "mean_change", 0.3, item=item, n=12, source="survey")
            rows.append(change.__dict__ | {"cohort": cohort})
            rows.append(
                Row("pre_post", "paired_t", 0.3, item=item, n=12, ci_low=0.1, ci_high=0.5, p_value=0.01,
                    method="paired t", source="survey").__dict__ | {"cohort": cohort}
            )  # fmt: skip
    stats = pd.concat([to_frame([]), pd.DataFrame(rows)], ignore_index=True)  # the programme register: + cohort
    meta = {
        "programme": "Paired Learning",
        "cohorts": [{"cohort_id": "c1", "cohort": "One"}, {"cohort_id": "c2", "cohort": "Two"}],
        "groups": GROUPS,
        "items": ITEMS,
        "constructs": [],
        "disclosure_threshold": 5,
    }
    res = ProgrammeResults(stats=stats, meta=meta, figures=tmp_path)
    labels = [x for x in programme.change_table(res)["Scale or item"] if x]
    assert labels == ["I cope with my workload.", "I feel out of my depth. (reversed)"]


class _Cells(HTMLParser):
    """The text of every table cell (`td`, `th`) of an HTML page, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_rendered_cohort_report_marks_the_reversed_item_and_names_its_measure(tmp_path: Path) -> None:
    """The cohort report of the hand-built fixture cohort with its Likert item made reverse-coded: the item's
    row of the survey-item table says "(reversed)" and names its share as disagreement (DOM of report.html)."""
    root = fixture_report.build_results(tmp_path / "results")
    cohort_json = root / fixture_report.COHORT_ID / "clean" / "cohort.json"
    meta = json.loads(cohort_json.read_text(encoding="utf-8"))
    text = next(i for i in meta["items"] if i["id"] == "rel_trust")
    text["reverse"] = True
    cohort_json.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    render.render_report(root, fixture_report.COHORT_ID, fixture_report.NOTEBOOK, out / "r.ipynb", out / "r.html")
    parser = _Cells()
    parser.feed((out / "r.html").read_text(encoding="utf-8"))
    marked = f"{text['text']} (reversed)"
    rows = [r for r in parser.rows if r]
    start = next(i for i, r in enumerate(rows) if r[0] == marked)
    assert likert.REVERSED_SHARE in rows[start]
    assert all(r[0] != text["text"] for r in rows)  # never unmarked


def test_caterpillar_panel_of_a_reversed_item_is_marked_and_names_its_measure() -> None:
    from workforce_eval.figures import benchmarking
    from workforce_eval.inputs.metadata import from_document

    meta = {"cohort_id": "x", "groups": GROUPS, "items": ITEMS, "disclosure_threshold": 5}
    rows = [
        Row("benchmark", "pct_agree", v, item=item, n=30, ci_low=v - 10, ci_high=v + 10,
            subgroup=f"organisation={unit}", source="survey")
        for item in ("cope", "depth")
        for unit, v in (("A", 40.0), ("B", 60.0))
    ]  # fmt: skip
    fig = benchmarking.caterpillar_figure(to_frame(rows), from_document(meta))
    titles = [ax.get_title(loc="left").replace("\n", " ") for ax in fig.axes]
    assert titles == ["I cope with my workload.", "I feel out of my depth. (reversed)"]
    ylabels = [ax.get_ylabel().replace("\n", " ") for ax in fig.axes]
    assert ylabels == ["%", likert.REVERSED_SHARE]


def test_a_reversed_item_as_a_model_term_is_marked(tmp_path: Path) -> None:
    from workforce_eval.report import models

    meta = {"cohort_id": "x", "groups": GROUPS, "items": ITEMS, "disclosure_threshold": 5}
    res = Results(stats=to_frame([]), meta=meta, figures=tmp_path, quotes=pd.DataFrame())
    assert models.term_name("depth", ["depth", "cope"], res) == "I feel out of my depth. (reversed)"
    assert models.term_name("cope", ["depth", "cope"], res) == "I cope with my workload."
