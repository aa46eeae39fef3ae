"""The model-formula grammar: hostile formulas never reach Python evaluation, good ones keep patsy's meaning."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.unit.analyses.test_models import SURVEY, cohort_with_models
from workforce_eval.analyses import models
from workforce_eval.errors import InputError
from workforce_eval.inputs import clean
from workforce_eval.inputs.formula import FormulaError, parse
from workforce_eval.inputs.validate import load

#: Code-execution attempts: each would create `marker` in the working directory if patsy evaluated it.
HOSTILE = [
    "hours ~ I(np.ctypeslib.ctypes.CDLL(None).system(b'touch marker') + trust)",
    "hours ~ np.ctypeslib.ctypes.CDLL(None).system(b'touch marker')",
    "hours ~ I(__import__('os').system('touch marker'))",
    "hours ~ trust + open('marker', 'w').close()",
    "hours ~ C(trust, Treatment(__import__('os').system('touch marker')))",
    "hours ~ C(trust).__class__",
    "hours ~ np.log(trust).__globals__",
    "hours ~ trust[0]",
    "hours ~ (lambda: 1)()",
    "hours ~ trust if 1 else trust",
    "hours ~ `touch marker`",
    "hours ~ trust + eval('1')",
    "hours ~ np.load('marker')",
    "hours ~ I(trust + hours)",
    "hours ~ Q('trust')",
    "hours ~ C(trust, Sum)",
    "hours ~ trust ~ hours",
    "hours ~ trust\n+ __import__('os')",
    "C(hours) ~ trust",
]


@pytest.mark.parametrize("formula", HOSTILE)
def test_hostile_formula_is_refused_by_the_grammar(formula: str) -> None:
    with pytest.raises(FormulaError):
        parse(formula)


@pytest.mark.parametrize("formula", HOSTILE[:6])
def test_hostile_formula_stops_cleaning_at_its_key_and_creates_no_file(
    formula: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = cohort_with_models(
        tmp_path / "c", f"models:\n  - id: m\n    formula: {formula!r}\n    family: ols\n".replace("\\'", "''"), SURVEY
    )
    out = tmp_path / "out"
    with pytest.raises(InputError) as info:
        clean.run(folder, "c", out / "cohort.json", out / "p.parquet", out / "s.parquet", out / "g.parquet")
    assert info.value.column == "models.0.formula" and "grammar" in info.value.expected
    assert not (tmp_path / "marker").exists() and not out.exists()
    assert sorted(os.listdir(tmp_path)) == ["c"]


def test_good_formulas_parse_to_patsy_canonical_text() -> None:
    f = parse("wellbeing~pos+C(employment)  +  C(pay_band, Treatment('Band 5')) + np.log(years) + a:b - 1")
    assert f.outcome == "wellbeing"
    assert f.names() == ["wellbeing", "pos", "employment", "pay_band", "years", "a", "b"]
    assert f.canonical == (
        "wellbeing ~ pos + C(employment) + C(pay_band, Treatment('Band 5')) + np.log(years) + a:b - 1"
    )
    assert parse("y ~ (a + b) * c + I(a ** 2) + center(b)").canonical == "y ~ (a + b) * c + I(a ** 2) + center(b)"


def test_a_model_through_the_grammar_fits_as_patsy_would(tmp_path: Path) -> None:
    """`hours ~ trust + I(trust ** 2)`: the coefficients of least squares on the design built by hand."""
    folder = cohort_with_models(
        tmp_path / "c", "models:\n  - {id: m, formula: 'hours ~ trust + I(trust ** 2)', family: ols}\n", SURVEY
    )
    cc = load(folder, "c")
    reg = models.model_rows(clean.metadata(cc), cc.survey)
    got = reg[reg["measure"] == "coefficient"].set_index("item")["estimate"].astype(float)
    # complete cases r1..r4, r6 (r5 has no hours): trust codes 5, 4, 2, 3, 4; hours 2, 4, 1, 3, 5
    trust = np.array([5.0, 4, 2, 3, 4])
    design = np.column_stack([np.ones(5), trust, trust**2])
    beta = np.linalg.lstsq(design, np.array([2.0, 4, 1, 3, 5]), rcond=None)[0]
    expected = pd.Series(beta, index=["m:Intercept", "m:trust", "m:I(trust ** 2)"])
    assert got.reindex(expected.index).to_numpy() == pytest.approx(expected.to_numpy())


def test_a_numeric_transform_of_a_text_column_stops_cleaning(tmp_path: Path) -> None:
    """`np.log(organisation)` parses, but patsy would fail on it only when the models rule runs (late)."""
    folder = cohort_with_models(
        tmp_path / "c", "models:\n  - {id: m, formula: 'hours ~ np.log(organisation)', family: ols}\n", SURVEY
    )
    out = tmp_path / "out"
    with pytest.raises(InputError) as info:
        clean.run(folder, "c", out / "cohort.json", out / "p.parquet", out / "s.parquet", out / "g.parquet")
    assert info.value.column == "models.0.formula" and "'organisation' (a text column)" in str(info.value)
    assert not out.exists()


def test_a_formula_that_fails_when_fitted_is_an_input_error_not_a_traceback(tmp_path: Path) -> None:
    folder = cohort_with_models(tmp_path / "c", "models:\n  - {id: m, formula: 'hours ~ trust', family: ols}\n", SURVEY)
    cc = load(folder, "c")
    meta = clean.metadata(cc)
    meta["models"][0]["formula"] = "hours ~ np.log(organisation)"  # past cleaning's check (as a stale cohort.json)
    with pytest.raises(InputError) as info:
        models.model_rows(meta, cc.survey)
    assert info.value.column == "models.0.formula" and "PatsyError" in str(info.value)
