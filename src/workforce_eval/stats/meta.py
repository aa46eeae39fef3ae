"""Random-effects meta-analysis of one effect across cohorts (statsmodels `combine_effects`).

- Between-cohort variance tau² by Paule and Mandel's estimator (metafor's `method = "PM"`): the root of the
  generalised Q equation, found by scipy's `brentq` (0 when Q at tau² = 0 is at most k - 1) and handed to
  statsmodels as the starting value of its own Paule-Mandel iteration (`method_re="pm"`), whose Newton steps
  alone can overshoot below zero and stop at tau² = 0 on some data; the pooled effect is the inverse-variance
  weighted mean with weights 1 / (v_i + tau²), its 95 % interval and two-sided p from the normal distribution
  (metafor's default `test = "z"`).
- Cochran's Q with k - 1 degrees of freedom and its chi-square p (the test of heterogeneity), and
  I² = max(0, (Q - (k - 1)) / Q) in percent (Higgins and Thompson 2002; statsmodels `i2`).
- The 95 % prediction interval for the effect in a new cohort: pooled ± t(k - 2) · sqrt(tau² + se²) (Higgins,
  Thompson and Spiegelhalter 2009), only with k >= 3 cohorts.

Cohorts whose effect has no variance (every change equal) or fewer than two observations cannot be weighted and
are left out by the caller; k >= 2 cohorts are needed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class RandomEffects:
    """The pooled effect and its heterogeneity statistics."""

    k: int
    estimate: float
    std_error: float
    ci_low: float
    ci_high: float
    p_value: float
    tau2: float
    i2: float  # percent
    q: float
    q_df: int
    q_p_value: float
    pi_low: float | None
    pi_high: float | None


def paule_mandel(eff: np.ndarray, var: np.ndarray) -> float:
    """Paule and Mandel's tau²: the root in tau² of sum w_i (y_i - mu_w)² = k - 1, w_i = 1 / (v_i + tau²)."""
    from scipy.optimize import brentq

    k = len(eff)

    def equation(tau2: float) -> float:
        w = 1 / (var + tau2)
        mu = float(w @ eff / w.sum())
        return float(w @ (eff - mu) ** 2) - (k - 1)

    if equation(0.0) <= 0:
        return 0.0
    high = float(np.var(eff, ddof=1)) + float(var.max())
    while equation(high) > 0:
        high *= 2
    return float(brentq(equation, 0.0, high, xtol=1e-14, rtol=1e-14, maxiter=500))


def random_effects(effects: Sequence[float], variances: Sequence[float]) -> RandomEffects:
    """Paule-Mandel random-effects meta-analysis; ValueError with fewer than two effects or a variance <= 0."""
    eff = np.asarray(effects, dtype=float)
    var = np.asarray(variances, dtype=float)
    if len(eff) < 2 or len(eff) != len(var) or not np.all(var > 0) or not np.all(np.isfinite(eff)):
        raise ValueError("a random-effects meta-analysis needs two or more effects with positive variances")
    from statsmodels.stats.meta_analysis import combine_effects

    root = paule_mandel(eff, var)
    # started just below the root, where the estimating equation is (barely) positive: statsmodels stops at once
    # (at or above the root it would read a rounding-level negative value as "tau2 = 0")
    res = combine_effects(eff, var, method_re="pm", use_t=False, tau2_start=root * (1 - 1e-9), atol=1e-6)
    if not math.isclose(float(res.tau2), root, rel_tol=1e-6, abs_tol=1e-12):
        raise ArithmeticError(f"Paule-Mandel tau2 did not converge: {float(res.tau2)} against the root {root}")
    mu, se = float(res.mean_effect_re), float(res.sd_eff_w_re)
    z = stats.norm.ppf(0.975)
    homogeneity = res.test_homogeneity()
    tau2 = float(res.tau2)
    k = len(eff)
    pi_low = pi_high = None
    if k >= 3:
        half = float(stats.t.ppf(0.975, k - 2)) * math.sqrt(tau2 + se**2)
        pi_low, pi_high = mu - half, mu + half
    q, df = float(homogeneity.statistic), int(homogeneity.df)
    return RandomEffects(
        k=k,
        estimate=mu,
        std_error=se,
        ci_low=mu - z * se,
        ci_high=mu + z * se,
        p_value=float(2 * stats.norm.sf(abs(mu / se))),
        tau2=tau2,
        i2=100 * max(0.0, (q - df) / q) if q > 0 else 0.0,
        q=q,
        q_df=df,
        q_p_value=float(homogeneity.pvalue),
        pi_low=pi_low,
        pi_high=pi_high,
    )
