"""Key findings: five to twelve sentences generated from the statistics register by fixed rules.

Every sentence carries its number, its n (count and denominator) and, where the register has one, its 95 %
interval, written by the same functions as the tables (`report.format`; composition shares by the table's
largest-remainder rounding, `tables.rounded_shares`), so prose and table print the same number. A row that
disclosure control suppressed is never used (a rule whose row is suppressed or absent gives no sentence), and
a ranking is never made over a hidden value. The rules, in the order the sentences appear (docs/findings.md):

1. **Response.** With a response rate: "n of N invited people answered the survey (rate, 95 % CI)". With
   responses but no rate (no invited count, or more responses than invited): the number of responses and
   that no response rate can be given.
2. **Representativeness.** The group with the largest share of respondents (composition `share`), with
   its count, the number of respondents and the interval; said only when the cohort has two or more groups.
3. **Most favourable item.** Among the yes/no (`pct_yes`) and Likert (`pct_agree`) items whose value is shown
   (all respondents), the highest `favourable_score`: the percentage, or 100 minus it for an item whose
   instrument declares `favourable: low` (ties: instrument order). Reverse-coded items count their favourable
   answers (disagreeing with the statement) and are marked "(reversed)". When some items are hidden by
   disclosure control the sentence says it ranks only "the N items whose results can be shown".
4. **Least favourable item.** The lowest score by the same rule, when it is another item.
5. **Change (pre/post only).** The scale (construct) or, without scales, the item with the largest
   absolute paired-t mean change (`paired_t`, all linked participants): the change, n linked, interval and
   the Holm-adjusted paired-t p (`p_holm_t`).
6. **How many items changed (pre/post only).** How many items improved and how many worsened by the test the
   change table shows: Holm-adjusted paired-t p (`p_holm_t`) below `ALPHA`, in the item's favourable direction.
7. **Models.** Per declared model with register rows (at most `MAX_MODELS`): its term with the smallest p,
   with the estimate, interval (and odds ratio) and p as the model table prints them.
8. **Group differences.** The comparisons between groups after the programme read by their adjusted p
   (`between_groups` / `p_adjusted`): how many fall below `ALPHA` and the one with the smallest; the equality
   indicators whose results can be shown that the four-fifths rule flags.
9. **Main theme.** The theme (top level of the codebook) with the most participants (`pct_participants`,
   all groups and sources): n of N participants, percentage and interval; ties: codebook order.
10. **Second theme.** The next theme by the same rule.

Sentences are returned as plain text; the notebook escapes them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workforce_eval import register
from workforce_eval.analyses.equality import ADVERSE_IMPACT
from workforce_eval.inputs.metadata import Cohort, Item
from workforce_eval.register.labels import construct_label
from workforce_eval.register.measures import (
    BETWEEN_GROUPS,
    COEFFICIENT,
    COMPOSITION,
    EQUALITY,
    FOUR_FIFTHS,
    ITEM,
    LIKELIHOOD,
    MODEL,
    ODDS_RATIO,
    P_ADJUSTED,
    P_HOLM_T,
    PAIRED_T,
    PCT_AGREE,
    PCT_PARTICIPANTS,
    PCT_YES,
    PRE_POST,
    RANK_BISERIAL,
    RESPONSE,
    RESPONSE_RATE,
    RESPONSES,
    SHARE,
    THEME,
)
from workforce_eval.register.notation import REVERSED, fmt_int, is_missing
from workforce_eval.report import models, multiplicity, tables
from workforce_eval.report.format import (
    CI_LABEL,
    DASH,
    est_interval,
    fmt_est_ci,
    fmt_interval,
    fmt_num,
    fmt_p,
    fmt_pct,
)
from workforce_eval.report.results import CohortReportResults

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
    rounded = tables.rounded_shares([row for _, row in found])
    usable = [(code, row, pct) for (code, row), pct in zip(found, rounded, strict=True) if _usable(row)]
    if not usable:
        return None
    code, row, pct = max(usable, key=lambda c: float(c[1]["estimate"]))
    return f"The largest group among respondents was {labels[code]} ({pct:.1f} %, {_counts(row)})."


def _item_rows(stats: pd.DataFrame, cohort: Cohort) -> tuple[list[tuple[Item, Row]], int]:
    """The yes/no and Likert items whose headline row (all respondents) can be shown, and how many more have a
    row that disclosure control hides (those are never ranked: a hidden value might be higher or lower)."""
    out, hidden = [], 0
    for item in cohort.items_of("yesno", "likert"):
        row = register.one(stats, ITEM, PCT_YES if item.type == "yesno" else PCT_AGREE, item=item.id)
        if row is not None and _usable(row):
            out.append((item, row))
        elif row is not None:
            hidden += 1
    return out, hidden


def favourable_score(item: Item, row: Row) -> float:
    """How favourable an item's headline percentage is: the percentage itself where high is favourable (the
    default, and a reverse-coded item's favourable levels), 100 minus it where the instrument declares
    `favourable: low` (e.g. "have you experienced discrimination": fewer yeses is better)."""
    pct = float(row["estimate"])
    return pct if item.favourable_high else 100.0 - pct


def _item_sentence(lead: str, item: Item, row: Row) -> str:
    if item.type == "yesno":
        what = "answered yes"
    else:
        what = "answered favourably" if item.favourable_high else "answered in the top two levels"
    if not item.favourable_high:
        what += ", where fewer is favourable"
    return f"{lead} {_item_text(item)}: {fmt_pct(row['estimate'])} {what} ({_counts(row)})."


def item_findings(stats: pd.DataFrame, cohort: Cohort) -> list[str]:
    """Rules 3 and 4: ranked by `favourable_score` among the items whose value is shown, said so when some are
    hidden."""
    rows, hidden = _item_rows(stats, cohort)
    if not rows:
        return []
    best = max(rows, key=lambda r: favourable_score(*r))  # max and min keep the first of ties
    worst = min(rows, key=lambda r: favourable_score(*r))
    among = ""
    if hidden:
        among = (
            f"Among the {len(rows)} items whose results can be shown ({hidden} "
            f"{'is' if hidden == 1 else 'are'} hidden by disclosure control), "
        )
    lead = f"{among}the most" if among else "The most"
    out = [_item_sentence(f"{lead} favourable answers were given to", *best)]
    if worst[0].id != best[0].id:
        lead = "Among those items, the least" if among else "The least"
        out.append(_item_sentence(f"{lead} favourable answers were given to", *worst))
    return out


#: A test is called significant below this (adjusted) p, as the reports' tables read it.
ALPHA = 0.05


def _adjusted(stats: pd.DataFrame, item_id: str) -> float | None:
    """The Holm-adjusted paired-t p of an item's change (all linked participants), as the change table shows it."""
    row = register.one(stats, PRE_POST, P_HOLM_T, item=item_id)
    return float(row["estimate"]) if row is not None and _usable(row) else None


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
        holm = _adjusted(stats, key)
        p = ""
        if holm is not None:
            shown = fmt_p(holm)
            p = f"; Holm-adjusted paired t p {shown if shown.startswith('<') else '= ' + shown}".replace("<", "< ", 1)
        direction = "rose" if float(row["estimate"]) > 0 else "fell"
        out.append(
            f"The largest change from before to after the programme was in {name}: the mean {direction} by "
            f"{fmt_num(abs(float(row['estimate'])), 2)} points (n = {fmt_int(row['n'])} linked participants; "
            f"{interval(row, 2)}{p})."
        )
    if item_rows:
        # the test the change table shows: the Holm-adjusted paired-t p, in the item's favourable direction
        better, worse = 0, 0
        for key, row in item_rows:
            holm = _adjusted(stats, key)
            if holm is None or holm >= ALPHA or float(row["estimate"]) == 0:
                continue
            rose = float(row["estimate"]) > 0
            if rose == items[key].favourable_high:
                better += 1
            else:
                worse += 1
        n_max = max(int(float(r["n"])) for _, r in item_rows)
        hidden = sum(
            1 for i in items if (r := register.one(stats, PRE_POST, PAIRED_T, item=i)) is not None and not _usable(r)
        )
        tested = f"Of the {len(item_rows)} items tested" + (
            f" whose change can be shown ({hidden} hidden by disclosure control)" if hidden else ""
        )
        out.append(
            f"{tested}, {better} improved and {worse} worsened with a Holm-adjusted paired t p below "
            f"{fmt_num(ALPHA, 2)} (the adjusted p of the change table; at most n = {n_max} linked participants "
            "per item)."
        )
    return out


