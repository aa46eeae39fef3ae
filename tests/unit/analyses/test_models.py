"""Regression models: published Stata / R output on public example data, hand-computed fits, located errors."""

from __future__ import annotations

import math
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.datasets import grunfeld, spector

from tests.conftest import write_tiny_cohort
from workforce_eval import register
from workforce_eval.analyses import models
from workforce_eval.analyses.models import fit, fit_rows, model_data
from workforce_eval.errors import InputError
from workforce_eval.figures import style as figure_style
from workforce_eval.inputs import clean
from workforce_eval.inputs.analysis_spec import ModelSpec, formula_names
from workforce_eval.inputs.validate import load
from workforce_eval.register.labels import term_label


def rows_by_item(rows: list[register.Row], measure: str) -> dict[str, register.Row]:
    return {r.item: r for r in rows if r.measure == measure}


# --------------------------------------------------------------------------- OLS, cluster-robust (Stata)

# Stata `regress invest mvalue kstock, vce(cluster company)` on the Grunfeld data (10 companies,
# 200 observations; `webuse grunfeld`), as published in statsmodels' test results
# statsmodels/regression/tests/results/results_grunfeld_ols_robust_cluster.py (results_cluster):
# columns b, se, t, p, ll, ul; t with 9 = G - 1 degrees of freedom; F(2, 9) = 51.5906.
STATA_GRUNFELD = {
    "mvalue": (0.11556215606596, 0.01589433647768, 0.00004710548549, 0.07960666895505, 0.15151764317688),
    "kstock": (0.23067848754982, 0.08496711097464, 0.02380515903536, 0.03846952885627, 0.42288744624337),
    "Intercept": (-42.714369016733, 20.425202580078, 0.06604843284516, -88.919387334862, 3.4906493013959),
}


@pytest.fixture(scope="module")
def grunfeld_rows() -> list[register.Row]:
    data = grunfeld.load_pandas().data.iloc[:200]  # the 10 companies Stata's grunfeld holds
    frame = pd.DataFrame(
        {
            "invest": data["invest"],
            "mvalue": data["value"],
            "kstock": data["capital"],
            "company": data["firm"].astype("string"),
        }
    )
    spec = ModelSpec("g", "invest ~ mvalue + kstock", "ols", cluster="company")
    prepared = model_data(spec, frame, {"items": []})
    return fit_rows(spec, prepared, fit(spec, prepared))


def test_ols_cluster_robust_matches_stata_vce_cluster(grunfeld_rows: list[register.Row]) -> None:
    coef = rows_by_item(grunfeld_rows, "coefficient")
    se = rows_by_item(grunfeld_rows, "std_error")
    for term, (b, s, p, low, high) in STATA_GRUNFELD.items():
        row = coef[f"g:{term}"]
        assert row.estimate == pytest.approx(b, rel=1e-8)
        assert se[f"g:{term}"].estimate == pytest.approx(s, rel=1e-7)
        assert row.p_value == pytest.approx(p, rel=1e-6)
        assert (row.ci_low, row.ci_high) == pytest.approx((low, high), rel=1e-7, abs=1e-6)
        assert row.n == 200 and row.method == "ols-cluster" and row.group == "all"
    model = {r.measure: r for r in grunfeld_rows if r.item == "g"}
    assert model["clusters"].estimate == 10 and model["df_resid"].estimate == 9
    assert model["f_statistic"].estimate == pytest.approx(51.59060716590177, rel=1e-6)
    assert model["r_squared"].estimate == pytest.approx(0.8124080178314147, rel=1e-7)


def test_without_cluster_ols_uses_classical_standard_errors() -> None:
    """Slope and intercept of a simple regression against the closed-form least-squares formulas."""
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    y = np.array([2.0, 2.5, 4.1, 4.0, 6.2, 6.0])
    spec = ModelSpec("s", "y ~ x", "ols")
    prepared = model_data(spec, pd.DataFrame({"y": y, "x": x}), {"items": []})
    coef = rows_by_item(fit_rows(spec, prepared, fit(spec, prepared)), "coefficient")
    sxx = ((x - x.mean()) ** 2).sum()
    slope = ((x - x.mean()) * (y - y.mean())).sum() / sxx
    resid = y - (y.mean() + slope * (x - x.mean()))
    se = np.sqrt((resid**2).sum() / (len(x) - 2) / sxx)
    t975 = 2.7764451051977987  # t quantile, 4 degrees of freedom
    assert coef["s:x"].estimate == pytest.approx(slope, rel=1e-12)
    assert coef["s:Intercept"].estimate == pytest.approx(y.mean() - slope * x.mean(), rel=1e-12)
    assert (coef["s:x"].ci_low, coef["s:x"].ci_high) == pytest.approx((slope - t975 * se, slope + t975 * se))
    assert coef["s:x"].method == "ols"


