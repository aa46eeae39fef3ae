"""Presentation helpers for the organisation reports (`notebooks/organisation_report.ipynb`).

One notebook, two kinds of report: with a `unit` (e.g. an organisation) the unit's report, comparing it
with the other units and with the whole survey; with an empty `unit` the overview of all units (the
caterpillar plot and the list of reports). Reads only `<results_dir>/<cohort>/organisations/`
(the organisation register `statistics.csv`, `units.json`, the caterpillar plot) and the cohort's
`clean/cohort.json`. Numbers are only rounded; units withheld for having too few responses are never
named here and their counts are never shown.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pandas as pd

from workforce_eval import layout, names, register
from workforce_eval.analyses import families
from workforce_eval.register.labels import construct_label
from workforce_eval.register.measures import (
    BENCHMARK,
    DIFFERENCE_PEERS,
    DIFFERENCE_SURVEY,
    MEAN,
    P_ADJUSTED,
    PCT_AGREE,
    PCT_YES,
    RANK,
    RANK_RULE,
    RESPONSES,
    SURVEY_VALUE,
    UNITS,
    UNITS_WITHHELD,
)
from workforce_eval.register.notation import MISSING, disclosure_threshold, fmt_int, reversed_text
from workforce_eval.report import multiplicity
from workforce_eval.report.format import caption_html, fmt_num, fmt_p, fmt_pct
from workforce_eval.report.likert import REVERSED_SHARE
from workforce_eval.report.results import OrganisationResults

#: From the catalogue, as in analyses.benchmarking (not imported here: the kernel need not load scipy).
ANALYSIS = BENCHMARK
FLAG_TEXT = {"above": "Above", "similar": "Similar", "below": "Below"}
#: The flag rule of `analyses.benchmarking.flag`, for people.
#: The flag after adjustment (`analyses.benchmarking.ADJUSTED_FLAG_RULE`), for people.
ADJUSTED_FLAG_RULE = (
    "above (below) when the difference is positive (negative) and its adjusted p-value is below 0.05; similar otherwise"
)
FLAG_RULE = (
    "above (below) when the 95 % interval of the difference from the other organisations lies wholly above "
    "(below) zero; similar otherwise"
)


def column(res: OrganisationResults) -> str:
    """The survey column the reports are by (e.g. organisation)."""
    return str(res.meta.get("reports_by") or "organisation")


def noun(res: OrganisationResults, plural: bool = False) -> str:
    """How a unit is called in text: `organisation(s)`, or the column's name with spaces."""
    word = column(res).replace("_", " ")
    return word + "s" if plural else word


def unit_title(meta: dict[str, Any], unit: str) -> str:
    """`<unit> — <programme> <cohort>: organisation report`."""
    return f"{unit} — {meta.get('programme', '')} {meta.get('cohort', '')}: organisation report"


def overview_title(meta: dict[str, Any]) -> str:
    """`<programme> <cohort>: organisations compared`."""
    return f"{meta.get('programme', '')} {meta.get('cohort', '')}: organisations compared"


def _rows(res: OrganisationResults, measure: str) -> pd.DataFrame:
    return register.select(res.stats, ANALYSIS, measure)


def _one(res: OrganisationResults, measure: str, subgroup: str) -> float | None:
    rows = register.select(res.stats, ANALYSIS, measure, subgroup=subgroup)
    return None if rows.empty else float(rows["estimate"].iloc[0])


def _items(res: OrganisationResults) -> list[tuple[str, str]]:
    """(item id, label) of every item with a whole-survey value, in instrument order, then constructs; a
    reverse-coded item's label ends in "(reversed)"."""
    have = list(_rows(res, SURVEY_VALUE)["item"])
    items = [
        (str(i["id"]), reversed_text(str(i.get("text") or i["id"]), i.get("reverse")))
        for i in res.meta.get("items", [])
        if i["id"] in have
    ]
    known = {i for i, _ in items}
    return items + [(c, construct_label(c, res.meta)) for c in have if c not in known]


