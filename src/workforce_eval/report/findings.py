"""Key findings: five to eight sentences generated from the statistics register by fixed rules.

Every sentence carries its number, its n (count and denominator) and, where the register has one, its 95 %
interval; a row that disclosure control suppressed is never used (a rule whose row is suppressed or absent
gives no sentence). The rules, in the order the sentences appear:

1. **Response.** With a response rate: "n of N invited people answered the survey (rate, 95 % CI)". With
   responses but no rate (no invited count, or more responses than invited): the number of responses and
   that no response rate can be given.
2. **Representativeness.** The group with the largest share of respondents (composition `share`), with
   its count, the number of respondents and the interval; said only when the cohort has two or more groups.
   The percentage is rounded as in the composition table (largest remainder, so the shares add to 100.0).
3. **Strongest item.** Among the yes/no (`pct_yes`) and Likert (`pct_agree`) items, all respondents: the
   highest percentage (ties: instrument order). Reverse-coded items count their favourable answers
   (disagreeing with the statement) and are marked "(reversed)".
4. **Weakest item.** The lowest percentage by the same rule, when it is another item.
5. **Change (pre/post only).** The scale (construct) or, without scales, the item with the largest
   absolute paired-t mean change (`paired_t`, all linked participants): the change, n linked, interval and
   the Holm-adjusted paired-t p (`p_holm_t`).
6. **How many items changed (pre/post only).** How many items' paired-t intervals lie wholly above zero
   (improvement in the favourable direction) out of the items tested.
7. **Main theme.** The theme (top level of the codebook) with the most participants (`pct_participants`,
   all groups and sources): n of N participants, percentage and interval; ties: codebook order.
8. **Second theme.** The next theme by the same rule.

Sentences are returned as plain text; the notebook escapes them.
"""

from __future__ import annotations

import pandas as pd

from workforce_eval import register
from workforce_eval.inputs.metadata import Cohort, Item
from workforce_eval.register.labels import construct_label
from workforce_eval.register.measures import (
    COMPOSITION,
    ITEM,
    P_HOLM_T,
    PAIRED_T,
    PCT_AGREE,
    PCT_PARTICIPANTS,
    PCT_YES,
    PRE_POST,
    RESPONSE,
    RESPONSE_RATE,
    RESPONSES,
    SHARE,
    THEME,
)
from workforce_eval.register.notation import REVERSED, fmt_int, is_missing
from workforce_eval.report.format import CI_LABEL, DASH, fmt_interval, fmt_num, fmt_p, fmt_pct
from workforce_eval.stats.rounding import largest_remainder

#: A register row (`register.one`), as the rules use it.
Row = pd.Series


def _usable(row: Row | None) -> bool:
    """A row a finding may use: present, not suppressed, with an estimate."""
    return row is not None and not bool(row["suppressed"]) and not is_missing(row["estimate"])


def interval(row: Row, decimals: int = 1, unit: str = "") -> str:
    """`95 % CI 36.1–62.1` (with `unit`, e.g. " %", after the upper end); empty without an interval."""
    ci = fmt_interval(row["ci_low"], row["ci_high"], decimals, DASH, CI_LABEL)
    return f"{ci}{unit}" if ci else ""


def _counts(row: Row) -> str:
    """`26 of 53; 95 % CI 36.1–62.1 %`."""
    text = f"{fmt_int(row['n'])} of {fmt_int(row['denominator'])}"
    ci = interval(row, unit=" %")
    return f"{text}; {ci}" if ci else text


def _share(row: Row) -> str:
    """`49.1 %, 26 of 53; 95 % CI 36.1–62.1 %`."""
    return f"{fmt_pct(row['estimate'])}, {_counts(row)}"


def _item_text(item: Item) -> str:
    return f"“{item.label.strip()}”" + (REVERSED if item.reverse else "")


def response_finding(stats: pd.DataFrame, cohort: Cohort) -> str | None:
    """Rule 1."""
    rate = register.one(stats, RESPONSE, RESPONSE_RATE)
    if _usable(rate):
        assert rate is not None
        return (
            f"{fmt_int(rate['n'])} of {fmt_int(rate['denominator'])} invited people answered the survey, "
            f"a response rate of {fmt_pct(rate['estimate'])} ({interval(rate, unit=' %')})."
        )
    responses = register.one(stats, RESPONSE, RESPONSES)
    if _usable(responses) and float(responses["estimate"]) > 0:  # type: ignore[index]
        assert responses is not None
        return (
            f"The survey received {fmt_int(responses['estimate'])} responses; the number of people invited "
            "is not known, so no response rate is given."
        )
    return None


