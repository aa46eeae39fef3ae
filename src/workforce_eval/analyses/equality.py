"""Equality indicators (cohort.yaml `indicators:`), as the Workforce Race Equality Standard (WRES) reports them.

For each declared indicator, in declared order, rows with analysis `equality`, `item` the indicator id and
`subgroup` `<by>=<group>` (e.g. `ethnicity=BME`); `source` `records` (counts from indicators.csv) or `survey`
(counted from a survey item's post responses by a survey column: a yes/no item's Yes, a likert item's two
favourable levels, among those who answered):

- `likelihood`: for every group with counts, the percent with the outcome (Wilson 95 % interval), `n` the
  people with it, `denominator` the people who could have it;
- `relative_likelihood`: the compared group's likelihood divided by the reference group's (`level` =
  `<by>=<reference>`), e.g. white applicants' likelihood of appointment from shortlisting relative to BME
  applicants' (WRES indicator 2), or BME staff's likelihood of entering a formal disciplinary process relative
  to white staff's (indicator 3). 1 means equal likelihood; the 95 % interval is Katz's log interval, or the
  Miettinen-Nurminen score interval where a cell of the 2 x 2 table is below 5 (`stats.likelihood`). `n` and
  `denominator` are the compared group's counts;
- `four_fifths`: the impact ratio, the lower of the two groups' favourable-outcome rates (for an adverse outcome,
  the rates of not having it) over the higher, with `level` `adverse impact` when it is below 0.8 (the
  four-fifths rule) and `no adverse impact` otherwise.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from workforce_eval.analyses.selection import post_responses
from workforce_eval.register.measures import EQUALITY, FOUR_FIFTHS, LIKELIHOOD, RELATIVE_LIKELIHOOD
from workforce_eval.register.rows import Row, to_frame
from workforce_eval.stats import likelihood as lk
from workforce_eval.stats.intervals import percent_wilson

ADVERSE_IMPACT, NO_ADVERSE_IMPACT = "adverse impact", "no adverse impact"
RECORDS, SURVEY = "records", "survey"


def _survey_counts(meta: dict[str, Any], survey: pd.DataFrame, ind: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """group -> (with the outcome, answered) of a survey indicator, groups sorted."""
    item = next((i for i in meta.get("items", []) if i["id"] == ind["item"]), None)
    post = post_responses(survey)
    if item is None or ind["item"] not in post.columns or ind["by"] not in post.columns:
        return {}
    levels = len(item.get("levels") or [])
    top = levels if item["type"] == "yesno" else levels - 1
    values = post[ind["item"]].astype("float64")
    answered = values.notna() & post[ind["by"]].notna()
    frame = pd.DataFrame({"group": post.loc[answered, ind["by"]].astype(str), "hit": values[answered] >= top})
    counts = frame.groupby("group", sort=True)["hit"].agg(["sum", "size"])
    return {str(g): (int(r["sum"]), int(r["size"])) for g, r in counts.iterrows()}


def _file_counts(meta: dict[str, Any], ind: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """group -> (numerator, denominator) of a file indicator, in the file's order."""
    return {
        str(r["group"]): (int(r["numerator"]), int(r["denominator"]))
        for r in meta.get("indicator_counts", [])
        if r["indicator"] == ind["id"]
    }


def equality_rows(meta: dict[str, Any], survey: pd.DataFrame) -> list[Row]:
    """The `equality` rows of the cohort's declared indicators (none without any)."""
    by_measure: dict[str, list[Row]] = {LIKELIHOOD: [], RELATIVE_LIKELIHOOD: [], FOUR_FIFTHS: []}
    for ind in meta.get("indicators", []):
        from_survey = ind.get("item") is not None
        counts = _survey_counts(meta, survey, ind) if from_survey else _file_counts(meta, ind)
        source = SURVEY if from_survey else RECORDS
        by = str(ind["by"])
        common: dict[str, Any] = {"item": str(ind["id"]), "source": source}
        for group, (x, n) in counts.items():
            if n <= 0:
                continue
            est = percent_wilson(x, n)
            by_measure[LIKELIHOOD].append(
                Row(EQUALITY, LIKELIHOOD, est.estimate, n=x, denominator=n, ci_low=est.ci_low, ci_high=est.ci_high,
                    method="wilson", subgroup=f"{by}={group}", **common)
            )  # fmt: skip
        compared, reference = str(ind["compared"]), str(ind["reference"])
        if compared not in counts or reference not in counts or min(counts[compared][1], counts[reference][1]) <= 0:
            continue
        (x1, n1), (x0, n0) = counts[compared], counts[reference]
        ratio = lk.relative_likelihood(x1, n1, x0, n0)
        outcome = str(ind["outcome"])
        by_measure[RELATIVE_LIKELIHOOD].append(
            Row(EQUALITY, RELATIVE_LIKELIHOOD, ratio.estimate, n=x1, denominator=n1, ci_low=ratio.ci_low,
                ci_high=ratio.ci_high, method=f"{ratio.method}; {outcome} outcome", subgroup=f"{by}={compared}",
                level=f"{by}={reference}", **common)
        )  # fmt: skip
        r1, r0 = x1 / n1, x0 / n0
        if outcome == "adverse":
            r1, r0 = 1 - r1, 1 - r0
        impact = lk.impact_ratio(r1, r0)
        by_measure[FOUR_FIFTHS].append(
            Row(EQUALITY, FOUR_FIFTHS, impact, n=x1, denominator=n1,
                method=f"four-fifths rule on {'favourable' if outcome == 'favourable' else 'non-adverse'} rates",
                subgroup=f"{by}={compared}", level=ADVERSE_IMPACT if lk.adverse_impact(impact) else NO_ADVERSE_IMPACT,
                **common)
        )  # fmt: skip
    return [row for rows in by_measure.values() for row in rows]


def equality(meta: dict[str, Any], survey: pd.DataFrame) -> pd.DataFrame:
    """The equality rows as a partial register."""
    return to_frame(equality_rows(meta, survey))
