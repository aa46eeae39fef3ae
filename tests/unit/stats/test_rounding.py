"""Tests of largest-remainder rounding."""

from __future__ import annotations

import math

import pytest

from workforce_eval.stats.rounding import largest_remainder


def test_nine_fourteen_three_of_twenty_six() -> None:
    shares = [100 * 9 / 26, 100 * 14 / 26, 100 * 3 / 26]
    assert [round(s, 1) for s in shares] == [34.6, 53.8, 11.5]  # plain rounding: 99.9
    result = largest_remainder(shares)
    assert result == [34.6, 53.9, 11.5]
    assert round(sum(result), 1) == 100.0


def test_ties_go_to_the_earlier_value_whatever_the_input_order() -> None:
    third = 100 / 3
    assert largest_remainder([third, third, third]) == [33.4, 33.3, 33.3]
    assert largest_remainder([12.25, 12.25, 75.5]) == [12.3, 12.2, 75.5]
    assert largest_remainder([75.5, 12.25, 12.25]) == [75.5, 12.3, 12.2]
    # 100/6 = 16.66..: six floors of 16.6 make 99.6, so four of the six equal remainders get 0.1, the first four
    assert largest_remainder([100 / 6] * 6) == [16.7, 16.7, 16.7, 16.7, 16.6, 16.6]
    # 100/7 = 14.28..: seven floors of 14.2 make 99.4, so six get 0.1 and only the last stays at 14.2
    assert largest_remainder([100 / 7] * 7) == [14.3] * 6 + [14.2]


def test_exact_values_and_float_noise_are_kept() -> None:
    assert largest_remainder([25.0, 25.0, 50.0]) == [25.0, 25.0, 50.0]
    assert largest_remainder([0.29 * 100, 71.0]) == [29.0, 71.0]  # 28.999999999999996 is 29.0


def test_other_decimals_and_totals() -> None:
    assert largest_remainder([100 / 3] * 3, decimals=0) == [34.0, 33.0, 33.0]
    assert largest_remainder([1 / 3, 1 / 3, 1 / 3], decimals=2) == [0.34, 0.33, 0.33]
    result = largest_remainder([10.04, 10.04, 10.04])  # sum 30.12 -> 30.1
    assert result == [10.1, 10.0, 10.0] and math.isclose(sum(result), 30.1)
    assert largest_remainder([]) == []


@pytest.mark.parametrize("bad", [[float("nan"), 1.0], [float("inf")], [-1.0, 101.0]])
def test_rejects_non_finite_or_negative(bad: list[float]) -> None:
    with pytest.raises(ValueError):
        largest_remainder(bad)
