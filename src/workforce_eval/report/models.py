"""Presentation helpers for the report's Scales, Breakdowns and Models sections (read-only, like `report`).

Every number comes from the cohort's register: `item / mean` and `reliability /
cronbach_alpha` rows for constructs, `breakdown` rows (subgroup column) for breakdowns, and
`model` rows for the declared regression models. Nothing is estimated here.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from workforce_eval import register
from workforce_eval.analyses.models import FEW_CLUSTERS
from workforce_eval.register.labels import column_label, construct_label, term_label
from workforce_eval.register.measures import (
    BREAKDOWN,
    CLUSTERS,
    COEFFICIENT,
    CRONBACH_ALPHA,
    DF_RESID,
    DROPPED,
    DROPPED_MISSING,
    ITEM,
    MEAN,
    MODEL,
    NOT_ESTIMATED,
    OBSERVATIONS,
    ODDS_RATIO,
    RELIABILITY,
    THRESHOLD,
)
from workforce_eval.register.notation import MISSING, REVERSED, display_count, fmt_int, is_missing, reversed_text
from workforce_eval.report.format import TO, code, est_interval, fmt_interval, fmt_num, fmt_p
from workforce_eval.report.results import ReportResults, Results

FAMILY_NAMES: dict[str, str] = {
    "ols": "linear regression (OLS)",
    "logit": "logistic regression",
    "ordinal_logit": "ordinal logistic regression (proportional odds)",
}
#: Readable reasons for `model / not_estimated` rows (the reason is the row's method).
NOT_ESTIMATED_REASONS: dict[str, str] = {
    "no-complete-responses": "no response has every variable the model uses",
    "outcome-has-one-value": "the outcome takes only one value",
    "outcome-has-one-level": "the outcome takes only one level",
    "fewer-than-two-clusters": "fewer than two clusters",
    "too-few-observations": "fewer responses than parameters",
    "collinear-predictors": "the predictors are collinear",
    "perfect-separation": "the predictors separate the outcome perfectly",
    "did-not-converge": "the fit did not converge",
}


def _rows(stats: pd.DataFrame, measure: str, item: str, analysis: str = MODEL) -> pd.DataFrame:
    return register.select(stats, analysis, measure, item=item)


def declared_models(res: ReportResults) -> list[dict[str, Any]]:
    """The models of cohort.json that have rows in the register, in declaration order."""
    stats = res.stats
    present = set(register.select(stats, MODEL)["item"].str.split(":").str[0])
    return [m for m in res.meta.get("models") or [] if str(m["id"]) in present]


def model_heading(model: dict[str, Any]) -> str:
    """`Model wellbeing: linear regression (OLS) of wellbeing` with the formula, as Markdown."""
    outcome = str(model["formula"]).split("~", 1)[0].strip()
    family = FAMILY_NAMES.get(str(model["family"]), str(model["family"]))
    return f"**Model {code(model['id'])}:** {family} of {code(outcome)}; formula {code(model['formula'])}."


def _est_ci(row: pd.Series | None, decimals: int = 3) -> str:
    """`estimate (low to high)` with `decimals`; the dash when absent."""
    if row is None or is_missing(row["estimate"]):
        return MISSING
    return est_interval(row["estimate"], row["ci_low"], row["ci_high"], decimals)


def _scale_mean(row: pd.Series) -> str:
    """`3.40 (3.12 to 3.68)`: an estimate with two decimals and its interval (the brackets kept without one)."""
    return f"{fmt_num(row['estimate'], 2)} ({fmt_interval(row['ci_low'], row['ci_high'], 2, TO)})"


_CATEGORY = re.compile(r"^C\((?P<column>[^,)]+)(?:,.*)?\)\[T\.(?P<level>[^\]]*)\]$")


def term_name(term: str, terms: list[str], res: ReportResults) -> str:
    """A model term for people: `Pay band: Band 5 (vs Band 2-4)`, a construct as its scale label, an item by its
    text. The reference level is the one level of the column (from the breakdown rows) no term names; without
    breakdown rows it is "the first category"."""
    match = _CATEGORY.match(term)
    if match:
        column, level = match.group("column").strip(), match.group("level")
        named = {m.group("level") for t in terms if (m := _CATEGORY.match(t)) and m.group("column").strip() == column}
        subs = register.select(res.stats, BREAKDOWN)["subgroup"].astype(str)
        levels = {x.split("=", 1)[1] for x in subs.unique() if x.split("=", 1)[0] == column}
        left = sorted(levels - named)
        reference = left[0] if len(left) == 1 else "the first category"
        return f"{column_label(column, res.meta)}: {level} (vs {reference})"
    items = {str(i["id"]): i for i in res.meta.get("items", [])}
    constructs = {str(i["construct"]) for i in res.meta.get("items", []) if i.get("construct")}
    if term in constructs:
        return construct_label(term, res.meta)
    if term in items:
        return reversed_text(str(items[term].get("text") or term), items[term].get("reverse"))
    return term_label(term)


def model_table(res: Results, model_id: str) -> pd.DataFrame:
    """Term, estimate (95 % CI), odds ratio (95 % CI) for logit models, p and n of each coefficient, then cut-points."""
    stats = res.stats
    prefix = f"{model_id}:"
    model_rows = register.select(stats, MODEL)
    model_rows = model_rows[model_rows["item"].str.startswith(prefix)]
    odds = register.select(model_rows, measure=ODDS_RATIO)
    odds_by_item = {str(r["item"]): r for _, r in odds.iterrows()}
    out: list[list[str]] = []
    for measure in (COEFFICIENT, THRESHOLD):
        rows = register.select(model_rows, measure=measure)
        terms = [str(t)[len(prefix) :] for t in rows["item"]]
        for _, r in rows.iterrows():
            term = str(r["item"])[len(prefix) :]
            label = term_name(term, terms, res) if measure == COEFFICIENT else f"cut-point {term.replace('/', ' | ')}"
            line = [label, _est_ci(r)]
            if len(odds_by_item):
                line.append(_est_ci(odds_by_item.get(str(r["item"])), 2))
            out.append([*line, fmt_p(r["p_value"]), fmt_int(r["n"])])
    first = ["Term", "Estimate (95 % CI)"]
    if len(odds_by_item):
        first = ["Term", "Log-odds (95 % CI)", "Odds ratio (95 % CI)"]
    return pd.DataFrame(out, columns=[*first, "p", "n"])


def model_notes(res: Results, model: dict[str, Any]) -> list[str]:
    """Sentences on the data used, clustering and fit of a model (Markdown), from its register rows."""
    stats = res.stats
    mid = str(model["id"])
    notes: list[str] = []
    obs = register.one(stats, MODEL, OBSERVATIONS, item=mid)
    dropped = register.one(stats, MODEL, DROPPED, item=mid)
    if obs is not None:
        text = f"Fitted on {fmt_int(obs['estimate'])} of {fmt_int(obs['denominator'])} survey responses"
        if dropped is not None and float(dropped["estimate"]) > 0:
            missing = register.select(stats, MODEL, DROPPED_MISSING)
            missing = missing[missing["item"].str.startswith(mid + ":") & (missing["estimate"] > 0)]
            why = ", ".join(
                f"{code(str(r['item']).split(':', 1)[1])} {fmt_int(r['estimate'])}" for _, r in missing.iterrows()
            )
            text += f"; {fmt_int(dropped['estimate'])} left out for missing values ({why})"
        notes.append(text + ".")
    skipped = register.one(stats, MODEL, NOT_ESTIMATED, item=mid)
    if skipped is not None:
        reason = NOT_ESTIMATED_REASONS.get(str(skipped["method"]), str(skipped["method"]))
        notes.append(f"The model could not be estimated: {reason}.")
        return notes
    clusters = register.one(stats, MODEL, CLUSTERS, item=mid)
    df = register.one(stats, MODEL, DF_RESID, item=mid)
    if clusters is not None:
        g = int(clusters["estimate"])
        text = f"Standard errors are cluster-robust by {code(model.get('cluster'))} ({g} clusters"
        if df is not None and str(model["family"]) == "ols":
            word = "degree" if float(df["estimate"]) == 1 else "degrees"
            text += f"; t with {fmt_int(df['estimate'])} {word} of freedom, as Stata's `vce(cluster)`"
        text += ")."
        if g < FEW_CLUSTERS:
            text += (
                f" With fewer than {FEW_CLUSTERS} clusters these standard errors are unreliable; "
                "read the intervals with caution."
            )
        notes.append(text)
    fit = []
    for measure, label in (
        ("r_squared", "R²"),
        ("adj_r_squared", "adjusted R²"),
        ("pseudo_r_squared", "McFadden's pseudo-R²"),
    ):
        row = register.one(stats, MODEL, measure, item=mid)
        if row is not None:
            fit.append(f"{label} = {fmt_num(row['estimate'], 3)}")
    if fit:
        notes.append("Fit: " + ", ".join(fit) + ".")
    if str(model["family"]) != "ols":
        notes.append("Estimates are on the log-odds scale.")
    return notes


def constructs_table(res: Results) -> pd.DataFrame:
    """Per construct: its items, mean score (95 % CI) and Cronbach's alpha (95 % CI) over all respondents."""
    stats, meta = res.stats, res.meta
    members: dict[str, list[dict[str, Any]]] = {}
    for item in meta.get("items", []):
        if item.get("construct"):
            members.setdefault(str(item["construct"]), []).append(item)
    out: list[list[str]] = []
    for construct, items in members.items():
        mean = register.select(stats, ITEM, MEAN, item=construct, group="all")
        alpha = register.select(stats, RELIABILITY, CRONBACH_ALPHA, item=construct, group="all")
        m = mean.iloc[0] if len(mean) else None
        a = alpha.iloc[0] if len(alpha) else None
        levels = max((len(i.get("levels") or []) for i in items), default=0)
        out.append(
            [
                construct_label(construct, meta),
                "; ".join(
                    f"{str(i.get('text') or i['id']).strip()}" + (REVERSED if i.get("reverse") else "") for i in items
                ),
                f"1 to {levels}" if levels else MISSING,
                MISSING if m is None else _scale_mean(m),
                MISSING if a is None else _scale_mean(a),
                MISSING if a is None else fmt_int(a["n"]),
            ]
        )
    columns = ["Scale", "Items", "Range", "Mean score (95 % CI)", "Cronbach's alpha (95 % CI)", "Complete responses"]
    return pd.DataFrame(out, columns=columns)


