"""Relative likelihoods of two groups (risk ratios), as the Workforce Race Equality Standard reports them, with a
95 % interval, and the four-fifths (adverse impact) screen.

- `relative_likelihood(x1, n1, x0, n0)`: (x1 / n1) / (x0 / n0), the likelihood of the compared group relative to
  the reference group. Interval: Katz's log interval (statsmodels `Table2x2.riskratio_confint`, the same formula
  as R epitools' `riskratio.wald`: se(log RR) = sqrt(1/x1 - 1/n1 + 1/x0 - 1/n0)) when every cell of the 2 x 2
  table (x1, n1 - x1, x0, n0 - x0) is at least SMALL_CELL; otherwise, where the log interval is unreliable or
  undefined (a zero cell), the Miettinen-Nurminen score interval for a ratio of proportions (statsmodels
  `confint_proportions_2indep(compare="ratio", method="score")`). The ratio is undefined (None) when the
  reference group has no event, and its upper limit when that happens is infinite (None).
- `impact_ratio(rate_a, rate_b)`: the lower of two favourable-outcome rates over the higher; the four-fifths rule
  flags adverse impact below FOUR_FIFTHS (0.8).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: Below this count in any cell of the 2 x 2 table the score interval replaces Katz's log interval.
SMALL_CELL = 5
FOUR_FIFTHS = 0.8
KATZ = "katz log interval"
SCORE = "miettinen-nurminen score interval (small counts)"


@dataclass(frozen=True)
class Ratio:
    """A relative likelihood with its 95 % interval (None where undefined) and the interval's method."""

    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    method: str


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def relative_likelihood(x1: int, n1: int, x0: int, n0: int) -> Ratio:
    """(x1 / n1) / (x0 / n0) with its 95 % interval; ValueError unless 0 <= x <= n and n > 0 for both groups."""
    if n1 <= 0 or n0 <= 0 or not (0 <= x1 <= n1) or not (0 <= x0 <= n0):
        raise ValueError(f"counts must satisfy 0 <= x <= n, n > 0: {x1}/{n1}, {x0}/{n0}")
    if x0 == 0 and x1 == 0:
        return Ratio(None, None, None, SCORE)
    estimate = (x1 / n1) / (x0 / n0) if x0 > 0 else math.inf
    if min(x1, n1 - x1, x0, n0 - x0) >= SMALL_CELL:
        from statsmodels.stats.contingency_tables import Table2x2

        low, high = Table2x2(np.array([[x1, n1 - x1], [x0, n0 - x0]], dtype=float)).riskratio_confint(alpha=0.05)
        return Ratio(float(estimate), float(low), float(high), KATZ)
    from statsmodels.stats.proportion import confint_proportions_2indep

    with np.errstate(divide="ignore", invalid="ignore"):
        low, high = confint_proportions_2indep(x1, n1, x0, n0, compare="ratio", method="score", alpha=0.05)
    return Ratio(_finite(estimate), _finite(float(low)), _finite(float(high)), SCORE)


def impact_ratio(rate_a: float, rate_b: float) -> float | None:
    """The lower favourable-outcome rate over the higher (None when both are 0)."""
    high, low = max(rate_a, rate_b), min(rate_a, rate_b)
    return None if high <= 0 else low / high


def adverse_impact(ratio: float | None) -> bool:
    """The four-fifths rule: True when the impact ratio is below 0.8."""
    return ratio is not None and ratio < FOUR_FIFTHS
