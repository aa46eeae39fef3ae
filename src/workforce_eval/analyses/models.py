"""Regression models declared in cohort.yaml (`models:`), fitted with the statsmodels formula API.

Families (DATA_CONTRACT.md section 2):

- `ols`: ordinary least squares (`statsmodels.formula.api.ols`); t inference with N-K
  degrees of freedom. With `cluster:` the standard errors are cluster-robust exactly as
  Stata's `regress ..., vce(cluster c)`: CR1 sandwich scaled by G/(G-1) * (N-1)/(N-K),
  t with G-1 degrees of freedom (statsmodels `cov_type="cluster"`, `use_t=True`).
- `logit`: binary logit (`statsmodels.formula.api.logit`) of a yes/no item (1 = the top
  level, e.g. "Yes"); z inference. With `cluster:` as Stata's `logit ..., vce(cluster c)`:
  sandwich scaled by G/(G-1) only (Stata's factor for maximum-likelihood estimators), z.
- `ordinal_logit`: proportional-odds model (`statsmodels.miscmodels.ordinal_model.
  OrderedModel`, logit link) of a likert or choice item, its codes 1..k as ordered
  categories; z inference; `cluster:` as for logit (Stata's `ologit ..., vce(cluster c)`).

The data are the post responses with construct scores added; likert items enter as their
codes. Responses missing any variable the model uses (or the cluster column) are dropped
and counted per variable.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from patsy import PatsyError
from scipy import stats as sps

from workforce_eval.analyses.selection import post_responses
from workforce_eval.errors import InputError
from workforce_eval.inputs.analysis_spec import ModelSpec, formula_names, specs
from workforce_eval.inputs.formula import namespace as formula_namespace
from workforce_eval.register.measures import (
    CLUSTERS,
    COEFFICIENT,
    DF_RESID,
    DROPPED,
    DROPPED_MISSING,
    MODEL,
    NOT_ESTIMATED,
    OBSERVATIONS,
    ODDS_RATIO,
    STD_ERROR,
    THRESHOLD,
)
from workforce_eval.register.rows import Row, to_frame
from workforce_eval.stats.scales import construct_items, construct_scores

#: Fewer clusters than this make cluster-robust standard errors unreliable (report note).
FEW_CLUSTERS = 30
_Z = float(sps.norm.ppf(0.975))


# --------------------------------------------------------------------------- data


@dataclass
class ModelData:
    """The complete cases a model is fitted on, and how many responses were dropped and why."""

    frame: pd.DataFrame
    responses: int
    missing: dict[str, int] = field(default_factory=dict)
    groups: np.ndarray | None = None

    @property
    def n(self) -> int:
        """Observations used."""
        return len(self.frame)

    @property
    def dropped(self) -> int:
        """Responses left out because a variable the model uses is missing."""
        return self.responses - self.n


def _outcome(spec: ModelSpec, values: pd.Series, item: dict[str, Any] | None) -> pd.Series:
    """The outcome as the family needs it: codes (ols), 0/1 (logit), ordered codes (ordinal_logit)."""
    codes = values.astype("float64")
    if spec.family == "logit":
        top = float(len(item["levels"])) if item else 1.0
        return (codes == top).astype("float64")
    if spec.family == "ordinal_logit":
        observed = sorted(int(c) for c in codes.dropna().unique())
        return pd.Series(pd.Categorical(codes.astype("int64"), categories=observed, ordered=True), index=values.index)
    return codes


def model_data(
    spec: ModelSpec, post: pd.DataFrame, meta: dict[str, Any], scores: pd.DataFrame | None = None
) -> ModelData:
    """Complete cases of the variables a model uses (items as codes, text as categories), with drop counts.

    `scores` holds construct scores indexed like `post` (computed here when not given).
    """
    if scores is None:
        scores = construct_scores(post, meta)
    names = [n for n in formula_names(spec.formula) if n in post.columns or n in scores.columns]
    needed = names + ([spec.cluster] if spec.cluster and spec.cluster not in names else [])
    items = {it["id"]: it for it in meta.get("items", [])}
    columns: dict[str, pd.Series] = {}
    text: list[str] = []
    for name in needed:
        col = scores[name] if name in scores.columns else post[name]
        if isinstance(col.dtype, pd.StringDtype) or col.dtype == object:
            columns[name] = col
            text.append(name)
        else:
            columns[name] = col.astype("float64")
    frame = pd.DataFrame(columns, index=post.index)
    missing = {name: int(frame[name].isna().sum()) for name in needed}
    frame = frame.dropna().reset_index(drop=True)
    for name in text:
        # text as a pandas Categorical with sorted categories: patsy then codes it without a Python loop
        # per row, and its levels (first = reference) are the ones it would sort from the text itself
        codes, uniques = pd.factorize(frame[name], sort=True)
        frame[name] = pd.Categorical.from_codes(codes, categories=pd.Index([str(u) for u in uniques]))
    outcome = spec.outcome
    if outcome in frame.columns:
        frame[outcome] = _outcome(spec, frame[outcome], items.get(outcome))
    groups = None
    if spec.cluster:
        groups = pd.factorize(frame[spec.cluster], sort=True)[0]
    return ModelData(frame=frame, responses=len(post), missing=missing, groups=groups)


# --------------------------------------------------------------------------- fitting


def _categorical(data: Any, contrast: Any = None, levels: Any = None) -> Any:
    """patsy's `C()`, but a pandas Categorical without options is passed through as it is.

    patsy codes a pandas Categorical from its category codes, but one boxed by `C()` element by
    element in Python; passing it through gives the same design columns and the same term names
    (`C(employment)[T.direct]`) in a fraction of the time on large surveys.
    """
    from patsy.builtins import C

    if contrast is None and levels is None and isinstance(getattr(data, "dtype", None), pd.CategoricalDtype):
        return data
    return C(data, contrast, levels)


def _formula_env() -> dict[str, Any]:
    """Names formulas may call besides patsy's builtins: `C` (see `_categorical`) and the allowed numpy transforms.

    Formulas reach statsmodels only as `ModelSpec.canonical`, the text the grammar of `inputs/formula.py`
    renders from its parse, so every name patsy evaluates is a variable or a function of that grammar.
    """
    return formula_namespace(_categorical)


@dataclass
class Fit:
    """A fitted model as plain arrays: terms, estimates, standard errors, tests and intervals."""

    terms: list[str]
    estimate: np.ndarray
    std_error: np.ndarray
    p_value: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    n: int
    stats: dict[str, tuple[float, float | None]] = field(default_factory=dict)
    thresholds: list[tuple[str, float, float, float, float]] = field(default_factory=list)
    clusters: int | None = None
    df_resid: float | None = None


class NotEstimable(ValueError):
    """The data do not allow the model to be estimated (reason in the message, a slug)."""


def _normal_inference(params: np.ndarray, cov: np.ndarray) -> tuple[np.ndarray, ...]:
    """Standard errors, two-sided normal p-values and 95 % intervals from estimates and covariance."""
    se = np.sqrt(np.diag(cov))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = 2 * sps.norm.sf(np.abs(params / se))
    return se, p, params - _Z * se, params + _Z * se


def _ml_cluster_cov(result: Any, groups: np.ndarray) -> np.ndarray:
    """Cluster-robust covariance of a maximum-likelihood fit as Stata's `vce(cluster)`: sandwich * G/(G-1)."""
    from statsmodels.stats.sandwich_covariance import cov_cluster

    g = len(np.unique(groups))
    return np.asarray(cov_cluster(result, groups, use_correction=False)) * g / (g - 1)


