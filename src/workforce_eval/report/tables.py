"""The cohort report's tables: response, composition, survey items, themes and quotes.

Each builder reads `Results` (register, the typed cohort.json `res.cohort`, quotes) and returns a DataFrame of
display strings (or Markdown-safe text for a table's note). Numbers come from the register and are only
rounded and formatted; nothing is estimated here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from workforce_eval import register
from workforce_eval.inputs.metadata import Cohort, Item
from workforce_eval.register.measures import (
    ANONYMOUS_RESPONSES,
    CODED_SEGMENTS,
    COMPLETE_PAIRS,
    COMPOSITION,
    COUNTED_RESPONSES,
    INTERVIEW_PAIRS,
    INTERVIEWS,
    INVITED,
    ITEM,
    MEDIAN,
    PARTICIPANTS,
    PCT_AGREE,
    PCT_PARTICIPANTS,
    PCT_YES,
    RESPONSE,
    RESPONSE_RATE,
    RESPONSES,
    SEGMENTS,
    SHARE,
    THEME,
    UNINVITED_RESPONSES,
)
from workforce_eval.register.notation import (
    MISSING,
    disclosure_threshold,
    display_count,
    fmt_int,
    is_missing,
)
from workforce_eval.report.format import (
    INDENT,
    ci_cell,
    fmt_interval,
    fmt_num,
    fmt_pct,
    md_escape,
    share_ci_cell,
)
from workforce_eval.report.results import Results
from workforce_eval.stats.rounding import largest_remainder

ALL_LABEL = "All respondents"


def _pairs_of(row: pd.Series, meta: Mapping[str, Any]) -> str:
    """`of 27 pairs`; `of <k pairs` when the row is suppressed and the number of pairs is itself small."""
    if is_missing(row["denominator"]):
        return ""
    pairs = float(row["denominator"])
    if bool(row["suppressed"]) and 0 < pairs < disclosure_threshold(meta):
        return f"of <{disclosure_threshold(meta)} pairs"
    return f"of {fmt_int(pairs)} pairs"


def response_summary(res: Results) -> pd.DataFrame:
    """Invited, responses, response rate (with CI), complete pairs and interviews, where the register has them."""
    stats, meta = res.stats, res.cohort.document
    labels = res.cohort.group_labels()
    rows: list[tuple[str, str, str]] = []
    r = register.one(stats, RESPONSE, INVITED)
    if r is not None:
        rows.append(("Invited to the survey", display_count(r, meta), ""))
    r = register.one(stats, RESPONSE, RESPONSES)
    if r is not None:
        rows.append(("Survey responses", display_count(r, meta), ""))
    r = register.one(stats, RESPONSE, RESPONSE_RATE)
    counted = register.one(stats, RESPONSE, COUNTED_RESPONSES)
    invited = register.one(stats, RESPONSE, INVITED)
    if r is not None:
        of = "" if bool(r["suppressed"]) else f"{fmt_int(r['n'])} of {fmt_int(r['denominator'])} invited"
        rows.append(("Response rate", share_ci_cell(r, meta), of))
    elif counted is not None and invited is not None and float(counted["estimate"]) > float(invited["estimate"]):
        rows.append(
            (
                "Response rate",
                "not computed",
                f"{display_count(counted, meta)} responses from invited or anonymous people exceed the "
                f"{display_count(invited, meta)} invited: the roster's invited flags may be incomplete",
            )
        )
    for measure, what in (
        (ANONYMOUS_RESPONSES, "Anonymous responses (counted in the rate: only invited people had the link)"),
        (UNINVITED_RESPONSES, "Responses from people marked not invited (left out of the rate)"),
    ):
        extra = register.one(stats, RESPONSE, measure)
        if extra is not None and (bool(extra["suppressed"]) or float(extra["estimate"]) > 0):
            rows.append((what, display_count(extra, meta), ""))
    r = register.one(stats, RESPONSE, COMPLETE_PAIRS)
    if r is not None:
        of = _pairs_of(r, meta)
        rows.append(("Pairs in which every partner responded", display_count(r, meta), of))
    r = register.one(stats, RESPONSE, INTERVIEWS)
    if r is not None:
        parts = []
        for code, label in labels.items():
            g = register.one(stats, RESPONSE, INTERVIEWS, group=code)
            if g is not None:
                parts.append(f"{label} {display_count(g, meta)}")
        rows.append(("Interviews", display_count(r, meta), "; ".join(parts)))
    r = register.one(stats, RESPONSE, INTERVIEW_PAIRS)
    if r is not None:
        of = _pairs_of(r, meta)
        rows.append(("Pairs in which every partner was interviewed", display_count(r, meta), of))
    return pd.DataFrame(rows, columns=["Measure", "Value", "Detail"])


def rounded_shares(rows: list[pd.Series]) -> list[float]:
    """Composition shares rounded to one decimal by largest remainder (so they add to 100.0): the one rounding of
    the composition table and the key findings, so both print the same percentage."""
    return largest_remainder([float(row["estimate"]) for row in rows], 1)


def composition_table(res: Results) -> pd.DataFrame:
    """Respondents per group with shares adding to 100.0 (largest remainder), then combined groups (own rounding)."""
    stats, meta = res.stats, res.cohort.document
    columns = ["Group", "Respondents", "% of respondents (95 % CI)"]
    found = [
        (label, register.one(stats, COMPOSITION, SHARE, group=code))
        for code, label in res.cohort.group_labels().items()
    ]
    groups = [(label, row) for label, row in found if row is not None]
    rounded = rounded_shares([row for _, row in groups])
    out: list[list[str]] = []
    for (label, row), pct in zip(groups, rounded, strict=True):
        ci = fmt_interval(row["ci_low"], row["ci_high"])
        shown = display_count(row, meta) if bool(row["suppressed"]) else f"{pct:.1f} %" + (f" ({ci})" if ci else "")
        out.append([label, display_count(row, meta), shown])
    for combined in res.cohort.combined_groups:
        crow = register.one(stats, COMPOSITION, SHARE, group=combined.code)
        if crow is None:
            continue
        shown = share_ci_cell(crow, meta)
        out.append([combined.label, display_count(crow, meta), shown])
    return pd.DataFrame(out, columns=columns)


def survey_items(cohort: Cohort) -> tuple[Item, ...]:
    """The yes/no and Likert items of the instrument, in instrument order."""
    return cohort.items_of("yesno", "likert")


def _item_columns(cohort: Cohort) -> dict[str, str]:
    """Column code -> header for item tables: all respondents first, then groups in cohort order."""
    return cohort.group_labels(all_label=ALL_LABEL)


def median_label(item: Item, median: float) -> str:
    """The answer level at a median code (1 = first level); a half-way median names both levels."""
    if is_missing(median):
        return MISSING
    levels = list(item.levels)
    if item.reverse:
        levels = levels[::-1]
    lo, hi = math.floor(median), math.ceil(median)
    if not levels or lo < 1 or hi > len(levels):
        return fmt_num(median)
    if lo == hi:
        return levels[lo - 1]
    return f"between {levels[lo - 1]} and {levels[hi - 1]}"


def _item_measure(item: Item) -> tuple[str, str]:
    """(register measure, row label) of an item's headline percentage."""
    return (PCT_YES if item.type == "yesno" else PCT_AGREE), item.top_box_label