# --------------------------------------------------------------------------- ordinal logit (R MASS::polr)

# R 3.4.4 `MASS::polr(apply ~ pared + public + gpa, method = "logistic")` on the UCLA graduate-school
# example (400 students; https://stats.oarc.ucla.edu/r/dae/ordinal-logistic-regression/), as published
# in statsmodels/miscmodels/tests/results/results_ordinal_model.py (res_ord_logit); the data file
# ologit_ucla.csv ships beside it. polr stops its optimiser early, so estimates agree to about 4
# significant digits; standard errors are printed to 4 decimals.
POLR_COEF = {"pared": 1.04769011, "public": -0.05878572, "gpa": 0.61594057}
POLR_SE = {"pared": 0.2658, "public": 0.2979, "gpa": 0.2606}
POLR_P = {"pared": 8.087070e-05, "public": 8.435464e-01, "gpa": 1.811594e-02}
POLR_ZETA = {"1/2": 2.203915, "2/3": 4.299363}


@pytest.fixture(scope="module")
def ucla_rows() -> list[register.Row]:
    path = resources.files("statsmodels").joinpath("miscmodels", "tests", "results", "ologit_ucla.csv")
    data = pd.read_csv(str(path))
    levels = ["unlikely", "somewhat likely", "very likely"]
    data["apply"] = data["apply"].map({v: i for i, v in enumerate(levels, start=1)}).astype("Int64")
    spec = ModelSpec("o", "apply ~ pared + public + gpa", "ordinal_logit")
    prepared = model_data(spec, data, {"items": [{"id": "apply", "type": "likert", "levels": levels}]})
    return fit_rows(spec, prepared, fit(spec, prepared))


def test_ordinal_logit_matches_r_polr(ucla_rows: list[register.Row]) -> None:
    coef = rows_by_item(ucla_rows, "coefficient")
    se = rows_by_item(ucla_rows, "std_error")
    assert set(coef) == {f"o:{t}" for t in POLR_COEF}  # no intercept: the cut-points take its place
    for term, b in POLR_COEF.items():
        assert coef[f"o:{term}"].estimate == pytest.approx(b, rel=5e-4, abs=2e-4)
        assert se[f"o:{term}"].estimate == pytest.approx(POLR_SE[term], abs=6e-5)
        assert coef[f"o:{term}"].p_value == pytest.approx(POLR_P[term], rel=2e-3)
        assert coef[f"o:{term}"].n == 400 and coef[f"o:{term}"].method == "ordinal_logit"
    cuts = rows_by_item(ucla_rows, "threshold")
    for name, zeta in POLR_ZETA.items():
        row = cuts[f"o:{name}"]
        assert row.estimate == pytest.approx(zeta, rel=5e-4)
        assert row.ci_low < row.estimate < row.ci_high
    # the cut-points' interval is the delta-method one: estimate +/- 1.96 se
    assert cuts["o:1/2"].ci_high - cuts["o:1/2"].estimate == pytest.approx(1.959963984540054 * se["o:1/2"].estimate)


# --------------------------------------------------------------------------- logit (Stata), cluster by hand

# Stata `glm grade gpa tuce psi, family(binomial)` (the logit MLE) on Spector and Mazzeo's data, as
# published in statsmodels/discrete/tests/results/results_glm_logit_constrained.py (results_noconstraint).
STATA_SPECTOR = {
    "gpa": (2.8261124216999, 1.2629410221647, 0.02523911156938),
    "tuce": (0.09515765001172, 0.141554201358, 0.50143427587633),
    "psi": (2.3786875040587, 1.0645642078703, 0.02545520725424),
    "Intercept": (-13.021345912635, 4.931323890811, 0.00827746189686),
}


