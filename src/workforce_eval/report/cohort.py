"""Section builders of the cohort report notebook (`notebooks/cohort_report.ipynb`).

Everything here only *reads* results: numbers come from the cohort's statistics register
(`statistics.csv`), labels from `clean/cohort.json`, quotes from `quotes.csv`. Nothing is
estimated here; numbers are only rounded and formatted for display.
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from workforce_eval import layout, register
from workforce_eval.analyses.quotes import QUOTE_COLUMNS
from workforce_eval.register import spreadsheet
from workforce_eval.register.labels import group_labels
from workforce_eval.register.measures import PCT_AGREE, PCT_YES
from workforce_eval.register.notation import (
    CONCEALED,
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
from workforce_eval.stats.rounding import largest_remainder

#: A group is "notably smaller" when it has fewer than this share of the largest group's respondents.
SMALLER_GROUP_RATIO = 0.75

#: Below this many respondents a group's percentages rest on small numbers.
SMALL_GROUP = 5

#: Response rates below this (percent) get a response-bias limitation.
LOW_RESPONSE_RATE = 60.0

ALL_LABEL = "All respondents"


@dataclass(frozen=True)
class Results:
    """One cohort's results as the report reads them."""

    stats: pd.DataFrame
    meta: dict[str, Any]
    quotes: pd.DataFrame
    figures: Path


# --------------------------------------------------------------------------- loading


def load_results(results_dir: Path, cohort_id: str) -> Results:
    """Read a cohort's register, cohort.json and quotes.csv from `<results_dir>/<cohort_id>/`."""
    here = layout.cohort(results_dir, cohort_id)
    stats = register.read(here.statistics)
    meta = json.loads(here.cohort_json.read_text(encoding="utf-8"))
    quotes_path = here.quotes
    if quotes_path.exists():
        quotes = spreadsheet.restore_frame(pd.read_csv(quotes_path, dtype=str, keep_default_na=False, encoding="utf-8"))
    else:
        quotes = pd.DataFrame({c: pd.Series(dtype=str) for c in QUOTE_COLUMNS})
    return Results(stats=stats, meta=meta, quotes=quotes, figures=here.figures_dir)


# --------------------------------------------------------------------------- metadata helpers


def title(meta: dict[str, Any]) -> str:
    """The report title, `<programme> — <cohort> cohort evaluation report` (no "cohort Cohort 2")."""
    cohort = str(meta.get("cohort", meta.get("cohort_id", "")))
    named = cohort if "cohort" in cohort.lower() else f"{cohort} cohort"
    return f"{meta.get('programme', '')} — {named} evaluation report"


def figure_path(res: Results, name: str) -> Path | None:
    """The PNG of a figure, or None when it was not produced."""
    path = res.figures / f"{name}.png"
    return path if path.exists() else None


# --------------------------------------------------------------------------- tables


def _pairs_of(row: pd.Series, meta: dict[str, Any]) -> str:
    """`of 27 pairs`; `of <k pairs` when the row is suppressed and the number of pairs is itself small."""
    if is_missing(row["denominator"]):
        return ""
    pairs = float(row["denominator"])
    if bool(row["suppressed"]) and 0 < pairs < disclosure_threshold(meta):
        return f"of <{disclosure_threshold(meta)} pairs"
    return f"of {fmt_int(pairs)} pairs"


def response_summary(res: Results) -> pd.DataFrame:
    """Invited, responses, response rate (with CI), complete pairs and interviews, where the register has them."""
    stats, meta = res.stats, res.meta
    labels = group_labels(meta)
    rows: list[tuple[str, str, str]] = []
    r = register.find(stats, "response", "invited")
    if r is not None:
        rows.append(("Invited to the survey", display_count(r, meta), ""))
    r = register.find(stats, "response", "responses")
    if r is not None:
        rows.append(("Survey responses", display_count(r, meta), ""))
    r = register.find(stats, "response", "response_rate")
    counted = register.find(stats, "response", "counted_responses")
    invited = register.find(stats, "response", "invited")
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
        ("anonymous_responses", "Anonymous responses (counted in the rate: only invited people had the link)"),
        ("uninvited_responses", "Responses from people marked not invited (left out of the rate)"),
    ):
        extra = register.find(stats, "response", measure)
        if extra is not None and (bool(extra["suppressed"]) or float(extra["estimate"]) > 0):
            rows.append((what, display_count(extra, meta), ""))
    r = register.find(stats, "response", "complete_pairs")
    if r is not None:
        of = _pairs_of(r, meta)
        rows.append(("Pairs in which every partner responded", display_count(r, meta), of))
    r = register.find(stats, "response", "interviews")
    if r is not None:
        parts = []
        for code, label in labels.items():
            g = register.find(stats, "response", "interviews", group=code)
            if g is not None:
                parts.append(f"{label} {display_count(g, meta)}")
        rows.append(("Interviews", display_count(r, meta), "; ".join(parts)))
    r = register.find(stats, "response", "interview_pairs")
    if r is not None:
        of = _pairs_of(r, meta)
        rows.append(("Pairs in which every partner was interviewed", display_count(r, meta), of))
    return pd.DataFrame(rows, columns=["Measure", "Value", "Detail"])


