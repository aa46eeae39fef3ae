"""Largest-remainder rounding, so that rounded shares still add up to their rounded total."""

from __future__ import annotations

import math
from collections.abc import Sequence

#: Digits kept before flooring, so that float noise (0.29 * 100 = 28.999999999999996)
#: does not move a value that is exact in decimal to the level below.
_GUARD_DIGITS = 9


def largest_remainder(values: Sequence[float], decimals: int = 1) -> list[float]:
    """Round to `decimals` so the results add up to the rounded sum; ties go to the earlier value."""
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals}")
    numbers = [float(v) for v in values]
    for v in numbers:
        if not math.isfinite(v) or v < 0:
            raise ValueError(f"largest_remainder needs finite values >= 0, got {v!r}")
    if not numbers:
        return []
    scale = 10**decimals
    scaled = [round(v * scale, _GUARD_DIGITS) for v in numbers]
    floors = [math.floor(s) for s in scaled]
    target = math.floor(round(sum(numbers) * scale, _GUARD_DIGITS) + 0.5)
    missing = target - sum(floors)
    # Largest fractional part first; equal parts keep their input order (stable sort).
    order = sorted(range(len(numbers)), key=lambda i: -(scaled[i] - floors[i]))
    units = list(floors)
    for i in order[:missing]:
        units[i] += 1
    return [round(u / scale, decimals) for u in units]
