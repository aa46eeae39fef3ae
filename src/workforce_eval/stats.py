"""Small statistical helpers: proportions with Wilson intervals, means with t intervals."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats as sps
from statsmodels.stats.proportion import proportion_confint


@dataclass(frozen=True)
class Estimate:
    """A number with its 95 % interval."""

    estimate: float
    ci_low: float | None = None
    ci_high: float | None = None


def percent_wilson(count: int, total: int, alpha: float = 0.05) -> Estimate:
    """count/total as a percent (0..100) with the Wilson score interval (statsmodels)."""
    if total <= 0:
        raise ValueError("a share needs a positive denominator")
    low, high = proportion_confint(count, total, alpha=alpha, method="wilson")
    estimate = 100.0 * count / total
    # The Wilson bounds are exactly 0 at count 0 and 100 at count = total; remove floating-point noise there.
    low_pct = 0.0 if count == 0 else min(100.0 * float(low), estimate)
    high_pct = 100.0 if count == total else max(100.0 * float(high), estimate)
    return Estimate(estimate, low_pct, high_pct)


def mean_t(values: np.ndarray, alpha: float = 0.05) -> Estimate:
    """Mean with the t interval (no interval for fewer than two values)."""
    x = np.asarray(values, dtype="float64")
    x = x[~np.isnan(x)]
    if len(x) == 0:
        raise ValueError("a mean needs at least one value")
    m = float(np.mean(x))
    if len(x) < 2:
        return Estimate(m)
    se = float(np.std(x, ddof=1)) / math.sqrt(len(x))
    if se == 0:
        return Estimate(m, m, m)
    low, high = sps.t.interval(1 - alpha, len(x) - 1, loc=m, scale=se)
    return Estimate(m, float(low), float(high))


def median(values: np.ndarray) -> float:
    """Median of the non-missing values (the mean of the middle two for an even count)."""
    x = np.asarray(values, dtype="float64")
    return float(np.median(x[~np.isnan(x)]))