def composition_table(res: Results) -> pd.DataFrame:
    """Respondents per group with shares adding to 100.0 (largest remainder), then combined groups (own rounding)."""
    stats, meta = res.stats, res.meta
    columns = ["Group", "Respondents", "% of respondents (95 % CI)"]
    found = [
        (label, register.find(stats, "composition", "share", group=code)) for code, label in group_labels(meta).items()
    ]
    groups = [(label, row) for label, row in found if row is not None]
    rounded = largest_remainder([float(row["estimate"]) for _, row in groups], 1)
    out: list[list[str]] = []
    for (label, row), pct in zip(groups, rounded, strict=True):
        ci = fmt_interval(row["ci_low"], row["ci_high"])
        shown = display_count(row, meta) if bool(row["suppressed"]) else f"{pct:.1f} %" + (f" ({ci})" if ci else "")
        out.append([label, display_count(row, meta), shown])
    for combined in meta.get("combined_groups", []):
        crow = register.find(stats, "composition", "share", group=str(combined["code"]))
        if crow is None:
            continue
        shown = share_ci_cell(crow, meta)
        out.append([str(combined["label"]), display_count(crow, meta), shown])
    return pd.DataFrame(out, columns=columns)


def _survey_items(meta: dict[str, Any]) -> list[dict[str, Any]]:
    """The yes/no and Likert items of the instrument, in instrument order."""
    return [i for i in meta.get("items", []) if i.get("type") in ("yesno", "likert")]


def _item_columns(meta: dict[str, Any]) -> dict[str, str]:
    """Column code -> header for item tables: all respondents first, then groups in cohort order."""
    return {"all": ALL_LABEL, **group_labels(meta)}


def median_label(item: dict[str, Any], median: float) -> str:
    """The answer level at a median code (1 = first level); a half-way median names both levels."""
    if is_missing(median):
        return MISSING
    levels = list(item.get("levels") or [])
    if item.get("reverse"):
        levels = levels[::-1]
    lo, hi = math.floor(median), math.ceil(median)
    if not levels or lo < 1 or hi > len(levels):
        return fmt_num(median)
    if lo == hi:
        return levels[lo - 1]
    return f"between {levels[lo - 1]} and {levels[hi - 1]}"


def _item_measure(item: dict[str, Any]) -> tuple[str, str]:
    """(register measure, row label) of an item's headline percentage."""
    if item["type"] == "yesno":
        top = (item.get("levels") or ["", "Yes"])[-1]
        return PCT_YES, f"% {top}"
    if item.get("reverse"):
        return PCT_AGREE, "% in top two levels (reverse-coded item)"
    return PCT_AGREE, "% agree"


def items_table(res: Results) -> pd.DataFrame:
    """Per yes/no item % yes and per Likert item % agree and median level, one column per group (all first)."""
    stats, meta = res.stats, res.meta
    cols = _item_columns(meta)
    out: list[list[str]] = []
    for item in _survey_items(meta):
        measure, label = _item_measure(item)
        cells = [_item_cell(register.find(stats, "item", measure, item=item["id"], group=g), meta) for g in cols]
        out.append([str(item.get("text") or item["id"]), label, *cells])
        if item["type"] == "likert":
            meds = []
            for g in cols:
                row = register.find(stats, "item", "median", item=item["id"], group=g)
                meds.append(MISSING if row is None or bool(row["suppressed"]) else median_label(item, row["estimate"]))
            out.append(["", "Median answer", *meds])
    return pd.DataFrame(out, columns=["Item", "Measure", *cols.values()])


def _item_cell(row: pd.Series | None, meta: dict[str, Any]) -> str:
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
    if res.meta.get("design") == "pre_post":
        text += " Post-programme responses only (the change section compares before and after)."
    return md_escape(text)


