"""Programme level: cohorts that share a `programme` in cohort.yaml, compared and pooled in one register.

The programme register `<results_dir>/programmes/<slug>/statistics.csv` has the statistics
register's columns plus a last column `cohort`: every row of every cohort's own register (with
its cohort id), then pooled rows with `cohort` = `all`:

- response / invited, responses, response_rate and pre_post / responses_pre, responses_post,
  linked, pre_only, post_only, retention: sums over the cohorts (shares recomputed on the sums);
- pre_post / mean_change (and effect_size, mean_pre, mean_post): over the *pooled linked
  participants* of all pre/post cohorts, each participant once, with the same methods as for a
  cohort (t interval, Wilcoxon signed-rank with R defaults). Cohorts therefore weigh by their
  number of linked participants (`paired_t`: the same change and interval with the paired t p,
  which the programme report shows). We pool participants rather than meta-analyse cohort means
  because cohorts of a handful of pairs often have changes with no spread (a standard error of 0),
  which inverse-variance weights cannot use;
- pre_post / heterogeneity: Kruskal-Wallis test of the changes across cohorts (estimate H,
  denominator the number of cohorts);
- pre_post / change_vs_first (on each later cohort's own rows, `level` = the first cohort): its
  mean change minus the first configured cohort's, Welch interval and p (statsmodels);
- theme / participants and segments: sums; theme / pct_participants: the summed participants as a
  percent of the summed bases (Wilson).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from workforce_eval import register
from workforce_eval.analyses import families
from workforce_eval.analyses import groups as groups_
from workforce_eval.analyses.prepost import change_targets, linked_differences
from workforce_eval.names import slug
from workforce_eval.register import audit, disclosure, programme_file
from workforce_eval.register import cells as register_cells
from workforce_eval.register.measures import (
    CHANGE_VS_FIRST,
    EFFECT_SIZE,
    HETEROGENEITY,
    I2,
    MEAN_CHANGE,
    PAIRED_T,
    PRE_POST,
    PREDICTION_INTERVAL,
    Q_HETEROGENEITY,
    RE_MEAN_CHANGE,
    RESPONSE,
    RESPONSE_RATE,
    RETENTION,
    TAU2,
    THEME,
)
from workforce_eval.register.notation import disclosure_threshold
from workforce_eval.register.rows import Row
from workforce_eval.stats.intervals import mean_t, percent_wilson
from workforce_eval.stats.meta import random_effects
from workforce_eval.stats.multiplicity import DEFAULT as DEFAULT_ADJUSTMENT
from workforce_eval.stats.paired import cohens_dz, paired_t, signed_rank
from workforce_eval.stats.scales import with_constructs

COLUMNS = programme_file.COLUMNS
POOLED = "all"
SOURCE = "survey"


@dataclass(frozen=True)
class CohortResults:
    """What the programme analysis takes of one cohort (read from its results by `steps.programme`)."""

    cohort_id: str
    meta: dict[str, Any]
    stats: pd.DataFrame
    survey: pd.DataFrame


def _groups(cohorts: list[CohortResults]) -> list[dict[str, str]]:
    """Groups of all cohorts, first appearance order, less those a cohort withholds for being below its minimum
    group base (`analyses.groups`): their rows are missing from that cohort's register, so a pooled row of the
    group would sum only some cohorts under the programme's name (and, less the cohorts shown, give the others
    back). The programme breaks out a group only where every cohort does."""
    out = {str(g) for c in cohorts for g in groups_.withheld(c.stats)}
    seen: dict[str, str] = {}
    for c in cohorts:
        for g in c.meta.get("groups", []):
            if str(g["code"]) not in out:
                seen.setdefault(str(g["code"]), str(g["label"]))
    return [{"code": k, "label": v} for k, v in seen.items()]


def _sum_rows(cohorts: list[CohortResults], analysis: str, measures: tuple[str, ...], groups: list[str]) -> list[Row]:
    """Sums of count rows over the cohorts that have them."""
    rows: list[Row] = []
    for measure in measures:
        for group in groups:
            values = [register.select(c.stats, analysis, measure, group=group) for c in cohorts]
            values = [v for v in values if len(v)]
            if not values:
                continue
            total = float(sum(float(v["estimate"].sum()) for v in values))
            source = str(values[0]["source"].iloc[0])
            rows.append(Row(analysis, measure, total, group=group, source=source, n=total, method="sum over cohorts"))
    return rows


def _share_of_sums(cohorts: list[CohortResults], analysis: str, measure: str, groups: list[str]) -> list[Row]:
    """A Wilson share recomputed on the summed numerators and denominators of the cohorts' share rows."""
    rows: list[Row] = []
    for group in groups:
        parts = [register.select(c.stats, analysis, measure, group=group) for c in cohorts]
        parts = [p for p in parts if len(p)]
        if not parts:
            continue
        k = int(sum(float(p["n"].sum()) for p in parts))
        n = int(sum(float(p["denominator"].sum()) for p in parts))
        if n <= 0:
            continue
        est = percent_wilson(k, n)
        rows.append(
            Row(
                analysis,
                measure,
                est.estimate,
                group=group,
                source=str(parts[0]["source"].iloc[0]),
                n=k,
                denominator=n,
                ci_low=est.ci_low,
                ci_high=est.ci_high,
                method="wilson on sums over cohorts",
            )
        )
    return rows


