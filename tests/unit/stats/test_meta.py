"""Random-effects meta-analysis against metafor's values as statsmodels publishes them.

Reference: the Kacker (2004) interlaboratory example of statsmodels' "Meta-Analysis in statsmodels" notebook
(https://www.statsmodels.org/stable/examples/notebooks/generated/metaanalysis1.html), whose Paule-Mandel results
statsmodels checks against R metafor `rma(yi, vi, method = "PM")` (statsmodels/stats/tests/results/results_meta.py,
`exk1_metafor`): b = 62.4076199113286, se = 0.338030602684471, ci 61.7450921043947 to 63.0701477182625,
tau2 = 0.705395309224248, QE = 24.801897741835, QEp = 0.00167935146372742.
I² here is Higgins and Thompson's (Q - df) / Q (metafor's PM I² uses tau² instead); prediction interval by hand.
"""

from __future__ import annotations

import math

import pytest
from scipy import stats

from workforce_eval.stats.meta import random_effects

EFFECTS = [61.00, 61.40, 62.21, 62.30, 62.34, 62.60, 62.70, 62.84, 65.90]
VARIANCES = [0.2025, 1.2100, 0.0900, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225]


def test_paule_mandel_matches_metafor() -> None:
    r = random_effects(EFFECTS, VARIANCES)
    assert r.k == 9
    assert r.estimate == pytest.approx(62.4076199113286, abs=1e-8)
    assert r.std_error == pytest.approx(0.338030602684471, abs=1e-8)
    assert (r.ci_low, r.ci_high) == pytest.approx((61.7450921043947, 63.0701477182625), abs=1e-8)
    assert r.tau2 == pytest.approx(0.705395309224248, abs=1e-8)
    assert r.q == pytest.approx(24.801897741835, abs=1e-8) and r.q_df == 8
    assert r.q_p_value == pytest.approx(0.00167935146372742, abs=1e-10)


def test_i2_and_prediction_interval_by_hand() -> None:
    r = random_effects(EFFECTS, VARIANCES)
    assert r.i2 == pytest.approx(100 * (24.801897741835 - 8) / 24.801897741835, rel=1e-9)
    half = stats.t.ppf(0.975, 7) * math.sqrt(0.705395309224248 + 0.338030602684471**2)
    assert (r.pi_low, r.pi_high) == pytest.approx((62.4076199113286 - half, 62.4076199113286 + half), abs=1e-7)


def test_two_cohorts_have_no_prediction_interval_and_one_is_refused() -> None:
    r = random_effects([0.2, 0.6], [0.01, 0.02])
    assert r.pi_low is None and r.pi_high is None and r.q_df == 1
    with pytest.raises(ValueError):
        random_effects([0.2], [0.01])
    with pytest.raises(ValueError):
        random_effects([0.2, 0.3], [0.01, 0.0])


def test_paule_mandel_root_where_statsmodels_iteration_alone_overshoots() -> None:
    # Q(0) = 4.71 > k - 1 = 2, so tau2 > 0; the root solves the generalised Q equation exactly
    import numpy as np

    eff, var = np.array([0.8, 0.5, 0.9]), np.array([0.001, 0.02, 0.03])
    r = random_effects(eff, var)
    w = 1 / (var + r.tau2)
    mu = w @ eff / w.sum()
    assert r.tau2 > 0 and float(w @ (eff - mu) ** 2) == pytest.approx(2.0, abs=1e-7)
    assert r.estimate == pytest.approx(mu)
