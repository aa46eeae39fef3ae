"""Pre/post designs: linked change per item and construct, attrition, reliability per time point, groups at post.

All functions take the cleaned survey (one row per response, codes after reverse coding) and the
cohort metadata (`cohort.json`) and return statistics-register rows (`register.Row`). A participant
is *linked* when they have a `pre` and a `post` response (`participant_id` given); for an item, the
linked participants are those who answered it at both time points. Change is post minus pre.

Register rows written here (analysis / measure; `item` is an item or construct id, `group` a
group code or `all`, `source` survey):

- `pre_post / responses_pre`, `responses_post`, `linked`, `pre_only`, `post_only`: counts of
  responses; responses without a participant_id cannot be linked and count as pre only / post only;
- `pre_post / retention`: linked as a percent of pre responses (Wilson interval);
- `pre_post / mean_change` (the contract's measure): mean of post minus pre over the linked
  participants, n = their count, t interval, p of the two-sided Wilcoxon signed-rank test with
  R's `wilcox.test` defaults (see `pairedstats.signed_rank`);
- `pre_post / p_holm`: that p adjusted by Holm across the items (likert and numeric) of the cohort
  within one reporting group; constructs form their own family;
- `pre_post / paired_t`: the same mean change and t interval with the p of the paired t test (R
  `t.test(paired = TRUE)`), so estimate, interval and p come from one method; `p_holm_t` is that p
  adjusted by Holm in the same families as `p_holm`;
- `pre_post / hl_shift`: the Hodges-Lehmann shift (pseudo-median of the changes) with its interval
  and the Wilcoxon signed-rank p, as R `wilcox.test(paired = TRUE, conf.int = TRUE)`
  (`pairedstats.hodges_lehmann`); no interval where R cannot reach 95 % (all changes alike);
- `pre_post / effect_size`: Cohen's d_z with its noncentral-t interval;
- `pre_post / mean_pre`, `mean_post`: means over the same linked participants, t intervals;
- `reliability / cronbach_alpha` with `level` = `pre` or `post`: alpha over the complete
  responses of that time point, Feldt interval;
- `between_groups / rank_biserial` (likert and numeric items; Mann-Whitney p) and
  `between_groups / odds_ratio` (yes/no items; Fisher's exact p) at post, for every pair of groups:
  `group` is the first group in cohort order, `level` the group it is compared with.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from workforce_eval.analyses import families
from workforce_eval.register.measures import (
    BETWEEN_GROUPS,
    CRONBACH_ALPHA,
    EFFECT_SIZE,
    HL_SHIFT,
    MEAN_CHANGE,
    ODDS_RATIO,
    PAIRED_T,
    PRE_POST,
    RANK_BISERIAL,
    RELIABILITY,
    RETENTION,
)
from workforce_eval.register.rows import Row, to_frame
from workforce_eval.stats.intervals import mean_t, percent_wilson
from workforce_eval.stats.multiplicity import DEFAULT as DEFAULT_ADJUSTMENT
from workforce_eval.stats.paired import (
    cohens_dz,
    fisher_2x2,
    hodges_lehmann,
    holm,
    paired_t,
    rank_biserial,
    rank_sum,
    signed_rank,
)
from workforce_eval.stats.scales import construct_items, cronbach_alpha, with_constructs

#: Item types compared as numbers before and after.
CHANGE_TYPES = ("likert", "numeric")
SOURCE = "survey"


def group_codes(meta: dict[str, Any]) -> list[str]:
    """Group codes in cohort.yaml order."""
    return [str(g["code"]) for g in meta.get("groups", [])]


def _groups(meta: dict[str, Any], frame: pd.DataFrame) -> Iterator[tuple[str, pd.DataFrame]]:
    """(`all`, frame), then (code, that group's rows) in cohort order."""
    yield "all", frame
    for code in group_codes(meta):
        yield code, frame[frame["group"] == code]


def change_targets(meta: dict[str, Any]) -> list[tuple[str, str]]:
    """(id, kind) of what change is reported for: likert and numeric items in instrument order, then constructs."""
    items = [(str(i["id"]), "item") for i in meta.get("items", []) if i.get("type") in CHANGE_TYPES]
    return items + [(c, "construct") for c in construct_items(meta)]


def paired_values(survey: pd.DataFrame, column: str) -> pd.DataFrame:
    """participant_id, group, pre, post for participants with a non-missing answer at both time points."""
    linked = survey[survey["participant_id"].notna()]
    parts = {}
    for tp in ("pre", "post"):
        part = linked[linked["timepoint"] == tp]
        if part["participant_id"].duplicated().any():
            raise ValueError(f"more than one {tp} response for one participant")
        parts[tp] = part.set_index("participant_id")
    pre = parts["pre"][column].rename("pre")
    post = parts["post"][["group", column]].rename(columns={column: "post"})
    both = post.join(pre, how="inner")
    out = pd.DataFrame(
        {
            "participant_id": both.index.astype(str),
            "group": both["group"].astype(str).to_numpy(),
            "pre": pd.to_numeric(both["pre"], errors="coerce").astype("float64").to_numpy(),
            "post": pd.to_numeric(both["post"], errors="coerce").astype("float64").to_numpy(),
        }
    )
    out = out.dropna(subset=["pre", "post"])
    return out.sort_values("participant_id", kind="stable").reset_index(drop=True)


def attrition_rows(meta: dict[str, Any], survey: pd.DataFrame) -> list[Row]:
    """Responses before and after, linked, pre only, post only and retention, overall and by group."""
    rows: dict[str, list[Row]] = {
        m: [] for m in ("responses_pre", "responses_post", "linked", "pre_only", "post_only", "retention")
    }
    for group, part in _groups(meta, survey):
        pre = part[part["timepoint"] == "pre"]
        post = part[part["timepoint"] == "post"]
        pre_ids = set(pre["participant_id"].dropna())
        post_ids = set(post["participant_id"].dropna())
        linked = len(pre_ids & post_ids)
        counts = {
            "responses_pre": len(pre),
            "responses_post": len(post),
            "linked": linked,
            "pre_only": len(pre) - linked,
            "post_only": len(post) - linked,
        }
        for measure, value in counts.items():
            rows[measure].append(Row(PRE_POST, measure, value, group=group, source=SOURCE, n=value, method="count"))
        if len(pre):
            est = percent_wilson(linked, len(pre))
            rows["retention"].append(
                Row(
                    PRE_POST,
                    RETENTION,
                    est.estimate,
                    group=group,
                    source=SOURCE,
                    n=linked,
                    denominator=len(pre),
                    ci_low=est.ci_low,
                    ci_high=est.ci_high,
                    method="wilson",
                )
            )
    return [r for measure in rows for r in rows[measure]]


def _change(target: str, group: str, pairs: pd.DataFrame) -> dict[str, Row]:
    """The rows of one item or construct in one reporting group (empty when nobody is linked)."""
    if pairs.empty:
        return {}
    diff = (pairs["post"] - pairs["pre"]).to_numpy(dtype="float64")
    n = len(diff)
    change = mean_t(diff)
    test = signed_rank(diff)
    kw: dict[str, Any] = {"item": target, "group": group, "source": SOURCE, "n": n}
    t_test = paired_t(diff)
    out = {
        "mean_change": Row(
            PRE_POST,
            MEAN_CHANGE,
            change.estimate,
            ci_low=change.ci_low,
            ci_high=change.ci_high,
            p_value=test.p_value,
            method=f"paired t interval; {test.method}",
            **kw,
        ),
        # no spread in the changes: R's t.test gives neither interval nor p (not the zero-width interval)
        "paired_t": Row(
            PRE_POST,
            PAIRED_T,
            change.estimate,
            ci_low=change.ci_low if t_test.p_value is not None else None,
            ci_high=change.ci_high if t_test.p_value is not None else None,
            p_value=t_test.p_value,
            method="paired t" if t_test.p_value is not None or n < 2 else "paired t; changes without spread",
            **kw,
        ),
    }
    shift = hodges_lehmann(diff)
    if shift is not None:
        reached = shift.confidence >= 0.95 - 1e-12
        out["hl_shift"] = Row(
            PRE_POST,
            HL_SHIFT,
            shift.estimate,
            ci_low=shift.ci_low if reached else None,
            ci_high=shift.ci_high if reached else None,
            p_value=test.p_value,
            method=f"hodges-lehmann; {test.method}" + ("" if reached else "; 95 % interval not reachable"),
            **kw,
        )
    for measure, column in (("mean_pre", "pre"), ("mean_post", "post")):
        est = mean_t(pairs[column].to_numpy(dtype="float64"))
        out[measure] = Row(PRE_POST, measure, est.estimate, ci_low=est.ci_low, ci_high=est.ci_high, method="t", **kw)
    dz = cohens_dz(diff)
    if dz is not None:
        out["effect_size"] = Row(
            PRE_POST,
            EFFECT_SIZE,
            dz.estimate,
            ci_low=dz.ci_low,
            ci_high=dz.ci_high,
            method="cohen d_z; noncentral t interval",
            **kw,
        )
    return out


def change_rows(meta: dict[str, Any], survey: pd.DataFrame) -> list[Row]:
    """mean_change (with p), p_holm, effect_size, mean_pre, mean_post, paired_t, p_holm_t and hl_shift per target."""
    scored = with_constructs(survey, meta)
    targets = [(t, kind) for t, kind in change_targets(meta) if t in scored.columns]
    found: dict[tuple[str, str], dict[str, Row]] = {}
    for target, _kind in targets:
        pairs = paired_values(scored, target)
        for group, part in _groups(meta, pairs):
            found[(target, group)] = _change(target, group, part)
    # Holm within each reporting group, items and constructs as separate families.
    holm_rows: dict[tuple[str, str, str], Row] = {}
    for group in ["all", *group_codes(meta)]:
        for kind in ("item", "construct"):
            keys = [(t, group) for t, k in targets if k == kind and "mean_change" in found[(t, group)]]
            family = "items" if kind == "item" else "constructs"
            for measure, source in (("p_holm", "mean_change"), ("p_holm_t", "paired_t")):
                adjusted = holm([found[key][source].p_value for key in keys])
                for key, p in zip(keys, adjusted):
                    if p is None:
                        continue
                    holm_rows[(measure, *key)] = Row(
                        PRE_POST,
                        measure,
                        p,
                        item=key[0],
                        group=group,
                        source=SOURCE,
                        n=found[key][source].n,
                        p_value=p,
                        method=f"holm over {len(keys)} {family}",
                    )
    ordered_keys = [(t, g) for t, _ in targets for g in ["all", *group_codes(meta)]]
    rows: list[Row] = []
    measures = ("mean_change", "p_holm", "effect_size", "mean_pre", "mean_post", "paired_t", "p_holm_t", "hl_shift")
    for measure in measures:
        for key in ordered_keys:
            row = holm_rows.get((measure, *key)) if measure.startswith("p_holm") else found[key].get(measure)
            if row is not None:
                rows.append(row)
    return rows


def reliability_rows(meta: dict[str, Any], survey: pd.DataFrame) -> list[Row]:
    """Cronbach's alpha of every construct at each time point (all responses of that time point)."""
    rows: list[Row] = []
    for construct, items in construct_items(meta).items():
        present = [i for i in items if i in survey.columns]
        if len(present) < 2:
            continue
        for tp in ("pre", "post"):
            part = survey.loc[survey["timepoint"] == tp, present]
            try:
                alpha, used = cronbach_alpha(part)
            except ValueError:
                continue
            rows.append(
                Row(
                    RELIABILITY,
                    CRONBACH_ALPHA,
                    alpha.estimate,
                    item=construct,
                    group="all",
                    source=SOURCE,
                    n=used,
                    ci_low=alpha.ci_low,
                    ci_high=alpha.ci_high,
                    method="feldt",
                    level=tp,
                )
            )
    return rows


def _finite(x: float) -> float | None:
    """x, or None when it is infinite or NaN (the register leaves such cells blank)."""
    return x if math.isfinite(x) else None


def between_group_rows(meta: dict[str, Any], survey: pd.DataFrame) -> list[Row]:
    """At post, each pair of groups: rank-biserial (Mann-Whitney) for likert and numeric items, odds ratio
    (Fisher) for yes/no."""
    post = with_constructs(survey[survey["timepoint"] == "post"], meta)
    codes = group_codes(meta)
    rows: list[Row] = []
    items = [i for i in meta.get("items", []) if i.get("type") in ("likert", "numeric", "yesno")]
    targets = [(str(i["id"]), str(i["type"]), len(i.get("levels") or [])) for i in items]
    targets += [(c, "construct", 0) for c in construct_items(meta)]
    for target, kind, k in targets:
        if target not in post.columns:
            continue
        for first, second in combinations(codes, 2):
            a = post.loc[post["group"] == first, target].dropna().to_numpy(dtype="float64")
            b = post.loc[post["group"] == second, target].dropna().to_numpy(dtype="float64")
            if len(a) == 0 or len(b) == 0:
                continue
            kw: dict[str, Any] = {
                "item": target,
                "group": first,
                "source": SOURCE,
                "n": len(a) + len(b),
                "level": second,
            }
            if kind == "yesno":
                top = float(k)  # the top level (e.g. Yes) has the highest code, as for item / pct_yes
                table = [[int((a == top).sum()), int((a != top).sum())], [int((b == top).sum()), int((b != top).sum())]]
                fisher = fisher_2x2(table)
                rows.append(
                    Row(
                        BETWEEN_GROUPS,
                        ODDS_RATIO,
                        _finite(fisher.odds_ratio),
                        ci_low=_finite(fisher.ci_low),
                        ci_high=_finite(fisher.ci_high),
                        p_value=fisher.p_value,
                        method="fisher exact; conditional MLE odds ratio",
                        **kw,
                    )
                )
            else:
                test = rank_sum(a, b)
                r = rank_biserial(test.statistic, len(a), len(b))
                rows.append(
                    Row(
                        BETWEEN_GROUPS,
                        RANK_BISERIAL,
                        r.estimate,
                        ci_low=r.ci_low,
                        ci_high=r.ci_high,
                        p_value=test.p_value,
                        method=f"{test.method}; rank-biserial, fisher-z interval",
                        **kw,
                    )
                )
    order = {"rank_biserial": 0, "odds_ratio": 1}
    return sorted(rows, key=lambda r: order[r.measure])


def prepost(meta: dict[str, Any], survey: pd.DataFrame, multiplicity: str = DEFAULT_ADJUSTMENT) -> pd.DataFrame:
    """Every pre/post register row of a cohort; no rows unless the design is pre_post. The group comparisons'
    p-values are adjusted as one family (`analyses.families`, by `multiplicity`)."""
    if meta.get("design") != "pre_post" or survey.empty:
        return to_frame([])
    rows = attrition_rows(meta, survey)
    rows += change_rows(meta, survey)
    rows += reliability_rows(meta, survey)
    between = between_group_rows(meta, survey)
    rows += between
    rows += families.adjusted_rows(families.family(families.GROUP_COMPARISONS), between, multiplicity)
    return to_frame(rows)


def linked_differences(meta: dict[str, Any], survey: pd.DataFrame, target: str) -> pd.DataFrame:
    """participant_id, group and diff (post minus pre) of the linked participants for one item or construct.

    `survey` may already hold the construct columns (`with_constructs`); they are added when missing.
    """
    missing = [c for c in construct_items(meta) if c not in survey.columns]
    scored = with_constructs(survey, meta) if missing else survey
    if target not in scored.columns:
        return pd.DataFrame({"participant_id": [], "group": [], "diff": np.array([], dtype="float64")})
    pairs = paired_values(scored, target)
    return pd.DataFrame(
        {
            "participant_id": pairs["participant_id"],
            "group": pairs["group"],
            "diff": (pairs["post"] - pairs["pre"]).astype("float64"),
        }
    )
