"""The qualitative analyses (issue 12) on the bundled cohorts, read from the session's shared run (`run_a`).

No Snakemake run of its own: every test reads `run_a`'s registers, figures and reports.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from tests.e2e.test_workflow import visible_text
from workforce_eval import register
from workforce_eval.register import disclosure

pytestmark = pytest.mark.e2e

FAMILIES = ("agreement", "cooccurrence", "matrix", "saturation")


def _register(run_a: Path, cohort: str) -> pd.DataFrame:
    return register.read(run_a / "results" / cohort / "statistics.csv")


def _report_text(run_a: Path, cohort: str) -> str:
    html = (run_a / "results" / cohort / "report.html").read_text("utf-8")
    return visible_text(BeautifulSoup(html, "html.parser"))


@pytest.mark.parametrize("cohort", ["plp-2021", "leeds-2022"])
def test_bundled_registers_carry_every_qualitative_family(run_a: Path, cohort: str) -> None:
    reg = _register(run_a, cohort)
    for family in FAMILIES:
        assert (reg["analysis"] == family).any(), (cohort, family)
    # Every matrix cell of the synthetic rosters is linked to the theme counts (all interviewees have values).
    matrix = reg[(reg["analysis"] == "matrix") & (reg["measure"] != "attribute_withheld")]
    assert matrix["level"].ne("").all(), cohort


def test_plp_shows_span_agreement_over_coded_text_only(run_a: Path) -> None:
    reg = _register(run_a, "plp-2021")
    spans = reg[(reg["analysis"] == "agreement") & reg["level"].eq("character, coded text only")]
    assert {"units", "percent_agreement", "cohen_kappa", "krippendorff_alpha"} <= set(spans["measure"])
    text = _report_text(run_a, "plp-2021")
    assert "only characters some coder coded with some code count" in text
    # The overall span alpha the report shows is the register's, to two decimals.
    alpha = register.one(reg, "agreement", "krippendorff_alpha", item="", level="character, coded text only")
    assert alpha is not None and f"{float(alpha['estimate']):.2f}" in text


def test_leeds_matrix_by_attribute_is_in_the_report_with_hidden_cells(run_a: Path) -> None:
    reg = _register(run_a, "leeds-2022")
    text = _report_text(run_a, "leeds-2022")
    assert "Themes by organisation" in text
    # employment and pay band each have a value with fewer than 10 interviewees (the minimum group base, 2k):
    # left out of the register whole, and the report says so once (analyses.groups.withhold_attributes)
    withheld = reg[(reg["analysis"] == "matrix") & (reg["measure"] == "attribute_withheld")]
    assert list(withheld["subgroup"]) == ["employment", "pay_band"]
    matrix = reg[reg["analysis"] == "matrix"]
    assert not matrix["subgroup"].fillna("").str.startswith(("employment=", "pay_band=")).any()
    assert "Themes by employment" not in text and "Themes by pay_band" not in text
    assert "Themes are not shown by employment and pay_band: at least one of their values has fewer than 10" in text
    # Published cells: a shown percent is in the report as `% (k/n)` with the register's k and n.
    shown = reg[(reg["analysis"] == "matrix") & (reg["measure"] == "pct_participants") & ~reg["suppressed"]]
    row = shown.sort_values(["subgroup", "item"]).iloc[0]
    assert f"({int(row['n'])}/{int(row['denominator'])})" in text
    # The matrix left (by organisation, every value with at least 10 interviewees) is linked to the theme counts,
    # and every count it shows is 0 or at least k: nothing small is published, so nothing needs hiding there.
    meta = json.loads((run_a / "results" / "leeds-2022" / "clean" / "cohort.json").read_text("utf-8"))
    items = {str(i["id"]): i for i in meta.get("items", [])}
    rels = disclosure.relations(disclosure.cell_values(reg, items), meta)
    assert any(total[0] == "units" and parts[0][0] == "matrix" for total, parts in rels)
    k = int(meta["disclosure_threshold"])
    counts = reg[(reg["analysis"] == "matrix") & (reg["measure"] == "participants") & ~reg["suppressed"]]
    assert len(counts) > 0 and ((counts["n"] == 0) | (counts["n"] >= k)).all()


@pytest.mark.parametrize("cohort", ["plp-2021", "leeds-2022"])
def test_reports_explain_the_measures_and_the_trust_rule(run_a: Path, cohort: str) -> None:
    text = _report_text(run_a, cohort)
    for sentence in ("A unit is one code in one document", "Percent agreement is", "Krippendorff's alpha is a"):
        assert sentence in text, (cohort, sentence)
    assert "too low to trust when its Krippendorff's alpha is below 0.667" in text
    assert "Saturation asks whether later interviews" in text
    assert "by interview date" in text
