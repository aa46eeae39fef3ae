"""Benchmarking of reporting units (`reports_by:` in cohort.yaml, e.g. organisation) against the whole survey.

Register rows with analysis `benchmark`, group `all`, source `survey` and the unit as `<column>=<value>` in
`subgroup`. For every unit with at least `k` responses (the disclosure threshold) and every survey item
(% yes, % agree) or numeric item / construct score (mean):

- the unit's value (Wilson or t interval), as `pct_yes` / `pct_agree` / `mean`;
- `difference_peers`: the unit minus its peers, i.e. all other units pooled; for shares Newcombe's hybrid
  score interval (Newcombe 1998, method 10), for means Welch's t interval;
- `difference_survey`: the unit minus the whole survey (the unit included). The whole-survey value is
  the answered-weighted mix w*unit + (1-w)*peers, so this difference is exactly (1-w) times the one from
  the peers, and so is its interval (w, the unit's share of the answers, taken as fixed);
- `rank`: the unit's place among the reported units (1 = the most favourable value: the highest, or the lowest
  for an item declared `favourable: low`; ties share the lowest place), `denominator` = the number of units
  ranked; only among at least MIN_RANKED_UNITS units, and only for an item with a favourable direction (not,
  e.g., a numeric item such as years of service without `favourable:`; RANK_RULE);
- the flag in `level`: `above` when the 95 % interval of the difference lies wholly above 0, `below`
  when wholly below, `similar` otherwise (FLAG_RULE);
- the p-value of `difference_peers` (`p_value`): Welch's t test for means, the Miettinen-Nurminen score test for
  shares (statsmodels `test_proportions_2indep(method="score")`), and `p_adjusted`: that p adjusted over the
  unit's items as one family (`analyses.families`, `benchmark-flags`; Holm by default), with in `level` the flag
  after adjustment (ADJUSTED_FLAG_RULE).

Plus, once: the whole survey's value per item (`survey_value`), and the number of units reported
(`units`) and withheld (`units_withheld`, units with fewer responses than the minimum base, at least k: no rows
name them or their counts; while the withheld units together have from 1 to base - 1 responses, the smallest
reported unit is withheld too, so that the whole survey minus the reported units gives back only a pool of at
least the base, never one small unit: `reported`). Item rows with fewer than k answers in the unit are left out.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import test_proportions_2indep

from workforce_eval.analyses import families
from workforce_eval.analyses.selection import post_responses
from workforce_eval.register.measures import (
    BENCHMARK,
    DIFFERENCE_PEERS,
    DIFFERENCE_SURVEY,
    MEAN,
    MIN_RANKED_UNITS,
    PCT_AGREE,
    PCT_YES,
    RANK,
    RANK_RULE,
    RESPONSES,
    SURVEY_VALUE,
    UNITS,
    UNITS_WITHHELD,
)
from workforce_eval.register.rows import Row, select, to_frame
from workforce_eval.stats.intervals import percent_wilson_many
from workforce_eval.stats.multiplicity import DEFAULT as DEFAULT_ADJUSTMENT
from workforce_eval.stats.scales import construct_items, construct_scores

ANALYSIS = BENCHMARK  # from the catalogue, shared with report.organisation
__all__ = [
    "DIFFERENCE_PEERS",
    "DIFFERENCE_SURVEY",
    "MIN_RANKED_UNITS",
    "RANK",
    "RANK_RULE",
    "SURVEY_VALUE",
    "UNITS",
    "UNITS_WITHHELD",
]
FLAG_RULE = (
    "above (below) when the 95 % interval of the difference from the other organisations lies wholly above "
    "(below) zero; similar otherwise"
)


ADJUSTED_FLAG_RULE = (
    "above (below) when the difference from the other organisations is positive (negative) and its p-value, "
    "adjusted over the organisation's items, is below 0.05; similar otherwise"
)


def adjusted_flag(difference: float, p_adjusted: float) -> str:
    """The benchmark flag after adjustment for multiplicity (ADJUSTED_FLAG_RULE)."""
    if p_adjusted < 0.05 and difference > 0:
        return "above"
    if p_adjusted < 0.05 and difference < 0:
        return "below"
    return "similar"


def flag(ci_low: float, ci_high: float) -> str:
    """The benchmark flag of a difference's 95 % interval (FLAG_RULE)."""
    if ci_low > 0:
        return "above"
    if ci_high < 0:
        return "below"
    return "similar"


