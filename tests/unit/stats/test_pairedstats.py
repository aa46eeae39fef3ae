"""Paired and two-group statistics against published R output on public example data.

Sources of the reference values (R prints 4 to 7 significant digits; tolerances follow that):

- Hamilton depression scores, Hollander & Wolfe (1973) p. 29, the example of R's `?wilcox.test`:
  `wilcox.test(x, y, paired = TRUE, alternative = "greater")` -> V = 40, p-value = 0.01953
  (R help page output, reproduced e.g. in the Korean R tutorial "비모수 검정: Wilcoxon rank sum test", 2019).
- Student's sleep data (R `datasets::sleep`, Cushny & Peebles 1905):
  `t.test(extra[1:10], extra[11:20], paired = TRUE)` -> t = -4.0621, df = 9, p = 0.002833,
  95 % CI -2.4598858 -0.7001142, mean difference -1.58;
  `wilcox.test(extra[1:10], extra[11:20], paired = TRUE)` -> V = 0, p-value = 0.009091 (with
  continuity correction; warnings: cannot compute exact p-value with ties / zeroes);
  `wilcox.test(extra ~ group, data = sleep)` -> W = 25.5, p-value = 0.06933;
  effectsize `cohens_d(Pair(extra[group == 1], extra[group == 2]) ~ 1, data = sleep)` ->
  -1.28, 95 % CI [-2.12, -0.41] (effectsize reference page `cohens_d`);
  effectsize `rank_biserial(extra[group == 1], extra[group == 2])` -> -0.49, 95 % CI [-0.78, -0.02].
- Hodges-Lehmann shift, `wilcox.test(..., paired = TRUE, conf.int = TRUE)`:
  depression data (exact case: 9 non-zero differences, no ties): by hand from R's algorithm
  (src/library/stats/R/wilcox.test.R): the 45 Walsh averages sorted, qsignrank(0.025, 9) = 6 (the
  null counts of V <= 5 and V <= 6 are 10 and 14 of 512, i.e. 0.0195 and 0.0273), so the interval is
  the 6th and 40th average, 0.010 and 0.786, and the estimate their median 0.46 (R prints
  "(pseudo)median 0.46"). Sleep data (normal approximation: ties and a zero): R prints
  95 percent confidence interval -2.949921 -1.050018, (pseudo)median -1.400031; the limits are
  uniroot's (tolerance 1e-4) approximations of the Walsh averages -2.95 and -1.05 where the
  continuity-corrected statistic crosses -/+1.96.
- `t.test(x, y, paired = TRUE)` on the depression data -> t = 3.0354, df = 8, p-value = 0.01618.
- R `?wilcox.test` two-sample example (Hollander & Wolfe p. 69): `wilcox.test(x, y, alternative = "g")`
  -> W = 35, p-value = 0.1272.
- R `?fisher.test` TeaTasting (Agresti 1990 p. 61), `fisher.test(matrix(c(3, 1, 1, 3), 2))` ->
  p-value = 0.4857, odds ratio 6.408309, 95 % CI 0.2117329 621.9337505. R finds the odds ratio and
  its limits with `uniroot` at its default tolerance; Agresti's exact upper limit is 626.24, so the
  upper limit is compared loosely.
- Cronbach's alpha: Feldt interval with Chris Evans's R function `feldt1.return(0.913, 873, 20)` ->
  0.9044024, 0.9211588 (MRC CBU statistics wiki, "R code for computing confidence intervals for
  Cronbach's alpha"); psych `example(alpha)`: `alpha(sim.congeneric())` -> raw_alpha 0.74 (psych help
  page output, e.g. in the codebook package's reference page `knit_print.alpha`); the population
  correlation matrix of `sim.congeneric()` (loadings .8 .7 .6 .5) is reproduced exactly below.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from workforce_eval.stats.intervals import mean_t
from workforce_eval.stats.paired import (
    cohens_dz,
    fisher_2x2,
    hodges_lehmann,
    holm,
    paired_t,
    qsignrank,
    rank_biserial,
    rank_sum,
    signed_rank,
)
from workforce_eval.stats.scales import cronbach_alpha, feldt_interval

DEPRESSION_X = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
DEPRESSION_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def differences(x: list[float], y: list[float]) -> np.ndarray:
    """x - y as R computes it (element-wise doubles), ties and zeros included."""
    return np.asarray(x, dtype="float64") - np.asarray(y, dtype="float64")


def test_signed_rank_exact_matches_r_depression_example() -> None:
    d = differences(DEPRESSION_X, DEPRESSION_Y)
    greater = signed_rank(d, alternative="greater")
    assert greater.statistic == 40 and greater.exact and greater.n == 9
    assert greater.p_value == pytest.approx(0.01953, abs=5e-6)
    two_sided = signed_rank(d)
    # R: min(2 * psignrank(39, 9, lower.tail = FALSE), 1) = 2 * 10 / 512
    assert two_sided.p_value == pytest.approx(0.0390625, rel=1e-12)
    assert two_sided.method == "wilcoxon exact"


def test_signed_rank_with_ties_and_zero_matches_r_sleep_example() -> None:
    d = differences(SLEEP_1, SLEEP_2)
    res = signed_rank(d)
    assert res.statistic == 0 and not res.exact
    assert res.n == 9  # the zero difference of subject 5 is dropped
    assert res.p_value == pytest.approx(0.009091, abs=5e-7)
    assert "continuity correction" in res.method


def test_signed_rank_zero_without_ties_uses_the_normal_approximation_as_r_does() -> None:
    # R's rule is `exact && !TIES && !ZEROES`: one zero is enough for the normal approximation.
    d = np.append(differences(DEPRESSION_X, DEPRESSION_Y), 0.0)
    res = signed_rank(d)
    assert not res.exact and res.n == 9 and res.statistic == 40
    # by hand: z = (40 - 9*10/4 - 0.5) / sqrt(9*10*19/24) = 17 / sqrt(71.25)
    z = 17 / math.sqrt(71.25)
    assert res.p_value == pytest.approx(math.erfc(z / math.sqrt(2)), rel=1e-12)


def test_signed_rank_exact_only_below_fifty_differences() -> None:
    below = signed_rank(np.arange(1, 50, dtype=float))
    at = signed_rank(np.arange(1, 51, dtype=float))
    assert below.exact and not at.exact
    all_zero = signed_rank([0.0, 0.0])
    assert all_zero.p_value is None and all_zero.n == 0


def test_paired_t_interval_matches_r_sleep_example() -> None:
    est = mean_t(differences(SLEEP_1, SLEEP_2))
    assert est.estimate == pytest.approx(-1.58, abs=1e-12)
    assert est.ci_low == pytest.approx(-2.4598858, abs=5e-8)
    assert est.ci_high == pytest.approx(-0.7001142, abs=5e-8)


def test_cohens_dz_matches_r_effectsize_sleep_example() -> None:
    dz = cohens_dz(differences(SLEEP_1, SLEEP_2))
    assert dz is not None
    assert round(dz.estimate, 2) == -1.28
    assert round(dz.ci_low, 2) == -2.12 and round(dz.ci_high, 2) == -0.41
    assert cohens_dz([1.0]) is None and cohens_dz([2.0, 2.0, 2.0]) is None


def test_rank_sum_matches_r_examples() -> None:
    x = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
    y = [1.15, 0.88, 0.90, 0.74, 1.21]
    greater = rank_sum(x, y, alternative="greater")
    assert greater.statistic == 35 and greater.exact
    assert greater.p_value == pytest.approx(0.1272, abs=5e-5)
    sleep = rank_sum(SLEEP_1, SLEEP_2)
    assert sleep.statistic == 25.5 and not sleep.exact  # ties -> normal approximation
    assert sleep.p_value == pytest.approx(0.06933, abs=5e-6)


def test_rank_biserial_matches_r_effectsize_sleep_example() -> None:
    res = rank_sum(SLEEP_1, SLEEP_2)
    r = rank_biserial(res.statistic, 10, 10)
    assert r.estimate == pytest.approx(-0.49, abs=1e-12)
    assert round(r.ci_low, 2) == -0.78 and round(r.ci_high, 2) == -0.02


def test_fisher_matches_r_tea_tasting_example() -> None:
    res = fisher_2x2([[3, 1], [1, 3]])
    assert res.p_value == pytest.approx(0.4857, abs=5e-5)
    assert res.odds_ratio == pytest.approx(6.408309, rel=5e-6)
    assert res.ci_low == pytest.approx(0.2117329, rel=5e-5)
    assert res.ci_high == pytest.approx(621.9337505, rel=1e-2)


def test_holm_by_hand() -> None:
    # sorted 0.01, 0.03, 0.04 -> 3 x 0.01, 2 x 0.03, max(0.06, 1 x 0.04); a missing p is not in the family
    assert holm([0.01, None, 0.04, 0.03]) == pytest.approx([0.03, None, 0.06, 0.06])
    assert holm([None]) == [None]


def test_feldt_interval_matches_published_r_function() -> None:
    low, high = feldt_interval(0.913, 873, 20)
    assert low == pytest.approx(0.9044024, abs=5e-8)
    assert high == pytest.approx(0.9211588, abs=5e-8)


def data_with_correlation(r: np.ndarray, n: int = 40) -> pd.DataFrame:
    """Data whose sample correlation (and covariance) matrix is exactly `r`."""
    rng = np.random.default_rng(1)
    a = rng.normal(size=(n, len(r)))
    a -= a.mean(axis=0)
    q, _ = np.linalg.qr(a)
    return pd.DataFrame(q * math.sqrt(n - 1) @ np.linalg.cholesky(r).T)


def test_cronbach_alpha_matches_psych_congeneric_example() -> None:
    loadings = np.array([0.8, 0.7, 0.6, 0.5])
    r = np.outer(loadings, loadings)
    np.fill_diagonal(r, 1.0)
    alpha, used = cronbach_alpha(data_with_correlation(r))
    assert used == 40
    assert round(alpha.estimate, 2) == 0.74
    # alpha of a correlation matrix: k/(k-1) (1 - k / sum(r)); sum(r) = 4 + 2 * 2.51 = 9.02
    assert alpha.estimate == pytest.approx(4 / 3 * (1 - 4 / 9.02), rel=1e-10)
    assert (alpha.ci_low, alpha.ci_high) == pytest.approx(feldt_interval(alpha.estimate, 40, 4))


def test_paired_t_p_matches_r_examples() -> None:
    sleep = paired_t(differences(SLEEP_1, SLEEP_2))
    assert sleep.statistic == pytest.approx(-4.0621, abs=5e-5)
    assert sleep.p_value == pytest.approx(0.002833, abs=5e-7)
    depression = paired_t(differences(DEPRESSION_X, DEPRESSION_Y))
    assert depression.statistic == pytest.approx(3.0354, abs=5e-5)
    assert depression.p_value == pytest.approx(0.01618, abs=5e-6)
    # R: t.test on constant differences stops ("data are essentially constant"): no p
    assert paired_t([1.0, 1.0, 1.0]).p_value is None and paired_t([2.0]).p_value is None


def test_qsignrank_matches_published_critical_values() -> None:
    # Two-sided 5 % critical values of the signed-rank statistic (e.g. Hollander & Wolfe Table A.4):
    # n = 9: 5, n = 10: 8, n = 20: 52; R's qsignrank(0.025, n) is one more.
    assert [qsignrank(0.025, n) for n in (9, 10, 20)] == [6, 9, 53]


def test_hodges_lehmann_exact_case_matches_r_depression_example() -> None:
    res = hodges_lehmann(differences(DEPRESSION_X, DEPRESSION_Y))
    assert res is not None and res.test.exact
    assert res.estimate == pytest.approx(0.46, abs=1e-12)
    assert (res.ci_low, res.ci_high) == pytest.approx((0.010, 0.786), abs=1e-12)
    assert res.test.p_value == pytest.approx(0.0390625, rel=1e-12)


def test_hodges_lehmann_normal_case_matches_r_sleep_example() -> None:
    res = hodges_lehmann(differences(SLEEP_1, SLEEP_2))
    assert res is not None and not res.test.exact and res.confidence == 0.95
    assert res.estimate == pytest.approx(-1.400031, abs=5e-6)
    assert res.ci_low == pytest.approx(-2.949921, abs=5e-6)
    assert res.ci_high == pytest.approx(-1.050018, abs=5e-6)


def test_hodges_lehmann_integer_changes_by_hand() -> None:
    # Changes on a 5-point scale, two zeros (dropped, as R does), eleven non-zero changes: six 1s,
    # three 2s, one 3, one -1. Lower limit by hand: at d = 0.99 all eleven stay non-zero, positive
    # rank sum 56, z = 56 - 33 = 23, sigma^2 = 126.5 - 234/48, (23 - 0.5) / 11.03 = 2.04 > 1.96; at
    # d = 1 five remain ([1, -2, 1, 2, 1]), z = 10.5 - 7.5 = 3, (3 - 0.5) / 3.62 = 0.69 < 1.96: the
    # crossing is at 1. The estimate: at d = 1.49 the uncorrected z is +1, at d = 1.5 it is -8: 1.5.
    res = hodges_lehmann([1, 1, 2, 0, -1, 1, 2, 3, 1, 0, 1, 2, 1])
    assert res is not None and res.confidence == 0.95
    assert res.ci_low == pytest.approx(1.0, abs=1e-4)
    assert res.ci_high == pytest.approx(2.0, abs=1e-4)
    assert res.estimate == pytest.approx(1.5, abs=1e-4)


def test_hodges_lehmann_cannot_reach_95_percent_with_identical_changes() -> None:
    # R doubles alpha until the limits exist and warns "requested conf.level not achievable";
    # with four equal changes no level is reachable and R returns median(x) twice.
    res = hodges_lehmann([1.0, 1.0, 1.0, 1.0])
    assert res is not None and res.confidence < 0.95 and res.ci_low == res.ci_high == 1.0
    assert hodges_lehmann([0.0, 0.0]) is None


def test_hodges_lehmann_exact_case_reports_the_achieved_level_below_six_changes() -> None:
    # R: with n = 5 the smallest two-sided level is 2 / 32 = 0.0625, within alpha / 2 of 0.05: 95 % kept;
    # with n = 4 it is 2 / 16 = 0.125: R warns and reports conf.level 1 - 0.12 = 0.88.
    five = hodges_lehmann([1.0, 2.0, 4.0, 8.0, 16.0])
    four = hodges_lehmann([1.0, 2.0, 4.0, 8.0])
    assert five is not None and five.confidence == 0.95 and (five.ci_low, five.ci_high) == (1.0, 16.0)
    assert four is not None and four.confidence == pytest.approx(0.88) and (four.ci_low, four.ci_high) == (1.0, 8.0)
