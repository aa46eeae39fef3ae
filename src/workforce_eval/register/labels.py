"""How register keys are named for people: groups, constructs and model terms (figures and reports alike)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any


def group_labels(meta: Mapping[str, Any], *, all_label: str | None = None, combined: bool = False) -> dict[str, str]:
    """Group code -> label from cohort.json, in cohort order.

    With `all_label`, `all` comes first with that label; with `combined`, the combined groups follow
    the groups. A group without a label is shown by its code.
    """
    labels = {"all": all_label} if all_label is not None else {}
    groups = list(meta.get("groups", [])) + (list(meta.get("combined_groups", [])) if combined else [])
    for g in groups:
        labels[str(g["code"])] = str(g.get("label") or g["code"])
    return labels


def humanise(key: str) -> str:
    """An id for people when nothing declares a label: `pay_band` -> `Pay band`."""
    return key.replace("_", " ").strip().capitalize()


def construct_label(construct: str, meta: Mapping[str, Any] | None = None) -> str:
    """A construct as a label: its declared label (instrument.yaml `constructs: {id: {label}}`, cohort.json
    `construct_labels`) or the humanised id, then ` (scale score)`: `preparedness` -> `Preparedness (scale score)`."""
    declared = ((meta or {}).get("construct_labels") or {}).get(construct)
    return str(declared or humanise(construct)) + " (scale score)"


def column_label(column: str, meta: Mapping[str, Any] | None = None) -> str:
    """A survey column as a label: its declared label (instrument.yaml `columns: {column: {label}}`, cohort.json
    `column_labels`) or the humanised name, `pay_band` -> `Pay band`."""
    declared = ((meta or {}).get("column_labels") or {}).get(column)
    return str(declared or humanise(column))


_CATEGORY_TERM = re.compile(r"^C\((?P<column>[^,)]+)(?:,.*)?\)\[T\.(?P<level>[^\]]*)\]$")


def term_label(term: str) -> str:
    """A readable label for a statsmodels term: `C(employment)[T.direct]` -> `employment: direct`."""
    match = _CATEGORY_TERM.match(term)
    if match:
        return f"{match.group('column').strip()}: {match.group('level')}"
    return term