def items_table(res: Results) -> pd.DataFrame:
    """Per yes/no item % yes and per Likert item % agree and median level, one column per group (all first)."""
    stats, meta = res.stats, res.cohort.document
    cols = _item_columns(res.cohort)
    out: list[list[str]] = []
    for item in survey_items(res.cohort):
        measure, label = _item_measure(item)
        cells = [_item_cell(register.one(stats, ITEM, measure, item=item.id, group=g), meta) for g in cols]
        out.append([item.label, label, *cells])
        if item.type == "likert":
            meds = []
            for g in cols:
                row = register.one(stats, ITEM, MEDIAN, item=item.id, group=g)
                meds.append(MISSING if row is None or bool(row["suppressed"]) else median_label(item, row["estimate"]))
            out.append(["", "Median answer", *meds])
    return pd.DataFrame(out, columns=["Item", "Measure", *cols.values()])


def _item_cell(row: pd.Series | None, meta: Mapping[str, Any]) -> str:
    """`88.5 % (71.0–96.0); 23/26`: the share, its Wilson interval, the count and the number who answered."""
    if row is None or bool(row["suppressed"]):
        return share_ci_cell(row, meta) if row is not None else MISSING
    return f"{share_ci_cell(row, meta)}; {fmt_int(row['n'])}/{fmt_int(row['denominator'])}"


def items_note(res: Results) -> str:
    """The note over the item table (Markdown-safe text): who is counted and how a cell reads."""
    text = (
        "Percentage of those who answered the item, its 95 % Wilson interval in brackets, then the count "
        "and the number who answered."
    )
    if res.cohort.pre_post:
        text += " Post-programme responses only (the change section compares before and after)."
    return md_escape(text)