def spector_frame() -> pd.DataFrame:
    data = spector.load_pandas().data
    return pd.DataFrame(
        {
            "grade": data["GRADE"].map({0.0: 1, 1.0: 2}).astype("Int64"),
            "gpa": data["GPA"],
            "tuce": data["TUCE"],
            "psi": data["PSI"],
            "unit": pd.Series([f"u{i % 5}" for i in range(len(data))], dtype="string"),
        }
    )


YESNO = {"items": [{"id": "grade", "type": "yesno", "levels": ["No", "Yes"]}]}


def test_logit_matches_stata() -> None:
    spec = ModelSpec("l", "grade ~ gpa + tuce + psi", "logit")
    prepared = model_data(spec, spector_frame(), YESNO)
    rows = fit_rows(spec, prepared, fit(spec, prepared))
    coef, se = rows_by_item(rows, "coefficient"), rows_by_item(rows, "std_error")
    for term, (b, s, p) in STATA_SPECTOR.items():
        assert coef[f"l:{term}"].estimate == pytest.approx(b, rel=1e-6)
        assert se[f"l:{term}"].estimate == pytest.approx(s, rel=1e-5)
        assert coef[f"l:{term}"].p_value == pytest.approx(p, rel=1e-4)
    model = {r.measure: r for r in rows if r.item == "l"}
    assert model["log_likelihood"].estimate == pytest.approx(-12.889634222131, rel=1e-8)
    assert model["aic"].estimate == pytest.approx(33.779268444263, rel=1e-8)


def test_logit_cluster_is_the_sandwich_times_g_over_g_minus_1() -> None:
    """Stata's correction for maximum-likelihood estimators, computed here from the formulas."""
    frame = spector_frame()
    spec = ModelSpec("l", "grade ~ gpa + tuce + psi", "logit", cluster="unit")
    prepared = model_data(spec, frame, YESNO)
    result = fit(spec, prepared)
    x = np.column_stack([np.ones(len(frame)), frame["gpa"], frame["tuce"], frame["psi"]])
    y = (frame["grade"] == 2).to_numpy(dtype=float)
    beta = result.estimate  # Intercept, gpa, tuce, psi in formula order
    p = 1 / (1 + np.exp(-x @ beta))
    bread = np.linalg.inv(x.T @ (x * (p * (1 - p))[:, None]))
    scores = x * (y - p)[:, None]
    units = frame["unit"].to_numpy()
    meat = sum(np.outer(scores[units == u].sum(0), scores[units == u].sum(0)) for u in np.unique(units))
    g = len(np.unique(units))
    expected = np.sqrt(np.diag(bread @ meat @ bread) * g / (g - 1))
    assert result.std_error == pytest.approx(expected, rel=1e-6)
    assert result.clusters == 5 and spec.method == "logit-cluster"


# --------------------------------------------------------------------------- from cohort.yaml to the register


def cohort_with_models(folder: Path, models_yaml: str, survey: str | None = None) -> Path:
    write_tiny_cohort(folder)
    text = (folder / "cohort.yaml").read_text()
    (folder / "cohort.yaml").write_text(text + models_yaml)
    if survey is not None:
        (folder / "survey.csv").write_text(survey)
    return folder


SURVEY = """\
response_id,participant_id,group,timepoint,organisation,recommend,trust,hard,hours
r1,p1,A,post,X,Yes,Strongly agree,Disagree,2
r2,p2,B,post,X,Yes,Agree,Strongly agree,4
r3,p3,A,post,Y,No,Disagree,Agree,1
r4,,B,post,Y,Yes,Neither agree nor disagree,Agree,3
r5,,A,post,Y,No,Strongly disagree,Disagree,
r6,,B,post,,Yes,Agree,Agree,5
"""


