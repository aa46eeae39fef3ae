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


def construct_label(construct: str) -> str:
    """A construct id as a label, e.g. `preparedness` -> `Preparedness (scale score)`."""
    return construct.replace("_", " ").strip().capitalize() + " (scale score)"


_CATEGORY_TERM = re.compile(r"^C\((?P<column>[^,)]+)(?:,.*)?\)\[T\.(?P<level>[^\]]*)\]$")


def term_label(term: str) -> str:
    """A readable label for a statsmodels term: `C(employment)[T.direct]` -> `employment: direct`."""
    match = _CATEGORY_TERM.match(term)
    if match:
        return f"{match.group('column').strip()}: {match.group('level')}"
    return term
