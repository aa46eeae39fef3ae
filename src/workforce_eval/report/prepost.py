"""Presentation of pre/post results for the cohort report ("Change from pre to post" section).

Reads only the cohort's register and cohort.json (via `report.Results`); every number shown is a
register row (`pre_post`, `reliability` with level pre/post, `between_groups`), rounded for display.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from workforce_eval import register
from workforce_eval.analyses import families
from workforce_eval.register.labels import construct_label, group_labels
from workforce_eval.register.measures import (
    BETWEEN_GROUPS,
    CRONBACH_ALPHA,
    EFFECT_SIZE,
    HL_SHIFT,
    LINKED,
    MEAN_POST,
    MEAN_PRE,
    ODDS_RATIO,
    P_ADJUSTED,
    P_HOLM,
    P_HOLM_T,
    PAIRED_T,
    PRE_POST,
    RANK_BISERIAL,
    RELIABILITY,
    RETENTION,
)
from workforce_eval.register.notation import MISSING, fmt_int, reversed_text
from workforce_eval.report import multiplicity
from workforce_eval.report.format import count_text, fmt_est_ci, fmt_num, fmt_p, fmt_pct
from workforce_eval.report.results import Results

ALL_LABEL = "All linked participants"


def is_prepost(res: Results) -> bool:
    """True for a pre/post cohort whose register has pre/post rows."""
    return res.cohort.pre_post and not register.select(res.stats, PRE_POST, LINKED).empty


def targets(meta: dict[str, Any]) -> list[tuple[str, str]]:
    """(id, label) of the constructs, then likert and numeric items in instrument order."""
    constructs: list[str] = []
    for item in meta.get("items", []):
        c = item.get("construct")
        if c and c not in constructs:
            constructs.append(str(c))
    out = [(c, construct_label(c, meta)) for c in constructs]
    out += [
        (str(i["id"]), str(i.get("text") or i["id"]))
        for i in meta.get("items", [])
        if i.get("type") in ("likert", "numeric")
    ]
    return out


def _item_label(meta: dict[str, Any], item_id: str) -> str:
    """An item's text, with "(reversed)" after a reverse-coded item, or a construct's label."""
    for i in meta.get("items", []):
        if str(i["id"]) == item_id:
            return reversed_text(str(i.get("text") or item_id), i.get("reverse"))
    return construct_label(item_id, meta)


def attrition_table(res: Results) -> pd.DataFrame:
    """Per reporting group: answered before, after, both (linked), only before, only after, retention."""
    stats, meta = res.stats, res.meta
    labels = res.cohort.group_labels(all_label="All respondents")
    out = []
    for code, label in labels.items():
        cells = [
            count_text(register.one(stats, PRE_POST, m, group=code), meta)
            for m in ("responses_pre", "responses_post", "linked", "pre_only", "post_only")
        ]
        ret = register.one(stats, PRE_POST, RETENTION, group=code)
        share = MISSING if ret is None or bool(ret["suppressed"]) else fmt_pct(ret["estimate"])
        out.append([label, *cells, share])
    columns = [
        "Group",
        "Answered before",
        "Answered after",
        "Answered both (linked)",
        "Only before",
        "Only after",
        "Retention (% of those answering before)",
    ]
    return pd.DataFrame(out, columns=columns)


def attrition_text(res: Results) -> str:
    """One paragraph stating who answered before, after and both, and what the change figures rest on."""
    stats, meta = res.stats, res.meta
    labels = group_labels(meta)

    def count(measure: str, group: str = "all") -> str:
        return count_text(register.one(stats, PRE_POST, measure, group=group), meta)

    def by_group(measure: str) -> str:
        parts = []
        for code, label in labels.items():
            row = register.one(stats, PRE_POST, measure, group=code)
            if row is not None and (bool(row["suppressed"]) or float(row["estimate"]) > 0):
                parts.append(f"{label} {count_text(row, meta)}")
        return f" ({', '.join(parts)})" if parts else ""

    ret = register.one(stats, PRE_POST, RETENTION)
    retention = ""
    if ret is not None and not bool(ret["suppressed"]):
        retention = (
            f", {fmt_pct(ret['estimate'])} of those who answered before "
            f"(95 % CI {fmt_num(ret['ci_low'])} to {fmt_num(ret['ci_high'])})"
        )
    return (
        f"Before the programme {count('responses_pre')} questionnaires were returned and after it "
        f"{count('responses_post')}. {count('linked')} participants answered both times and are linked"
        f"{retention}. {count('pre_only')} answered only before{by_group('pre_only')} and {count('post_only')} "
        f"only after{by_group('post_only')}; responses without a participant id cannot be linked and count as "
        "answering once. All changes below compare the same people before and after: they rest on the linked "
        "participants only, and a participant who skipped an item at either time is left out of that item."
    )


def reversed_items(meta: dict[str, Any]) -> set[str]:
    """Ids of the reverse-coded items."""
    return {str(i["id"]) for i in meta.get("items", []) if i.get("reverse")}


def target_label(meta: dict[str, Any], target: str, label: str) -> str:
    """A construct's or item's label, with "(reversed)" after a reverse-coded item."""
    return reversed_text(label, target in reversed_items(meta))


def _p_cell(row: pd.Series | None) -> str:
    """A p-value row's p; the dash when absent or suppressed."""
    return MISSING if row is None or bool(row["suppressed"]) else fmt_p(row["p_value"])


