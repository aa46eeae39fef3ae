"""The report sections are declared once (report.sections): the contents list and every notebook read it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from workforce_eval import register
from workforce_eval.register.rows import Row
from workforce_eval.report import models, prepost, sections, tables
from workforce_eval.report.results import ProgrammeResults, Results

NOTEBOOKS = Path(__file__).resolve().parents[3] / "notebooks"

META = {
    "design": "post_only",
    "groups": [{"code": "a", "label": "Group A"}],
    "items": [
        {"id": "q1", "type": "likert", "construct": "pos", "levels": ["No", "Maybe", "Yes"]},
        {"id": "q2", "type": "likert", "construct": "pos", "levels": ["No", "Maybe", "Yes"]},
    ],
    "codebook": [{"id": "T1", "label": "Support", "subthemes": [{"id": "T1.1", "label": "Peers"}]}],
    "models": [{"id": "m1", "formula": "pos ~ group", "family": "ols"}],
}


def _results(*rows: Row, meta: dict[str, object] | None = None) -> Results:
    stats = register.to_frame([Row("response", "responses", 12, n=12), *rows])
    return Results(stats=stats, meta=dict(meta or META), figures=Path("."), quotes=pd.DataFrame())


def _links(html: str) -> list[str]:
    return re.findall(r"<a href='#([^']*)'>", html)


def test_contents_links_the_present_sections_in_report_order() -> None:
    bare = _results()
    assert _links(sections.COHORT.contents(bare)) == [
        "Key-findings",
        "Methods",
        "Response-and-composition",
        "Survey-items",
        "Scales",
        "Qualitative-analysis",
        "Limitations",
        "Appendix",
        "About-this-report",
        "Provenance",
        "Accessibility",
    ]
    full = _results(
        Row("breakdown", "share", 50.0, subgroup="band=5"),
        Row("model", "coefficient", 0.3, item="m1:group[T.b]"),
        Row("theme", "participants", 4, item="T1", group="all", source="all"),
    )
    keys = [s.key for s in sections.COHORT.present(full)]
    assert keys[3:8] == ["items", "scales", "breakdowns", "models", "themes"]
    assert "<li><a href='#Breakdowns'>Breakdowns</a></li><li><a href='#Models'>Models</a></li>" in (
        sections.COHORT.contents(full)
    )


def test_each_condition_agrees_with_what_its_builder_shows() -> None:
    no_items = {**META, "items": [{"id": "n1", "type": "numeric"}]}
    cases = [
        _results(),
        _results(Row("theme", "participants", 0, item="T1", group="all", source="all"), meta=no_items),
        _results(
            Row("theme", "participants", 3, item="T1.1", group="all", source="all"),
            Row("model", "coefficient", 0.3, item="other:x"),  # rows of a model cohort.json does not declare
            Row("breakdown", "share", 50.0, subgroup="band=5"),
        ),
    ]
    for res in cases:
        cohort = sections.COHORT
        assert cohort["items"].present(res) == bool(tables.survey_items(res.cohort))
        assert cohort["scales"].present(res) == (not models.constructs_table(res).empty)
        assert cohort["breakdowns"].present(res) == bool(models.breakdown_tables(res))
        assert cohort["models"].present(res) == bool(models.declared_models(res))
        assert cohort["change"].present(res) == prepost.is_prepost(res)
        assert cohort["themes"].present(res) == (not tables.themes_matrix(res).empty)
    assert [sections.COHORT["themes"].present(r) for r in cases] == [False, False, True]
    assert [sections.COHORT["items"].present(r) for r in cases] == [True, False, True]
    assert not sections.COHORT["models"].present(cases[2])


def test_programme_themes_only_with_theme_rows() -> None:
    rows = [Row("pre_post", "linked", 10, n=10)]
    meta = {"programme": "P", "cohorts": []}
    plain = ProgrammeResults(stats=register.to_frame(rows), meta=meta, figures=Path("."))
    themed = ProgrammeResults(
        stats=register.to_frame([*rows, Row("theme", "participants", 3, item="T1")]), meta=meta, figures=Path(".")
    )
    assert "Themes-across-cohorts" not in _links(sections.PROGRAMME.contents(plain))
    assert _links(sections.PROGRAMME.contents(themed))[4] == "Themes-across-cohorts"
    assert _links(sections.PROGRAMME.contents(themed))[-4:] == ["Methods", "Limitations", "Appendix", "Accessibility"]


def test_sections_are_found_by_key_and_keys_are_unique() -> None:
    assert sections.COHORT["change"].markdown == "## Change from pre to post"
    assert sections.COHORT["about"].anchor == "About-this-report"
    with pytest.raises(KeyError, match="no report section 'nonsense'"):
        sections.COHORT["nonsense"]
    with pytest.raises(ValueError, match="unique"):
        sections.Sections(sections.Section("a", "A"), sections.Section("a", "B"))
    assert sections.organisation("Trust A") is sections.ORGANISATION_UNIT
    assert sections.organisation("") is sections.ORGANISATION_OVERVIEW


def _code(notebook: str) -> str:
    cells = json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


@pytest.mark.parametrize(
    ("notebook", "declared"),
    [
        ("cohort_report.ipynb", [sections.COHORT]),
        ("programme_report.ipynb", [sections.PROGRAMME]),
        ("organisation_report.ipynb", [sections.ORGANISATION_UNIT, sections.ORGANISATION_OVERVIEW]),
    ],
)
def test_notebooks_read_every_section_from_the_declaration(
    notebook: str, declared: list[sections.Sections[Any]]
) -> None:
    code = _code(notebook)
    # no section heading written by hand: `##` headings come only from the declaration (`###` are subheadings)
    assert not re.search(r"""["']##\s""", code), notebook
    # each declared section has one cell that asks whether it is present and shows its heading
    used = re.findall(r'section = SECTIONS\["([^"]+)"\]\n\s*if section\.present\(res\):[^\n]*\n\s*'
                      r"display\(Markdown\(section\.markdown\)\)", code)  # fmt: skip
    keys = list(dict.fromkeys(section.key for report in declared for section in report))
    assert used == keys, notebook


@pytest.mark.parametrize(
    "path",
    [
        *(f"src/workforce_eval/report/{m}.py" for m in ("findings", "sections", "structure", "tables", "text")),
        "notebooks/cohort_report.ipynb",
    ],
)
def test_the_cohort_report_reads_cohort_json_through_its_typed_view(path: str) -> None:
    text = (NOTEBOOKS.parent / path).read_text(encoding="utf-8")
    assert "json.loads" not in text and "res.meta" not in text, path
    assert not re.search(r"\bmeta\.get\(|\bmeta\[", text), path
