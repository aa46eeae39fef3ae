"""Multi-item constructs: scores per response and Cronbach's alpha with its Feldt interval."""

from __future__ import annotations

from typing import Any

import pandas as pd
from scipy import stats as sps

from .stats import Estimate


def construct_items(meta: dict[str, Any]) -> dict[str, list[str]]:
    """Construct id -> its item ids, in instrument order."""
    out: dict[str, list[str]] = {}
    for item in meta.get("items", []):
        if item.get("construct"):
            out.setdefault(item["construct"], []).append(item["id"])
    return out


def construct_score(codes: pd.DataFrame) -> pd.Series:
    """Mean of the item codes of each response that answered at least half of the items, else missing."""
    values = codes.astype("float64")
    answered = values.notna().sum(axis=1)
    mean = values.mean(axis=1, skipna=True)
    return mean.where(answered >= values.shape[1] / 2).astype("float64")


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
    low, high = feldt_interval(float(alpha), int(n), int(k), confidence)
    return Estimate(float(alpha), low, high), int(n)


def feldt_interval(alpha: float, n: int, k: int, confidence: float = 0.95) -> tuple[float, float]:
    """Feldt's (1965) F-based interval for Cronbach's alpha from n complete responses to k items."""
    g = 1 - confidence
    df1, df2 = n - 1, (n - 1) * (k - 1)
    low = 1 - (1 - alpha) * sps.f.ppf(1 - g / 2, df1, df2)
    high = 1 - (1 - alpha) * sps.f.ppf(g / 2, df1, df2)
    return float(low), float(high)