def change_table(res: Results, group: str = "all") -> pd.DataFrame:
    """Per construct and item: linked n, means before and after, then each method's estimate, interval and p.

    The mean change and its interval are shown with the paired t test's p (`paired_t`, `p_holm_t`);
    the Hodges-Lehmann shift and its interval with the Wilcoxon signed-rank p (`hl_shift`, `p_holm`):
    estimate, interval and p of one row always come from one method.
    """
    stats, meta = res.stats, res.meta
    out = []
    for target, label in targets(meta):
        t_row = register.one(stats, PRE_POST, PAIRED_T, item=target, group=group)
        if t_row is None:
            continue
        pre = register.one(stats, PRE_POST, MEAN_PRE, item=target, group=group)
        post = register.one(stats, PRE_POST, MEAN_POST, item=target, group=group)
        t_holm = register.one(stats, PRE_POST, P_HOLM_T, item=target, group=group)
        hl = register.one(stats, PRE_POST, HL_SHIFT, item=target, group=group)
        w_holm = register.one(stats, PRE_POST, P_HOLM, item=target, group=group)
        dz = register.one(stats, PRE_POST, EFFECT_SIZE, item=target, group=group)
        hidden = bool(t_row["suppressed"])
        out.append(
            [
                target_label(meta, target, label),
                count_text(t_row, meta),
                MISSING if pre is None or hidden else fmt_num(pre["estimate"], 2),
                MISSING if post is None or hidden else fmt_num(post["estimate"], 2),
                fmt_est_ci(t_row),
                _p_cell(t_row),
                _p_cell(t_holm),
                fmt_est_ci(hl),
                _p_cell(hl),
                _p_cell(w_holm),
                fmt_est_ci(dz),
            ]
        )
    columns = [
        "Scale or item",
        "Linked n",
        "Mean before",
        "Mean after",
        "Mean change (95 % CI)",
        "p (paired t)",
        "p (paired t, Holm)",
        "Median shift (95 % CI)",
        "p (Wilcoxon)",
        "p (Wilcoxon, Holm)",
        "Effect size d_z (95 % CI)",
    ]
    return pd.DataFrame(out, columns=columns)


def change_by_group_table(res: Results) -> pd.DataFrame:
    """Per construct and item, for each group: `change (CI); Holm p = …; n = …` (paired t throughout)."""
    stats, meta = res.stats, res.meta
    labels = group_labels(meta)
    out = []
    for target, label in targets(meta):
        cells = []
        for code in labels:
            row = register.one(stats, PRE_POST, PAIRED_T, item=target, group=code)
            holm = register.one(stats, PRE_POST, P_HOLM_T, item=target, group=code)
            if row is None:
                cells.append(MISSING)
            elif bool(row["suppressed"]):
                cells.append(count_text(row, meta))  # one notation for a hidden cell: "[c]"
            else:
                p = MISSING if holm is None else fmt_p(holm["p_value"])
                cells.append(f"{fmt_est_ci(row)}; Holm p = {p}; n = {fmt_int(row['n'])}")
        if any(c != MISSING for c in cells):
            out.append([target_label(meta, target, label), *cells])
    return pd.DataFrame(out, columns=["Scale or item", *labels.values()])