def newcombe(x1: np.ndarray, n1: np.ndarray, x2: np.ndarray, n2: np.ndarray) -> tuple[np.ndarray, ...]:
    """Difference of two independent proportions p1 - p2 (in percentage points) with Newcombe's hybrid score
    95 % interval (Newcombe 1998, Statistics in Medicine 17:873, method 10, from the two Wilson intervals)."""
    e1 = percent_wilson_many(x1, n1)
    e2 = percent_wilson_many(x2, n2)
    p1 = np.array([e.estimate for e in e1], dtype=float)
    p2 = np.array([e.estimate for e in e2], dtype=float)
    l1, u1 = np.array([e.ci_low for e in e1], dtype=float), np.array([e.ci_high for e in e1], dtype=float)
    l2, u2 = np.array([e.ci_low for e in e2], dtype=float), np.array([e.ci_high for e in e2], dtype=float)
    d = p1 - p2
    low = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, low, high


def welch(
    m1: np.ndarray, v1: np.ndarray, n1: np.ndarray, m2: np.ndarray, v2: np.ndarray, n2: np.ndarray
) -> tuple[np.ndarray, ...]:
    """Difference of two means with Welch's 95 % t interval (sample variances v1, v2)."""
    d, low, high, _p = welch_test(m1, v1, n1, m2, v2, n2)
    return d, low, high


def welch_test(
    m1: np.ndarray, v1: np.ndarray, n1: np.ndarray, m2: np.ndarray, v2: np.ndarray, n2: np.ndarray
) -> tuple[np.ndarray, ...]:
    """Difference of two means, Welch's 95 % t interval and the two-sided Welch t test's p."""
    a, b = v1 / n1, v2 / n2
    se = np.sqrt(a + b)
    with np.errstate(divide="ignore", invalid="ignore"):
        df = (a + b) ** 2 / (a**2 / (n1 - 1) + b**2 / (n2 - 1))
        q = stats.t.ppf(0.975, df)
        d = m1 - m2
        p = 2 * stats.t.sf(np.abs(d / se), df)
    return d, d - q * se, d + q * se, p


def score_test(x1: np.ndarray, n1: np.ndarray, x2: np.ndarray, n2: np.ndarray) -> np.ndarray:
    """Two-sided p of the difference of two independent proportions: Miettinen and Nurminen's score test
    (statsmodels `test_proportions_2indep(method="score")`)."""
    with np.errstate(divide="ignore", invalid="ignore"):  # statsmodels also computes an odds ratio we do not use
        result = test_proportions_2indep(x1, n1, x2, n2, method="score", compare="diff")
    return np.asarray(result.pvalue, dtype=float)


def _rank(values: np.ndarray) -> np.ndarray:
    """1 = the highest value; ties share the lowest place (as R's rank(-x, ties.method = 'min'))."""
    return np.asarray(stats.rankdata(-values, method="min"), dtype=int)


def direction(item: dict[str, Any]) -> int | None:
    """+1 where a higher value of an item is favourable, -1 where a lower one is, None where it has no favourable
    direction: a numeric item without `favourable:` (years of service, hours worked) is compared, never ranked.
    Yes/no and likert items are favourable high unless declared low (a reverse-coded item's values are already
    turned round); a construct score (`type` absent here) is favourable high."""
    declared = item.get("favourable")
    if item.get("type") == "numeric" and declared not in ("high", "low"):
        return None
    return -1 if declared == "low" else 1


def reported(sizes: np.ndarray, minimum: int) -> np.ndarray:
    """Which units are reported (a boolean per unit): those with at least `minimum` responses, less the smallest
    of them while the withheld ones together have from 1 to `minimum` - 1 responses. Otherwise the whole survey
    minus the reported units would give the withheld units' answers back ("1 of 2 intends to leave"): what is
    left to derive is always a pool of at least `minimum` responses, never one small unit."""
    keep = sizes >= minimum
    while keep.any() and 0 < int(sizes[~keep].sum()) < minimum:
        smallest = min(np.flatnonzero(keep).tolist(), key=lambda j: (int(sizes[j]), j))
        keep[smallest] = False
    return keep