def items_ci_table(res: Results) -> pd.DataFrame:
    """The 95 % intervals of the percentages in `items_table`, same layout."""
    stats = res.stats
    cols = _item_columns(res.cohort)
    out: list[list[str]] = []
    for item in survey_items(res.cohort):
        measure, label = _item_measure(item)
        cells = [ci_cell(register.one(stats, ITEM, measure, item=item.id, group=g)) for g in cols]
        out.append([item.label, label, *cells])
    return pd.DataFrame(out, columns=["Item", "Measure", *cols.values()])


def themes_table(res: Results, source: str = "all") -> pd.DataFrame:
    """Table 1: participants with coded data per theme and (indented) subtheme, per group and all."""
    stats, meta = res.stats, res.cohort.document
    labels = res.cohort.group_labels()
    columns = ["Theme / subtheme", *labels.values(), "All"]

    def cells(node_id: str) -> list[str]:
        out = []
        for g in [*labels, "all"]:
            row = _participants(stats, node_id, g, source)
            out.append(MISSING if row is None else display_count(row, meta))
        return out

    rows = [[label, *cells(node)] for node, label, _ in _theme_nodes(res.cohort)]
    return pd.DataFrame(rows, columns=columns)


#: The sources of coded data, as the theme matrices name them.
SOURCES = {"all": "interviews and survey free text", "interview": "interviews", "survey": "survey free text"}


def _participants_cell(stats: pd.DataFrame, meta: Mapping[str, Any], node: str, group: str, source: str) -> str:
    """`6 of 9 (66.7 %)`: participants with a coded passage of the node, of those with coded data."""
    pct = register.one(stats, THEME, PCT_PARTICIPANTS, item=node, group=group, source=source)
    count = _participants(stats, node, group, source)
    if pct is not None and not bool(pct["suppressed"]):
        return f"{fmt_int(pct['n'])} of {fmt_int(pct['denominator'])} ({fmt_pct(pct['estimate'])})"
    if pct is not None:
        return display_count(pct, meta)
    return MISSING if count is None else display_count(count, meta)


def _segments_cell(stats: pd.DataFrame, meta: Mapping[str, Any], node: str, source: str) -> str:
    """`7 of 30`: coded segments under the node, of all coded segments (`coded_segments`) of the source (both
    register rows; no percentage is derived); the count alone where the register has no usable base."""
    seg = register.one(stats, THEME, SEGMENTS, item=node, source=source)
    if seg is None:
        return MISSING
    if bool(seg["suppressed"]):
        return display_count(seg, meta)
    base = register.one(stats, THEME, CODED_SEGMENTS, item="all", source=source)
    if base is None or bool(base["suppressed"]) or is_missing(base["estimate"]) or float(base["estimate"]) <= 0:
        return display_count(seg, meta)
    return f"{fmt_int(seg['estimate'])} of {fmt_int(base['estimate'])}"


def _coded(row: pd.Series | None) -> bool:
    """Whether a participants count may be non-zero (present and hidden, or above zero)."""
    return row is not None and (bool(row["suppressed"]) or float(row["estimate"]) > 0)


def _theme_nodes(cohort: Cohort) -> list[tuple[str, str, bool]]:
    """(id, row label, is a theme) of every theme and subtheme in codebook order, subthemes indented."""
    nodes: list[tuple[str, str, bool]] = []
    for theme in cohort.codebook.themes:
        nodes.append((theme.id, theme.label, True))
        nodes += [(sub.id, INDENT + sub.label, False) for sub in theme.subthemes]
    return nodes


def _participants(stats: pd.DataFrame, node: str, group: str, source: str) -> pd.Series | None:
    return register.one(stats, THEME, PARTICIPANTS, item=node, group=group, source=source)


def has_coded_themes(res: Results, source: str = "all") -> bool:
    """Whether any codebook node has coded participants in `source` (else `themes_matrix` is empty)."""
    return any(_coded(_participants(res.stats, node, "all", source)) for node, _, _ in _theme_nodes(res.cohort))