def _targets(cohorts: list[CohortResults]) -> list[str]:
    """Items and constructs with change in any pre/post cohort, in first-cohort order."""
    out: list[str] = []
    for c in cohorts:
        for target, _kind in change_targets(c.meta):
            if target not in out:
                out.append(target)
    return out


def change_rows(cohorts: list[CohortResults], groups: list[str]) -> list[tuple[str, Row]]:
    """(cohort, row): pooled change over linked participants, heterogeneity across cohorts, later cohorts
    against the first."""
    prepost = [c for c in cohorts if c.meta.get("design") == "pre_post"]
    by_measure: dict[str, list[tuple[str, Row]]] = {
        m: []
        for m in (
            MEAN_CHANGE,
            EFFECT_SIZE,
            HETEROGENEITY,
            PAIRED_T,
            RE_MEAN_CHANGE,
            TAU2,
            I2,
            Q_HETEROGENEITY,
            PREDICTION_INTERVAL,
            CHANGE_VS_FIRST,
        )
    }
    if not prepost:
        return []
    first = prepost[0]
    scored = {c.cohort_id: with_constructs(c.survey, c.meta) for c in prepost}
    for target in _targets(prepost):
        diffs = {c.cohort_id: linked_differences(c.meta, scored[c.cohort_id], target) for c in prepost}
        for group in groups:
            per = {
                cid: (d if group == POOLED else d[d["group"] == group])["diff"].to_numpy(dtype="float64")
                for cid, d in diffs.items()
            }
            pooled = np.concatenate(list(per.values())) if per else np.array([])
            if len(pooled) == 0:
                continue
            kw: dict[str, Any] = {"item": target, "group": group, "source": SOURCE, "n": len(pooled)}
            est = mean_t(pooled)
            test = signed_rank(pooled)
            by_measure["mean_change"].append(
                (
                    POOLED,
                    Row(
                        PRE_POST,
                        MEAN_CHANGE,
                        est.estimate,
                        ci_low=est.ci_low,
                        ci_high=est.ci_high,
                        p_value=test.p_value,
                        method=f"pooled linked participants; paired t interval; {test.method}",
                        **kw,
                    ),
                )
            )
            by_measure["paired_t"].append(
                (
                    POOLED,
                    Row(
                        PRE_POST,
                        PAIRED_T,
                        est.estimate,
                        ci_low=est.ci_low,
                        ci_high=est.ci_high,
                        p_value=paired_t(pooled).p_value,
                        method="pooled linked participants; paired t",
                        **kw,
                    ),
                )
            )
            dz = cohens_dz(pooled)
            if dz is not None:
                by_measure["effect_size"].append(
                    (
                        POOLED,
                        Row(
                            PRE_POST,
                            EFFECT_SIZE,
                            dz.estimate,
                            ci_low=dz.ci_low,
                            ci_high=dz.ci_high,
                            method="pooled linked participants; cohen d_z; noncentral t interval",
                            **kw,
                        ),
                    )
                )
            present = [v for v in per.values() if len(v)]
            if len(present) >= 2 and len(np.unique(pooled)) > 1:
                h, p = sps.kruskal(*present)
                by_measure["heterogeneity"].append(
                    (
                        POOLED,
                        Row(
                            PRE_POST,
                            HETEROGENEITY,
                            float(h),
                            p_value=float(p),
                            denominator=len(present),
                            method="kruskal-wallis of changes across cohorts",
                            **kw,
                        ),
                    )
                )
            for measure, row in meta_rows(per, kw):
                by_measure[measure].append((POOLED, row))
            base = per.get(first.cohort_id, np.array([]))
            for c in prepost[1:]:
                other = per[c.cohort_id]
                if len(base) < 2 or len(other) < 2 or (np.var(base) == 0 and np.var(other) == 0):
                    continue
                cm = CompareMeans(DescrStatsW(other), DescrStatsW(base))
                low, high = cm.tconfint_diff(alpha=0.05, usevar="unequal")
                _t, p, _df = cm.ttest_ind(usevar="unequal")
                row = Row(
                    PRE_POST,
                    CHANGE_VS_FIRST,
                    float(other.mean() - base.mean()),
                    item=target,
                    group=group,
                    source=SOURCE,
                    n=len(other) + len(base),
                    ci_low=float(low),
                    ci_high=float(high),
                    p_value=float(p),
                    method="difference in mean change; welch t",
                    level=first.cohort_id,
                )
                by_measure["change_vs_first"].append((c.cohort_id, row))
    later = sorted(by_measure.pop("change_vs_first"), key=lambda pair: [c.cohort_id for c in prepost].index(pair[0]))
    return [pair for m in by_measure.values() for pair in m] + later


