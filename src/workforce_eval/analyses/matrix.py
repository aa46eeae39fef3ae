"""Matrix coding by participant attribute, and the case x code table (restricted output).

Attributes are the participants.csv columns beyond the contract's (site, role, pay band, imported
case variables). For each attribute and each of its values (`subgroup` = `attribute=value`, values
sorted) and each theme, subtheme and code (`item`): participants with it (`participants`, with the
denominator: participants of that value with any coded data), that as a percent (`pct_participants`,
Wilson) and the segments under it (`segments`). Segments whose participant_id is blank, and
participants whose value is blank, have no attribute and are left out. `group` = `all`,
`source` = `all`.

`level` names the theme-frequency source (`all`, `interview` or `survey`) whose participants the
attribute's values partition: every coded segment of that source comes from a participant with a
value, and every such participant's segments are of that source. Then a node's counts over the
values add up to the theme's `participants` of that source (and the bases to its base), and
disclosure control knows it (`register.measures`, relations "matrix values = theme"). Blank when
the attribute leaves someone out: no such sum holds.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from workforce_eval.analyses.themes import codebook_nodes, units
from workforce_eval.register import measures as m
from workforce_eval.register.rows import Row, to_frame
from workforce_eval.stats.intervals import percent_wilson

ANALYSIS = "matrix"
CONTRACT_PARTICIPANT_COLUMNS = ("participant_id", "group", "pair_id", "invited")


def attributes(participants: pd.DataFrame) -> list[str]:
    """The participant attribute columns, in file order."""
    return [str(c) for c in participants.columns if c not in CONTRACT_PARTICIPANT_COLUMNS]


def matrix_rows(meta: dict[str, Any], participants: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """Register rows of the matrix family (see the module docstring); none without attributes."""
    attrs = attributes(participants)
    if not attrs or not meta["codebook"] or segments.empty:
        return to_frame([])
    roster = participants.set_index("participant_id")
    linked = segments[segments["participant_id"].notna()]
    nodes = codebook_nodes(meta)
    rows: list[Row] = []
    for attr in attrs:
        value_of = linked["participant_id"].map(roster[attr])
        seg = linked.assign(_value=value_of)
        seg = seg[seg["_value"].notna() & seg["_value"].astype(str).ne("")]
        partitioned = partitioned_source(segments, seg.index)
        for value in sorted({str(v) for v in seg["_value"]}):
            part = seg[seg["_value"].astype(str) == value]
            base = int(part["participant_id"].nunique())
            subgroup = f"{attr}={value}"
            for node, level in nodes:
                under = part[part[level].eq(node).fillna(False)]
                k = int(under["participant_id"].nunique())
                key: dict[str, Any] = {
                    "item": node,
                    "group": "all",
                    "source": "all",
                    "subgroup": subgroup,
                    "level": partitioned,
                }
                rows.append(Row(ANALYSIS, m.PARTICIPANTS, k, n=k, denominator=base, method="count", **key))
                est = percent_wilson(k, base)
                rows.append(
                    Row(
                        ANALYSIS,
                        m.PCT_PARTICIPANTS,
                        est.estimate,
                        n=k,
                        denominator=base,
                        ci_low=est.ci_low,
                        ci_high=est.ci_high,
                        method="wilson",
                        **key,
                    )
                )
                rows.append(Row(ANALYSIS, m.SEGMENTS, len(under), n=len(under), method="count", **key))
    return to_frame(rows)


def partitioned_source(segments: pd.DataFrame, valued: pd.Index) -> str:
    """The theme source (`all`, then `interview`, `survey`) whose segments are exactly those of `valued`; "" if none."""
    inside = segments.index.isin(valued)
    for source in ("all", "interview", "survey"):
        of_source = pd.Series(True, index=segments.index) if source == "all" else segments["source"].eq(source)
        if of_source.any() and bool((of_source.to_numpy() == inside).all()):
            return source
    return ""


def case_code_table(meta: dict[str, Any], segments: pd.DataFrame) -> pd.DataFrame:
    """One row per participant (or document where participant_id is blank), one column per code: segment counts.

    Participant-level: written under the cohort's restricted folder for analysts, never published.
    """
    codes = [node for node, level in codebook_nodes(meta) if level == "code"]
    seg = segments.assign(case=units(segments))
    table = pd.crosstab(seg["case"], seg["code"]).reindex(columns=codes, fill_value=0)
    groups = seg.groupby("case")["group"].first()
    table.insert(0, "group", groups.reindex(table.index).astype(str))
    table.index.name = "case"
    return table.sort_index().reset_index()
