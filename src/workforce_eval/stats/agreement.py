"""Inter-coder agreement: percent agreement, Cohen's and Fleiss' kappa, Krippendorff's alpha.

Numbers only. Reliability data are a coders x units array (`numpy.nan` where a coder did not
code a unit), as in Krippendorff (2011), "Computing Krippendorff's alpha-reliability".
Cohen's and Fleiss' kappa come from statsmodels (`statsmodels.stats.inter_rater`), Krippendorff's
alpha from the `krippendorff` package; the bootstrap interval of alpha resamples units with a
fixed seed, so the same data always give the same interval.

Cohen's kappa's interval is the asymptotic (Wald) one, kappa +/- 1.96 SE with statsmodels' standard
error (Fleiss, Cohen and Everitt 1969), truncated to kappa's range [-1, 1] (`KAPPA_INTERVAL`): the
Wald interval itself can pass 1 in small samples ("0.77 (0.52 to 1.02)"), which no kappa can reach.
Where the standard error is 0 (perfect agreement, or a coder who made the same call on every unit, when
kappa is 0 by construction) there is no interval: a Wald interval of width 0 would claim certainty.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Literal

import krippendorff
import numpy as np
from statsmodels.stats import inter_rater

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")

#: Seed and number of resamples of the bootstrap interval of alpha (fixed: outputs are deterministic).
BOOTSTRAP_SEED = 20110101
BOOTSTRAP_RESAMPLES = 1000


#: How Cohen's kappa's 95 % interval is made (the `method` of its register row says it).
KAPPA_INTERVAL = "Wald 95 % interval truncated to [-1, 1]"


@dataclass(frozen=True)
class Kappa:
    """Cohen's kappa with its asymptotic standard error and 95 % interval."""

    kappa: float
    std_error: float
    ci_low: float
    ci_high: float
    n: int


def _as_array(data: object) -> np.ndarray:
    arr = np.asarray(data, dtype="float64")
    if arr.ndim != 2:
        raise ValueError("reliability data must be a coders x units array")
    return arr


def pairable(data: object) -> np.ndarray:
    """The units (columns) coded by at least two coders: only these can show agreement."""
    arr = _as_array(data)
    return arr[:, (~np.isnan(arr)).sum(axis=0) >= 2]


def percent_agreement(data: object) -> float:
    """Percent of agreeing coder pairs, averaged over units coded by two or more coders (0..100).

    For two coders this is the percent of units both coded the same way.
    """
    arr = pairable(data)
    if arr.shape[1] == 0:
        return math.nan
    # per unit: ordered pairs of coders who gave the same value (a NaN equals nothing), over all ordered pairs;
    # sum over the categories of c(c-1) counted pair by pair of coders, for every unit at once
    coded = (~np.isnan(arr)).sum(axis=0)
    same = np.zeros(arr.shape[1])
    for i in range(arr.shape[0]):
        for j in range(i + 1, arr.shape[0]):
            same += 2 * (arr[i] == arr[j])
    return 100.0 * float(np.mean(same / (coded * (coded - 1))))


def cohen_kappa(coder1: object, coder2: object, weighted: bool = False) -> Kappa:
    """Cohen's kappa of two coders' codings of the same units (units either left uncoded are dropped).

    `weighted`: linear weights 0, 1, 2, ... over the sorted categories.
    Standard error and interval are statsmodels' asymptotic ones (`std_kappa`, Wald interval).
    """
    a = np.asarray(coder1, dtype="float64")
    b = np.asarray(coder2, dtype="float64")
    keep = ~(np.isnan(a) | np.isnan(b))
    a, b = a[keep], b[keep]
    categories = np.unique(np.concatenate([a, b]))
    index = {v: i for i, v in enumerate(categories)}
    table = np.zeros((len(categories), len(categories)))
    for x, y in zip(a, b, strict=True):
        table[index[x], index[y]] += 1
    return kappa_from_table(table, weighted=weighted)


