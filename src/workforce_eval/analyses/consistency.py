"""One decision per number a table and a chart both show: the register made consistent after disclosure control.

The report's item table prints an item's % agree (`item / pct_agree`: the favourable top levels over those who
answered); the Likert figure draws the same count as its favourable collapsed category (`item / collapsed_pct`,
level `agree`, or `disagree` for a reverse-coded item, whose levels keep their wording). Disclosure control may
decide them apart: an answer distribution with a hidden part is hidden whole while % agree stays, so a table
printed "64.3 % agree (9 of 14)" beside a chart that hides the same item and group, and the count hidden there
followed from the one printed here. `align` hides both where either is hidden (it only ever adds suppression),
when the register is built (`steps.cohort.build_register`), so the published register, the tables and the
figures read one `suppressed` flag.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from workforce_eval.register.measures import COLLAPSED_AGREE, COLLAPSED_DISAGREE, COLLAPSED_PCT, ITEM, PCT_AGREE

#: The row columns that say which item, group and subgroup a row is about.
KEY = ("item", "group", "subgroup")


def favourable_category(item: Mapping[str, Any]) -> str:
    """The collapsed category whose count is an item's % agree numerator: `agree`, `disagree` when reversed."""
    return COLLAPSED_DISAGREE if item.get("reverse") else COLLAPSED_AGREE


def align(frame: pd.DataFrame, meta: Mapping[str, Any]) -> pd.DataFrame:
    """The register with each item x group's % agree row and favourable collapsed row suppressed together (both
    when either is)."""
    items = {str(i["id"]): i for i in meta.get("items") or ()}
    agree = (frame["analysis"] == ITEM) & (frame["measure"] == PCT_AGREE)
    favourable = frame["level"] == frame["item"].map(lambda i: favourable_category(items.get(i, {})))
    collapsed = (frame["analysis"] == ITEM) & (frame["measure"] == COLLAPSED_PCT) & favourable
    pairs = frame.loc[agree | collapsed, [*KEY, "suppressed"]]
    if pairs.empty:
        return frame
    hidden = pairs.groupby(list(KEY), sort=False)["suppressed"].transform("any")
    change = hidden & ~pairs["suppressed"]
    if not change.any():
        return frame
    out = frame.copy()
    out.loc[change[change].index, "suppressed"] = True
    return out
