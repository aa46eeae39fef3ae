"""Theme frequencies: participants, percent of participants and segments per theme, subtheme and code, and the
segments' base (all coded segments of a group and source)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from workforce_eval.register.measures import CODED_SEGMENTS, PARTICIPANTS, PCT_PARTICIPANTS, SEGMENTS, THEME
from workforce_eval.register.rows import Row, to_frame
from workforce_eval.stats.intervals import percent_wilson

SOURCES = ("interview", "survey", "all")


def codebook_nodes(meta: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(id, level) for every theme, subtheme and code in codebook order (theme, then each subtheme and its codes)."""
    out: list[tuple[str, str]] = []
    for theme in meta["codebook"]:
        out.append((theme["id"], "theme"))
        for sub in theme["subthemes"]:
            out.append((sub["id"], "subtheme"))
            out.extend((code["id"], "code") for code in sub["codes"])
    return out


def units(segments: pd.DataFrame) -> pd.Series:
    """The counting unit of each segment: the participant, or the document when participant_id is blank."""
    doc_unit = "document:" + segments["source"].astype(str) + ":" + segments["document_id"].astype(str)
    return ("participant:" + segments["participant_id"].astype("string")).fillna(doc_unit).astype(str)


def theme_frequencies(meta: dict[str, Any], segments: pd.DataFrame) -> pd.DataFrame:
    """Register rows of the theme family for every node, group (all + each) and source (interview, survey, all)."""
    if not meta["codebook"]:
        return to_frame([])
    seg = segments.assign(_unit=units(segments))
    nodes = codebook_nodes(meta)
    groups = ["all"] + [g["code"] for g in meta["groups"]]
    participants: list[Row] = []
    percents: list[Row] = []
    counts: list[Row] = []
    bases: list[Row] = []  # all coded segments of a group and source: the base of `segments`
    for source in SOURCES:
        by_source = seg if source == "all" else seg[seg["source"] == source]
        for group in groups:
            part = by_source if group == "all" else by_source[by_source["group"] == group]
            base = part["_unit"].nunique()
            for node, level in nodes:
                under = part[part[level].eq(node).fillna(False)] if level != "code" else part[part["code"] == node]
                n_units = int(under["_unit"].nunique())
                key = {"item": node, "group": group, "source": source}
                participants.append(Row(THEME, PARTICIPANTS, n_units, n=n_units, method="count", **key))
                if base > 0:
                    est = percent_wilson(n_units, base)
                    percents.append(
                        Row(
                            THEME,
                            PCT_PARTICIPANTS,
                            est.estimate,
                            n=n_units,
                            denominator=base,
                            ci_low=est.ci_low,
                            ci_high=est.ci_high,
                            method="wilson",
                            **key,
                        )
                    )
                counts.append(Row(THEME, SEGMENTS, len(under), n=len(under), method="count", **key))
            if base > 0:
                key = {"item": "all", "group": group, "source": source}
                bases.append(Row(THEME, CODED_SEGMENTS, len(part), n=len(part), method="count", **key))
    return to_frame(participants + percents + counts + bases)
