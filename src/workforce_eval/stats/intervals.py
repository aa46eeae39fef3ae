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


def percent_wilson_many(counts: np.ndarray, totals: np.ndarray, alpha: float = 0.05) -> list[Estimate]:
    """`percent_wilson` for many (count, total) pairs at once (one vectorised statsmodels call)."""
    counts = np.asarray(counts, dtype="int64")
    totals = np.asarray(totals, dtype="int64")
    if len(counts) == 0:
        return []
    if (totals <= 0).any():
        raise ValueError("a share needs a positive denominator")
    low, high = proportion_confint(counts, totals, alpha=alpha, method="wilson")
    out = []
    lows, highs = np.atleast_1d(low).tolist(), np.atleast_1d(high).tolist()
    for c, t, lo, hi in zip(counts.tolist(), totals.tolist(), lows, highs):
        estimate = 100.0 * c / t  # the same arithmetic and boundary rule as percent_wilson
        out.append(
            Estimate(
                estimate, 0.0 if c == 0 else min(100.0 * lo, estimate), 100.0 if c == t else max(100.0 * hi, estimate)
            )
        )
    return out


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


def group_sums(values: np.ndarray, groups: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group (codes 0..n_groups-1) the count, mean and sum of squared deviations of the non-missing values."""
    ok = ~np.isnan(values)
    x = np.where(ok, values, 0.0)
    n = np.bincount(groups, weights=ok, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(groups, weights=x, minlength=n_groups) / n
        dev = np.where(ok, values - mean[groups], 0.0)
    ss = np.bincount(groups, weights=dev * dev, minlength=n_groups)
    return n, mean, ss


def mean_t_groups(values: np.ndarray, groups: np.ndarray, n_groups: int, alpha: float = 0.05) -> list[Estimate | None]:
    """`mean_t` within each group at once (None for a group without values); two-pass sums, one t quantile call."""
    n, mean, ss = group_sums(np.asarray(values, dtype="float64"), np.asarray(groups), n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(ss / (n - 1)) / np.sqrt(n)
        q = sps.t.ppf(1 - alpha / 2, np.maximum(n - 1, 1))
    out: list[Estimate | None] = []
    for count, m, s, t in zip(n.tolist(), mean.tolist(), se.tolist(), q.tolist()):
        if count == 0:
            out.append(None)
        elif count < 2:
            out.append(Estimate(m))
        elif s == 0:
            out.append(Estimate(m, m, m))
        else:
            out.append(Estimate(m, m - t * s, m + t * s))
    return out


def median_from_counts(counts: np.ndarray) -> float:
    """Median of integer codes from their counts (index = code): the same number `median` gives for the values."""
    total = int(counts.sum())
    cum = np.cumsum(counts)
    lo = int(np.searchsorted(cum, (total - 1) // 2 + 1))
    hi = int(np.searchsorted(cum, total // 2 + 1))
    return (lo + hi) / 2.0


def median(values: np.ndarray) -> float:
    """Median of the non-missing values (the mean of the middle two for an even count)."""
    x = np.asarray(values, dtype="float64")
    return float(np.median(x[~np.isnan(x)]))
