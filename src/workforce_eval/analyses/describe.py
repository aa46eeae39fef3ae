"""Descriptive statistics: response, composition and survey items, as register rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from workforce_eval.analyses.breakdown import breakdown_rows
from workforce_eval.analyses.selection import post_responses
from workforce_eval.register.measures import (
    ANONYMOUS_RESPONSES,
    COLLAPSED_PCT,
    COMPLETE_PAIRS,
    COMPOSITION,
    COUNTED_RESPONSES,
    CRONBACH_ALPHA,
    INTERVIEW_PAIRS,
    INTERVIEWS,
    INVITED,
    ITEM,
    LEVEL_PCT,
    MEAN,
    MEDIAN,
    PCT_AGREE,
    PCT_YES,
    RELIABILITY,
    RESPONSE,
    RESPONSE_RATE,
    RESPONSES,
    SHARE,
    UNINVITED_RESPONSES,
    collapsed_levels,
)
from workforce_eval.register.rows import Row, to_frame
from workforce_eval.stats.intervals import (
    mean_t,
    median,
    median_from_counts,
    percent_wilson,
)
from workforce_eval.stats.scales import (
    construct_items,
    construct_scores,
    cronbach_alpha,
)


def group_codes(meta: dict[str, Any]) -> list[str]:
    """Group codes in cohort.yaml order."""
    return [g["code"] for g in meta["groups"]]


def reporting_groups(meta: dict[str, Any], survey: pd.DataFrame) -> Iterator[tuple[str, pd.DataFrame]]:
    """(`all`, every row), then (code, that group's rows) for each group in cohort order."""
    yield "all", survey
    for code in group_codes(meta):
        yield code, survey[survey["group"] == code]


def _share(analysis: str, measure: str, count: int, total: int, **kw: Any) -> Row:
    est = percent_wilson(count, total)
    return Row(
        analysis,
        measure,
        est.estimate,
        n=count,
        denominator=total,
        ci_low=est.ci_low,
        ci_high=est.ci_high,
        method="wilson",
        **kw,
    )


def _complete_pairs(participants: pd.DataFrame, members_with: set[str]) -> tuple[int, int]:
    """(pairs all of whose members are in `members_with`, pairs of two or more in the roster)."""
    paired = participants[participants["pair_id"].notna()]
    sizes = paired.groupby("pair_id")["participant_id"].size()
    pairs = sizes[sizes >= 2].index
    done = paired[paired["pair_id"].isin(pairs)].assign(has=lambda d: d["participant_id"].isin(members_with))
    complete = done.groupby("pair_id")["has"].all()
    return int(complete.sum()), len(pairs)


def response_rows(
    meta: dict[str, Any], participants: pd.DataFrame, survey: pd.DataFrame, segments: pd.DataFrame
) -> list[Row]:
    """Invited, responses, response rate, complete pairs, interviews and interview pairs."""
    rows: list[Row] = []
    post = post_responses(survey)
    # A roster without invitations (cross-sectional participants.csv without `invited`) is no denominator.
    has_roster = len(participants) > 0 and bool(participants["invited"].notna().any())
    invited = int(participants["invited"].sum()) if has_roster else 0
    if has_roster:
        rows.append(Row(RESPONSE, INVITED, invited, n=invited, source="survey", method="count"))
    if len(survey.columns) and (len(survey) or has_roster):
        sizes = post["group"].value_counts()  # not one copy of the survey per group
        for group in ["all", *group_codes(meta)]:
            count = len(post) if group == "all" else int(sizes.get(group, 0))
            rows.append(Row(RESPONSE, RESPONSES, count, n=count, group=group, source="survey", method="count"))
        if has_roster:
            # Responses from people marked not invited are left out of the rate; anonymous ones count
            # (only invited people had the link). Where the rest still exceed the invited count there is
            # no rate: the report says so from these rows.
            not_invited = set(participants.loc[~participants["invited"].astype(bool), "participant_id"])
            uninvited = int(post["participant_id"].isin(not_invited).sum())
            anonymous = int(post["participant_id"].isna().sum())
            counted = len(post) - uninvited
            for measure, value in (
                (COUNTED_RESPONSES, counted),
                (UNINVITED_RESPONSES, uninvited),
                (ANONYMOUS_RESPONSES, anonymous),
            ):
                rows.append(Row(RESPONSE, measure, value, n=value, source="survey", method="count"))
            if invited > 0 and counted <= invited:
                rows.append(_share(RESPONSE, RESPONSE_RATE, counted, invited, source="survey"))
        if has_roster:
            responded = set(post["participant_id"].dropna())
            complete, pairs = _complete_pairs(participants, responded)
            if pairs:
                rows.append(
                    Row(
                        RESPONSE,
                        COMPLETE_PAIRS,
                        complete,
                        n=complete,
                        denominator=pairs,
                        source="survey",
                        method="count",
                    )
                )
    interviews = segments[segments["source"] == "interview"]
    if len(interviews):
        docs = interviews.drop_duplicates("document_id")
        for group, part in reporting_groups(meta, docs):
            rows.append(
                Row(RESPONSE, INTERVIEWS, len(part), n=len(part), group=group, source="interview", method="count")
            )
        if has_roster:
            complete, pairs = _complete_pairs(participants, set(docs["participant_id"].dropna()))
            if pairs:
                rows.append(
                    Row(
                        RESPONSE,
                        INTERVIEW_PAIRS,
                        complete,
                        n=complete,
                        denominator=pairs,
                        source="interview",
                        method="count",
                    )
                )
    return rows


def composition_rows(meta: dict[str, Any], survey: pd.DataFrame) -> list[Row]:
    """Share of post responses in each group and each combined group, with Wilson intervals."""
    post = post_responses(survey)
    total = len(post)
    if total == 0:
        return []
    rows = [
        _share(COMPOSITION, SHARE, int((post["group"] == code).sum()), total, group=code, source="survey")
        for code in group_codes(meta)
    ]
    for combo in meta.get("combined_groups", []):
        count = int(post["group"].isin(combo["groups"]).sum())
        rows.append(_share(COMPOSITION, SHARE, count, total, group=combo["code"], source="survey"))
    return rows


def _item_rows_for(
    item: dict[str, Any], group: str, codes: pd.Series | np.ndarray | None, counts: np.ndarray | None = None
) -> list[Row]:
    """Register rows of one item within one reporting group.

    `codes` as a Series or a float array (NaN missing); for a scaled item its answer counts
    (index = code, 0 unused) may be given instead.
    """
    kind = item["type"]
    rows: list[Row] = []
    if isinstance(codes, pd.Series):
        codes = codes.to_numpy(dtype="float64", na_value=np.nan)
    if kind == "numeric":
        assert codes is not None
        values = codes[~np.isnan(codes)]
        if len(values):
            est = mean_t(values)
            rows.append(
                Row(
                    ITEM,
                    MEAN,
                    est.estimate,
                    item=item["id"],
                    group=group,
                    source="survey",
                    n=len(values),
                    ci_low=est.ci_low,
                    ci_high=est.ci_high,
                    method="t",
                )
            )
            rows.append(
                Row(
                    ITEM,
                    MEDIAN,
                    median(values),
                    item=item["id"],
                    group=group,
                    source="survey",
                    n=len(values),
                    method="median",
                )
            )
        return rows
    if kind not in ("likert", "yesno", "choice"):
        return rows
    levels: list[str] = item["levels"]
    k = len(levels)
    if counts is None:
        assert codes is not None
        counts = np.bincount(codes[~np.isnan(codes)].astype(np.int64), minlength=k + 1)  # codes 1..k
    total = int(counts.sum())
    if total == 0:
        return rows
    if kind == "yesno":
        rows.append(_share("item", PCT_YES, int(counts[k]), total, item=item["id"], group=group, source="survey"))
    if kind == "likert":
        top_two = int(counts[k] + counts[k - 1])
        rows.append(_share("item", PCT_AGREE, top_two, total, item=item["id"], group=group, source="survey"))
        rows.append(
            Row(
                ITEM,
                MEDIAN,
                median_from_counts(counts),
                item=item["id"],
                group=group,
                source="survey",
                n=total,
                method="median",
            )
        )
    raw: dict[str, int] = {}  # answers per level as worded (codes are reversed for a reverse-coded item)
    for position, level in enumerate(levels, start=1):
        code = k + 1 - position if item.get("reverse") else position
        raw[level] = int(counts[code])
        rows.append(
            _share(
                "item", LEVEL_PCT, int(counts[code]), total, item=item["id"], group=group, source="survey", level=level
            )
        )
    if kind == "likert":
        # three categories as worded, for the chart where disclosure control hides single levels
        for category, members in collapsed_levels(item).items():
            count = sum(raw[lv] for lv in members)
            cell = {"item": item["id"], "group": group, "source": "survey", "level": category}
            rows.append(_share("item", COLLAPSED_PCT, count, total, **cell))
    return rows


def item_rows(meta: dict[str, Any], survey: pd.DataFrame) -> list[Row]:
    """Per item, overall and by group: pct_yes / pct_agree / median / level distribution / mean."""
    post = post_responses(survey)
    rows: list[Row] = []
    measures = (PCT_YES, PCT_AGREE, "median", "mean", LEVEL_PCT, COLLAPSED_PCT)
    per_item: list[Row] = []
    # not one copy of the whole survey per group: scaled items are counted for every group in one
    # numpy.bincount over (group, code); numeric items use one boolean mask per group
    codes = group_codes(meta)
    g = pd.Categorical(post["group"], categories=codes).codes.astype(np.int64)
    g[g < 0] = len(codes)
    masks = [("all", None)] + [(code, g == j) for j, code in enumerate(codes)]
    for item in meta["items"]:
        if item["id"] not in post.columns or item["type"] not in ("numeric", "likert", "yesno", "choice"):
            continue
        column = post[item["id"]].to_numpy(dtype="float64", na_value=np.nan)
        if item["type"] == "numeric":
            for group, mask in masks:
                per_item.extend(_item_rows_for(item, group, column if mask is None else column[mask]))
            continue
        k = len(item["levels"])
        coded = np.where(np.isnan(column), k + 1, column).astype(np.int64)  # k + 1: no answer
        table = np.bincount(g * (k + 2) + coded, minlength=(len(codes) + 1) * (k + 2)).reshape(-1, k + 2)
        per_item.extend(_item_rows_for(item, "all", None, table[:, : k + 1].sum(axis=0)))
        for j, code in enumerate(codes):
            per_item.extend(_item_rows_for(item, code, None, table[j, : k + 1]))
    # order: measure, then item (instrument order), then group -- rows were built item-major
    for measure in measures:
        rows.extend(r for r in per_item if r.measure == measure)
    return rows


def construct_rows(meta: dict[str, Any], survey: pd.DataFrame, scores: pd.DataFrame | None = None) -> list[Row]:
    """Per construct: mean score (t interval) overall and by group, and Cronbach's alpha over all responses.

    `scores`: the post responses' construct scores when already computed (`construct_scores`).
    """
    post = post_responses(survey)
    scores = (construct_scores(post, meta) if scores is None else scores).assign(group=post["group"])
    rows: list[Row] = []
    for construct, items in construct_items(meta).items():
        if construct not in scores.columns:
            continue
        for group, part in reporting_groups(meta, scores):
            values = part[construct].dropna().to_numpy(dtype="float64")
            if len(values):
                est = mean_t(values)
                rows.append(
                    Row(
                        ITEM,
                        MEAN,
                        est.estimate,
                        item=construct,
                        group=group,
                        source="survey",
                        n=len(values),
                        ci_low=est.ci_low,
                        ci_high=est.ci_high,
                        method="t",
                    )
                )
        try:
            alpha, used = cronbach_alpha(post[items])
        except ValueError:
            continue
        rows.append(
            Row(
                RELIABILITY,
                CRONBACH_ALPHA,
                alpha.estimate,
                item=construct,
                group="all",
                source="survey",
                n=used,
                ci_low=alpha.ci_low,
                ci_high=alpha.ci_high,
                method="feldt",
            )
        )
    return rows


def describe(
    meta: dict[str, Any], participants: pd.DataFrame, survey: pd.DataFrame, segments: pd.DataFrame
) -> pd.DataFrame:
    """All descriptive register rows of a cohort, in register order."""
    # answer codes as floats once (NaN missing), so that every later step reads them without converting
    coded = [i["id"] for i in meta["items"] if i["type"] in ("likert", "yesno", "choice", "numeric")]
    survey = survey.astype({c: "float64" for c in coded if c in survey.columns})
    rows = response_rows(meta, participants, survey, segments)
    rows += composition_rows(meta, survey)
    rows += item_rows(meta, survey)
    scores = construct_scores(post_responses(survey), meta)  # once, for constructs and breakdowns
    rows += construct_rows(meta, survey, scores)
    rows += breakdown_rows(meta, survey, scores)
    return to_frame(rows)
