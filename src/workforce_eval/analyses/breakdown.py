"""Descriptives by organisation and by categorical survey columns (`breakdowns:` in cohort.yaml).

Register rows with analysis `breakdown`, group `all` and the subgroup as `<column>=<value>`
in the `subgroup` extension column: per subgroup the responses and their share, per item
% yes / % agree / median / mean, per construct the mean score and Cronbach's alpha.
Responses with a blank breakdown value belong to no subgroup of that column.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from workforce_eval.analyses.selection import post_responses
from workforce_eval.register.measures import BREAKDOWN, CRONBACH_ALPHA, MEAN, MEDIAN, PCT_AGREE, PCT_YES, RESPONSES
from workforce_eval.register.rows import Row, to_frame
from workforce_eval.stats.intervals import (
    mean_t_groups,
    median_from_counts,
    percent_wilson_many,
)
from workforce_eval.stats.scales import (
    CentredItems,
    construct_items,
    construct_scores,
    cronbach_alpha_groups,
)


def breakdown_columns(meta: dict[str, Any], survey: pd.DataFrame) -> list[str]:
    """`organisation` when the survey has any, then the columns named under `breakdowns:`, without repeats."""
    out: list[str] = []
    if "organisation" in survey.columns and survey["organisation"].notna().any():
        out.append("organisation")
    for name in meta.get("breakdowns") or []:
        if name in survey.columns and name not in out:
            out.append(name)
    return out


def breakdown_rows(meta: dict[str, Any], survey: pd.DataFrame, scores: pd.DataFrame | None = None) -> list[Row]:
    """Per breakdown column and value: responses, share, item and construct statistics, alpha.

    Vectorised over subgroups (one numpy.bincount per item and column, one Wilson / t / F
    quantile call per measure), so a breakdown by hundreds of organisations costs about as
    much as one by two, and time grows linearly with the number of responses.
    """

    post = post_responses(survey)
    columns = breakdown_columns(meta, post)
    if not columns or not len(post):
        return []
    constructs = {c: [i for i in items if i in post.columns] for c, items in construct_items(meta).items()}
    kinds = ("yesno", "likert", "numeric")
    items = [it for it in meta.get("items", []) if it["id"] in post.columns and it["type"] in kinds]
    # per item once: numbers (numeric items) or integer codes with k + 1 standing for missing
    numbers: dict[str, np.ndarray] = {}
    coded: dict[str, np.ndarray] = {}
    for it in items:
        values = post[it["id"]].to_numpy(dtype="float64", na_value=np.nan)
        if it["type"] == "numeric":
            numbers[it["id"]] = values
        else:
            small = np.min_scalar_type(len(it["levels"]) + 1)  # e.g. uint8: kept for every column, so small
            coded[it["id"]] = np.where(np.isnan(values), len(it["levels"]) + 1, values).astype(small)
    table = construct_scores(post, meta) if scores is None else scores
    score = {c: table[c].to_numpy(dtype="float64", na_value=np.nan) for c in table.columns}
    blocks = {  # prepared once, used under every breakdown column
        c: CentredItems.of([post[i].to_numpy(dtype="float64", na_value=np.nan) for i in m])
        for c, m in constructs.items()
        if len(m) >= 2
    }
    rows: list[Row] = []
    for column in columns:
        codes, uniques = pd.factorize(post[column], sort=True)
        n_groups = len(uniques)
        g = np.where(codes < 0, n_groups, codes)  # blank values: an extra group, dropped below
        subgroups = [f"{column}={u}" for u in uniques]
        sizes = np.bincount(g, minlength=n_groups + 1)[:n_groups]
        out: dict[str, list[Row]] = {m: [] for m in MEASURES}

        def shares(measure: str, item: str, counts: np.ndarray, totals: np.ndarray) -> None:
            has = np.flatnonzero(totals > 0)
            for j, est in zip(has.tolist(), percent_wilson_many(counts[has], totals[has])):
                out[measure].append(
                    Row(
                        BREAKDOWN,
                        measure,
                        est.estimate,
                        item=item,
                        n=int(counts[j]),
                        denominator=int(totals[j]),
                        ci_low=est.ci_low,
                        ci_high=est.ci_high,
                        method="wilson",
                        subgroup=subgroups[j],
                        group="all",
                        source="survey",
                    )
                )

        def means(item: str, values: np.ndarray) -> None:
            estimates = mean_t_groups(values, g, n_groups + 1)[:n_groups]
            counts = np.bincount(g, weights=~np.isnan(values), minlength=n_groups + 1)
            for j, est in enumerate(estimates):
                if est is not None:
                    out["mean"].append(
                        Row(
                            BREAKDOWN,
                            MEAN,
                            est.estimate,
                            item=item,
                            n=int(counts[j]),
                            ci_low=est.ci_low,
                            ci_high=est.ci_high,
                            method="t",
                            subgroup=subgroups[j],
                            group="all",
                            source="survey",
                        )
                    )

        for j in range(n_groups):
            out["responses"].append(
                Row(
                    BREAKDOWN,
                    RESPONSES,
                    int(sizes[j]),
                    n=int(sizes[j]),
                    method="count",
                    subgroup=subgroups[j],
                    group="all",
                    source="survey",
                )
            )
        shares("share", "", sizes, np.full(n_groups, int(sizes.sum())))
        for it in items:
            if it["type"] == "numeric":
                means(it["id"], numbers[it["id"]])
                continue
            k = len(it["levels"])
            counts = np.bincount(g * (k + 2) + coded[it["id"]], minlength=(n_groups + 1) * (k + 2))
            counts = counts.reshape(n_groups + 1, k + 2)[:n_groups, : k + 1]  # drop blank group and missing
            answered = counts.sum(axis=1)
            if it["type"] == "yesno":
                shares(PCT_YES, it["id"], counts[:, k], answered)
            else:
                shares(PCT_AGREE, it["id"], counts[:, k] + counts[:, k - 1], answered)
                for j in np.flatnonzero(answered > 0).tolist():
                    out["median"].append(
                        Row(
                            BREAKDOWN,
                            MEDIAN,
                            median_from_counts(counts[j]),
                            item=it["id"],
                            n=int(answered[j]),
                            method="median",
                            subgroup=subgroups[j],
                            group="all",
                            source="survey",
                        )
                    )
        for construct in constructs:
            if construct in score:
                means(construct, score[construct])
            if construct not in blocks:
                continue
            for j, result in enumerate(cronbach_alpha_groups(blocks[construct], g, n_groups + 1)[:n_groups]):
                if result is not None:
                    alpha, used = result
                    out["cronbach_alpha"].append(
                        Row(
                            BREAKDOWN,
                            CRONBACH_ALPHA,
                            alpha.estimate,
                            item=construct,
                            n=used,
                            ci_low=alpha.ci_low,
                            ci_high=alpha.ci_high,
                            method="feldt",
                            subgroup=subgroups[j],
                            group="all",
                            source="survey",
                        )
                    )
        for measure in MEASURES:
            rows += out[measure]
    return rows


#: Breakdown measures, in register order (within a measure: item order, then subgroup value order).
MEASURES: tuple[str, ...] = ("responses", "share", PCT_YES, PCT_AGREE, "median", "mean", "cronbach_alpha")


def breakdowns(meta: dict[str, Any], survey: pd.DataFrame) -> pd.DataFrame:
    """The breakdown rows of a cohort as a partial register."""
    return to_frame(breakdown_rows(meta, survey))
