"""Adjustment of a family of p-values for multiplicity (statsmodels' `multipletests`).

- `holm` (the default): Holm's step-down method, which controls the family-wise error rate; the same as R's
  `p.adjust(p, method = "holm")`.
- `fdr_bh`: Benjamini and Hochberg's step-up method, which controls the false discovery rate; R's
  `p.adjust(p, method = "BH")`.

Missing or non-finite p-values are left out of the family (and stay None); a family of one is not adjusted.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Sequence
from typing import Literal

Method = Literal["holm", "fdr_bh"]
#: The methods, as the register's `method` column and the configuration name them, and their names for people.
METHODS: dict[str, str] = {"holm": "Holm", "fdr_bh": "Benjamini-Hochberg"}
DEFAULT: Method = "holm"


def check(method: str) -> Method:
    """The method, or ValueError naming the ones there are."""
    if method not in METHODS:
        raise ValueError(f"unknown multiplicity adjustment {method!r}; expected one of {', '.join(METHODS)}")
    return method  # type: ignore[return-value]


def adjust(p_values: Sequence[float | None], method: str = DEFAULT) -> list[float | None]:
    """The adjusted p-values of one family, in the order given; None where the p-value is missing."""
    check(method)
    present = [i for i, p in enumerate(p_values) if p is not None and math.isfinite(p)]
    out: list[float | None] = [None] * len(p_values)
    if not present:
        return out
    if len(present) == 1:
        out[present[0]] = float(p_values[present[0]])  # type: ignore[arg-type]
        return out
    # statsmodels' Holm branch calls gc.collect(); freezing the existing objects first keeps that collection from
    # scanning the whole process (results are unaffected)
    from statsmodels.stats.multitest import multipletests  # here: the report kernels read METHODS without it

    gc.freeze()
    try:
        adjusted = multipletests([float(p_values[i]) for i in present], method=method)[1]  # type: ignore[arg-type]
    finally:
        gc.unfreeze()
    for i, p in zip(present, adjusted, strict=True):
        out[i] = float(p)
    return out