def items_ci_table(res: Results) -> pd.DataFrame:
    """The 95 % intervals of the percentages in `items_table`, same layout."""
    stats, meta = res.stats, res.meta
    cols = _item_columns(meta)
    out: list[list[str]] = []
    for item in _survey_items(meta):
        measure, label = _item_measure(item)
        cells = [ci_cell(register.find(stats, "item", measure, item=item["id"], group=g)) for g in cols]
        out.append([str(item.get("text") or item["id"]), label, *cells])
    return pd.DataFrame(out, columns=["Item", "Measure", *cols.values()])


def themes_table(res: Results, source: str = "all") -> pd.DataFrame:
    """Table 1: participants with coded data per theme and (indented) subtheme, per group and all."""
    stats, meta = res.stats, res.meta
    labels = group_labels(meta)
    columns = ["Theme / subtheme", *labels.values(), "All"]

    def cells(node_id: str) -> list[str]:
        out = []
        for g in [*labels, "all"]:
            row = register.find(stats, "theme", "participants", item=node_id, group=g, source=source)
            out.append(MISSING if row is None else display_count(row, meta))
        return out

    rows: list[list[str]] = []
    for theme in meta.get("codebook", []):
        rows.append([str(theme["label"]), *cells(str(theme["id"]))])
        for sub in theme.get("subthemes", []):
            rows.append([INDENT + str(sub["label"]), *cells(str(sub["id"]))])
    return pd.DataFrame(rows, columns=columns)


#: The sources of coded data, as the theme matrices name them.
SOURCES = {"all": "interviews and survey free text", "interview": "interviews", "survey": "survey free text"}


def _participants_cell(stats: pd.DataFrame, meta: dict[str, Any], node: str, group: str, source: str) -> str:
    """`6 of 9 (66.7 %)`: participants with a coded passage of the node, of those with coded data."""
    pct = register.find(stats, "theme", "pct_participants", item=node, group=group, source=source)
    count = register.find(stats, "theme", "participants", item=node, group=group, source=source)
    if pct is not None and not bool(pct["suppressed"]):
        return f"{fmt_int(pct['n'])} of {fmt_int(pct['denominator'])} ({fmt_pct(pct['estimate'])})"
    if pct is not None:
        return display_count(pct, meta)
    return MISSING if count is None else display_count(count, meta)


def _segments_cell(stats: pd.DataFrame, meta: dict[str, Any], node: str, source: str) -> str:
    """`7 of 30`: coded segments under the node, of all coded segments (`coded_segments`) of the source (both
    register rows; no percentage is derived); the count alone where the register has no usable base."""
    seg = register.find(stats, "theme", "segments", item=node, source=source)
    if seg is None:
        return MISSING
    if bool(seg["suppressed"]):
        return display_count(seg, meta)
    base = register.find(stats, "theme", "coded_segments", item="all", source=source)
    if base is None or bool(base["suppressed"]) or is_missing(base["estimate"]) or float(base["estimate"]) <= 0:
        return display_count(seg, meta)
    return f"{fmt_int(seg['estimate'])} of {fmt_int(base['estimate'])}"


def _coded(row: pd.Series | None) -> bool:
    """Whether a participants count may be non-zero (present and hidden, or above zero)."""
    return row is not None and (bool(row["suppressed"]) or float(row["estimate"]) > 0)


def themes_matrix(res: Results, source: str = "all") -> pd.DataFrame:
    """A QDA-style matrix: per theme and (indented) subtheme, participants "n of N (%)" by group and in all,
    and coded segments; no row for a subtheme nobody coded, no column for a group without coded data."""
    stats, meta = res.stats, res.meta
    labels = group_labels(meta)
    nodes: list[tuple[str, str, bool]] = []
    for theme in meta.get("codebook", []):
        nodes.append((str(theme["id"]), str(theme["label"]), True))
        nodes += [(str(sub["id"]), INDENT + str(sub["label"]), False) for sub in theme.get("subthemes", [])]

    def found(node: str, group: str) -> pd.Series | None:
        return register.find(stats, "theme", "participants", item=node, group=group, source=source)

    groups = [g for g in labels if any(_coded(found(node, g)) for node, _, _ in nodes)]
    columns = ["Theme / subtheme", *(labels[g] for g in groups), "All participants", "Coded segments"]
    rows: list[list[str]] = []
    for node, label, is_theme in nodes:
        if not is_theme and not _coded(found(node, "all")):
            continue
        cells = [_participants_cell(stats, meta, node, g, source) for g in [*groups, "all"]]
        rows.append([label, *cells, _segments_cell(stats, meta, node, source)])
    if not any(_coded(found(node, "all")) for node, _, _ in nodes):
        return pd.DataFrame(columns=columns)
    return pd.DataFrame(rows, columns=columns)


