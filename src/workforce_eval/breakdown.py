"""Descriptives by organisation and by categorical survey columns (`breakdowns:` in cohort.yaml).

Register rows with analysis `breakdown`, group `all` and the subgroup as `<column>=<value>`
in the `subgroup` extension column: per subgroup the responses and their share, per item
% yes / % agree / median / mean, per construct the mean score and Cronbach's alpha.
Responses with a blank breakdown value belong to no subgroup of that column.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .constructs import construct_items, cronbach_alpha, with_constructs
from .io import YamlDoc
from .register import Row, to_frame
from .stats import mean_t, median, percent_wilson


def check_breakdowns(cohort_yaml: Path, breakdowns: Sequence[str], columns: Sequence[str], items: Sequence[str]) -> None:
    """Each `breakdowns:` entry must name a survey column that is not an item; else InputError."""
    if not breakdowns:
        return
    doc = YamlDoc(cohort_yaml)
    for i, name in enumerate(breakdowns):
        if name not in columns or name in items:
            raise doc.error(
                ("breakdowns", i),
                expected="a column of survey.csv that is not an item (e.g. organisation, employment)",
                found=name,
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


def _segments(values: pd.Series) -> tuple[np.ndarray, list[str], np.ndarray]:
    """(row order sorting rows by subgroup, subgroup values sorted, segment boundaries) for non-blank values."""
    codes, uniques = pd.factorize(values, sort=True)
    keep = np.flatnonzero(codes >= 0)
    order = keep[np.argsort(codes[keep], kind="stable")]
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    return order, [str(u) for u in uniques], bounds


def _share(measure: str, count: int, total: int, **kw: Any) -> Row:
    est = percent_wilson(count, total)
    return Row("breakdown", measure, est.estimate, n=count, denominator=total, ci_low=est.ci_low,
               ci_high=est.ci_high, method="wilson", **kw)


def _mean(item: str, values: np.ndarray, **kw: Any) -> Row | None:
    values = values[~np.isnan(values)]
    if not len(values):
        return None
    est = mean_t(values)
    return Row("breakdown", "mean", est.estimate, item=item, n=len(values), ci_low=est.ci_low,
               ci_high=est.ci_high, method="t", **kw)


def _item_rows(item: dict[str, Any], values: np.ndarray, **kw: Any) -> list[Row]:
    """% yes (yes/no), % agree and median (likert) or mean (numeric) of one item within one subgroup."""
    kind = item["type"]
    if kind == "numeric":
        row = _mean(item["id"], values, **kw)
        return [row] if row else []
    answered = values[~np.isnan(values)]
    total = len(answered)
    if total == 0 or kind not in ("yesno", "likert"):
        return []
    k = len(item["levels"])
    counts = np.bincount(answered.astype(np.int64), minlength=k + 1)
    if kind == "yesno":
        return [_share("pct_yes", int(counts[k]), total, item=item["id"], **kw)]
    return [
        _share("pct_agree", int(counts[k] + counts[k - 1]), total, item=item["id"], **kw),
        Row("breakdown", "median", median(answered), item=item["id"], n=total, method="median", **kw),
    ]


def breakdown_rows(meta: dict[str, Any], survey: pd.DataFrame) -> list[Row]:
    """Per breakdown column and value: responses, share, item and construct statistics, alpha."""
    post = survey[survey["timepoint"] == "post"]
    columns = breakdown_columns(meta, post)
    if not columns or not len(post):
        return []
    constructs = construct_items(meta)
    if constructs:
        post = with_constructs(post, meta)
    items = [it for it in meta.get("items", []) if it["id"] in post.columns]
    arrays = {
        it["id"]: post[it["id"]].to_numpy(dtype="float64", na_value=np.nan)
        for it in items
        if it["type"] in ("yesno", "likert", "numeric")
    }
    scores = {c: post[c].to_numpy(dtype="float64", na_value=np.nan) for c in constructs if c in post.columns}
    rows: list[Row] = []
    for column in columns:
        order, values, bounds = _segments(post[column])
        total = len(order)
        per_value: list[list[Row]] = []
        for j, value in enumerate(values):
            seg = order[bounds[j] : bounds[j + 1]]
            kw = {"group": "all", "source": "survey", "subgroup": f"{column}={value}"}
            part = [
                Row("breakdown", "responses", len(seg), n=len(seg), method="count", **kw),
                _share("share", len(seg), total, **kw),
            ]
            for it in items:
                if it["id"] in arrays:
                    part += _item_rows(it, arrays[it["id"]][seg], **kw)
            for construct, members in constructs.items():
                if construct not in scores:
                    continue
                row = _mean(construct, scores[construct][seg], **kw)
                if row:
                    part.append(row)
                try:
                    alpha, used = cronbach_alpha(post[members].iloc[seg])
                except ValueError:
                    continue
                part.append(
                    Row("breakdown", "cronbach_alpha", alpha.estimate, item=construct, n=used, ci_low=alpha.ci_low,
                        ci_high=alpha.ci_high, method="feldt", **kw)
                )
            per_value.append(part)
        # order within a column: measure, then item, then value
        measures = ("responses", "share", "pct_yes", "pct_agree", "median", "mean", "cronbach_alpha")
        flat = [r for part in per_value for r in part]
        for measure in measures:
            keyed = [r for r in flat if r.measure == measure]
            item_order = list(dict.fromkeys(r.item for r in keyed))
            for item_id in item_order:
                rows += [r for r in keyed if r.item == item_id]
    return rows


def breakdowns(meta: dict[str, Any], survey: pd.DataFrame) -> pd.DataFrame:
    """The breakdown rows of a cohort as a partial register."""
    return to_frame(breakdown_rows(meta, survey))