def meta_rows(per: dict[str, np.ndarray], kw: dict[str, Any]) -> list[tuple[str, Row]]:
    """(measure, row): the random-effects meta-analysis of the cohorts' mean changes (`stats.meta`), over the
    cohorts whose changes vary (a cohort whose changes are all equal has no variance to weigh it by)."""
    used = {cid: d for cid, d in per.items() if len(d) >= 2 and float(np.var(d, ddof=1)) > 0}
    if len(used) < 2:
        return []
    res = random_effects(
        [float(d.mean()) for d in used.values()], [float(np.var(d, ddof=1)) / len(d) for d in used.values()]
    )
    common = {**kw, "n": sum(len(d) for d in used.values()), "denominator": res.k}
    left_out = len(per) - res.k
    note = f"{res.k} cohorts" + (f" ({left_out} without variation left out)" if left_out else "")
    rows = [
        (RE_MEAN_CHANGE, Row(PRE_POST, RE_MEAN_CHANGE, res.estimate, ci_low=res.ci_low, ci_high=res.ci_high,
                             p_value=res.p_value, method=f"random effects, paule-mandel; z; {note}", **common)),
        (TAU2, Row(PRE_POST, TAU2, res.tau2, method=f"paule-mandel; {note}", **common)),
        (I2, Row(PRE_POST, I2, res.i2, method=f"higgins-thompson (Q - df) / Q; {note}", **common)),
        (Q_HETEROGENEITY, Row(PRE_POST, Q_HETEROGENEITY, res.q, p_value=res.q_p_value,
                              method=f"cochran q, chi-square with {res.q_df} df; {note}", **common)),
    ]  # fmt: skip
    if res.pi_low is not None:
        rows.append(
            (PREDICTION_INTERVAL, Row(PRE_POST, PREDICTION_INTERVAL, res.estimate, ci_low=res.pi_low,
                                      ci_high=res.pi_high, method=f"t with {res.k - 2} df; {note}", **common))
        )  # fmt: skip
    return rows