def test_model_declared_only_in_cohort_yaml_reaches_the_register(tmp_path: Path) -> None:
    folder = cohort_with_models(
        tmp_path / "c",
        """\
models:
  - id: hours
    formula: "hours ~ trust"
    family: ols
""",
        SURVEY,
    )
    cc = load(folder, "c")
    meta = clean.metadata(cc)
    reg = models.model_rows(meta, cc.survey)
    # complete cases: r1..r4 and r6 (r5 has no hours); trust codes 5, 4, 2, 3, 4; hours 2, 4, 1, 3, 5
    x, y = np.array([5.0, 4, 2, 3, 4]), np.array([2.0, 4, 1, 3, 5])
    slope = ((x - x.mean()) * (y - y.mean())).sum() / ((x - x.mean()) ** 2).sum()
    row = register.one(reg, "model", "coefficient", item="hours:trust", source="survey")
    assert row.estimate == pytest.approx(slope) and row.n == 5
    assert row.ci_low < row.estimate < row.ci_high and 0 < row.p_value < 1
    intercept = register.one(reg, "model", "coefficient", item="hours:Intercept", source="survey")
    assert intercept.estimate == pytest.approx(y.mean() - slope * x.mean())
    assert register.one(reg, "model", "dropped", item="hours", source="survey").estimate == 1
    assert register.one(reg, "model", "dropped_missing", item="hours:hours", source="survey").estimate == 1
    assert register.one(reg, "model", "observations", item="hours", source="survey").denominator == 6


def test_a_model_the_data_cannot_carry_is_recorded_not_raised(tmp_path: Path) -> None:
    folder = cohort_with_models(
        tmp_path / "c",
        """\
models:
  - id: one
    formula: "hours ~ trust + C(organisation)"
    family: ols
    cluster: organisation
""",
        SURVEY.replace(",Y,", ",X,"),
    )
    cc = load(folder, "c")
    reg = models.model_rows(clean.metadata(cc), cc.survey)
    row = register.one(reg, "model", "not_estimated", item="one", source="survey")
    assert row.method in {"fewer-than-two-clusters", "collinear-predictors"}
    assert register.select(reg, "model", "coefficient").empty


@pytest.mark.parametrize(
    ("models_yaml", "key", "expected", "found"),
    [
        (
            '  - id: m\n    formula: "hours ~ trust + salary"\n    family: ols\n',
            "models.0.formula",
            "item, construct or survey column ids",
            "salary",
        ),
        ('  - id: m\n    formula: "trust ~ hours"\n    family: logit\n', "models.0.formula", "a yes/no item", "trust"),
        (
            '  - id: m\n    formula: "hours ~ (trust"\n    family: ols\n',
            "models.0.formula",
            "a statsmodels formula",
            "trust",
        ),
        (
            '  - id: m\n    formula: "hours ~ trust"\n    family: ols\n    cluster: trust\n',
            "models.0.cluster",
            "a survey column that is not an item",
            "trust",
        ),
    ],
)
def test_bad_model_is_an_input_error_at_its_key_and_line(
    tmp_path: Path, models_yaml: str, key: str, expected: str, found: str
) -> None:
    folder = cohort_with_models(tmp_path / "c", "models:\n" + models_yaml, SURVEY)
    with pytest.raises(InputError) as info:
        load(folder, "c")
    err = info.value
    lines = (folder / "cohort.yaml").read_text().splitlines()
    field = key.rsplit(".", 1)[1]
    assert Path(err.file).name == "cohort.yaml" and err.column == key
    assert lines[err.row - 1].strip().startswith(f"{field}:") or lines[err.row - 1].strip().startswith(f"- {field}:")
    assert expected in err.expected and found in str(err.found)
    assert f"key '{key}'" in str(err)


def test_bad_model_writes_nothing(tmp_path: Path) -> None:
    folder = cohort_with_models(tmp_path / "c", "models:\n  - {id: m, formula: 'hours ~ salary', family: ols}\n")
    out = tmp_path / "out"
    with pytest.raises(InputError):
        clean.run(folder, "c", out / "cohort.json", out / "p.parquet", out / "s.parquet", out / "g.parquet")
    assert not out.exists()


def test_term_labels() -> None:
    assert term_label("C(employment)[T.direct]") == "employment: direct"
    assert term_label("C(pay_band, Treatment('Band 5'))[T.Band 6]") == "pay_band: Band 6"
    assert term_label("pos") == "pos"
    assert formula_names("wellbeing ~ pos + C(employment) + np.log(years)") == [
        "wellbeing",
        "pos",
        "employment",
        "years",
    ]