def _check_design(spec: ModelSpec, data: ModelData) -> None:
    """Reasons the data cannot carry the model, before statsmodels is asked."""
    if data.n == 0:
        raise NotEstimable("no-complete-responses")
    outcome = data.frame[spec.outcome]
    if spec.family == "ordinal_logit" and len(outcome.cat.categories) < 2:
        raise NotEstimable("outcome-has-one-level")
    if spec.family in ("ols", "logit") and outcome.nunique() < 2:
        raise NotEstimable("outcome-has-one-value")
    if spec.cluster and data.groups is not None and len(np.unique(data.groups)) < 2:
        raise NotEstimable("fewer-than-two-clusters")


def _full_rank(exog: np.ndarray) -> bool:
    """True when the design matrix has full column rank (checked on its small cross-product, not the rows)."""
    x = np.asarray(exog, dtype="float64")
    scale = np.sqrt((x * x).sum(axis=0))
    scale[scale == 0] = 1.0
    xs = x / scale
    return bool(np.linalg.matrix_rank(xs.T @ xs, hermitian=True) == x.shape[1])


def _fit_ols(spec: ModelSpec, data: ModelData) -> Fit:
    import statsmodels.formula.api as smf

    model = smf.ols(spec.canonical, data.frame, eval_env=_formula_env())
    k = model.exog.shape[1]
    if data.n <= k or not _full_rank(model.exog):
        raise NotEstimable("too-few-observations" if data.n <= k else "collinear-predictors")
    if spec.cluster:
        res = model.fit(method="qr", cov_type="cluster", cov_kwds={"groups": data.groups}, use_t=True)
    else:
        res = model.fit(method="qr")
    ci = np.asarray(res.conf_int(0.05))
    stats: dict[str, tuple[float, float | None]] = {
        "r_squared": (float(res.rsquared), None),
        "adj_r_squared": (float(res.rsquared_adj), None),
    }
    g = len(np.unique(data.groups)) if spec.cluster and data.groups is not None else None
    df_model = round(res.df_model)
    if df_model >= 1 and (g is None or g - 1 >= df_model):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fvalue, fp = float(np.squeeze(res.fvalue)), float(np.squeeze(res.f_pvalue))
        if math.isfinite(fvalue):
            stats["f_statistic"] = (fvalue, fp)
    stats.update(_likelihood_stats(res))
    return Fit(
        terms=list(res.params.index),
        estimate=np.asarray(res.params, dtype="float64"),
        std_error=np.asarray(res.bse, dtype="float64"),
        p_value=np.asarray(res.pvalues, dtype="float64"),
        ci_low=ci[:, 0],
        ci_high=ci[:, 1],
        n=int(res.nobs),
        stats=stats,
        clusters=g,
        df_resid=float(g - 1) if g is not None else float(res.df_resid),
    )


