"""The small-group rule: a group whose response base is below the minimum group base is not broken out.

Decided once, here, when the register is built (`steps.cohort.build_register`), after disclosure control has
run over every group (so the secondary suppressions that protect a small group against "all respondents minus
the other groups" are chosen with that group's cells in place). A withheld group's rows are then taken out of
the register, whatever their analysis, and one `response / group_withheld` row per withheld group says so; its
answers stay in the `all` rows. Reports and figures read those rows (`withheld`) and show the withheld groups
nowhere: no Likert panel, no table column, no row of "[c]".

The base of a group is its number of survey responses (`response / responses`, source survey); in a cohort
without a survey, its number of interview documents. The minimum is cohort.yaml's `minimum_group_base`, else the
configuration's, else twice the disclosure threshold (`DEFAULT_FACTOR`): below 2k, every split of a group's
answers into two parts (agree / not agree, yes / no) has a part from 1 to k-1 unless one part is empty, so every
share of the group would be hidden or would say "all" or "none" of a handful of people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from workforce_eval import register
from workforce_eval.register import Row
from workforce_eval.register.measures import (
    ATTRIBUTE_WITHHELD,
    GROUP_WITHHELD,
    INTERVIEWS,
    MATRIX,
    PARTICIPANTS,
    RESPONSE,
    RESPONSES,
)
from workforce_eval.register.notation import disclosure_threshold, is_missing

#: The default minimum group base, as a multiple of the disclosure threshold.
DEFAULT_FACTOR = 2
#: `method` of a withheld group's row.
METHOD = "minimum_group_base"
#: The group of whole-cohort rows, never withheld.
ALL = "all"


def minimum_group_base(meta: Mapping[str, Any], configured: int | None = None) -> int:
    """The cohort's minimum group base: cohort.yaml's (in cohort.json), else `configured`, else 2k."""
    own = meta.get("minimum_group_base")
    if own is not None:
        return int(own)
    if configured is not None:
        return int(configured)
    return DEFAULT_FACTOR * disclosure_threshold(meta)


def _base(frame: pd.DataFrame, group: str) -> float | None:
    for measure, source in ((RESPONSES, "survey"), (INTERVIEWS, "interview")):
        if register.select(frame, RESPONSE, measure, group=ALL, source=source).empty:
            continue
        rows = register.select(frame, RESPONSE, measure, group=group, source=source)
        if rows.empty:
            return 0.0
        value = rows.iloc[0]["estimate"]
        return None if is_missing(value) else float(value)
    return None


def small_groups(frame: pd.DataFrame, meta: Mapping[str, Any], minimum: int) -> list[str]:
    """The groups (and combined groups) of the cohort whose base is below `minimum`, in cohort order; a combined
    group with a withheld member too (it minus its other members would give that member back)."""
    out = []
    for code in [str(g["code"]) for g in meta.get("groups") or ()]:
        base = _base(frame, code)
        if base is not None and base < minimum:
            out.append(code)
    for combined in meta.get("combined_groups") or ():
        # a combined group's base is its members' (the register counts responses by group only)
        code, members = str(combined["code"]), [str(m) for m in combined.get("groups") or ()]
        bases = [_base(frame, m) for m in members]
        small = all(b is not None for b in bases) and sum(b or 0.0 for b in bases) < minimum
        if small or set(members) & set(out):
            out.append(code)
    return out


def withhold(frame: pd.DataFrame, meta: Mapping[str, Any], minimum: int, rule: str = "") -> pd.DataFrame:
    """The register without the rows of the groups below `minimum`, and one `group_withheld` row per such group
    (estimate = the minimum), stamped with `rule` and the rows' inputs digest."""
    groups = small_groups(frame, meta, minimum)
    if not groups:
        return frame
    kept = frame.loc[~frame["group"].isin(groups)]
    digest = str(frame["inputs_sha256"].iloc[0]) if len(frame) else ""
    stamp = rule or (str(frame["rule"].iloc[0]) if len(frame) else "")
    flags = register.to_frame(
        Row(RESPONSE, GROUP_WITHHELD, minimum, group=g, method=METHOD, rule=stamp, inputs_sha256=digest) for g in groups
    )
    return register.concat([kept, flags])


def small_attributes(frame: pd.DataFrame, minimum: int) -> list[str]:
    """The participant attributes of the matrix (`subgroup` attribute=value) with a value whose participants with
    coded data (a matrix row's `denominator`) are fewer than `minimum`, in register order."""
    rows = frame.loc[(frame["analysis"] == MATRIX) & (frame["measure"] == PARTICIPANTS)]
    out: dict[str, None] = {}
    for subgroup, base in zip(rows["subgroup"], rows["denominator"], strict=True):
        if not is_missing(base) and float(base) < minimum:
            out[str(subgroup).split("=", 1)[0]] = None
    return list(out)


