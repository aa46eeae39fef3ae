"""The quote table: consented passages only, attributed by pseudonymous labels, never raw ids."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from workforce_eval import atomic
from workforce_eval.analyses.themes import codebook_nodes, units
from workforce_eval.register import spreadsheet

QUOTE_COLUMNS = ("theme", "subtheme", "code", "segment_id", "source", "group", "attribution", "text")


#: Speaker-number prefixes, in order of preference: the first that no raw id could be mistaken for.
SPEAKER_PREFIXES = ("P", "Participant ", "Speaker ", "Interviewee ")


def speaker_prefix(raw_ids: Iterable[object]) -> str:
    """The label prefix for interviewed speakers: "P", unless some raw id reads like one of its labels."""
    ids = [str(i) for i in raw_ids if not pd.isna(i)]  # type: ignore[call-overload]
    for prefix in SPEAKER_PREFIXES:
        looks_alike = re.compile(rf"(?:\S+\s+)?{re.escape(prefix.strip())}\s*0*\d+", re.IGNORECASE)
        if not any(looks_alike.fullmatch(i.strip()) for i in ids):
            return prefix
    return "Speaker #"


def attribution_labels(segments: pd.DataFrame) -> pd.Series:
    """Label each segment's speaker: "<group> P<n>" for anyone interviewed, else "<group> survey respondent <n>".

    One person keeps one label across sources. The "P" becomes "Participant " (and so on) when some raw
    participant_id reads like such a label (e.g. raw ids "P1", "P2"), so a label is never a raw id. Numbers
    run from 1 within each kind and group, in order of the
    speaker's first document id over all coded segments (consented or not), so labels are stable for the same
    input and reveal nothing of the raw ids.
    """
    unit = units(segments)
    frame = pd.DataFrame(
        {
            "unit": unit,
            "doc": segments["document_id"].astype(str),
            "interviewed": segments["source"] == "interview",
            "group": segments["group"].astype(str),
        }
    )
    speakers = frame.groupby("unit", sort=True).agg(
        first=("doc", "min"), interviewed=("interviewed", "any"), group=("group", "first")
    )
    speakers = speakers.reset_index().sort_values(["interviewed", "group", "first", "unit"], kind="stable")
    speakers["number"] = speakers.groupby(["interviewed", "group"]).cumcount() + 1
    prefix = speaker_prefix(segments["participant_id"])
    speakers["label"] = [
        f"{g} {prefix}{n}" if interviewed else f"{g} survey respondent {n}"
        for interviewed, g, n in zip(speakers["interviewed"], speakers["group"], speakers["number"], strict=True)
    ]
    return unit.map(speakers.set_index("unit")["label"]).astype(str)


def quote_table(meta: dict[str, Any], segments: pd.DataFrame) -> pd.DataFrame:
    """One row per consented passage and theme, in codebook order; only `quote_ok` passages with text."""
    if segments.empty:
        return pd.DataFrame(columns=list(QUOTE_COLUMNS))
    labelled = segments.assign(attribution=attribution_labels(segments))
    ok = labelled[labelled["quote_ok"].astype(bool) & labelled["text"].notna()]
    order = {node: i for i, (node, _level) in enumerate(codebook_nodes(meta))}
    ok = ok.assign(_order=ok["code"].map(order)).sort_values(["_order", "segment_id"], kind="stable")
    rows = []
    for (theme, _doc, _text), part in ok.groupby(["theme", "document_id", "text"], sort=False):
        first = part.iloc[0]
        rows.append(
            {
                "theme": theme,
                "subtheme": ";".join(dict.fromkeys(part["subtheme"])),
                "code": ";".join(dict.fromkeys(part["code"])),
                "segment_id": first["segment_id"],
                "source": first["source"],
                "group": first["group"],
                "attribution": first["attribution"],
                "text": first["text"],
                "_order": first["_order"],
            }
        )
    table = pd.DataFrame(rows, columns=[*QUOTE_COLUMNS, "_order"])
    table["_theme_order"] = table["theme"].map(order)
    table = table.sort_values(["_theme_order", "_order", "segment_id"], kind="stable")
    return table.loc[:, list(QUOTE_COLUMNS)].reset_index(drop=True)


def write(table: pd.DataFrame, path: str) -> None:
    """Write the quote table as UTF-8 CSV with LF line ends, cells that would start a formula neutralised."""
    with atomic.replacing(path) as tmp:
        spreadsheet.neutralise_frame(table).to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")