def column_name(res: Results, column: str) -> str:
    """A breakdown's survey column for people: its declared label (instrument.yaml `columns:`) or `Pay band`."""
    return column_label(column, res.meta)


def breakdown_tables(res: Results) -> dict[str, pd.DataFrame]:
    """One table per breakdown column: per value the responses (share), each construct's mean and alpha."""
    stats = res.stats
    rows = register.select(stats, BREAKDOWN)
    if rows.empty:
        return {}
    constructs = list(dict.fromkeys(str(i["construct"]) for i in res.meta.get("items", []) if i.get("construct")))
    tables: dict[str, pd.DataFrame] = {}
    subgroups = list(dict.fromkeys(rows["subgroup"]))
    columns = list(dict.fromkeys(s.split("=", 1)[0] for s in subgroups))
    for column in columns:
        out: list[list[str]] = []
        for sub in [s for s in subgroups if s.split("=", 1)[0] == column]:
            part = register.select(rows, subgroup=sub)

            def pick(measure: str, item: str = "", part: pd.DataFrame = part) -> pd.Series | None:
                hit = register.select(part, measure=measure, item=item)
                return hit.iloc[0] if len(hit) else None

            share = pick("share")
            hidden = share is not None and bool(share["suppressed"])
            cells = [
                sub.split("=", 1)[1],
                MISSING
                if share is None
                else display_count({str(k): v for k, v in share.items()}, res.meta)
                if hidden
                else f"{fmt_int(share['n'])} ({fmt_num(share['estimate'])} %)",
            ]
            for construct in constructs:
                m, a = pick("mean", construct), pick("cronbach_alpha", construct)
                m = None if m is not None and bool(m["suppressed"]) else m
                a = None if a is not None and bool(a["suppressed"]) else a
                cells.append(MISSING if m is None else _scale_mean(m))
                cells.append(MISSING if a is None else fmt_num(a["estimate"], 2))
            out.append(cells)
        header = ["Value", "Responses (%)"]
        for construct in constructs:
            name = construct_label(construct, res.meta).removesuffix(" (scale score)")
            header += [f"{name}: mean (95 % CI)", f"{name}: alpha"]
        tables[column] = pd.DataFrame(out, columns=header)
    return tables