def composition_finding(stats: pd.DataFrame, cohort: Cohort) -> str | None:
    """Rule 2."""
    labels = cohort.group_labels()
    if len(labels) < 2:
        return None
    rows = [(code, register.one(stats, COMPOSITION, SHARE, group=code)) for code in labels]
    found = [(code, row) for code, row in rows if row is not None]
    # the same largest-remainder rounding as the composition table, so the two show the same percentage
    rounded = largest_remainder([float(row["estimate"]) for _, row in found], 1)
    usable = [(code, row, pct) for (code, row), pct in zip(found, rounded, strict=True) if _usable(row)]
    if not usable:
        return None
    code, row, pct = max(usable, key=lambda c: float(c[1]["estimate"]))
    return f"The largest group among respondents was {labels[code]} ({pct:.1f} %, {_counts(row)})."


def _item_rows(stats: pd.DataFrame, cohort: Cohort) -> list[tuple[Item, Row]]:
    out = []
    for item in cohort.items_of("yesno", "likert"):
        row = register.one(stats, ITEM, PCT_YES if item.type == "yesno" else PCT_AGREE, item=item.id)
        if row is not None and _usable(row):
            out.append((item, row))
    return out


def _item_sentence(lead: str, item: Item, row: Row) -> str:
    what = "answered yes" if item.type == "yesno" else "answered favourably"
    return f"{lead} {_item_text(item)}: {fmt_pct(row['estimate'])} {what} ({_counts(row)})."


def item_findings(stats: pd.DataFrame, cohort: Cohort) -> list[str]:
    """Rules 3 and 4."""
    rows = _item_rows(stats, cohort)
    if not rows:
        return []
    best = max(rows, key=lambda r: float(r[1]["estimate"]))  # max keeps the first of ties
    worst = min(rows, key=lambda r: float(r[1]["estimate"]))
    out = [_item_sentence("The most favourable answers were given to", *best)]
    if worst[0].id != best[0].id:
        out.append(_item_sentence("The least favourable answers were given to", *worst))
    return out


def change_findings(stats: pd.DataFrame, cohort: Cohort) -> list[str]:
    """Rules 5 and 6 (pre/post cohorts only)."""
    if not cohort.pre_post:
        return []
    items = {i.id: i for i in cohort.items_of("likert", "numeric")}
    constructs = list(cohort.construct_ids)
    out: list[str] = []

    def rows_of(ids: list[str]) -> list[tuple[str, Row]]:
        found = [(i, register.one(stats, PRE_POST, PAIRED_T, item=i)) for i in ids]
        return [(i, r) for i, r in found if _usable(r)]  # type: ignore[misc]

    scale_rows, item_rows = rows_of(constructs), rows_of(list(items))
    pool = scale_rows or item_rows
    if pool:
        key, row = max(pool, key=lambda kr: abs(float(kr[1]["estimate"])))
        name = construct_label(key, cohort.document) if key in constructs else _item_text(items[key])
        holm = register.one(stats, PRE_POST, P_HOLM_T, item=key)
        p = ""
        if _usable(holm):
            shown = fmt_p(holm["estimate"])  # type: ignore[index]
            p = f"; Holm-adjusted paired t p {shown if shown.startswith('<') else '= ' + shown}".replace("<", "< ", 1)
        direction = "rose" if float(row["estimate"]) > 0 else "fell"
        out.append(
            f"The largest change from before to after the programme was in {name}: the mean {direction} by "
            f"{fmt_num(abs(float(row['estimate'])), 2)} points (n = {fmt_int(row['n'])} linked participants; "
            f"{interval(row, 2)}{p})."
        )
    if item_rows:
        up = [i for i, r in item_rows if not is_missing(r["ci_low"]) and float(r["ci_low"]) > 0]
        n_max = max(int(float(r["n"])) for _, r in item_rows)
        out.append(
            f"Of the {len(item_rows)} items tested, the 95 % interval of the paired mean change lies wholly "
            f"above zero for {len(up)} (an improvement; at most n = {n_max} linked participants per item)."
        )
    return out


def theme_findings(stats: pd.DataFrame, cohort: Cohort) -> list[str]:
    """Rules 7 and 8."""
    found: list[tuple[str, Row]] = []
    for theme in cohort.codebook.themes:
        row = register.one(stats, THEME, PCT_PARTICIPANTS, item=theme.id, source="all")
        if row is not None and _usable(row):
            found.append((theme.label, row))
    found.sort(key=lambda lr: -float(lr[1]["estimate"]))  # stable: codebook order among ties
    leads = ("The theme raised by most participants was", "It was followed by")
    return [
        f"{lead} “{label}”: {fmt_int(row['n'])} of {fmt_int(row['denominator'])} participants with coded data "
        f"({fmt_pct(row['estimate'])}; {interval(row, unit=' %')})."
        for lead, (label, row) in zip(leads, found, strict=False)
    ]


def key_findings(stats: pd.DataFrame, cohort: Cohort) -> list[str]:
    """The key findings, in rule order (at most eight sentences)."""
    out: list[str] = []
    for sentence in (response_finding(stats, cohort), composition_finding(stats, cohort)):
        if sentence:
            out.append(sentence)
    out += item_findings(stats, cohort)
    out += change_findings(stats, cohort)
    out += theme_findings(stats, cohort)
    return out[:8]