#: What each compared value is, by the register measure of the whole-survey value (`level` of `survey_value`).
MEASURE_TEXT = {PCT_YES: "% yes", PCT_AGREE: "% agree", MEAN: "mean"}


def measure_text(res: OrganisationResults, item: str, measure: str) -> str:
    """The measure a row of the comparison table shows: `% yes`, `% agree`, `mean`; for a reverse-coded item's
    `pct_agree` (its favourable levels, the two *disagree* levels of its wording) the report's one label
    `likert.REVERSED_SHARE`."""
    reverse = any(str(i["id"]) == item and i.get("reverse") for i in res.meta.get("items", []))
    if measure == PCT_AGREE and reverse:
        return REVERSED_SHARE
    return MEASURE_TEXT.get(measure, measure)


def _f(x: Any) -> float:
    return float(x)


def _value(measure: str, x: Any) -> str:
    return fmt_pct(float(x)) if measure in (PCT_YES, PCT_AGREE) else fmt_num(float(x), 2)


def _interval(measure: str, low: Any, high: Any) -> str:
    low, high = float(low), float(high)
    if measure in (PCT_YES, PCT_AGREE):
        return f"{fmt_num(low)} to {fmt_num(high)}"
    return f"{fmt_num(low, 2)} to {fmt_num(high, 2)}"


def unit_intro(res: OrganisationResults, unit: str) -> str:
    """Who answered in the unit, against the survey (plain text)."""
    sub = f"{column(res)}={unit}"
    n = _one(res, RESPONSES, sub)
    total = int(_rows(res, RESPONSES)["estimate"].sum())
    count = len(res.units)
    return (
        f"{unit}: {fmt_int(n) if n is not None else MISSING} responses. The survey's reported {noun(res, True)} "
        f"({count}) have {fmt_int(total)} responses between them. Each result of {unit} is set against the "
        f"other {noun(res, True)} pooled and against the whole survey.\n\n{unit_summary(res, unit)}"
    )


def _flag(peers: Any, adjusted: Any, adjusted_name: str) -> str:
    """The comparison with the others: the interval's flag, and the flag after adjustment where it differs
    ("Above; similar after Holm")."""
    before = FLAG_TEXT.get(str(peers.level), str(peers.level))
    if adjusted is None or str(adjusted.level) == str(peers.level):
        return before
    after = FLAG_TEXT.get(str(adjusted.level), str(adjusted.level)).lower()
    return f"{before}; {after} after {adjusted_name}"


def ranked(res: OrganisationResults) -> bool:
    """Whether the register ranks the units at all (`analyses.benchmarking`: only among MIN_RANKED_UNITS or more
    reported units): without ranks the reports have no rank column."""
    return not _rows(res, RANK).empty


