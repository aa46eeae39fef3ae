"""How counts and items are shown to people (reports and figures alike): one place for '<k', the dash and the
reverse-coded item's mark."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Union

import pandas as pd

#: Shown where a number is absent.
MISSING = "–"
#: Minimum cell size when a cohort sets none.
DEFAULT_DISCLOSURE_THRESHOLD = 5


def is_missing(x: object) -> bool:
    """True for None and NaN."""
    return x is None or (isinstance(x, float) and math.isnan(x))


def fmt_int(x: object) -> str:
    """A count as text without decimals; the dash when missing."""
    if is_missing(x):
        return MISSING
    return str(round(float(x)))  # type: ignore[arg-type]


def disclosure_threshold(meta: Mapping[str, Any]) -> int:
    """The cohort's disclosure-control threshold (default 5)."""
    k = meta.get("disclosure_threshold")
    return DEFAULT_DISCLOSURE_THRESHOLD if k is None else int(k)


#: Shown for every number disclosure control hides (the Government Statistical Service's symbol for a
#: confidential value): a count below the threshold, a number resting on one, and a number hidden so that such
#: a count cannot be worked out. One symbol for all, so that the symbol itself bounds nothing: "<k" told the
#: reader a count was 1 to k-1, which with a published total pinned some exactly (docs/threat-model.md).
CONCEALED = "[c]"


def _count(row: RowLike) -> object:
    """A row's count: `n`, else `estimate`; None when it has neither."""
    for key in ("n", "estimate"):
        value = row.get(key)
        if not is_missing(value):
            return value
    return None


#: A register row, as a pandas Series or a plain mapping.
RowLike = Union[Mapping[str, Any], "pd.Series[Any]"]


def display_count(row: RowLike | None, meta: Mapping[str, Any]) -> str:
    """A register row's count (`n`, else `estimate`) as text; `[c]` when suppressed (whatever its value); the
    dash when absent. (`meta` is kept for the callers: the notation no longer depends on the threshold.)"""
    if row is None:
        return MISSING
    if bool(row.get("suppressed", False)):
        return CONCEALED
    count = _count(row)
    return MISSING if count is None else fmt_int(count)


#: After a reverse-coded item's text wherever it is named, in every report table and figure (its codes, and
#: so its percentages and changes, run in the favourable direction).
REVERSED = " (reversed)"
#: The name of a reverse-coded item's share in its favourable levels (the two *disagree* levels of its wording),
#: wherever a table or figure names the measure of such an item's `pct_agree`.
REVERSED_SHARE = "% disagree (favourable; reversed item)"


def reversed_text(text: str, reverse: object) -> str:
    """`text` with `REVERSED` after it when `reverse` is true (once: a text already ending with it is kept)."""
    return text + REVERSED if reverse and not text.endswith(REVERSED) else text