def theme_rows(cohorts: list[CohortResults]) -> list[Row]:
    """Theme participants and segments summed over cohorts; pct_participants on the summed bases. Only for `all`
    and the groups every cohort breaks out (`_groups`): a sum over some cohorts is no programme total."""
    shown = {POOLED, *(g["code"] for g in _groups(cohorts))}
    frames = [register.select(c.stats, THEME, group=tuple(shown)) for c in cohorts]
    if not frames or all(f.empty for f in frames):
        return []
    rows_all = pd.concat(frames, ignore_index=True)
    grouped = rows_all.groupby(["measure", "item", "group", "source"], sort=False)[
        ["estimate", "n", "denominator"]
    ].sum()
    sums: dict[Any, dict[Any, Any]] = dict(zip(grouped.index, grouped.to_dict("records")))
    keys = list(dict.fromkeys(zip(rows_all["item"], rows_all["group"], rows_all["source"])))
    rows: list[Row] = []
    for measure in ("participants", "pct_participants", "segments"):
        for item, group, source in keys:
            key = (measure, item, group, source)
            if key not in sums:
                continue
            total = sums[key]
            if measure == "pct_participants":
                k, n = int(total["n"]), int(total["denominator"])
                est = percent_wilson(k, n)
                rows.append(
                    Row(
                        THEME,
                        measure,
                        est.estimate,
                        item=item,
                        group=group,
                        source=source,
                        n=k,
                        denominator=n,
                        ci_low=est.ci_low,
                        ci_high=est.ci_high,
                        method="wilson on sums over cohorts",
                    )
                )
            else:
                value = float(total["estimate"])
                rows.append(
                    Row(
                        THEME,
                        measure,
                        value,
                        item=item,
                        group=group,
                        source=source,
                        n=value,
                        method="sum over cohorts",
                    )
                )
    return rows


def _with_cohort(frame: pd.DataFrame, cohort: str) -> pd.DataFrame:
    """A register frame with the `cohort` column."""
    out = register.normalise(frame)
    out["cohort"] = cohort
    return out


def programme_threshold(cohorts: list[CohortResults]) -> int:
    """The programme's disclosure threshold: the largest of its cohorts' (each cohort's own rows keep theirs)."""
    return max((disclosure_threshold(c.meta) for c in cohorts), default=disclosure_threshold({}))


def pooled_disclosure(pooled: pd.DataFrame, cohorts: list[CohortResults]) -> pd.DataFrame:
    """Disclosure control over the programme's own (pooled) rows, read by every programme output.

    A pooled count is hidden when it is small (primary, at the programme threshold), when disclosure
    control of the pooled rows as a register hides it (`disclosure.apply`: groups within the programme,
    secondary suppression), and when the same row is hidden in any cohort: otherwise the pooled sum
    minus the other cohorts' shown counts would give the hidden one back. Then the disclosure audit of the
    cohorts' registers and the pooled rows together (`_audited`) hides further pooled counts until no
    cohort's hidden count is pinned by them.
    """
    if pooled.empty:
        return pooled
    meta = _pooled_meta(cohorts)
    hidden_in_a_cohort = set()
    for c in cohorts:
        hidden = c.stats[c.stats["suppressed"].astype(bool)]
        hidden_in_a_cohort |= set(_keys(hidden))
    # a pooled sum whose every cohort count is shown is known: hiding it would protect nothing
    known = frozenset(
        cell
        for row, key in zip(cast("list[dict[str, Any]]", pooled.to_dict("records")), _keys(pooled), strict=True)
        if key not in hidden_in_a_cohort and row["method"] == "sum over cohorts"
        for cell in register_cells.row_cells(row, {})
        if cell is not None
    )
    out = disclosure.apply(pooled, meta, programme_threshold(cohorts), known)
    flags = pd.Series([key in hidden_in_a_cohort for key in _keys(out)], index=out.index, dtype=bool)
    out["suppressed"] = out["suppressed"].astype(bool) | flags
    return _audited(out, cohorts)