def comparison_table(res: OrganisationResults, unit: str) -> pd.DataFrame:
    """Per item: the measure shown (a reverse-coded item marked and its favourable share named as disagreement),
    the unit's value (95 % CI), the whole survey's, the difference from the other units (95 % CI) and from the
    whole survey (95 % CI), how it compares (the flag, and the flag after adjustment where it differs), the
    adjusted p and, where the register ranks the units, the rank."""
    sub = f"{column(res)}={unit}"
    s = register.select(res.stats, ANALYSIS, subgroup=sub)
    by = {(r.item, r.measure): r for r in s.itertuples(index=False)}
    survey = {r.item: r for r in _rows(res, SURVEY_VALUE).itertuples(index=False)}
    adjusted_name = multiplicity.method_name(res.stats, ANALYSIS)
    with_rank = ranked(res)
    records = []
    for item, label in _items(res):
        measure = str(survey[item].level)
        own = by.get((item, measure))
        peers = by.get((item, DIFFERENCE_PEERS))
        adjusted = by.get((item, P_ADJUSTED))
        whole = by.get((item, DIFFERENCE_SURVEY))
        rank = by.get((item, RANK))
        digits = 1 if measure != MEAN else 2
        if own is None or peers is None or whole is None:
            record = [label, measure_text(res, item, measure), MISSING, _value(measure, survey[item].estimate)]
            record += [MISSING] * 4
        else:
            record = [
                label,
                measure_text(res, item, measure),
                f"{_value(measure, own.estimate)} ({_interval(measure, own.ci_low, own.ci_high)})",
                _value(measure, survey[item].estimate),
                f"{fmt_num(_f(peers.estimate), digits)} ({_interval(measure, peers.ci_low, peers.ci_high)})",
                f"{fmt_num(_f(whole.estimate), digits)} ({_interval(measure, whole.ci_low, whole.ci_high)})",
                _flag(peers, adjusted, adjusted_name),
                MISSING if adjusted is None else fmt_p(_f(adjusted.estimate)),
            ]
        if with_rank:
            record.append(f"{fmt_int(rank.estimate)} of {fmt_int(rank.denominator)}" if rank is not None else "")
        records.append(record)
    columns = [
        "Item",
        "Measure",
        f"{unit} (95 % CI)",
        "Whole survey",
        f"Difference from other {noun(res, True)} (95 % CI)",
        "Difference from whole survey (95 % CI)",
        "Compared with the others",
        f"p ({adjusted_name}, over the {noun(res)}'s items)",
    ]
    return pd.DataFrame(records, columns=columns + (["Rank (1 = most favourable)"] if with_rank else []))


def comparison_caption(res: OrganisationResults) -> str:
    """The caption of a unit report's comparison table (the rank named only where the register ranks the units)."""
    return (
        "Table 1. Each item and scale score: the value here (95 % CI), in the whole survey, the difference from the "
        f"other {noun(res, True)} pooled and from the whole survey (95 % CIs), whether it is above, similar or below "
        "(and after adjustment for multiplicity), the adjusted p" + (", and the rank." if ranked(res) else ".")
    )


def unit_summary(res: OrganisationResults, unit: str) -> str:
    """A short summary of a unit's comparisons (plain text): on how many items it is above, similar to and below
    the other units, and, after adjustment for multiplicity, which items remain above or below."""
    counts = flag_counts(res, unit)
    total = sum(counts.values())
    if not total:
        return f"No item had enough answers in {unit} to be compared."
    name = multiplicity.method_name(res.stats, ANALYSIS)
    what = "the one item" if total == 1 else f"the {total} items and scores"
    tests = "its one comparison" if total == 1 else f"its {total} comparisons"
    text = (
        f"Summary: of {what} compared, {unit} is above the other {noun(res, True)} pooled "
        f"on {counts['above']}, similar on {counts['similar']} and below on {counts['below']} (by the 95 % "
        "interval of the difference)."
    )
    rows = register.select(res.stats, ANALYSIS, P_ADJUSTED, subgroup=f"{column(res)}={unit}")
    if rows.empty:  # no adjusted p-values in the register: nothing to say about adjustment
        return text
    labels = dict(_items(res))
    parts = []
    for flag in ("above", "below"):
        items = [labels.get(str(i), str(i)) for i in rows.loc[rows["level"] == flag, "item"]]
        if items:
            parts.append(f"{flag} on {len(items)} ({'; '.join(items)})")
    if parts:
        text += f" After {name} adjustment over {tests} it remains " + " and ".join(parts) + "."
    else:
        text += f" After {name} adjustment over {tests} no difference remains."
    return text


def flag_counts(res: OrganisationResults, unit: str, adjusted: bool = False) -> dict[str, int]:
    """How many items the unit is above, similar to and below the other units on (after adjustment for
    multiplicity with `adjusted`)."""
    measure = P_ADJUSTED if adjusted else DIFFERENCE_PEERS
    rows = register.select(res.stats, ANALYSIS, measure, subgroup=f"{column(res)}={unit}")
    return {f: int((rows["level"] == f).sum()) for f in FLAG_TEXT}