def withhold_attributes(frame: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """The register without the matrix rows of the attributes below `minimum` (`small_attributes`), and one
    `matrix / attribute_withheld` row per such attribute (estimate = the minimum).

    Taken out *before* disclosure control (unlike a group): every row of the attribute goes, so no published
    count rests on its cells, whereas a withheld group still counts in `all` beside the other groups. A value of
    one or two participants would otherwise have its cells hidden and the audit's repair hide the theme counts,
    the bases and the interview totals around them (measured on the bundled plp-2021: 12 interviewees over six
    pay bands)."""
    attributes = small_attributes(frame, minimum)
    if not attributes:
        return frame
    is_matrix = frame["analysis"] == MATRIX
    attribute = frame["subgroup"].fillna("").astype(str).str.split("=", n=1).str[0]
    kept = frame.loc[~(is_matrix & attribute.isin(attributes))]
    digest = str(frame["inputs_sha256"].iloc[0])
    stamp = str(frame["rule"].iloc[0])
    flags = register.to_frame(
        Row(MATRIX, ATTRIBUTE_WITHHELD, minimum, subgroup=a, method=METHOD, rule=stamp, inputs_sha256=digest)
        for a in attributes
    )
    return register.concat([kept, flags])


def withheld_attributes(stats: pd.DataFrame) -> list[str]:
    """The matrix attributes a register says are withheld, in register order."""
    rows = stats.loc[(stats["analysis"] == MATRIX) & (stats["measure"] == ATTRIBUTE_WITHHELD)]
    return list(dict.fromkeys(str(s) for s in rows["subgroup"]))


def withheld(stats: pd.DataFrame) -> list[str]:
    """The groups a register says are withheld (`group_withheld` rows), in register order."""
    return list(dict.fromkeys(register.select(stats, RESPONSE, GROUP_WITHHELD, group=None)["group"]))


def shown_groups(codes: Sequence[str], stats: pd.DataFrame) -> list[str]:
    """`codes` without the groups the register withholds."""
    out = set(withheld(stats))
    return [c for c in codes if c not in out]


#: The key `presented` adds to a cohort.json document: the withheld groups' codes and labels.
WITHHELD_KEY = "withheld_groups"


def presented(meta: Mapping[str, Any], stats: pd.DataFrame) -> dict[str, Any]:
    """A cohort.json document as the reports and figures present the cohort: without the groups (and combined
    groups) the register withholds, which are listed instead under `withheld_groups` (code, label)."""
    out = set(withheld(stats))
    doc = dict(meta)
    if not out:
        return doc
    doc["groups"] = [g for g in meta.get("groups") or () if str(g["code"]) not in out]
    doc["combined_groups"] = [g for g in meta.get("combined_groups") or () if str(g["code"]) not in out]
    named = [*(meta.get("groups") or ()), *(meta.get("combined_groups") or ())]
    doc[WITHHELD_KEY] = [
        {"code": str(g["code"]), "label": str(g.get("label") or g["code"])} for g in named if str(g["code"]) in out
    ]
    return doc


def withheld_sentence(meta: Mapping[str, Any], stats: pd.DataFrame) -> str:
    """The report's one sentence on the groups left out (empty when none is): which, and why. `meta` is the
    document as `presented` gives it (with `withheld_groups`)."""
    groups = meta.get(WITHHELD_KEY) or []
    rows = register.select(stats, RESPONSE, GROUP_WITHHELD, group=None)
    if not groups or rows.empty:
        return ""
    minimum = int(rows.iloc[0]["estimate"])
    labels = [str(g["label"]) for g in groups]
    listed = ", ".join(labels[:-1]) + (" and " if len(labels) > 1 else "") + labels[-1]
    verb = "has" if len(labels) == 1 else "each have"
    return (
        f"{listed} {verb} fewer than {minimum} responses (the minimum group base"
        + (", twice the disclosure threshold" if minimum == DEFAULT_FACTOR * disclosure_threshold(meta) else "")
        + f"), so {'it is' if len(labels) == 1 else 'they are'} not shown as a separate group anywhere in this "
        "report: at that size most of a group's numbers would be hidden, and the rest would describe a handful of "
        "people. Their answers are included in every all-respondents figure."
    )