#: The scope of the pooled rows in the disclosure audit (the cohorts' rows have their cohort ids).
POOLED_SCOPE = "programme"


def _pooled_meta(cohorts: list[CohortResults]) -> dict[str, Any]:
    return {"groups": _groups(cohorts), "items": [], "disclosure_threshold": programme_threshold(cohorts)}


def _keys(frame: pd.DataFrame) -> list[tuple[str, ...]]:
    """Rows' identities across cohorts and the pooled rows: analysis, measure, item, group, source, level."""
    columns = ["analysis", "measure", "item", "group", "source", "level"]
    text = frame.reindex(columns=columns).fillna("").astype(str)
    return [tuple(r) for r in text.itertuples(index=False, name=None)]


def _audited(pooled: pd.DataFrame, cohorts: list[CohortResults]) -> pd.DataFrame:
    """Hide further pooled counts while the audit of the cohorts with the pooled rows (`register.audit`: a
    pooled count = the sum of its cohorts') finds a hidden count pinned; only pooled counts are chosen (the
    cohorts' registers are final), the one fewest pooled rows show first, then non-zero, then smallest."""
    k = programme_threshold(cohorts)
    meta = _pooled_meta(cohorts)
    rows = [register_cells.row_cells(r, {}) for r in cast("list[dict[str, Any]]", pooled.to_dict("records"))]
    uses: dict[Any, int] = {}
    for num, den in rows:
        for cell in {c for c in (num, den) if c is not None}:
            uses[cell] = uses.get(cell, 0) + 1
    fixed = [audit.Table(c.cohort_id, c.cohort_id, c.stats, c.meta, disclosure_threshold(c.meta)) for c in cohorts]
    base = pooled["suppressed"].astype(bool)
    parts = tuple(c.cohort_id for c in cohorts)

    def flags(hidden: set[audit.Var]) -> pd.Series:
        cells = {disclosure.counted_cell(v[1]) for v in hidden if v[0] == POOLED_SCOPE}
        extra = [(num in cells) or (den in cells) for num, den in rows]
        return base | pd.Series(extra, index=pooled.index, dtype=bool)

    def make(hidden: set[audit.Var]) -> audit.Problem:
        table = audit.Table(POOLED_SCOPE, POOLED_SCOPE, pooled.assign(suppressed=flags(hidden)), meta, k, parts)
        return audit.build([*fixed, table])

    def cell_of(var: audit.Var) -> audit.Var:
        return (var[0], disclosure.counted_cell(var[1]))

    def cost(var: audit.Var) -> tuple[int, ...] | None:
        cell = cell_of(var)[1]
        if var[0] != POOLED_SCOPE or cell not in uses:
            return None
        return (uses[cell],)

    hidden = {cell_of(v) for v in audit.repair(make, set(), cost, scope=POOLED_SCOPE)}
    out = pooled.copy()
    out["suppressed"] = flags(hidden)
    return out


