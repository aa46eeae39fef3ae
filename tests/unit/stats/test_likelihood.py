"""Relative likelihood intervals against statsmodels' Table2x2 and R epitools' riskratio.wald.

epitools' documented `riskratio` example (help page, "tapw"): tap water exposure low dose 6 survived, 2 died;
high dose 3 survived, 9 died. `riskratio.wald` computes est = (a1/n1)/(a0/n0) and
se(log RR) = sqrt(1/a1 - 1/n1 + 1/a0 - 1/n0) (its source). By hand: (9/12)/(2/8) = 3;
se = sqrt(1/9 - 1/12 + 1/2 - 1/8) = 0.634648; 3 * exp(-/+ 1.959964 * 0.634648) = 0.86478, 10.40721.
Its cells include 2 and 3, so this module itself gives the score interval there; the Katz branch is checked on
the same formula with larger counts.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.stats.contingency_tables import Table2x2
from statsmodels.stats.proportion import confint_proportions_2indep

from workforce_eval.stats import likelihood as lk


def katz(x1: int, n1: int, x0: int, n0: int) -> tuple[float, float, float]:
    est = (x1 / n1) / (x0 / n0)
    se = math.sqrt(1 / x1 - 1 / n1 + 1 / x0 - 1 / n0)
    z = 1.959963984540054
    return est, est * math.exp(-z * se), est * math.exp(z * se)


def test_epitools_example_by_hand() -> None:
    est, low, high = katz(9, 12, 2, 8)
    assert est == pytest.approx(3.0)
    assert (low, high) == pytest.approx((0.86478, 10.40721), abs=1e-5)
    table = Table2x2(np.array([[9, 3], [2, 6]], dtype=float))
    assert table.riskratio_confint() == pytest.approx((low, high))


def test_katz_interval_when_every_cell_is_large_enough() -> None:
    # appointed from shortlisting: white 120 of 400, BME 60 of 300
    r = lk.relative_likelihood(120, 400, 60, 300)
    assert r.method == lk.KATZ
    assert (r.estimate, r.ci_low, r.ci_high) == pytest.approx(katz(120, 400, 60, 300))
    table = Table2x2(np.array([[120, 280], [60, 240]], dtype=float))
    assert r.estimate == pytest.approx(table.riskratio)
    assert (r.ci_low, r.ci_high) == pytest.approx(table.riskratio_confint())


def test_score_interval_for_small_counts() -> None:
    r = lk.relative_likelihood(9, 12, 2, 8)
    assert r.method == lk.SCORE and r.estimate == pytest.approx(3.0)
    low, high = confint_proportions_2indep(9, 12, 2, 8, compare="ratio", method="score")
    assert (r.ci_low, r.ci_high) == pytest.approx((low, high))
    assert r.ci_low is not None and r.ci_low < 3.0 < (r.ci_high or 0)


def test_no_event_in_the_reference_group_leaves_the_ratio_and_upper_limit_blank() -> None:
    r = lk.relative_likelihood(3, 12, 0, 8)
    assert r.estimate is None and r.ci_high is None and r.ci_low is not None and r.ci_low > 0
    assert lk.relative_likelihood(0, 5, 0, 5).estimate is None


def test_bad_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        lk.relative_likelihood(5, 4, 1, 2)


def test_four_fifths_rule() -> None:
    assert lk.impact_ratio(0.2, 0.3) == pytest.approx(2 / 3)
    assert lk.adverse_impact(lk.impact_ratio(0.2, 0.3))
    assert not lk.adverse_impact(lk.impact_ratio(0.24, 0.3))  # exactly 0.8: no adverse impact
    assert lk.impact_ratio(0.0, 0.0) is None and not lk.adverse_impact(None)