def benchmark_rows(
    meta: dict[str, Any],
    survey: pd.DataFrame,
    k: int,
    minimum: int | None = None,
    multiplicity: str = DEFAULT_ADJUSTMENT,
) -> list[Row]:
    """The benchmark rows of a cohort whose cohort.yaml names `reports_by` (none otherwise); units with fewer
    than `minimum` responses (default k) are withheld, with more if need be (`reported`)."""
    column = meta.get("reports_by")
    post = post_responses(survey)
    if not column or column not in post.columns:
        return []
    post = post[post[column].notna()]
    codes, uniques = pd.factorize(post[column].astype(str), sort=True)
    sizes = np.bincount(codes, minlength=len(uniques))
    keep = reported(sizes, k if minimum is None else max(int(minimum), k))
    units = [str(u) for u in uniques]
    rows: list[Row] = [
        Row(ANALYSIS, UNITS, int(keep.sum()), method="count", subgroup=column, source="survey"),
        Row(ANALYSIS, UNITS_WITHHELD, int((~keep).sum()), method="count", subgroup=column, source="survey"),
    ]
    for j in np.flatnonzero(keep).tolist():
        n = int(sizes[j])
        rows.append(Row(ANALYSIS, RESPONSES, n, n=n, method="count", subgroup=f"{column}={units[j]}", source="survey"))
    if len(uniques) < 2 or not keep.any():
        return rows
    scores = construct_scores(post, meta)
    # (item, measure, values: 0/1 for shares, numbers for means, favourable direction or None)
    specs: list[tuple[str, str, np.ndarray, int | None]] = []
    for it in meta.get("items", []):
        if it["id"] not in post.columns or it["type"] not in ("yesno", "likert", "numeric"):
            continue
        values = post[it["id"]].to_numpy(dtype="float64", na_value=np.nan)
        if it["type"] == "numeric":
            specs.append((it["id"], MEAN, values, direction(it)))
            continue
        levels = len(it["levels"])
        top = levels if it["type"] == "yesno" else levels - 1
        measure = PCT_YES if it["type"] == "yesno" else PCT_AGREE
        shares = np.where(np.isnan(values), np.nan, (values >= top).astype(float))
        specs.append((it["id"], measure, shares, direction(it)))
    for construct in construct_items(meta):
        if construct in scores.columns:
            specs.append((construct, MEAN, scores[construct].to_numpy(dtype="float64", na_value=np.nan), 1))
    m = len(uniques)
    for item, measure, values, sign in specs:
        ok = ~np.isnan(values)
        answered = np.bincount(codes[ok], minlength=m).astype(float)
        sums = np.bincount(codes[ok], weights=values[ok], minlength=m)
        n_all, sum_all = answered.sum(), sums.sum()
        if n_all == 0:
            continue
        n_peer = n_all - answered
        if measure == MEAN:
            squares = np.bincount(codes[ok], weights=values[ok] ** 2, minlength=m)
            sq_all = squares.sum()
            with np.errstate(divide="ignore", invalid="ignore"):
                mean1 = sums / answered
                var1 = (squares - answered * mean1**2) / (answered - 1)
                mean2 = (sum_all - sums) / n_peer
                var2 = ((sq_all - squares) - n_peer * mean2**2) / (n_peer - 1)
            d, low, high, p_diff = welch_test(mean1, var1, answered, mean2, var2, n_peer)
            t1 = stats.t.ppf(0.975, answered - 1) * np.sqrt(var1 / answered)
            value, v_low, v_high = mean1, mean1 - t1, mean1 + t1
            mean_all = sum_all / n_all
            t_all = stats.t.ppf(0.975, n_all - 1) * np.sqrt((sq_all - n_all * mean_all**2) / (n_all - 1) / n_all)
            whole_value = (float(mean_all), float(mean_all - t_all), float(mean_all + t_all), "t")
            method = "welch"
        else:
            # units (and peers) without an answer to the item have no share: left NaN, never shown
            valid = np.flatnonzero((answered > 0) & (n_peer > 0))
            d, low, high, value, v_low, v_high, p_diff = (np.full(m, np.nan) for _ in range(7))
            if len(valid):
                d[valid], low[valid], high[valid] = newcombe(
                    sums[valid], answered[valid], sum_all - sums[valid], n_peer[valid]
                )
                p_diff[valid] = score_test(sums[valid], answered[valid], sum_all - sums[valid], n_peer[valid])
                est = percent_wilson_many(sums[valid], answered[valid])
                value[valid] = [e.estimate for e in est]
                v_low[valid] = [e.ci_low for e in est]
                v_high[valid] = [e.ci_high for e in est]
            whole = percent_wilson_many(np.array([sum_all]), np.array([n_all]))[0]
            whole_value = (whole.estimate, float(whole.ci_low or 0.0), float(whole.ci_high or 0.0), "wilson")
            method = "newcombe"
        rows.append(
            Row(ANALYSIS, SURVEY_VALUE, whole_value[0], item=item, n=int(n_all), ci_low=whole_value[1],
                ci_high=whole_value[2], method=whole_value[3], subgroup=column, source="survey", level=measure)
        )  # fmt: skip
        shown = keep & (answered >= k) & (n_peer >= 2)
        idx = np.flatnonzero(shown)
        if not len(idx):
            continue
        ranked = sign is not None and len(idx) >= MIN_RANKED_UNITS
        places = _rank((sign or 1) * value[idx]).tolist() if ranked else [None] * len(idx)
        for place, j in zip(places, idx.tolist()):
            unit = f"{column}={units[j]}"
            w = answered[j] / n_all
            mark = flag(float(low[j]), float(high[j]))
            common: dict[str, Any] = {"item": item, "subgroup": unit, "source": "survey"}
            rows += [
                Row(ANALYSIS, measure, float(value[j]), n=int(answered[j]), ci_low=float(v_low[j]),
                    ci_high=float(v_high[j]), method="t" if measure == MEAN else "wilson", **common),
                Row(ANALYSIS, DIFFERENCE_PEERS, float(d[j]), n=int(answered[j]), denominator=int(n_peer[j]),
                    ci_low=float(low[j]), ci_high=float(high[j]), method=method, level=mark,
                    p_value=_finite(p_diff[j]), **common),
                Row(ANALYSIS, DIFFERENCE_SURVEY, float((1 - w) * d[j]), n=int(answered[j]), denominator=int(n_all),
                    ci_low=float((1 - w) * low[j]), ci_high=float((1 - w) * high[j]), method=f"{method}, scaled",
                    level=mark, **common),
            ]  # fmt: skip
            if place is not None:
                rows.append(Row(ANALYSIS, RANK, int(place), denominator=len(idx), method="rank", **common))
    return rows + adjusted_flags(rows, multiplicity)


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def adjusted_flags(rows: list[Row], multiplicity: str) -> list[Row]:
    """The `p_adjusted` rows of every unit's differences from its peers (one family per unit), each with the flag
    after adjustment in `level`; in the order of the differences."""
    fam = families.family(families.BENCHMARK_FLAGS)
    tested = {(r.item, r.subgroup): r for r in rows if r.measure == DIFFERENCE_PEERS}
    out = []
    for row in families.adjusted_rows(fam, rows, multiplicity):
        diff = tested[(row.item, row.subgroup)]
        out.append(families.with_flag(row, adjusted_flag(float(diff.estimate or 0.0), float(row.estimate or 1.0))))
    return out


def benchmark(
    meta: dict[str, Any],
    survey: pd.DataFrame,
    k: int,
    minimum: int | None = None,
    multiplicity: str = DEFAULT_ADJUSTMENT,
) -> pd.DataFrame:
    """The benchmark rows of a cohort as a partial register."""
    return to_frame(benchmark_rows(meta, survey, k, minimum, multiplicity))


def reported_units(register: pd.DataFrame) -> list[str]:
    """The values of the reported units (those with a `benchmark` `responses` row), in register order."""
    rows = select(register, ANALYSIS, RESPONSES)
    return [s.split("=", 1)[1] for s in rows["subgroup"]]