def programme_register(cohorts: list[CohortResults], multiplicity: str = DEFAULT_ADJUSTMENT) -> pd.DataFrame:
    """Every cohort's rows (with its id), then the pooled and comparison rows, in the programme's column order.

    The comparisons of cohorts (change_vs_first, heterogeneity) are adjusted for multiplicity per group
    (`analyses.families`, `later-cohorts`) by `multiplicity`; their `p_adjusted` rows follow them."""
    groups = [POOLED] + [g["code"] for g in _groups(cohorts)]
    parts = [_with_cohort(c.stats, c.cohort_id) for c in cohorts]
    pooled = _sum_rows(cohorts, "response", ("invited", "responses"), groups)
    pooled += _share_of_sums(cohorts, RESPONSE, RESPONSE_RATE, groups)
    pooled += _sum_rows(
        cohorts, "pre_post", ("responses_pre", "responses_post", "linked", "pre_only", "post_only"), groups
    )
    pooled += _share_of_sums(cohorts, PRE_POST, RETENTION, groups)
    themes = theme_rows(cohorts)
    controlled = pooled_disclosure(register.to_frame(pooled + themes), cohorts)
    is_theme = controlled["analysis"].eq(THEME).to_numpy() if len(controlled) else np.zeros(0, dtype=bool)
    parts.append(_with_cohort(controlled[~is_theme].reset_index(drop=True), POOLED))
    changes = change_rows(cohorts, groups)
    changes += families.adjusted(families.family(families.LATER_COHORTS), changes, multiplicity)
    for cohort in dict.fromkeys(c for c, _ in changes):
        parts.append(_with_cohort(register.to_frame([row for c, row in changes if c == cohort]), cohort))
    parts.append(_with_cohort(controlled[is_theme].reset_index(drop=True), POOLED))
    out = pd.concat(parts, ignore_index=True)
    return out.reindex(columns=list(COLUMNS)).reset_index(drop=True)


def programme_json(name: str, cohorts: list[CohortResults]) -> dict[str, Any]:
    """Labels the programme report needs: cohorts in order, groups, items, constructs, codebook."""
    items: dict[str, dict[str, Any]] = {}
    constructs: list[str] = []
    for c in cohorts:
        for item in c.meta.get("items", []):
            items.setdefault(str(item["id"]), item)
            if item.get("construct") and item["construct"] not in constructs:
                constructs.append(str(item["construct"]))
    codebook: list[Any] = next((c.meta["codebook"] for c in cohorts if c.meta.get("codebook")), [])
    return {
        "programme": name,
        "slug": slug(name),
        "synthetic": any(bool(c.meta.get("synthetic")) for c in cohorts),
        "disclosure_threshold": programme_threshold(cohorts),
        "cohorts": [
            {
                "cohort_id": c.cohort_id,
                "cohort": str(c.meta.get("cohort", c.cohort_id)),
                "design": c.meta.get("design"),
                "synthetic": bool(c.meta.get("synthetic")),
            }
            | _dates(c.meta)
            for c in cohorts
        ],
        "groups": _groups(cohorts),
        "items": list(items.values()),
        "constructs": constructs,
        "codebook": codebook,
    } | _labels(cohorts)


def _dates(meta: dict[str, Any]) -> dict[str, Any]:
    """A cohort's `dates` (cohort.yaml, kept in cohort.json's extra) for the title block, only when given."""
    dates = (meta.get("extra") or {}).get("dates")
    return {"dates": str(dates)} if dates not in (None, "") else {}


def _labels(cohorts: list[CohortResults]) -> dict[str, Any]:
    """Declared construct and column labels of the cohorts (the first cohort's where they differ), only when any
    cohort declares one, so programme.json is unchanged without them."""
    out: dict[str, dict[str, str]] = {}
    for key in ("construct_labels", "column_labels"):
        merged: dict[str, str] = {}
        for c in cohorts:
            for k, v in (c.meta.get(key) or {}).items():
                merged.setdefault(str(k), str(v))
        if merged:
            out[key] = merged
    return out


def cohort_rows(stats: pd.DataFrame, cohort: str) -> pd.DataFrame:
    """The rows of one cohort (or `all` for pooled rows) of a programme register."""
    return register.select(stats, cohort=cohort)