def themes_matrix(res: Results, source: str = "all") -> pd.DataFrame:
    """A QDA-style matrix: per theme and (indented) subtheme, participants "n of N (%)" by group and in all,
    and coded segments; no row for a subtheme nobody coded, no column for a group without coded data."""
    stats, meta = res.stats, res.cohort.document
    labels = res.cohort.group_labels()
    nodes = _theme_nodes(res.cohort)
    groups = [g for g in labels if any(_coded(_participants(stats, node, g, source)) for node, _, _ in nodes)]
    columns = ["Theme / subtheme", *(labels[g] for g in groups), "All participants", "Coded segments"]
    if not has_coded_themes(res, source):
        return pd.DataFrame(columns=columns)
    rows: list[list[str]] = []
    for node, label, is_theme in nodes:
        if not is_theme and not _coded(_participants(stats, node, "all", source)):
            continue
        cells = [_participants_cell(stats, meta, node, g, source) for g in [*groups, "all"]]
        rows.append([label, *cells, _segments_cell(stats, meta, node, source)])
    return pd.DataFrame(rows, columns=columns)


def _codebook_lookup(cohort: Cohort) -> tuple[dict[str, str], dict[str, tuple[str, int]], dict[str, str]]:
    """(theme id or label -> theme id, subtheme id or label -> (label, rank), theme id -> label)."""
    theme_of: dict[str, str] = {}
    sub_of: dict[str, tuple[str, int]] = {}
    theme_label: dict[str, str] = {}
    for theme in cohort.codebook.themes:
        theme_label[theme.id] = theme.label
        for key in (theme.id, theme.label):
            theme_of[key] = theme.id
        for rank, sub in enumerate(theme.subthemes):
            for key in (sub.id, sub.label):
                sub_of[key] = (sub.label, rank)
    return theme_of, sub_of, theme_label


def attribution(q: pd.Series, cohort: Cohort) -> str:
    """`Executive and senior leaders, P3`: the group's label and the pseudonym (never "SLT P3")."""
    who, group = str(q["attribution"]), str(q.get("group", ""))
    label = cohort.group_labels().get(group)
    if label and who.startswith(group + " "):
        return f"{label}, {who[len(group) + 1 :]}"
    return who


def _selected_quotes(res: Results) -> pd.DataFrame:
    """The quotes the report shows: those quotes.csv marks `selected`; all of them for an older quotes.csv."""
    quotes = res.quotes
    if "selected" not in quotes.columns:
        return quotes.assign(selected=quotes["subtheme"].astype(str).str.split(";").str[0])
    return quotes[quotes["selected"].astype(str) != ""]


def quote_tables(res: Results) -> dict[str, pd.DataFrame]:
    """One quote table per theme (codebook order): Subtheme, Quote, Attributed to; never any ids.

    Only the passages `analyses.quotes.select` chose (at most `quotes_per_subtheme` per subtheme, each
    passage once), each under the subtheme it was chosen for; `quote_appendix` lists them all.
    """
    columns = ["Subtheme", "Quote", "Attributed to"]
    theme_of, sub_of, _ = _codebook_lookup(res.cohort)
    quotes = res.quotes
    unknown = sorted(set(quotes["theme"]) - set(theme_of)) if not quotes.empty else []
    if unknown:
        raise ValueError(f"quotes.csv names themes that are not in the codebook: {', '.join(unknown)}")
    shown = _selected_quotes(res)
    tables: dict[str, pd.DataFrame] = {}
    for theme in res.cohort.codebook.themes:
        part = shown[shown["theme"].map(theme_of) == theme.id] if not shown.empty else shown
        records = []
        for position, (_, q) in enumerate(part.iterrows()):
            label, rank = sub_of.get(str(q["selected"]), (str(q["selected"]), len(sub_of)))
            records.append((rank, position, label, f"“{str(q['text']).strip()}”", attribution(q, res.cohort)))
        records.sort(key=lambda r: (r[0], r[1]))
        tables[theme.label] = pd.DataFrame([r[2:] for r in records], columns=columns)
    return tables


def quote_appendix(res: Results) -> pd.DataFrame:
    """Every consented passage (quotes.csv), for the appendix: Theme, Subthemes, Quote, Attributed to, Source."""
    theme_of, sub_of, theme_label = _codebook_lookup(res.cohort)
    rows = []
    for _, q in res.quotes.iterrows():
        subs = "; ".join(sub_of.get(x, (x, 0))[0] for x in str(q["subtheme"]).split(";"))
        theme = theme_label.get(theme_of.get(str(q["theme"]), ""), str(q["theme"]))
        source = "Interview" if str(q.get("source", "")) == "interview" else "Survey free text"
        rows.append([theme, subs, f"“{str(q['text']).strip()}”", attribution(q, res.cohort), source])
    return pd.DataFrame(rows, columns=["Theme", "Subthemes", "Quote", "Attributed to", "Source"])
