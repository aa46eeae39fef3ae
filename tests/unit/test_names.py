"""The shared names module: what the workflow, validation, provenance, figures and reports all read."""

from __future__ import annotations

from pathlib import Path

import yaml

from workforce_eval import names

ROOT = Path(__file__).resolve().parents[2]


def test_input_files_are_the_contract_files_then_the_privacy_guards() -> None:
    assert names.INPUT_FILES == (
        "cohort.yaml",
        "participants.csv",
        "instrument.yaml",
        "survey.csv",
        "codebook.yaml",
        "segments.csv",
        "deny_list.txt",
        "pii_allow.csv",
    )


def test_config_schema_rejects_exactly_the_reserved_names_and_uses_the_cohort_id_pattern() -> None:
    schema = yaml.safe_load((ROOT / "workflow" / "schemas" / "config.schema.yaml").read_text("utf-8"))
    cohort = schema["properties"]["cohorts"]["items"]
    assert cohort["not"]["enum"] == ["logs", "provenance", "programmes"] == list(names.RESERVED_NAMES)
    assert cohort["pattern"] == f"^{names.COHORT_ID_PATTERN}$"


def test_programme_slug() -> None:
    assert names.slug("Paired Learning") == "paired-learning"
    assert names.slug("  NHS Lothian: Paired-Learning (2023/24) ") == "nhs-lothian-paired-learning-2023-24"
    assert names.slug("***") == "programme"


def test_every_figure_has_a_snakemake_caption_and_a_report_caption() -> None:
    assert names.FIGURE_NAMES == ("composition", "likert", "themes", "coefficients", "prepost")
    for spec in names.FIGURES:
        assert (ROOT / "workflow" / "report" / f"figure_{spec.name}.rst").is_file(), spec.name
        assert spec.caption.endswith(".")
    assert names.figure("prepost").designs == ("pre_post",)
