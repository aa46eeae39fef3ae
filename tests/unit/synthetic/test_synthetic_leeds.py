"""The bundled synthetic Leeds-like study: byte-stable regeneration and the published design, from the files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from workforce_eval.analyses import models
from workforce_eval.inputs import clean
from workforce_eval.inputs.validate import load
from workforce_eval.synthetic.__main__ import main
from workforce_eval.synthetic.leeds import COHORT_ID, write_leeds

ROOT = Path(__file__).resolve().parents[3]
COMMITTED = ROOT / "data" / "raw" / COHORT_ID
FILES = (
    "cohort.yaml",
    "instrument.yaml",
    "survey.csv",
    "codebook.yaml",
    "segments.csv",
    "participants.csv",
    "indicators.csv",
)


def _csv(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False, na_values=[""])


def _yaml(folder: Path, name: str) -> dict:
    return yaml.safe_load((folder / name).read_text(encoding="utf-8"))


def test_regeneration_is_byte_identical(tmp_path: Path) -> None:
    write_leeds(tmp_path / COHORT_ID)
    assert sorted(p.name for p in (tmp_path / COHORT_ID).iterdir()) == sorted(FILES)
    for name in FILES:
        assert (tmp_path / COHORT_ID / name).read_bytes() == (COMMITTED / name).read_bytes(), name


def test_cli_and_other_seed(tmp_path: Path) -> None:
    assert main([COHORT_ID, "--out", str(tmp_path / "a")]) == 0
    assert (tmp_path / "a" / COHORT_ID / "survey.csv").read_bytes() == (COMMITTED / "survey.csv").read_bytes()
    write_leeds(tmp_path / "b", seed=7)
    assert (tmp_path / "b" / "survey.csv").read_bytes() != (COMMITTED / "survey.csv").read_bytes()


def test_design_of_the_study() -> None:
    cohort = _yaml(COMMITTED, "cohort.yaml")
    assert cohort["synthetic"] is True and cohort["design"] == "cross_sectional"
    assert (COMMITTED / "cohort.yaml").read_text().splitlines()[0].startswith("# SYNTHETIC DATA")
    survey = _csv(COMMITTED, "survey.csv")
    assert len(survey) >= 700 and survey["response_id"].is_unique
    assert sorted(survey["organisation"].unique()) == ["Trust A", "Trust B"]
    assert set(survey["employment"]) == {"direct", "agency"}
    assert survey["pay_band"].nunique() >= 5 and survey["pay_band"].isna().sum() > 0
    instrument = _yaml(COMMITTED, "instrument.yaml")
    constructs: dict[str, list[str]] = {}
    for item in instrument["items"]:
        if item.get("construct"):
            constructs.setdefault(item["construct"], []).append(item["id"])
    assert set(constructs) == {"pos", "wellbeing"} and all(len(v) >= 4 for v in constructs.values())
    declared = {m["id"]: m for m in cohort["models"]}
    assert declared["wellbeing"]["formula"] == "wellbeing ~ pos + C(employment) + C(pay_band)"
    assert declared["wellbeing"]["cluster"] == "organisation"
    assert {m["family"] for m in cohort["models"]} == {"ols", "logit", "ordinal_logit"}
    assert cohort["breakdowns"] == ["employment", "pay_band"]

    segments = _csv(COMMITTED, "segments.csv")
    interviews = segments[segments["source"] == "interview"]
    assert interviews["document_id"].nunique() == 60
    codebook = _yaml(COMMITTED, "codebook.yaml")
    assert [t["label"] for t in codebook["themes"]] == [
        "Career progress facilitation",
        "Dedicated support for minority staff",
        "Promoting diversity at organisational and national level",
    ]
    codes = {c["id"] for t in codebook["themes"] for s in t["subthemes"] for c in s["codes"]}
    assert set(interviews["code"]) == codes
    quotable = segments[(segments["quote_ok"] == "true") & (segments["coder"] == "coder_a")]
    assert 3 * 3 <= len(quotable) <= 3 * 5 and quotable["text"].is_unique
    # coder_b recodes every passage of 8 interviews (issue 12); one date per interview.
    second = segments[segments["coder"] == "coder_b"]
    assert second["document_id"].nunique() == 8 and (second["source"] == "interview").all()
    assert (interviews.groupby("document_id")["date"].nunique() == 1).all()
    survey_segments = segments[segments["source"] == "survey"]
    assert survey_segments["document_id"].isin(survey["response_id"]).all()


@pytest.fixture(scope="module")
def leeds_models() -> pd.DataFrame:
    cc = load(COMMITTED, COHORT_ID)
    return models.model_rows(clean.metadata(cc), cc.survey)


def test_declared_models_estimate_what_the_generator_built_in(leeds_models: pd.DataFrame) -> None:
    coef = leeds_models[leeds_models["measure"] == "coefficient"].set_index("item")
    # wellbeing rises with perceived organisational support; leaving falls with wellbeing
    assert 0.3 < coef.loc["wellbeing:pos", "estimate"] < 0.7
    assert coef.loc["leaving:wellbeing", "estimate"] < 0 and coef.loc["leaving:wellbeing", "ci_high"] < 0
    assert coef.loc["recommend:pos", "estimate"] > 1
    assert set(coef.loc[coef.index.str.startswith("wellbeing:"), "method"]) == {"ols-cluster"}
    for _, row in coef.iterrows():
        assert row["ci_low"] <= row["estimate"] <= row["ci_high"] and 0 <= row["p_value"] <= 1 and row["n"] > 700