def model_findings(stats: pd.DataFrame, cohort: Cohort) -> list[str]:
    """Rule 7: per declared model with register rows (at most `MAX_MODELS`), its term with the smallest p, with
    the estimate, interval and p the model table prints (and the odds ratio for logistic models)."""
    res = CohortReportResults(stats=stats, meta=cohort.to_document(), figures=Path())
    out: list[str] = []
    for model in models.declared_models(res)[:MAX_MODELS]:
        mid = str(model["id"])
        rows = register.select(stats, MODEL, COEFFICIENT)
        rows = rows[rows["item"].astype(str).str.startswith(f"{mid}:")]
        terms = [str(t)[len(mid) + 1 :] for t in rows["item"]]
        usable = [
            (term, row)
            for term, (_, row) in zip(terms, rows.iterrows(), strict=True)
            if term != "Intercept" and _usable(row) and not is_missing(row["p_value"])
        ]
        if not usable:
            continue
        term, row = min(usable, key=lambda tr: float(tr[1]["p_value"]))
        outcome = str(model["formula"]).split("~", 1)[0].strip()
        family = models.FAMILY_NAMES.get(str(model["family"]), str(model["family"]))
        odds = register.one(stats, MODEL, ODDS_RATIO, item=str(row["item"]))
        ratio = ""
        if odds is not None and _usable(odds):
            ratio = f", odds ratio {est_interval(odds['estimate'], odds['ci_low'], odds['ci_high'], 2)}"
        estimate = est_interval(row["estimate"], row["ci_low"], row["ci_high"], 3)
        shown = fmt_p(row["p_value"])
        out.append(
            f"In the {family} of {_outcome(outcome, cohort, res)} (model “{mid}”, n = {fmt_int(row['n'])}), "
            f"the term with the smallest p was {models.term_name(term, terms, res)}: estimate {estimate}{ratio}; "
            f"p {shown if shown.startswith('<') else '= ' + shown}.".replace("p <", "p < ", 1)
        )
    return out