def overview_intro(res: OrganisationResults) -> str:
    """How many units have a report and how many were withheld (never their names or counts)."""
    k = disclosure_threshold(res.meta)
    reported = _one(res, UNITS, column(res))
    withheld = _one(res, UNITS_WITHHELD, column(res))
    text = f"{fmt_int(reported or 0)} {noun(res, True)} have a report of their own."
    if withheld:
        text += (
            f" {fmt_int(withheld)} {noun(res, True) if withheld != 1 else noun(res)} had fewer than {k} responses: "
            "they get no report and are not named, and their responses count only towards the whole survey "
            "and the other organisations' comparisons."
        )
    else:
        text += f" Every {noun(res)} had at least {k} responses (the disclosure threshold)."
    return text


def units_table_html(res: OrganisationResults, caption: str = "") -> str:
    """Every reported unit with its responses, its flags and a link to its report, as escaped HTML (with a
    `<caption>` when given; the unit's name heads its row)."""
    head = ["Organisation" if column(res) == "organisation" else noun(res).capitalize(), "Responses"]
    head += ["Items above", "Similar", "Below", f"Above or below after {multiplicity.method_name(res.stats, ANALYSIS)}"]
    head += ["Report"]
    lines = ["<table>" + caption_html(caption)]
    lines.append("<thead><tr>" + "".join(f'<th scope="col">{html.escape(h)}</th>' for h in head) + "</tr></thead>")
    lines.append("<tbody>")
    for u in res.units:
        counts = flag_counts(res, u["value"])
        n = _one(res, RESPONSES, f"{column(res)}={u['value']}")
        href = f"{layout.UNIT_REPORTS_DIR}/{u['slug']}.html"
        cells = [html.escape(u["value"]), fmt_int(n) if n is not None else MISSING]
        cells += [str(counts["above"]), str(counts["similar"]), str(counts["below"])]
        after = flag_counts(res, u["value"], adjusted=True)
        cells.append(str(after["above"] + after["below"]))
        cells.append(f'<a href="{html.escape(href)}">{html.escape(u["slug"])}.html</a>')
        lines.append(f'<tr><th scope="row">{cells[0]}</th>' + "".join(f"<td>{c}</td>" for c in cells[1:]) + "</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def methods_text(res: OrganisationResults) -> str:
    """How the comparisons are made (plain text)."""
    k = disclosure_threshold(res.meta)
    return (
        f"Each {noun(res)} is compared with the other {noun(res, True)} pooled: for percentages the difference "
        "in percentage points with Newcombe's hybrid score 95 % interval, for means the difference with Welch's "
        "95 % interval. The difference from the whole survey (which includes the organisation itself) is that "
        "difference times the share of the survey's answers the organisation does not give, and so is its interval. "
        "Flag: "
        f"{FLAG_RULE}. Ranks: {RANK_RULE}. Only {noun(res, True)} "
        f"with at least {k} responses get a report, and an item is left out of a report when fewer than {k} of "
        "its respondents answered it. Flags over many items will show some differences by chance alone: the "
        f"p-value of each difference (Welch's t test for means, the Miettinen-Nurminen score test for "
        f"percentages) is therefore also adjusted, and the flag after adjustment is {ADJUSTED_FLAG_RULE}."
        + _family(res)
    )


def _family(res: OrganisationResults) -> str:
    """The sentence on the organisation's family of tests, with a leading space; empty without one."""
    sentence = multiplicity.family_sentence(res.stats, families.BENCHMARK_FLAGS)
    return " " + sentence if sentence else ""


def caterpillar_path(res: OrganisationResults) -> Path | None:
    """The caterpillar plot's PNG, or None when it was not made."""
    return res.figure_path(names.CATERPILLAR)
