"""Tests and effect sizes for paired and two-group comparisons, matching R's defaults where R has one.

- `signed_rank`: R `wilcox.test(x, y, paired = TRUE)` defaults: zeros dropped; exact when fewer
  than 50 non-zero differences and there are neither ties nor zeros (R's `exact && !TIES &&
  !ZEROES`), otherwise the normal approximation with tie-corrected variance and continuity
  correction. scipy.stats.wilcoxon does the arithmetic; only the choice of method is made here.
- `rank_sum`: R `wilcox.test(x, y)` defaults: exact when both samples have fewer than 50 values and
  there are no ties, otherwise the normal approximation with continuity correction.
- `fisher_2x2`: R `fisher.test` on a 2 x 2 table: two-sided p, conditional maximum-likelihood odds
  ratio and its exact interval (scipy).
- `cohens_dz`: mean difference / SD of the differences, interval by inverting the noncentral t
  distribution (Steiger and Fouladi; as MBESS `ci.sm` and MOTE `d.dep.t.diff`).
- `rank_biserial`: 2U / (n1 n2) - 1 with the Fisher-z interval used by R effectsize.
- `holm`: statsmodels `multipletests(method="holm")`, missing p-values left out.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import optimize
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests

from workforce_eval.stats.intervals import Estimate


@dataclass(frozen=True)
class TestResult:
    """A test statistic, its p-value (None when undefined), the sample size used and how it was computed."""

    statistic: float
    p_value: float | None
    n: int
    exact: bool
    method: str


def _clean(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Finite float values only."""
    x = np.asarray(values, dtype="float64")
    return x[np.isfinite(x)]


def signed_rank(differences: Sequence[float] | np.ndarray, alternative: str = "two-sided") -> TestResult:
    """Wilcoxon signed-rank test of paired differences with R `wilcox.test` defaults; statistic is R's V."""
    d = _clean(differences)
    zeros = bool((d == 0).any())
    nz = d[d != 0]
    n = len(nz)
    if n == 0:
        return TestResult(0.0, None, 0, False, "wilcoxon signed-rank: no non-zero differences")
    ranks = sps.rankdata(np.abs(nz))
    v = float(ranks[nz > 0].sum())
    ties = len(np.unique(np.abs(nz))) < n
    exact = n < 50 and not ties and not zeros
    res = sps.wilcoxon(
        nz,
        zero_method="wilcox",
        correction=not exact,
        alternative=alternative,
        method="exact" if exact else "asymptotic",
    )
    p = float(res.pvalue)
    method = "wilcoxon exact" if exact else "wilcoxon normal approximation, continuity correction"
    return TestResult(v, min(p, 1.0), n, exact, method)


def rank_sum(
    x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray, alternative: str = "two-sided"
) -> TestResult:
    """Wilcoxon rank-sum (Mann-Whitney) test with R `wilcox.test` defaults; statistic is R's W (U of x)."""
    a, b = _clean(x), _clean(y)
    if len(a) == 0 or len(b) == 0:
        raise ValueError("a rank-sum test needs values in both samples")
    both = np.concatenate([a, b])
    ties = len(np.unique(both)) < len(both)
    exact = len(a) < 50 and len(b) < 50 and not ties
    res = sps.mannwhitneyu(
        a, b, use_continuity=True, alternative=alternative, method="exact" if exact else "asymptotic"
    )
    method = "mann-whitney exact" if exact else "mann-whitney normal approximation, continuity correction"
    return TestResult(float(res.statistic), min(float(res.pvalue), 1.0), len(a) + len(b), exact, method)


def rank_biserial(u: float, n1: int, n2: int, confidence: float = 0.95) -> Estimate:
    """Rank-biserial correlation 2U/(n1 n2) - 1 (positive: first sample higher) with the Fisher-z interval."""
    r = 2.0 * u / (n1 * n2) - 1.0
    se = math.sqrt((n1 + n2 + 1) / (3.0 * n1 * n2))
    z = float(sps.norm.ppf(0.5 + confidence / 2))
    clipped = min(max(r, -1 + 1e-12), 1 - 1e-12)
    centre = math.atanh(clipped)
    return Estimate(r, math.tanh(centre - z * se), math.tanh(centre + z * se))


@dataclass(frozen=True)
class FisherResult:
    """Fisher's exact test on a 2 x 2 table with the conditional MLE odds ratio and its exact interval."""

    odds_ratio: float
    ci_low: float
    ci_high: float
    p_value: float


