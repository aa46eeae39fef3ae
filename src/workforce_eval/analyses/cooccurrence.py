"""Code co-occurrence as register rows: pairs of codes, subthemes or themes applied together.

For every level (code, subtheme, theme) and every pair (a, b) of that level with a before b in
codebook order (`item` = a, `level` = b):

- `passages`: passages coded under both a and b, by any coder counted. A passage is the cleaned
  `passage` key (same document and text, or same offsets); where segments give `start`/`end`
  offsets, segments of one document whose spans overlap (directly or through others) are one
  passage, so codes applied to overlapping passages co-occur (e.g. two coders' slightly different
  spans of one answer);
- `participants`: participants (documents where participant_id is blank) with such a passage;
- `document_participants`: participants with a and b anywhere in the same document.

Groups `all` and each group, `source` = `all`. Only pairs that co-occur in some document are
written (every other pair is zero), each with all its groups, so the groups add up to `all`.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations
from typing import Any

import pandas as pd

from workforce_eval.analyses.themes import codebook_nodes, units
from workforce_eval.register import measures as m
from workforce_eval.register.rows import Row, to_frame

ANALYSIS = "cooccurrence"
LEVELS = ("code", "subtheme", "theme")
#: The heatmap and the report's strongest pairs show the finest codebook level with at most this many nodes.
MAX_SHOWN_NODES = 15


def shown_level(meta: Mapping[str, Any]) -> str:
    """The codebook level the heatmap and the strongest pairs show: codes, else subthemes, else themes.

    The finest level with at most `MAX_SHOWN_NODES` nodes (a larger heatmap is unreadable); themes
    when every level has more. The register holds every level's pairs either way.
    """
    nodes = codebook_nodes(meta)
    for level in LEVELS:
        if sum(1 for _, of in nodes if of == level) <= MAX_SHOWN_NODES:
            return level
    return "theme"


def overlap_passages(seg: pd.DataFrame) -> pd.Series:
    """The passage key of each segment, overlapping spans of one document merged into one passage.

    Segments without offsets keep their `passage` key. With offsets, a document's spans are sorted by
    start; a span starting before the running end of the previous ones joins their passage
    (`<document>:span<k>`, k from 1 within the document)."""
    out = seg["passage"].astype(str).copy()
    if "start" not in seg or "end" not in seg:
        return out
    spans = seg[seg["start"].notna() & seg["end"].notna()]
    for doc, part in spans.groupby("_doc", sort=True):
        ordered = part.sort_values(["start", "end"], kind="mergesort")
        number, reach = 0, -1
        for index, start, end in zip(ordered.index, ordered["start"], ordered["end"], strict=True):
            if int(start) >= reach:  # touching spans ([0, 5) and [5, 9)) do not overlap
                number += 1
            reach = max(reach, int(end))
            out.at[index] = f"{doc}:span{number}"
    return out


def _pairs(frame: pd.DataFrame, by: str, level: str, order: dict[str, int]) -> pd.DataFrame:
    """(a, b, unit, key) for every pair of `level` nodes sharing a `by` key (passage or document)."""
    nodes = frame[[by, "_unit", level]].dropna().drop_duplicates()
    records: list[tuple[str, str, str, str]] = []
    for (key, unit), sub in nodes.groupby([by, "_unit"], sort=True):
        present = sorted({str(x) for x in sub[level]}, key=order.__getitem__)
        records += [(a, b, str(unit), str(key)) for a, b in combinations(present, 2)]
    return pd.DataFrame.from_records(records, columns=["a", "b", "unit", "key"])


def _count(measure: str, count: int, a: str, b: str, group: str) -> Row:
    return Row(ANALYSIS, measure, count, item=a, level=b, group=group, source="all", n=count, method="count")


def cooccurrence_rows(meta: dict[str, Any], segments: pd.DataFrame) -> pd.DataFrame:
    """Register rows of the cooccurrence family (see the module docstring)."""
    if not meta["codebook"] or segments.empty:
        return to_frame([])
    order = {node: i for i, (node, _) in enumerate(codebook_nodes(meta))}
    seg = segments.assign(_unit=units(segments), _doc=segments["source"].astype(str) + ":" + segments["document_id"])
    if "passage" not in seg:
        seg = seg.assign(passage="segment:" + seg["segment_id"].astype(str))
    seg = seg.assign(passage=overlap_passages(seg))
    group_of = seg.groupby("_unit")["group"].first().astype(str)
    groups = ["all"] + [g["code"] for g in meta["groups"]]
    rows: list[Row] = []
    for level in LEVELS:
        by_passage = _pairs(seg, "passage", level, order)
        by_document = _pairs(seg, "_doc", level, order)
        if by_document.empty:
            continue
        by_passage = by_passage.assign(group=by_passage["unit"].map(group_of))
        by_document = by_document.assign(group=by_document["unit"].map(group_of))
        pairs = sorted(
            set(zip(by_document["a"], by_document["b"], strict=True)), key=lambda p: (order[p[0]], order[p[1]])
        )
        for a, b in pairs:
            p_ab = by_passage[(by_passage["a"] == a) & (by_passage["b"] == b)]
            d_ab = by_document[(by_document["a"] == a) & (by_document["b"] == b)]
            for group in groups:
                p_g = p_ab if group == "all" else p_ab[p_ab["group"] == group]
                d_g = d_ab if group == "all" else d_ab[d_ab["group"] == group]
                rows.append(_count(m.COOC_PARTICIPANTS, int(p_g["unit"].nunique()), a, b, group))
                rows.append(_count(m.COOC_PASSAGES, int(p_g["key"].nunique()), a, b, group))
                rows.append(_count(m.COOC_DOCUMENT_PARTICIPANTS, int(d_g["unit"].nunique()), a, b, group))
    return to_frame(rows)
