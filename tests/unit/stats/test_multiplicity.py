"""Multiplicity adjustment against values computed by hand from the definitions R's `p.adjust` implements.

Holm (R `p.adjust(p, "holm")`): sort p ascending, p_(i) * (m - i + 1), running maximum, capped at 1.
Benjamini-Hochberg (R `p.adjust(p, "BH")`): sort ascending, p_(i) * m / i, running minimum from the largest.
For p = (0.01, 0.04, 0.03, 0.005), m = 4:
  Holm: 4 x 0.005 = 0.02, 3 x 0.01 = 0.03, 2 x 0.03 = 0.06, 1 x 0.04 = 0.04 -> running max 0.02, 0.03, 0.06, 0.06
  BH:   0.005 x 4/1 = 0.02, 0.01 x 4/2 = 0.02, 0.03 x 4/3 = 0.04, 0.04 x 4/4 = 0.04 -> running min the same
"""

from __future__ import annotations

import math

import pytest

from workforce_eval.stats import multiplicity

P = [0.01, 0.04, 0.03, 0.005]


def test_holm_by_hand() -> None:
    assert multiplicity.adjust(P, "holm") == pytest.approx([0.03, 0.06, 0.06, 0.02])


def test_bh_by_hand() -> None:
    assert multiplicity.adjust(P, "fdr_bh") == pytest.approx([0.02, 0.04, 0.04, 0.02])


def test_holm_is_capped_at_one_and_monotone() -> None:
    assert multiplicity.adjust([0.5, 0.6], "holm") == pytest.approx([1.0, 1.0])


def test_missing_values_are_left_out_of_the_family() -> None:
    out = multiplicity.adjust([0.01, None, math.nan, 0.04], "holm")
    assert out[1] is None and out[2] is None
    assert out[0] == pytest.approx(0.02) and out[3] == pytest.approx(0.04)


def test_a_family_of_one_is_not_adjusted() -> None:
    assert multiplicity.adjust([0.2, None], "fdr_bh") == [0.2, None]


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="bonferroni"):
        multiplicity.adjust(P, "bonferroni")