# --------------------------------------------------------------------------- the coefficient plot


def test_coefficient_plot_draws_register_rows_and_is_byte_stable(tmp_path: Path) -> None:
    import json
    import os
    import subprocess
    import sys

    from workforce_eval.figures import cohort as figures

    rows = [
        register.Row(
            "model",
            "coefficient",
            est,
            item=f"m:{term}",
            n=120,
            ci_low=est - 0.5,
            ci_high=est + 0.5,
            p_value=0.01,
            method="ols-cluster",
            source="survey",
        )
        for term, est in (("Intercept", 3.0), ("C(employment)[T.direct]", 0.25), ("pos", 0.75))
    ]
    stats_csv = tmp_path / "statistics.csv"
    register.write(register.to_frame(rows), stats_csv)
    meta = {
        "groups": [],
        "items": [],
        "codebook": [],
        "models": [{"id": "m", "formula": "wb ~ pos + C(employment)", "family": "ols", "cluster": "org"}],
    }
    cohort_json = tmp_path / "cohort.json"
    cohort_json.write_text(json.dumps(meta), encoding="utf-8")
    figure_style.configure_matplotlib()
    fig = figures.coefficients_figure(register.read(stats_csv), meta)
    ax = fig.axes[0]
    points = next(line for line in ax.lines if line.get_marker() == "o")
    assert list(points.get_xdata()) == [0.25, 0.75]  # no intercept, register order
    assert [t.get_text() for t in ax.get_yticklabels()] == ["employment: direct", "pos"]
    code = "import sys; from workforce_eval.figures import cohort; cohort.make_all(*sys.argv[1:4])"
    for out, seed in (("a", "1"), ("b", "2")):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run(
            [sys.executable, "-c", code, str(stats_csv), str(cohort_json), str(tmp_path / out)], check=True, env=env
        )
    for ext in ("pdf", "png", "svg"):
        a = (tmp_path / "a" / f"coefficients.{ext}").read_bytes()
        assert a == (tmp_path / "b" / f"coefficients.{ext}").read_bytes(), ext


def test_ordinal_odds_ratios_match_the_ucla_page(ucla_rows: list[register.Row]) -> None:
    # The UCLA page prints exp(coef(m)): pared 2.8510579, public 0.9429088, gpa 1.8513972. Its intervals
    # are profile likelihood ones; ours are Wald (as the coefficient rows): exp(b -/+ 1.959964 se) with
    # polr's published b and se, e.g. pared exp(1.04769 - 1.959964 * 0.2658) = 1.6933.
    odds = rows_by_item(ucla_rows, "odds_ratio")
    assert set(odds) == {"o:pared", "o:public", "o:gpa"}
    for term, published in {"pared": 2.8510579, "public": 0.9429088, "gpa": 1.8513972}.items():
        row = odds[f"o:{term}"]
        assert row.estimate == pytest.approx(published, rel=5e-4)
        b, se = POLR_COEF[term], POLR_SE[term]
        assert row.ci_low == pytest.approx(math.exp(b - 1.959964 * se), rel=1e-3)
        assert row.ci_high == pytest.approx(math.exp(b + 1.959964 * se), rel=1e-3)
        assert row.p_value == pytest.approx(POLR_P[term], rel=2e-3)


def test_logit_odds_ratios_leave_out_the_intercept() -> None:
    spec = ModelSpec("l", "grade ~ gpa + tuce + psi", "logit")
    prepared = model_data(spec, spector_frame(), YESNO)
    odds = rows_by_item(fit_rows(spec, prepared, fit(spec, prepared)), "odds_ratio")
    assert set(odds) == {"l:gpa", "l:tuce", "l:psi"}
    # Stata `logit grade gpa tuce psi, or`: gpa 16.87972, psi 10.79073 (= exp of the published b)
    assert odds["l:gpa"].estimate == pytest.approx(16.87972, rel=1e-6)
    assert odds["l:psi"].estimate == pytest.approx(10.79073, rel=1e-6)
    b, se, p = STATA_SPECTOR["psi"]
    assert odds["l:psi"].ci_low == pytest.approx(math.exp(b - 1.959964 * se), rel=1e-5)
    assert odds["l:psi"].p_value == pytest.approx(p, rel=1e-4)