def fisher_2x2(table: Sequence[Sequence[int]] | np.ndarray) -> FisherResult:
    """R `fisher.test` for [[a, b], [c, d]]: two-sided p, conditional MLE odds ratio a*d/(b*c) and its 95 % CI."""
    t = np.asarray(table, dtype="int64")
    p = float(sps.fisher_exact(t, alternative="two-sided").pvalue)
    odds = sps.contingency.odds_ratio(t, kind="conditional")
    ci = odds.confidence_interval(confidence_level=0.95, alternative="two-sided")
    return FisherResult(float(odds.statistic), float(ci.low), float(ci.high), min(p, 1.0))


def cohens_dz(differences: Sequence[float] | np.ndarray, confidence: float = 0.95) -> Estimate | None:
    """Cohen's d_z = mean / SD of the differences, noncentral-t interval; None below 2 values or with SD 0."""
    d = _clean(differences)
    n = len(d)
    if n < 2:
        return None
    sd = float(np.std(d, ddof=1))
    if sd == 0:
        return None
    dz = float(np.mean(d)) / sd
    t_obs = dz * math.sqrt(n)
    df = n - 1
    tail = (1 - confidence) / 2

    def root(target: float) -> float:
        """The noncentrality at which P(T <= t_obs) equals target (the cdf falls as ncp grows).

        Bracketed in unit steps outwards from t_obs (where the cdf is near 0.5), so the solver never
        visits the far tails where scipy's noncentral t cdf is not finite.
        """
        f = lambda ncp: float(sps.nct.cdf(t_obs, df, ncp)) - target  # noqa: E731
        step = -1.0 if target > 0.5 else 1.0
        near, far = t_obs, t_obs + step
        while (f(far) < 0) == (step < 0):
            near, far = far, far + step
        low, high = sorted((near, far))
        return float(optimize.brentq(f, low, high, xtol=1e-12, rtol=1e-12, maxiter=500))

    scale = math.sqrt(n)
    try:
        return Estimate(dz, root(1 - tail) / scale, root(tail) / scale)
    except ValueError:  # the noncentral t cdf was not finite: report d_z without an interval
        return Estimate(dz)


def holm(p_values: Sequence[float | None]) -> list[float | None]:
    """Holm-adjusted p-values (statsmodels); None stays None and is not counted in the family."""
    present = [i for i, p in enumerate(p_values) if p is not None and math.isfinite(p)]
    out: list[float | None] = [None] * len(p_values)
    if not present:
        return out
    if len(present) == 1:  # a family of one is not adjusted
        out[present[0]] = float(p_values[present[0]])  # type: ignore[arg-type]
        return out
    # statsmodels' Holm branch calls gc.collect(); freezing the existing objects first keeps that
    # collection from scanning the whole process (results are unaffected).
    gc.freeze()
    try:
        adjusted = multipletests([float(p_values[i]) for i in present], method="holm")[1]  # type: ignore[arg-type]
    finally:
        gc.unfreeze()
    for i, p in zip(present, adjusted):
        out[i] = float(p)
    return out


def paired_t(differences: Sequence[float] | np.ndarray) -> TestResult:
    """Two-sided one-sample t test of paired differences against 0, as R `t.test(x, y, paired = TRUE)`.

    The p-value is None below two differences or when the differences do not vary: R stops with "data
    are essentially constant" when the standard error is below 10 eps |mean| (and gives NaN when
    both are 0); the statistic is then 0.
    """
    d = _clean(differences)
    n = len(d)
    se = float(np.std(d, ddof=1)) / math.sqrt(n) if n >= 2 else 0.0
    if n < 2 or se == 0 or se < 10 * np.finfo("float64").eps * abs(float(np.mean(d))):
        return TestResult(0.0, None, n, True, "paired t")
    res = sps.ttest_1samp(d, 0.0)
    return TestResult(float(res.statistic), min(float(res.pvalue), 1.0), n, True, "paired t")


@dataclass(frozen=True)
class ShiftResult:
    """Hodges-Lehmann estimate of the shift (pseudo-median of the differences) with its interval and test."""

    estimate: float
    ci_low: float
    ci_high: float
    confidence: float
    test: TestResult


