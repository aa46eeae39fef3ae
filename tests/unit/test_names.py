"""The shared names module: what the workflow, validation, provenance, figures and reports all read."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from workforce_eval import layout, names

ROOT = Path(__file__).resolve().parents[2]


def test_input_files_are_the_contract_files_the_optional_data_then_the_privacy_guards() -> None:
    assert names.INPUT_FILES == (
        "cohort.yaml",
        "participants.csv",
        "instrument.yaml",
        "survey.csv",
        "codebook.yaml",
        "segments.csv",
        "indicators.csv",
        "deny_list.txt",
        "pii_allow.csv",
    )


def test_config_schema_rejects_exactly_the_reserved_names_and_uses_the_cohort_id_pattern() -> None:
    schema = yaml.safe_load((ROOT / "workflow" / "schemas" / "config.schema.yaml").read_text("utf-8"))
    cohort = schema["properties"]["cohorts"]["items"]
    assert (
        cohort["not"]["enum"]
        == ["logs", "provenance", "programmes", "published", "restricted"]
        == list(layout.RESERVED_NAMES)
    )
    assert cohort["pattern"] == f"^{names.COHORT_ID_PATTERN}$"


def test_programme_slug() -> None:
    assert names.slug("Paired Learning") == "paired-learning"
    assert names.slug("  NHS Lothian: Paired-Learning (2023/24) ") == "nhs-lothian-paired-learning-2023-24"
    assert names.slug("***") == "programme"


def test_every_figure_has_a_snakemake_caption_and_a_report_caption() -> None:
    assert names.FIGURE_NAMES == ("composition", "likert", "themes", "coefficients", "prepost", "equality")
    # one Snakemake caption for the rule `figures` (one job per cohort), with a branch per figure
    caption = (ROOT / "workflow" / "report" / "figure_cohort.rst").read_text(encoding="utf-8")
    for spec in names.FIGURES + names.QUALITATIVE_FIGURES:
        assert f'"{spec.name}"' in caption, spec.name
        assert spec.caption.endswith(".")
    assert names.figure("prepost").designs == ("pre_post",)


def test_figures_that_do_not_apply_are_not_made() -> None:
    agree = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
    facts = {"design": "post_only", "likert_items": [agree] * 6, "groups": 3, "survey": True, "segments": True}
    # plp-2021: post only, no models -> no coefficients, no prepost; 6 items on one scale, all + 3 groups: one
    # item is 0.32 + 4 * 0.19 + 0.06 = 1.14 in, (8.6 - 2.3) // 1.14 = 5 a chart: two charts of 3
    assert names.cohort_figures(**facts, models=False) == ["composition", "likert", "likert-2", "themes"]
    assert [(p.first, p.count, p.part, p.parts) for p in names.likert_pages([agree] * 6, 4)] == [
        (0, 3, 1, 2),
        (3, 3, 2, 2),
    ]
    assert names.cohort_figures(**{**facts, "design": "pre_post", "segments": False}, models=True) == [
        "composition",
        "likert",
        "likert-2",
        "coefficients",
        "prepost",
    ]
    assert names.cohort_figures(**{**facts, "likert_items": [], "survey": False}, models=False) == ["themes"]
    # declared equality indicators add their figure, last
    assert names.cohort_figures(**facts, models=False, indicators=True)[-1] == "equality"
    # one chart per response scale, whatever the order of the items: two scales of 2 items, all + 1 group
    often = ("Never", "Sometimes", "Often")
    assert names.likert_names([agree, often, agree, often], 2) == ["likert", "likert-2"]
    assert [p.levels for p in names.likert_pages([agree, often, agree, often], 2)] == [agree, often]
    # 15 items (Leeds), all + 3 groups: three charts of 5
    assert names.likert_names([agree] * 15, 4) == ["likert", "likert-2", "likert-3"]
    assert names.figure("likert-2").caption == "Answers to the survey items by group (chart 2)."
    assert re.fullmatch(names.COHORT_FIGURE_PATTERN, "likert-12")
    assert not re.fullmatch(names.COHORT_FIGURE_PATTERN, "cooccurrence")


def test_designs_have_one_list_the_schema_and_the_reports_follow() -> None:
    from workforce_eval.report import structure

    schema = yaml.safe_load((ROOT / "src" / "workforce_eval" / "inputs" / "schemas" / "cohort.schema.yaml").read_text())
    enum = tuple(schema["properties"]["design"]["enum"])
    assert enum == names.DESIGNS == ("post_only", "pre_post", "cross_sectional")
    assert tuple(structure.DESIGNS) == names.DESIGNS  # each design worded in the title block and the methods
    assert all(names.PRE_POST in f.designs for f in names.FIGURES)
    assert [f.name for f in names.FIGURES if f.designs != names.DESIGNS] == ["prepost"]