def kappa_from_table(table: object, weighted: bool = False) -> Kappa:
    """Cohen's kappa of a square contingency table (rows: coder 1, columns: coder 2), 95 % Wald interval
    truncated to [-1, 1]; no interval (nan) where the standard error is 0 or undefined.

    `weighted`: linear weights (statsmodels' `weights=[0, 1, ..., k-1]`).
    """
    tab = np.asarray(table, dtype="float64")
    n = int(np.rint(tab.sum()))
    if n == 0:
        return Kappa(math.nan, math.nan, math.nan, math.nan, 0)
    if tab.shape == (1, 1):
        # One category only: the chance agreement is 1 and kappa is undefined.
        return Kappa(math.nan, math.nan, math.nan, math.nan, n)
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        # statsmodels warns where a variance is 0 or negative (perfect or degenerate tables): SE is nan then.
        warnings.simplefilter("ignore", RuntimeWarning)
        res = inter_rater.cohens_kappa(tab, weights=np.arange(len(tab)) if weighted else None)
        kappa = float(res["kappa"])
        se = float(res["std_kappa"])
        low, high = float(res["kappa_low"]), float(res["kappa_upp"])
    if math.isnan(se) or se == 0.0:
        low = high = math.nan  # perfect agreement or a coder who never varies: no interval of width 0
    else:
        low, high = max(low, -1.0), min(high, 1.0)
    return Kappa(kappa, se, low, high, n)


def constant_coders(data: object) -> int:
    """How many coders made the same call on every pairable unit they coded (coders without one left out).

    One of two such coders makes Cohen's kappa 0 by construction (observed and chance agreement are then
    equal); all of them agreeing besides means the data never vary and no chance-corrected statistic is defined.
    """
    arr = pairable(data)
    out = 0
    for row in arr:
        values = row[~np.isnan(row)]
        out += int(len(values) > 0 and bool(np.all(values == values[0])))
    return out


def fleiss_kappa(data: object) -> float:
    """Fleiss' kappa (statsmodels) over the units every coder coded (it needs the same number per unit)."""
    arr = _as_array(data)
    complete = arr[:, ~np.isnan(arr).any(axis=0)]
    if complete.shape[1] == 0:
        return math.nan
    counts, _cats = inter_rater.aggregate_raters(complete.T)
    return fleiss_kappa_from_counts(counts)


def fleiss_kappa_from_counts(counts: object) -> float:
    """Fleiss' kappa of a units x categories table of counts (each row the same number of raters)."""
    tab = np.asarray(counts, dtype="float64")
    if tab.shape[1] < 2 or np.isclose(tab.sum(axis=0), 0).sum() >= tab.shape[1] - 1:
        return math.nan  # one category used: chance agreement is 1
    return float(inter_rater.fleiss_kappa(tab, method="fleiss"))


def _values_used(arr: np.ndarray) -> int:
    return len(np.unique(arr[~np.isnan(arr)]))


def krippendorff_alpha(data: object, level: Level = "nominal") -> float:
    """Krippendorff's alpha (the `krippendorff` package) of coders x units data, missing codings as nan."""
    if level not in LEVELS:
        raise ValueError(f"level of measurement must be one of {LEVELS}, not {level!r}")
    arr = pairable(data)
    if arr.shape[1] == 0 or _values_used(arr) < 2:
        return math.nan  # no pairable values, or a single value: alpha is undefined
    return float(krippendorff.alpha(reliability_data=arr, level_of_measurement=level))


def alpha_bootstrap(
    data: object,
    level: Level = "nominal",
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    alpha: float = 0.05,
) -> tuple[float, float]:
    """Percentile bootstrap interval of Krippendorff's alpha, resampling units with a fixed seed.

    Resamples where alpha is undefined (a single value drawn) are left out; (nan, nan) when
    fewer than half of them are usable.
    """
    arr = pairable(data)
    if arr.shape[1] < 2:
        return math.nan, math.nan
    rng = np.random.default_rng(seed)
    n_units = arr.shape[1]
    values: list[float] = []
    for _ in range(resamples):
        sample = arr[:, rng.integers(0, n_units, n_units)]
        if _values_used(sample) < 2:
            continue
        values.append(float(krippendorff.alpha(reliability_data=sample, level_of_measurement=level)))
    usable = np.asarray([v for v in values if not math.isnan(v)])
    if len(usable) < resamples / 2:
        return math.nan, math.nan
    low, high = np.quantile(usable, [alpha / 2, 1 - alpha / 2])
    return float(low), float(high)
