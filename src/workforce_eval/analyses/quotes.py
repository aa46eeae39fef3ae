"""The quote table: consented passages only, attributed by pseudonymous labels, never raw ids."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from workforce_eval import atomic
from workforce_eval.analyses.themes import codebook_nodes, units
from workforce_eval.names import printable
from workforce_eval.register import spreadsheet

QUOTE_COLUMNS = ("theme", "subtheme", "code", "segment_id", "source", "group", "attribution", "text")

#: Columns `select` adds to the quote table: the segment's `priority` (blank unless segments.csv gives one)
#: and `selected`, the subtheme id under which the report shows the passage (blank: appendix only).
SELECTION_COLUMNS = ("priority", "selected")

#: How many quotes the report shows per subtheme unless the configuration says otherwise.
DEFAULT_QUOTES_PER_SUBTHEME = 2


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
        return pd.DataFrame(columns=[*QUOTE_COLUMNS, "priority"])
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
                "text": printable(str(first["text"])),  # no control or bidi character is published
                "priority": _priority_of(part),
                "_order": first["_order"],
            }
        )
    table = pd.DataFrame(rows, columns=[*QUOTE_COLUMNS, "priority", "_order"])
    table["_theme_order"] = table["theme"].map(order)
    table = table.sort_values(["_theme_order", "_order", "segment_id"], kind="stable")
    return table.loc[:, [*QUOTE_COLUMNS, "priority"]].reset_index(drop=True)


def _priority_of(part: pd.DataFrame) -> str:
    """The highest `priority` any segment of a passage carries, as text; blank when none does."""
    if "priority" not in part:
        return ""
    given = pd.to_numeric(part["priority"], errors="coerce").dropna()
    return "" if given.empty else str(int(given.max()))


def select(table: pd.DataFrame, meta: dict[str, Any], per_subtheme: int = DEFAULT_QUOTES_PER_SUBTHEME) -> pd.DataFrame:
    """The quote table with `selected`: the subtheme under which the report shows each chosen passage.

    Rules, applied subtheme by subtheme in codebook order (deterministic, no randomness):

    1. at most `per_subtheme` passages per subtheme;
    2. no passage twice: a passage (same speaker, same text) chosen once is never chosen again, under
       another subtheme or theme;
    3. passages with a `priority` (segments.csv, an integer) come first, higher first;
    4. then passages whose speaker has been quoted least within the subtheme, then whose group has been
       quoted least within the subtheme, then whose speaker and then group have been quoted least in the
       whole report so far (quotes spread over participants and groups);
    5. ties keep the quote table's order (codebook order of codes, then segment id).

    Every consented passage stays in the table (the appendix and `quotes.csv` show them all).
    """
    out = table.reset_index(drop=True)
    if "priority" not in out:
        out["priority"] = ""
    out["selected"] = ""
    if out.empty or per_subtheme < 1:
        return out.loc[:, [*QUOTE_COLUMNS, *SELECTION_COLUMNS]]

    priority = pd.to_numeric(out["priority"].replace("", pd.NA), errors="coerce")
    key = out["attribution"].astype(str) + "\x1f" + out["text"].astype(str).str.strip()
    subs = out["subtheme"].astype(str).str.split(";")
    used: set[str] = set()
    speaker_uses: dict[str, int] = {}
    group_uses: dict[str, int] = {}
    for theme in meta.get("codebook", []):
        in_theme = out["theme"].astype(str) == str(theme["id"])
        for sub in theme.get("subthemes", []):
            sid = str(sub["id"])
            pool = [i for i in out.index[in_theme] if sid in subs[i]]
            here_speaker: dict[str, int] = {}
            here_group: dict[str, int] = {}
            for _ in range(per_subtheme):
                free = [i for i in pool if key[i] not in used]
                if not free:
                    break

                counts = (here_speaker, here_group, speaker_uses, group_uses)
                best = min((_rank(out, i, priority[i], counts), i) for i in free)[1]
                who, grp = str(out.at[best, "attribution"]), str(out.at[best, "group"])
                out.at[best, "selected"] = sid
                used.add(key[best])
                for tally, name in ((here_speaker, who), (here_group, grp), (speaker_uses, who), (group_uses, grp)):
                    tally[name] = tally.get(name, 0) + 1
    return out.loc[:, [*QUOTE_COLUMNS, *SELECTION_COLUMNS]]


def _rank(table: pd.DataFrame, i: Any, priority: Any, counts: tuple[dict[str, int], ...]) -> tuple[float, ...]:
    """A candidate passage's sort key in `select` (smallest first): priority, then how often quoted so far."""
    who, grp = str(table.at[i, "attribution"]), str(table.at[i, "group"])
    here_speaker, here_group, speaker_uses, group_uses = counts
    return (
        -float(priority) if not pd.isna(priority) else math.inf,
        here_speaker.get(who, 0),
        here_group.get(grp, 0),
        speaker_uses.get(who, 0),
        group_uses.get(grp, 0),
        int(i),  # the table's order (`select` numbers rows from 0)
    )


def write(table: pd.DataFrame, path: str) -> None:
    """Write the quote table as UTF-8 CSV with LF line ends, cells that would start a formula neutralised."""
    with atomic.replacing(path) as tmp:
        spreadsheet.neutralise_frame(table).to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")