def _outcome(name: str, cohort: Cohort, res: CohortReportResults) -> str:
    """A model's outcome for people: an item's text in quotes, else as the model table names terms."""
    return _item_text(cohort.item(name)) if name in cohort.items_by_id else models.term_name(name, [], res)


#: At most this many models give a finding (in declaration order).
MAX_MODELS = 3


def group_findings(stats: pd.DataFrame, cohort: Cohort) -> list[str]:
    """Rule 8: group differences, as their tables test them: the comparisons between groups after the programme
    with their adjusted p (`between_groups` / `p_adjusted`), and the equality indicators the four-fifths rule
    flags."""
    out: list[str] = []
    labels = cohort.group_labels()
    tested = []
    for _, row in register.select(stats, BETWEEN_GROUPS, (RANK_BISERIAL, ODDS_RATIO)).iterrows():
        adjusted = register.one(
            stats, BETWEEN_GROUPS, P_ADJUSTED, item=str(row["item"]), group=str(row["group"]), level=str(row["level"])
        )
        if _usable(row) and adjusted is not None and _usable(adjusted):
            tested.append((row, float(adjusted["estimate"])))
    if tested:
        method = multiplicity.method_name(stats, BETWEEN_GROUPS)
        found = [t for t in tested if t[1] < ALPHA]
        row, p = min(tested, key=lambda t: t[1])
        item_id = str(row["item"])
        name = (
            construct_label(item_id, cohort.document)
            if item_id in cohort.construct_ids
            else _item_text(cohort.item(item_id))
            if item_id in cohort.items_by_id
            else item_id
        )
        pair = (
            f"{labels.get(str(row['group']), str(row['group']))} vs {labels.get(str(row['level']), str(row['level']))}"
        )
        what = "odds ratio" if row["measure"] == ODDS_RATIO else "rank-biserial correlation"
        smallest = f"{name}, {pair}: {what} {fmt_est_ci(row)}, {method}-adjusted p = {fmt_p(p)}"
        if found:
            out.append(
                f"Of the {len(tested)} comparisons between groups after the programme, {len(found)} had a "
                f"{method}-adjusted p below {fmt_num(ALPHA, 2)}; the smallest was for {smallest}."
            )
        else:
            out.append(
                f"None of the {len(tested)} comparisons between groups after the programme had a {method}-adjusted "
                f"p below {fmt_num(ALPHA, 2)} (the smallest was for {smallest})."
            )
    indicators = [dict(i) for i in cohort.document.get("indicators") or ()]
    shown: list[tuple[str, Row]] = []
    for ind in indicators:
        ff = register.one(stats, EQUALITY, FOUR_FIFTHS, item=str(ind["id"]), group=None)
        counts = register.select(stats, EQUALITY, LIKELIHOOD, item=str(ind["id"]))
        if ff is not None and _usable(ff) and not bool(counts["suppressed"].astype(bool).any()):
            shown.append((str(ind["label"]), ff))
    if shown:
        flagged = [(label, ff) for label, ff in shown if str(ff["level"]) == ADVERSE_IMPACT]
        listed = "; ".join(f"{label} (impact ratio {fmt_num(ff['estimate'], 2)})" for label, ff in flagged)
        hidden = len(indicators) - len(shown)
        of = (
            f"{len(shown)} equality indicators whose results can be shown"
            if hidden
            else f"{len(shown)} equality indicators"
        )
        out.append(
            f"The four-fifths rule flags adverse impact in {len(flagged)} of the {of}"
            + (f": {listed}." if flagged else ".")
        )
    return out


def theme_findings(stats: pd.DataFrame, cohort: Cohort) -> list[str]:
    """Rules 9 and 10."""
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
    """The key findings, in rule order (at most `MAX_FINDINGS` sentences)."""
    out: list[str] = []
    for sentence in (response_finding(stats, cohort), composition_finding(stats, cohort)):
        if sentence:
            out.append(sentence)
    out += item_findings(stats, cohort)
    out += change_findings(stats, cohort)
    out += model_findings(stats, cohort)
    out += group_findings(stats, cohort)
    out += theme_findings(stats, cohort)
    return out[:MAX_FINDINGS]


#: At most this many key findings.
MAX_FINDINGS = 12
