"""Multi-item constructs: scores per response and Cronbach's alpha with its Feldt interval."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from workforce_eval.stats.intervals import Estimate


def construct_items(meta: dict[str, Any]) -> dict[str, list[str]]:
    """Construct id -> its item ids, in instrument order."""
    out: dict[str, list[str]] = {}
    for item in meta.get("items", []):
        if item.get("construct"):
            out.setdefault(item["construct"], []).append(item["id"])
    return out


def construct_score(codes: pd.DataFrame) -> pd.Series:
    """Mean of the item codes of each response that answered at least half of the items, else missing."""
    k = codes.shape[1]
    total = np.zeros(len(codes))
    answered = np.zeros(len(codes), dtype=np.int64)
    for column in codes.columns:  # column by column, accumulating in place: no (responses x items) copies
        values = codes[column].to_numpy(dtype="float64", na_value=np.nan)
        ok = ~np.isnan(values)
        total += np.where(ok, values, 0.0)
        answered += ok
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / answered
    return pd.Series(np.where(answered >= k / 2, mean, np.nan), index=codes.index, dtype="float64")


def construct_scores(survey: pd.DataFrame, meta: dict[str, Any], only: Iterable[str] | None = None) -> pd.DataFrame:
    """One float column per construct (or per construct in `only`), indexed like the survey, which is not copied."""
    wanted = None if only is None else set(only)
    scores: dict[str, pd.Series] = {}
    for construct, items in construct_items(meta).items():
        present = [i for i in items if i in survey.columns]
        if present and (wanted is None or construct in wanted):
            scores[construct] = construct_score(survey[present])
    return pd.DataFrame(scores, index=survey.index)


def with_constructs(survey: pd.DataFrame, meta: dict[str, Any]) -> pd.DataFrame:
    """The survey with one float column per construct (contract: construct ids may be used like item ids)."""
    out = survey.copy()
    for construct, items in construct_items(meta).items():
        present = [i for i in items if i in survey.columns]
        if present:
            out[construct] = construct_score(survey[present])
    return out


def cronbach_alpha(codes: pd.DataFrame, confidence: float = 0.95) -> tuple[Estimate, int]:
    """Cronbach's alpha over complete responses, with Feldt's F-based interval; returns (estimate, n used).

    alpha = k/(k-1) * (1 - sum(item variances) / variance(total)), sample variances (ddof=1).
    Feldt (1965): 1 - (1 - alpha) * F(1 - g/2; n-1, (n-1)(k-1)) to 1 - (1 - alpha) * F(g/2; ...).
    """
    complete = codes.astype("float64").dropna()
    n, k = complete.shape
    if k < 2 or n < 2:
        raise ValueError("alpha needs at least two items and two complete responses")
    item_var = complete.var(axis=0, ddof=1).sum()
    total_var = complete.sum(axis=1).var(ddof=1)
    if total_var == 0:
        raise ValueError("alpha is undefined when every complete response has the same total")
    alpha = k / (k - 1) * (1 - item_var / total_var)
    low, high = feldt_interval(alpha, n, k, confidence)
    return Estimate(float(alpha), float(low), float(high)), int(n)


def feldt_interval(alpha: Any, n: Any, k: int, confidence: float = 0.95) -> tuple[Any, Any]:
    """Feldt's (1965) interval for Cronbach's alpha from n complete responses to k items (scalars or arrays)."""
    g = 1 - confidence
    df1, df2 = n - 1, (n - 1) * (k - 1)
    low = 1 - (1 - alpha) * sps.f.ppf(1 - g / 2, df1, df2)
    high = 1 - (1 - alpha) * sps.f.ppf(g / 2, df1, df2)
    return low, high


@dataclass(frozen=True)
class CentredItems:
    """A construct's item codes prepared once for `cronbach_alpha_groups` under several groupings."""

    k: int
    complete: np.ndarray
    columns: tuple[np.ndarray, ...]  # each item, then the total, centred on its mean; 0 where incomplete

    @classmethod
    def of(cls, codes: np.ndarray | list[np.ndarray]) -> CentredItems:
        """Prepare the codes (a responses x items array, or one array per item), NaN missing."""
        items = [np.asarray(c, dtype="float64") for c in (codes.T if isinstance(codes, np.ndarray) else codes)]
        complete = np.ones(len(items[0]) if items else 0, dtype=bool)
        for values in items:
            complete &= ~np.isnan(values)
        m = max(int(complete.sum()), 1)
        total = np.zeros(len(complete))
        columns = []
        for values in items + [total]:
            if values is not total:
                total += np.where(complete, values, 0.0)
        for values in items + [total]:
            mean = float(np.sum(values, where=complete)) / m
            columns.append(np.where(complete, values - mean, 0.0))
        return cls(len(items), complete, tuple(columns))


def cronbach_alpha_groups(
    codes: np.ndarray | CentredItems, groups: np.ndarray, n_groups: int, confidence: float = 0.95
) -> list[tuple[Estimate, int] | None]:
    """`cronbach_alpha` within each group (codes 0..n_groups-1) at once; None where it is undefined.

    Same formula and interval over each group's complete responses. Variances come from
    per-group sums of values centred on their overall mean (numpy.bincount, no sorting), so
    hundreds of groups cost little more than one.
    """
    prepared = codes if isinstance(codes, CentredItems) else CentredItems.of(codes)
    k = prepared.k
    dump = n_groups  # incomplete responses are counted in an extra group that is dropped
    g = np.where(prepared.complete, np.asarray(groups), dump)
    n = np.bincount(g, minlength=n_groups + 1)[:n_groups].astype("float64")
    variances = []
    for centred in prepared.columns:
        s1 = np.bincount(g, weights=centred, minlength=n_groups + 1)[:n_groups]
        s2 = np.bincount(g, weights=centred * centred, minlength=n_groups + 1)[:n_groups]
        with np.errstate(invalid="ignore", divide="ignore"):
            variances.append((s2 - s1 * s1 / n) / (n - 1))
    item_var = np.sum(variances[:k], axis=0)
    total_var = variances[k]
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = k / (k - 1) * (1 - item_var / total_var)
        low, high = feldt_interval(alpha, n, k, confidence)
    out: list[tuple[Estimate, int] | None] = []
    for count, a, lo, hi, tv in zip(n.tolist(), alpha.tolist(), low.tolist(), high.tolist(), total_var.tolist()):
        if k < 2 or count < 2 or not tv > 0:
            out.append(None)
        else:
            out.append((Estimate(float(a), float(lo), float(hi)), int(count)))
    return out
