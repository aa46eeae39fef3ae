"""The cohort report's equality indicators section: relative likelihoods (WRES style) with their intervals, the
four-fifths flag and the counts behind them, read from the register's `equality` rows."""

from __future__ import annotations

import pandas as pd

from workforce_eval import register
from workforce_eval.register.measures import EQUALITY, FOUR_FIFTHS, LIKELIHOOD, RELATIVE_LIKELIHOOD
from workforce_eval.register.notation import MISSING
from workforce_eval.report.format import count_text, fmt_est_ci, fmt_num, fmt_pct
from workforce_eval.report.results import Results


def has_indicators(res: Results) -> bool:
    """Whether the register has equality rows."""
    return not res.stats.empty and not register.select(res.stats, EQUALITY).empty


def _declared(res: Results) -> list[dict[str, str]]:
    return [dict(i) for i in res.meta.get("indicators", [])]


def _value(subgroup: str) -> str:
    return subgroup.split("=", 1)[1] if "=" in subgroup else subgroup


def _likelihood(res: Results, indicator: str, subgroup: str) -> str:
    """`x of n (p %)` for a group, hidden counts as `[c]`."""
    row = register.one(res.stats, EQUALITY, LIKELIHOOD, item=indicator, subgroup=subgroup, group=None)
    if row is None:
        return MISSING
    if bool(row["suppressed"]):
        return count_text(row, res.meta)
    return f"{count_text(row, res.meta)} of {fmt_num(row['denominator'], 0)} ({fmt_pct(row['estimate'])})"


def _hidden(res: Results, indicator: str, *subgroups: str) -> bool:
    """True when a count the ratio rests on is hidden (disclosure control)."""
    rows = register.select(res.stats, EQUALITY, LIKELIHOOD, item=indicator, subgroup=list(subgroups))
    return bool(rows["suppressed"].astype(bool).any())


def indicators_table(res: Results) -> pd.DataFrame:
    """Per declared indicator: the comparison, both groups' counts, the relative likelihood (95 % CI), the
    four-fifths flag."""
    out = []
    for ind in _declared(res):
        rl = register.one(res.stats, EQUALITY, RELATIVE_LIKELIHOOD, item=ind["id"], group=None)
        ff = register.one(res.stats, EQUALITY, FOUR_FIFTHS, item=ind["id"], group=None)
        compared, reference = f"{ind['by']}={ind['compared']}", f"{ind['by']}={ind['reference']}"
        hidden = _hidden(res, ind["id"], compared, reference)
        ratio = MISSING if rl is None or hidden else fmt_est_ci(rl)
        flag = MISSING if ff is None or hidden else f"{str(ff['level']).capitalize()} ({fmt_num(ff['estimate'], 2)})"
        out.append(
            [
                ind["label"] + (" (survey)" if ind.get("item") and "(survey)" not in ind["label"] else ""),
                f"{ind['compared']} relative to {ind['reference']}",
                _likelihood(res, ind["id"], compared),
                _likelihood(res, ind["id"], reference),
                ratio,
                flag,
            ]
        )
    return pd.DataFrame(
        out,
        columns=[
            "Indicator",
            "Relative likelihood of",
            "Compared group: with the outcome",
            "Reference group: with the outcome",
            "Relative likelihood (95 % CI)",
            "Four-fifths rule (impact ratio)",
        ],
    )


def methods_text(res: Results) -> str:
    """How the indicators are computed and read (plain text)."""
    small = not register.select(res.stats, EQUALITY, RELATIVE_LIKELIHOOD).empty and any(
        "score" in str(m) for m in register.select(res.stats, EQUALITY, RELATIVE_LIKELIHOOD)["method"]
    )
    return (
        "Each indicator compares two groups as the Workforce Race Equality Standard does: the relative likelihood "
        "is the compared group's likelihood of the outcome (the share of the group with it) divided by the "
        "reference group's. 1 means equal likelihood; above 1 the compared group is more likely to have the "
        "outcome. Whether that is good or bad depends on the outcome: being appointed is favourable, entering a "
        "formal process adverse. The 95 % interval is Katz's log interval"
        + (
            ", or the Miettinen-Nurminen score interval where a count in either group (with or without the "
            "outcome) is below 5"
            if small
            else ""
        )
        + "; an interval that includes 1 is compatible with no difference. The four-fifths rule is an "
        "adverse-impact screen: the lower of the two groups' favourable rates (for an adverse outcome, the rates "
        "of not having it) divided by the higher, flagged below 0.8. Counts come from the cohort's indicators.csv "
        "(staff records) or, for survey indicators, from the survey's answers; counts below the disclosure "
        "threshold are hidden, and a ratio resting on a hidden count is not shown."
    )