def between_groups_table(res: Results) -> pd.DataFrame:
    """After the programme, each pair of groups: test, effect size (CI) and p per item."""
    stats, meta = res.stats, res.meta
    labels = group_labels(meta)
    rows = register.select(stats, BETWEEN_GROUPS, (RANK_BISERIAL, ODDS_RATIO))
    out = []
    for _, row in rows.iterrows():
        adjusted = register.one(
            stats, BETWEEN_GROUPS, P_ADJUSTED, item=str(row["item"]), group=str(row["group"]), level=str(row["level"])
        )
        first, second = (
            labels.get(str(row["group"]), str(row["group"])),
            labels.get(str(row["level"]), str(row["level"])),
        )
        if row["measure"] == ODDS_RATIO:
            what = f"Odds ratio of answering yes, {first} vs {second} (Fisher's exact test)"
        else:
            what = f"Rank-biserial correlation, {first} vs {second} (Mann-Whitney test; > 0: {first} higher)"
        out.append(
            [
                _item_label(meta, str(row["item"])),
                what,
                count_text(row, meta),
                fmt_est_ci(row),
                MISSING if bool(row["suppressed"]) else fmt_p(row["p_value"]),
                multiplicity.p_text(adjusted, row),
            ]
        )
    adjusted_column = f"p ({multiplicity.method_name(stats, BETWEEN_GROUPS)})"
    return pd.DataFrame(
        out, columns=["Scale or item", "Comparison", "n", "Effect size (95 % CI)", "p", adjusted_column]
    )


def reliability_table(res: Results) -> pd.DataFrame:
    """Cronbach's alpha (Feldt 95 % CI) of every construct before and after."""
    stats = res.stats
    rows = register.select(stats, RELIABILITY, CRONBACH_ALPHA)
    out = []
    for construct in dict.fromkeys(rows.loc[rows["level"].isin(["pre", "post"]), "item"]):
        cells = []
        for level in ("pre", "post"):
            row = register.one(stats, RELIABILITY, CRONBACH_ALPHA, item=str(construct), level=level)
            cells.append(MISSING if row is None else f"{fmt_est_ci(row)}; n = {fmt_int(row['n'])}")
        out.append([construct_label(str(construct), res.meta), *cells])
    return pd.DataFrame(out, columns=["Scale", "Cronbach's alpha before (95 % CI)", "Cronbach's alpha after (95 % CI)"])


def methods_text(res: Results) -> str:
    """How the change figures were computed, naming the Wilcoxon variant(s) the register records."""
    methods = set(register.select(res.stats, PRE_POST, HL_SHIFT)["method"])
    exact = any("wilcoxon exact" in m for m in methods)
    normal = any("normal approximation" in m for m in methods)
    used = []
    if exact:
        used.append("the exact test where there were fewer than 50 non-zero changes and no ties or zero changes")
    if normal:
        used.append(
            "the normal approximation with continuity correction where changes were tied or zero "
            "(common for answers on a five-point scale)"
        )
    unreachable = any("not reachable" in m for m in methods)
    return (
        "Change is the mean of each linked participant's answer after minus their answer before (answer codes "
        '1 to 5 in the favourable direction; reverse-worded items, marked "(reversed)", are reverse coded, so '
        "a positive change is an improvement for them too; scale scores are the mean of their items for anyone "
        "answering at least half of them). Each estimate is shown with the interval and p of its own method. "
        "The mean change has the paired t interval and the paired t test's p. The median shift is the "
        "Hodges-Lehmann estimate (the median of the pairwise averages of the changes) with its interval and "
        "the two-sided Wilcoxon signed-rank test, as R's wilcox.test(paired = TRUE, conf.int = TRUE) computes "
        "them (zero changes dropped): "
        + "; ".join(used or ["no Wilcoxon test could be computed"])
        + "."
        + (
            " Where too few changes differ for a 95 % interval of the median shift, none is shown."
            if unreachable
            else ""
        )
        + " p (Holm) adjusts the p-values of each group for the number of items tested (scale scores are "
        "adjusted among themselves); the group table shows only Holm-adjusted paired t p-values. The effect "
        "size d_z is the mean change divided by the standard deviation of the changes. With a dozen pairs, "
        "intervals are wide and p-values should be read with the size of the change, not alone."
        + _favourable_low(res)
        + _family(res)
    )


def _favourable_low(res: Results) -> str:
    """The sentence naming the items whose favourable end is low (a fall is their improvement), with a leading
    space; empty when there are none (instrument.yaml `favourable: low`)."""
    low = [i for i in res.cohort.items_of("likert", "numeric") if not i.favourable_high]
    if not low:
        return ""
    names = ", ".join(f"“{i.label}”" for i in low)
    return (
        f" For {names}, whose favourable end is low (instrument.yaml), a positive change is a worsening and a "
        "negative change an improvement."
    )


def _family(res: Results) -> str:
    """The sentence on the group comparisons' family of tests, with a leading space; empty without one."""
    sentence = multiplicity.family_sentence(res.stats, families.GROUP_COMPARISONS)
    return " " + sentence if sentence else ""