def _likelihood_stats(res: Any) -> dict[str, tuple[float, float | None]]:
    """Log-likelihood, AIC and BIC of a fitted model."""
    return {
        "log_likelihood": (float(res.llf), None),
        "aic": (float(res.aic), None),
        "bic": (float(res.bic), None),
    }


def _fit_logit(spec: ModelSpec, data: ModelData) -> Fit:
    import statsmodels.formula.api as smf
    from statsmodels.tools.sm_exceptions import (
        PerfectSeparationError,
        PerfectSeparationWarning,
    )

    model = smf.logit(spec.canonical, data.frame, eval_env=_formula_env())
    k = model.exog.shape[1]
    if data.n <= k or not _full_rank(model.exog):
        raise NotEstimable("too-few-observations" if data.n <= k else "collinear-predictors")
    with warnings.catch_warnings():
        warnings.simplefilter("error", PerfectSeparationWarning)
        try:
            res = model.fit(method="newton", maxiter=100, disp=False)
        except (PerfectSeparationError, PerfectSeparationWarning, np.linalg.LinAlgError):
            raise NotEstimable("perfect-separation") from None
    if not res.mle_retvals.get("converged", False):
        raise NotEstimable("did-not-converge")
    params = np.asarray(res.params, dtype="float64")
    g = None
    if spec.cluster and data.groups is not None:
        cov = _ml_cluster_cov(res, data.groups)
        g = len(np.unique(data.groups))
    else:
        cov = np.asarray(res.cov_params(), dtype="float64")
    se, p, low, high = _normal_inference(params, cov)
    stats: dict[str, tuple[float, float | None]] = {
        "pseudo_r_squared": (float(res.prsquared), None),
    }
    if not spec.cluster:
        stats["lr_chi2"] = (float(res.llr), float(res.llr_pvalue))
    stats.update(_likelihood_stats(res))
    return Fit(list(res.params.index), params, se, p, low, high, int(res.nobs), stats, clusters=g)