def _signrank_counts(n: int) -> np.ndarray:
    """Number of subsets of 1..n with each rank sum 0..n(n+1)/2 (the null distribution of V times 2^n)."""
    counts = np.zeros(n * (n + 1) // 2 + 1, dtype="float64")
    counts[0] = 1.0
    for k in range(1, n + 1):
        counts[k:] = counts[k:] + counts[:-k].copy()
    return counts


def qsignrank(p: float, n: int) -> int:
    """R `qsignrank(p, n)` for p <= 0.5: the smallest q with P(V <= q) >= p (R's 10 eps fuzz)."""
    if not 0 <= p <= 0.5:
        raise ValueError("qsignrank is used for lower tail probabilities up to 0.5 only")
    cdf = np.cumsum(_signrank_counts(n)) / 2.0**n
    target = p - 10 * np.finfo("float64").eps
    return int(np.argmax(cdf >= target))


def _w_statistic(x: np.ndarray, d: float, correct: bool) -> float:
    """R's `W(d)` inside `wilcox.test`: the standardised signed-rank statistic of x - d (zeros dropped)."""
    xd = x - d
    xd = xd[xd != 0]
    nx = len(xd)
    if nx == 0:
        return 0.0
    ranks = sps.rankdata(np.abs(xd))
    zd = float(ranks[xd > 0].sum()) - nx * (nx + 1) / 4
    _, ties = np.unique(ranks, return_counts=True)
    sigma = math.sqrt(nx * (nx + 1) * (2 * nx + 1) / 24 - float((ties**3 - ties).sum()) / 48)
    if sigma == 0:
        return math.inf if zd > 0 else -math.inf if zd < 0 else 0.0
    correction = math.copysign(0.5, zd) if correct and zd != 0 else 0.0
    return (zd - correction) / sigma


def _uniroot(f: Any, lower: float, upper: float) -> float:
    """R `uniroot(f, c(lower, upper), tol = 1e-4)`: Brent's zeroin with R's absolute tolerance."""
    if f(lower) == 0:
        return lower
    if f(upper) == 0:
        return upper
    return float(optimize.brentq(f, lower, upper, xtol=1e-4, rtol=4 * np.finfo("float64").eps, maxiter=1000))


def hodges_lehmann(differences: Sequence[float] | np.ndarray, confidence: float = 0.95) -> ShiftResult | None:
    """R `wilcox.test(x, y, paired = TRUE, conf.int = TRUE)`: (pseudo)median, its interval and the test.

    Follows R's `wilcox.test.default` (src/library/stats/R/wilcox.test.R): zero differences are dropped
    first. Exact case (fewer than 50 non-zero differences, no ties, no zeros): the estimate is the median
    of the Walsh averages and the interval their order statistics `qsignrank(alpha/2, n)` and
    `n(n+1)/2 - qu + 1`. Otherwise the estimate is the root of the uncorrected standardised statistic
    and the limits are the roots of the continuity-corrected one at the normal quantiles (R's
    `uniroot` with tolerance 1e-4, so limits agree with R to about 1e-4); where the data cannot reach
    the requested confidence (exact: fewer than 6 changes; normal: too few distinct ones) R warns and
    gives the level achieved, which `confidence` records. None when
    there are no non-zero differences (R cannot compute an interval).
    """
    d = _clean(differences)
    test = signed_rank(d)
    x = d[d != 0]
    n = len(x)
    if n == 0:
        return None
    alpha = 1 - confidence
    if test.exact:
        walsh = np.add.outer(x, x)[np.triu_indices(n)]
        walsh = np.sort(walsh) / 2
        qu = qsignrank(alpha / 2, n)
        if qu == 0:
            qu = 1
        ql = n * (n + 1) // 2 - qu
        achieved = 2 * float(np.cumsum(_signrank_counts(n))[qu - 1]) / 2.0**n
        if achieved - alpha > alpha / 2:  # R warns "requested conf.level not achievable"
            confidence = 1 - float(f"{achieved:.2g}")
        return ShiftResult(float(np.median(walsh)), float(walsh[qu - 1]), float(walsh[ql]), confidence, test)
    lo, hi = float(x.min()), float(x.max())
    w_lo, w_hi = _w_statistic(x, lo, True), _w_statistic(x, hi, True)
    while alpha < 1:
        z = float(sps.norm.ppf(1 - alpha / 2))
        if w_lo - z < 0 or w_hi + z > 0:
            alpha *= 2
        else:
            break
    if alpha < 1:
        z = float(sps.norm.ppf(1 - alpha / 2))
        low = _uniroot(lambda m: _w_statistic(x, m, True) - z, lo, hi)
        high = _uniroot(lambda m: _w_statistic(x, m, True) + z, lo, hi)
    else:
        low = high = float(np.median(x))
    estimate = _uniroot(lambda m: _w_statistic(x, m, False), lo, hi)
    return ShiftResult(estimate, low, high, 1 - min(alpha, 1.0), test)
