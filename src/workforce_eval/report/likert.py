"""Likert items in the report: reverse-coded items marked, and the charts of the Likert figure.

A reverse-coded item (negatively worded, e.g. "I feel out of my depth") is marked "(reversed)" wherever
it is named, as in the figures (`register.notation.REVERSED`), and its headline percentage (the favourable
top two levels: the two *disagree* levels of its wording) is labelled as disagreement, so that it never
reads as agreement with the negative wording.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from workforce_eval.names import likert_names
from workforce_eval.register.notation import REVERSED_SHARE, reversed_text

__all__ = ["REVERSED_SHARE", "likert_figure_names", "mark_reversed", "marked"]


def marked(item: Mapping[str, Any]) -> str:
    """An item's text, with "(reversed)" after a reverse-coded one."""
    return reversed_text(str(item.get("text") or item["id"]), item.get("reverse"))


def mark_reversed(table: pd.DataFrame, meta: Mapping[str, Any], item_col: str = "Item") -> pd.DataFrame:
    """An item table with reverse-coded items marked "(reversed)" and their % agree relabelled as disagreement.

    Rows are matched by the item's text in `item_col`; the label is relabelled in the rows of that item (the
    row naming it and the unnamed rows after it) wherever a column holds a "% agree" or "% in top two levels"
    label."""
    reverse = {str(i.get("text") or i["id"]): i for i in meta.get("items", []) if i.get("reverse")}
    if table.empty or item_col not in table.columns or not reverse:
        return table
    out = table.copy()
    current: Mapping[str, Any] | None = None
    for index in out.index:
        name = str(out.at[index, item_col])
        if name:
            current = reverse.get(name)
            if current is not None:
                out.at[index, item_col] = marked(current)
        if current is None:
            continue
        for col in out.columns:
            value = out.at[index, col]
            if isinstance(value, str) and (value == "% agree" or value.startswith("% in top two levels")):
                out.at[index, col] = REVERSED_SHARE
    return out


def likert_figure_names(meta: Mapping[str, Any]) -> list[str]:
    """The Likert figure's charts of a cohort (`likert`, `likert-2`, ...: one per response scale, long scales in
    parts), in order; [] without likert items."""
    items = [i for i in meta.get("items", []) if i.get("type") == "likert"]
    return likert_names([tuple(str(v) for v in i.get("levels", ())) for i in items], len(meta.get("groups", [])) + 1)