def _fit_ordinal(spec: ModelSpec, data: ModelData) -> Fit:
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = OrderedModel.from_formula(spec.canonical, data.frame, distr="logit", eval_env=_formula_env())
        k = model.exog.shape[1] if model.exog is not None else 0
        if k and not _full_rank(model.exog):
            raise NotEstimable("collinear-predictors")
        if data.n <= k + len(data.frame[spec.outcome].cat.categories) - 1:
            raise NotEstimable("too-few-observations")
        res = model.fit(method="bfgs", maxiter=2000, gtol=1e-10, disp=False)
        params = np.asarray(res.params, dtype="float64")
        if not np.all(np.isfinite(params)):
            raise NotEstimable("did-not-converge")
        if spec.cluster and data.groups is not None:
            cov = _ml_cluster_cov(res, data.groups)
        else:
            cov = np.asarray(res.cov_params(), dtype="float64")
    names = list(res.params.index)
    se, p, low, high = _normal_inference(params[:k], cov[:k, :k])
    # Cut-points: the first threshold parameter, then log increments (statsmodels); report the
    # cut-points themselves with delta-method intervals (as R's polr and Stata's ologit show them).
    raw = params[k:]
    cuts = model.transform_threshold_params(params)[1:-1]
    jac = np.zeros((len(raw), len(raw)))
    jac[:, 0] = 1.0
    for j in range(1, len(raw)):
        jac[j:, j] = math.exp(raw[j])
    cut_cov = jac @ cov[k:, k:] @ jac.T
    cut_se = np.sqrt(np.diag(cut_cov))
    thresholds = [
        (names[k + j], float(c), float(s), float(c - _Z * s), float(c + _Z * s))
        for j, (c, s) in enumerate(zip(cuts, cut_se))
    ]
    llnull = float(res.llnull) if hasattr(res, "llnull") else math.nan
    stats: dict[str, tuple[float, float | None]] = {}
    if math.isfinite(llnull) and llnull != 0:
        stats["pseudo_r_squared"] = (1.0 - float(res.llf) / llnull, None)
        if not spec.cluster:
            lr = 2.0 * (float(res.llf) - llnull)
            stats["lr_chi2"] = (lr, float(sps.chi2.sf(lr, k)) if k else None)
    stats.update(_likelihood_stats(res))
    g = len(np.unique(data.groups)) if spec.cluster and data.groups is not None else None
    return Fit(names[:k], params[:k], se, p, low, high, int(res.nobs), stats, thresholds, clusters=g)


def fit(spec: ModelSpec, data: ModelData) -> Fit:
    """Fit one declared model on its complete cases; NotEstimable when the data cannot carry it."""
    _check_design(spec, data)
    fitter = {"ols": _fit_ols, "logit": _fit_logit, "ordinal_logit": _fit_ordinal}[spec.family]
    return fitter(spec, data)


# --------------------------------------------------------------------------- register rows


def _num(x: float) -> float | None:
    """A finite float or None (blank in the register)."""
    return float(x) if x is not None and math.isfinite(float(x)) else None


def _exp(x: float | None) -> float | None:
    """exp(x), or None when x is missing or exp overflows."""
    value = _num(x) if x is not None else None
    if value is None:
        return None
    try:
        return _num(math.exp(value))
    except OverflowError:
        return None


def odds_ratio_rows(spec: ModelSpec, result: Fit) -> list[Row]:
    """Logit and ordinal logit models: exp(coefficient) with exp of its interval and the same p, intercept left out.

    As R's `exp(cbind(OR = coef(m), confint.default(m)))` (Wald limits, the same inference as the
    coefficient row); for an ordinal model the odds ratio is of answering higher (proportional odds).
    """
    if spec.family not in ("logit", "ordinal_logit"):
        return []
    rows: list[Row] = []
    for j, term in enumerate(result.terms):
        if term == "Intercept":
            continue
        rows.append(
            Row(
                MODEL,
                ODDS_RATIO,
                _exp(float(result.estimate[j])),
                item=f"{spec.id}:{term}",
                n=result.n,
                ci_low=_exp(result.ci_low[j]),
                ci_high=_exp(result.ci_high[j]),
                p_value=_num(result.p_value[j]),
                method=f"{spec.method}; exp(coefficient)",
                group="all",
                source="survey",
            )
        )
    return rows


