"""Families of tests: adjusted p-values as register rows, per declared family and split."""

from __future__ import annotations

import pytest

from workforce_eval.analyses import families
from workforce_eval.register.measures import (
    BETWEEN_GROUPS,
    CHANGE_VS_FIRST,
    HETEROGENEITY,
    MEAN_CHANGE,
    ODDS_RATIO,
    P_ADJUSTED,
    PRE_POST,
    RANK_BISERIAL,
)
from workforce_eval.register.rows import Row
from workforce_eval.report import sections


def test_every_family_names_a_declared_report_section() -> None:
    by_report = {"cohort": sections.COHORT, "programme": sections.PROGRAMME, "organisation": sections.ORGANISATION_UNIT}
    for fam in families.FAMILIES:
        assert by_report[fam.report][fam.section].key == fam.section


def test_group_comparisons_are_one_family_adjusted_by_holm() -> None:
    # Holm by hand for p = (0.01, 0.04, 0.03, 0.005): 0.03, 0.06, 0.06, 0.02 (see tests/unit/stats/test_multiplicity)
    rows = [
        Row(BETWEEN_GROUPS, RANK_BISERIAL, 0.1, item="a", group="A", level="B", p_value=0.01, n=10),
        Row(BETWEEN_GROUPS, RANK_BISERIAL, 0.2, item="b", group="A", level="B", p_value=0.04, n=11),
        Row(BETWEEN_GROUPS, ODDS_RATIO, 2.0, item="c", group="A", level="B", p_value=0.03, n=12),
        Row(BETWEEN_GROUPS, ODDS_RATIO, 3.0, item="d", group="A", level="C", p_value=0.005, n=13),
        Row(BETWEEN_GROUPS, ODDS_RATIO, 3.0, item="e", group="A", level="C", p_value=None, n=3),  # no test
        Row(PRE_POST, MEAN_CHANGE, 1.0, item="a", p_value=0.0001),  # not in the family
    ]
    out = families.adjusted_rows(families.family(families.GROUP_COMPARISONS), rows, "holm")
    assert [r.item for r in out] == ["a", "b", "c", "d"]
    assert [r.estimate for r in out] == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert all(r.analysis == BETWEEN_GROUPS and r.measure == P_ADJUSTED for r in out)
    assert [r.level for r in out] == ["B", "B", "B", "C"] and [r.n for r in out] == [10, 11, 12, 13]
    assert {r.denominator for r in out} == {4}
    assert out[2].method == "holm; family group-comparisons (4 tests); odds_ratio"


def test_a_family_split_by_group_is_adjusted_within_each_group() -> None:
    tagged = [
        ("c2", Row(PRE_POST, CHANGE_VS_FIRST, 0.5, item="x", group="all", p_value=0.01)),
        ("all", Row(PRE_POST, HETEROGENEITY, 3.0, item="x", group="all", p_value=0.04)),
        ("c2", Row(PRE_POST, CHANGE_VS_FIRST, 0.5, item="x", group="G", p_value=0.01)),
    ]
    out = families.adjusted(families.family(families.LATER_COHORTS), tagged, "fdr_bh")
    assert [tag for tag, _ in out] == ["c2", "all", "c2"]
    # BH over (0.01, 0.04): 0.01 x 2/1 = 0.02, 0.04 x 2/2 = 0.04; group G alone: a family of one, unadjusted
    assert [row.estimate for _, row in out] == pytest.approx([0.02, 0.04, 0.01])
    assert [row.denominator for _, row in out] == [2, 2, 1]
    assert out[1][1].method.startswith("fdr_bh; family later-cohorts (2 tests); heterogeneity")


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown multiplicity adjustment"):
        families.adjusted_rows(families.family(families.GROUP_COMPARISONS), [], "sidak")