def _codebook_lookup(meta: dict[str, Any]) -> tuple[dict[str, str], dict[str, tuple[str, int]], dict[str, str]]:
    """(theme id or label -> theme id, subtheme id or label -> (label, rank), theme id -> label)."""
    theme_of: dict[str, str] = {}
    sub_of: dict[str, tuple[str, int]] = {}
    theme_label: dict[str, str] = {}
    for theme in meta.get("codebook", []):
        theme_label[str(theme["id"])] = str(theme["label"])
        for key in (str(theme["id"]), str(theme["label"])):
            theme_of[key] = str(theme["id"])
        for rank, sub in enumerate(theme.get("subthemes", [])):
            for key in (str(sub["id"]), str(sub["label"])):
                sub_of[key] = (str(sub["label"]), rank)
    return theme_of, sub_of, theme_label


def attribution(q: pd.Series, meta: dict[str, Any]) -> str:
    """`Executive and senior leaders, P3`: the group's label and the pseudonym (never "SLT P3")."""
    who, group = str(q["attribution"]), str(q.get("group", ""))
    label = group_labels(meta).get(group)
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
    theme_of, sub_of, _ = _codebook_lookup(res.meta)
    quotes = res.quotes
    unknown = sorted(set(quotes["theme"]) - set(theme_of)) if not quotes.empty else []
    if unknown:
        raise ValueError(f"quotes.csv names themes that are not in the codebook: {', '.join(unknown)}")
    shown = _selected_quotes(res)
    tables: dict[str, pd.DataFrame] = {}
    for theme in res.meta.get("codebook", []):
        tid = str(theme["id"])
        part = shown[shown["theme"].map(theme_of) == tid] if not shown.empty else shown
        records = []
        for position, (_, q) in enumerate(part.iterrows()):
            label, rank = sub_of.get(str(q["selected"]), (str(q["selected"]), len(sub_of)))
            records.append((rank, position, label, f"“{str(q['text']).strip()}”", attribution(q, res.meta)))
        records.sort(key=lambda r: (r[0], r[1]))
        tables[str(theme["label"])] = pd.DataFrame([r[2:] for r in records], columns=columns)
    return tables


def quote_appendix(res: Results) -> pd.DataFrame:
    """Every consented passage (quotes.csv), for the appendix: Theme, Subthemes, Quote, Attributed to, Source."""
    theme_of, sub_of, theme_label = _codebook_lookup(res.meta)
    rows = []
    for _, q in res.quotes.iterrows():
        subs = "; ".join(sub_of.get(x, (x, 0))[0] for x in str(q["subtheme"]).split(";"))
        theme = theme_label.get(theme_of.get(str(q["theme"]), ""), str(q["theme"]))
        source = "Interview" if str(q.get("source", "")) == "interview" else "Survey free text"
        rows.append([theme, subs, f"“{str(q['text']).strip()}”", attribution(q, res.meta), source])
    return pd.DataFrame(rows, columns=["Theme", "Subthemes", "Quote", "Attributed to", "Source"])


# --------------------------------------------------------------------------- text