def fit_rows(spec: ModelSpec, data: ModelData, result: Fit) -> list[Row]:
    """Register rows of one fitted model: coefficients, cut-points, standard errors, then model statistics."""
    rows: list[Row] = []
    for j, term in enumerate(result.terms):
        rows.append(
            Row(
                MODEL,
                COEFFICIENT,
                float(result.estimate[j]),
                item=f"{spec.id}:{term}",
                n=result.n,
                ci_low=_num(result.ci_low[j]),
                ci_high=_num(result.ci_high[j]),
                p_value=_num(result.p_value[j]),
                method=spec.method,
                group="all",
                source="survey",
            )
        )
    for name, value, _se, low, high in result.thresholds:
        rows.append(
            Row(
                MODEL,
                THRESHOLD,
                value,
                item=f"{spec.id}:{name}",
                n=result.n,
                ci_low=_num(low),
                ci_high=_num(high),
                method=spec.method,
                group="all",
                source="survey",
            )
        )
    for j, term in enumerate(result.terms):
        rows.append(
            Row(
                MODEL,
                STD_ERROR,
                _num(result.std_error[j]),
                item=f"{spec.id}:{term}",
                n=result.n,
                method=spec.method,
                group="all",
                source="survey",
            )
        )
    for name, _value, se, _low, _high in result.thresholds:
        rows.append(
            Row(
                MODEL,
                STD_ERROR,
                _num(se),
                item=f"{spec.id}:{name}",
                n=result.n,
                method=spec.method,
                group="all",
                source="survey",
            )
        )
    rows += odds_ratio_rows(spec, result)
    rows += _data_rows(spec, data, result.clusters)
    if result.df_resid is not None:
        rows.append(
            Row(
                MODEL,
                DF_RESID,
                result.df_resid,
                item=spec.id,
                n=result.n,
                method=spec.method,
                group="all",
                source="survey",
            )
        )
    for measure, (value, p) in result.stats.items():
        rows.append(
            Row(
                MODEL,
                measure,
                _num(value),
                item=spec.id,
                n=result.n,
                p_value=None if p is None else _num(p),
                method=spec.family,
                group="all",
                source="survey",
            )
        )
    return rows


def _data_rows(spec: ModelSpec, data: ModelData, clusters: int | None) -> list[Row]:
    """Observations used, responses dropped (in all and per missing variable), and clusters."""
    rows = [
        Row(
            MODEL,
            OBSERVATIONS,
            data.n,
            item=spec.id,
            n=data.n,
            denominator=data.responses,
            method="count",
            group="all",
            source="survey",
        ),
        Row(
            MODEL,
            DROPPED,
            data.dropped,
            item=spec.id,
            n=data.dropped,
            denominator=data.responses,
            method="count",
            group="all",
            source="survey",
        ),
    ]
    for name, count in data.missing.items():
        rows.append(
            Row(
                MODEL,
                DROPPED_MISSING,
                count,
                item=f"{spec.id}:{name}",
                n=count,
                denominator=data.responses,
                method="count",
                group="all",
                source="survey",
            )
        )
    if spec.cluster:
        g = clusters if clusters is not None else (len(np.unique(data.groups)) if data.groups is not None else 0)
        rows.append(Row(MODEL, CLUSTERS, g, item=spec.id, n=g, method="count", group="all", source="survey"))
    return rows


def not_estimated_rows(spec: ModelSpec, data: ModelData, reason: str) -> list[Row]:
    """Rows of a model the data cannot carry: its data rows and `model/not_estimated` with the reason as method."""
    rows = _data_rows(spec, data, None)
    rows.append(Row(MODEL, NOT_ESTIMATED, 1, item=spec.id, group="all", source="survey", n=data.n, method=reason))
    return rows


def survey_columns(meta: dict[str, Any]) -> set[str]:
    """The survey columns the declared models need (their names, clusters, construct items, time point)."""
    names: set[str] = {"timepoint"}
    members = construct_items(meta)
    for spec in specs(meta):
        for name in formula_names(spec.formula) + ([spec.cluster] if spec.cluster else []):
            names.update(members.get(name, [name]))
    return names


def model_rows(meta: dict[str, Any], survey: pd.DataFrame) -> pd.DataFrame:
    """Register rows of every declared model of a cohort, in declaration order."""
    declared = specs(meta)
    if not declared:
        return to_frame([])
    post = post_responses(survey)
    used = {name for spec in declared for name in formula_names(spec.formula)}
    scores = construct_scores(post, meta, only=used)  # only the constructs the formulas use
    rows: list[Row] = []
    for i, spec in enumerate(declared):
        data = model_data(spec, post, meta, scores)
        try:
            rows += fit_rows(spec, data, fit(spec, data))
        except NotEstimable as reason:
            rows += not_estimated_rows(spec, data, str(reason))
        except (PatsyError, TypeError) as exc:  # e.g. np.log of a text column: the formula, not the code, is wrong
            raise InputError(
                "cohort.yaml",
                column=f"models.{i}.formula",
                column_word="key",
                expected="a formula that can be fitted (transforms of numbers, reference levels that occur)",
                found=f"{spec.formula!r} fails when fitted ({type(exc).__name__})",
            ) from None
    return to_frame(rows)
