"""Inter-coder agreement against published reference values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from workforce_eval.stats import agreement

nan = np.nan

# Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
# Communication, University of Pennsylvania, section C (4 observers x 12 units, missing values).
# The published alphas: nominal 0.743, ordinal 0.815, interval 0.849, ratio 0.797.
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
]

# Wikipedia, "Krippendorff's alpha", worked example (3 coders x 15 units, missing values):
# nominal alpha 0.691358, interval alpha 0.810845.
WIKI = [
    [nan, nan, nan, nan, nan, 3, 4, 1, 2, 1, 1, 3, 3, nan, 3],
    [1, nan, 2, 1, 3, 3, 4, 3, nan, nan, nan, nan, nan, nan, nan],
    [nan, nan, 2, 1, 3, 4, 4, nan, 2, 1, 1, 3, 3, nan, 4],
]

# statsmodels' test of cohens_kappa against a SAS printout (statsmodels/stats/tests/test_inter_rater.py,
# `table10`): kappa 0.4842, ASE 0.1380, 95 % CI 0.2137-0.7547; linearly weighted kappa 0.4701.
SAS_TABLE = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]

# Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological Bulletin
# 76(5), 378-382: 10 subjects x 5 categories, 14 raters each (the table Wikipedia's "Fleiss' kappa"
# article reproduces); kappa = 0.210.
FLEISS = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


@pytest.mark.parametrize(
    ("level", "expected"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)]
)
def test_krippendorff_2011_reference_values(level: agreement.Level, expected: float) -> None:
    assert agreement.krippendorff_alpha(K2011, level) == pytest.approx(expected, abs=5e-4)


@pytest.mark.parametrize(("level", "expected"), [("nominal", 0.691358), ("interval", 0.810845)])
def test_wikipedia_reference_values(level: agreement.Level, expected: float) -> None:
    assert agreement.krippendorff_alpha(WIKI, level) == pytest.approx(expected, abs=5e-7)


def test_cohen_kappa_against_sas() -> None:
    res = agreement.kappa_from_table(SAS_TABLE)
    assert res.kappa == pytest.approx(0.4842, abs=5e-5)
    assert res.std_error == pytest.approx(0.1380, abs=5e-5)
    assert res.ci_low == pytest.approx(0.2137, abs=5e-5)
    assert res.ci_high == pytest.approx(0.7547, abs=5e-5)
    assert res.n == 19
    assert agreement.kappa_from_table(SAS_TABLE, weighted=True).kappa == pytest.approx(0.4701, abs=5e-5)


def test_cohen_kappa_from_codings_equals_the_table() -> None:
    # The SAS table written out as 19 pairs of codings (row = coder 1, column = coder 2).
    pairs = [(r + 1, c + 1) for r, row in enumerate(SAS_TABLE) for c, k in enumerate(row) for _ in range(k)]
    # Categories 1..3 but category 1 is never used by coder 2 and only by coder 1 in row 0: the
    # table built from codings has the same cells as SAS_TABLE.
    a = [p[0] for p in pairs] + [nan]
    b = [p[1] for p in pairs] + [2]  # a unit coder 1 left uncoded is dropped
    assert agreement.cohen_kappa(a, b).kappa == pytest.approx(0.4842, abs=5e-5)


def test_fleiss_kappa_classic_table() -> None:
    assert agreement.fleiss_kappa_from_counts(FLEISS) == pytest.approx(0.210, abs=5e-4)


def test_fleiss_kappa_from_codings_uses_complete_units() -> None:
    # Three coders, four units; the last unit lacks one coder and is left out.
    # Units 1-3: (1,1,1), (1,1,2), (2,2,2). Hand computation (Fleiss 1971):
    # P_i = 1, 1/3, 1 -> P_bar = 7/9; p_1 = 5/9, p_2 = 4/9 -> P_e = 41/81;
    # kappa = (7/9 - 41/81) / (1 - 41/81) = (22/81) / (40/81) = 0.55.
    data = [[1, 1, 2, 1], [1, 1, 2, nan], [1, 2, 2, 2]]
    assert agreement.fleiss_kappa(data) == pytest.approx(0.55)


def test_percent_agreement_by_hand() -> None:
    # Two coders, five units, agree on 1, 2 and 4 -> 60 %; the unit only one coded is not pairable.
    assert agreement.percent_agreement([[1, 0, 1, 1, 0, 1], [1, 0, 0, 1, 1, nan]]) == pytest.approx(60.0)
    # Three coders on one unit: (1, 1, 2): one agreeing pair of three -> 33.3 %.
    assert agreement.percent_agreement([[1], [1], [2]]) == pytest.approx(100 / 3)


def test_alpha_undefined_with_one_value() -> None:
    assert math.isnan(agreement.krippendorff_alpha([[1, 1, 1], [1, 1, 1]]))
    assert math.isnan(agreement.kappa_from_table([[5]]).kappa)


def test_bootstrap_interval_is_seeded_and_brackets_alpha() -> None:
    low, high = agreement.alpha_bootstrap(K2011, "nominal")
    assert (low, high) == agreement.alpha_bootstrap(K2011, "nominal")
    assert low < 0.743 < high
    assert agreement.alpha_bootstrap(K2011, "nominal", seed=1) != (low, high)


def test_kappa_interval_stays_within_minus_one_to_one() -> None:
    """Issue 21: the Wald interval printed "0.50 (-0.23 to 1.23)". By hand, [[3, 1], [1, 3]]: po = 6/8,
    pe = 1/2, kappa = 0.5; statsmodels' asymptotic SE 0.3062 gives 0.5 +/- 0.6001, truncated to 1."""
    res = agreement.kappa_from_table([[3, 1], [1, 3]])
    assert res.kappa == pytest.approx(0.5)
    assert res.std_error == pytest.approx(0.30618621784789724)
    assert res.ci_low == pytest.approx(0.5 - 1.959963984540054 * 0.30618621784789724)
    assert res.ci_high == 1.0  # the Wald bound is 1.100
    low = agreement.kappa_from_table([[0, 3], [3, 1]])  # kappa near -1: the lower bound is truncated
    assert low.ci_low >= -1.0 and low.ci_high <= 1.0


def test_kappa_has_no_interval_where_its_standard_error_is_zero() -> None:
    """ "0.00 (0.00 to 0.00)" and "1.00 (1.00 to 1.00)" claimed certainty: a coder who never varies (kappa 0 by
    construction: po = pe) or perfect agreement has SE 0 and gets no interval."""
    constant = agreement.kappa_from_table([[4, 4], [0, 0]])
    assert constant.kappa == 0.0 and constant.std_error == 0.0
    assert math.isnan(constant.ci_low) and math.isnan(constant.ci_high)
    perfect = agreement.kappa_from_table([[3, 0], [0, 5]])
    assert perfect.kappa == 1.0 and math.isnan(perfect.ci_low)


def test_constant_coders() -> None:
    assert agreement.constant_coders([[0, 0, 0, 0], [0, 1, 0, 1]]) == 1
    assert agreement.constant_coders([[0, 0, 0], [0, 0, 0]]) == 2
    assert agreement.constant_coders([[0, 1, np.nan], [1, 1, np.nan]]) == 1  # unpairable units left out