def _labelled(pairs: list[tuple[str, str]]) -> str:
    """`A (n = 9) and B (n = 3)` from (label, count) pairs."""
    parts = [f"{label} (n = {count})" for label, count in pairs]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def limitations(res: Results) -> list[str]:
    """Limitations sentences generated from the register (response, group sizes, interviews, synthetic data)."""
    stats, meta = res.stats, res.meta
    labels = group_labels(meta)
    out: list[str] = []

    rate = register.find(stats, "response", "response_rate")
    if rate is not None and not bool(rate["suppressed"]) and float(rate["estimate"]) < LOW_RESPONSE_RATE:
        out.append(
            f"The response rate was {fmt_pct(rate['estimate'])} ({fmt_int(rate['n'])} of "
            f"{fmt_int(rate['denominator'])} invited participants). People who chose to answer may differ "
            "from those who did not, so the survey results may not represent the whole cohort."
        )

    counts = {}
    for code in labels:
        row = register.find(stats, "response", "responses", group=code)
        if row is not None and not bool(row["suppressed"]):  # a hidden count must not show through the wording
            counts[code] = row
    if counts:
        largest = max(counts, key=lambda c: float(counts[c]["estimate"]))
        top = float(counts[largest]["estimate"])
        smaller = [c for c in counts if c != largest and float(counts[c]["estimate"]) < SMALLER_GROUP_RATIO * top]
        if smaller:
            out.append(
                "Fewer respondents came from "
                + _labelled([(labels[c], display_count(counts[c], meta)) for c in smaller])
                + f" than from {_labelled([(labels[largest], display_count(counts[largest], meta))])}, "
                "so figures for all respondents lean towards the views of the larger group."
            )
        none = [c for c in counts if float(counts[c]["estimate"]) == 0]
        if none:
            out.append(f"No survey responses came from {_and([labels[c] for c in none])}.")
        small = [c for c in counts if 0 < float(counts[c]["estimate"]) < SMALL_GROUP]
        if small:
            pairs = _labelled([(labels[c], display_count(counts[c], meta)) for c in small])
            out.append(
                f"Very few people responded in {pairs}: percentages for "
                f"{'this group' if len(small) == 1 else 'these groups'} rest on very small numbers "
                "and their confidence intervals are wide."
            )

    interviews = register.find(stats, "response", "interviews")
    if interviews is not None:
        if float(interviews["estimate"]) == 0:
            out.append("No interviews were recorded for this cohort, so the themes rest on survey free text only.")
        else:
            missing = []
            for code in labels:
                row = register.find(stats, "response", "interviews", group=code)
                if row is not None and not bool(row["suppressed"]) and float(row["estimate"]) == 0:
                    missing.append(labels[code])
            if missing:
                out.append(
                    f"No interviews were held with {_and(missing)}, so the interview themes do not "
                    f"include {'this group' if len(missing) == 1 else 'these groups'} directly."
                )

    if bool(stats["suppressed"].any()):
        k = disclosure_threshold(meta)
        out.append(
            f"To protect people in small groups, counts below {k} (and numbers resting on them) are shown "
            f"as “<{k}” and numbers that would reveal them as “{CONCEALED}”; those results cannot be read "
            "from this report."
        )

    if meta.get("synthetic"):
        out.append(
            "The data are synthetic: they were invented by the pipeline's generator and do not come from "
            "real participants. The numbers and quotes illustrate the method only and say nothing about "
            "the programme."
        )
    return out


def _and(items: list[str]) -> str:
    """`a, b and c`."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def limitations_html(res: Results) -> str:
    """The limitations as an escaped HTML bullet list."""
    items = "".join(f"<li>{html.escape(s)}</li>" for s in limitations(res))
    return f"<ul>{items}</ul>"


def synthetic_banner(meta: dict[str, Any]) -> str | None:
    """A clearly visible HTML banner for synthetic data, or None for real data."""
    if not meta.get("synthetic"):
        return None
    return (
        '<div role="alert" style="border: 3px solid #b00020; background: #fde8ea; color: #5f0010; '
        'padding: 0.8em 1em; margin: 0 0 1em 0; font-size: 1.15em;">'
        "<strong>SYNTHETIC DATA</strong> — this report was generated from invented data, "
        "not real participants. The numbers and quotes illustrate the method only."
        "</div>"
    )


def disclosure_note(meta: dict[str, Any]) -> str:
    """One or two sentences on disclosure control and the threshold in force for this cohort."""
    k = disclosure_threshold(meta)
    counts = "a count of 1" if k == 2 else f"counts from 1 to {k - 1}"
    text = (
        f"Disclosure control: {counts}, and the percentages, intervals and medians that rest on them, "
        f"are shown as “<{k}”; a number hidden only so that such a count cannot be worked out from it "
        f"(for example from a total and the other groups) is shown as “{CONCEALED}”. A zero is never "
        "hidden for being small."
    )
    default = meta.get("disclosure_threshold_default")
    if meta.get("disclosure_threshold_source") == "cohort.yaml":
        reason = str((meta.get("extra") or {}).get("disclosure_threshold_reason") or "").strip().rstrip(".")
        text += f" The threshold of {k} is set for this cohort in cohort.yaml"
        if default is not None and int(default) != k:
            text += f" (the project default is {int(default)})"
        text += f", {reason}." if reason else "."
    else:
        text += f" The threshold of {k} is the project default."
    return text


def about_text(res: Results, cohort_id: str) -> str:
    """The 'About this report' paragraph (Markdown)."""
    return (
        f"This report was generated by the `workforce_eval` pipeline for cohort id `{cohort_id}` "
        "from the cohort's statistics register (`statistics.csv`), its cleaned metadata "
        "(`clean/cohort.json`) and its quote table (`quotes.csv`). Every number shown is read from "
        "`statistics.csv`, where it is stored unrounded with its count, denominator, interval and "
        "method, so each can be traced back to one register row. Percentages are rounded to one "
        "decimal for display; the group shares in the composition table use largest-remainder "
        "rounding so that they add up to 100.0. Intervals are 95 % confidence intervals. Quotes are "
        "passages whose speakers consented to quotation, attributed by pseudonym and group only. "
        + md_escape(disclosure_note(res.meta))
    )
