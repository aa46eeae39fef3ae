"""Equality indicators: indicators.csv validated like the other inputs, the register rows (relative likelihood,
its interval, the four-fifths flag, the counts), the report table and the figure."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.contingency_tables import Table2x2

from tests.conftest import write_tiny_cohort
from workforce_eval import register
from workforce_eval.analyses import equality
from workforce_eval.errors import InputError
from workforce_eval.inputs import clean
from workforce_eval.inputs.validate import load
from workforce_eval.register import disclosure

INDICATORS_YAML = """\
indicators:
- id: appointed
  label: Appointed from shortlisting
  by: ethnicity
  compared: White
  reference: BME
  outcome: favourable
- id: disciplinary
  label: Entered a formal disciplinary process
  by: ethnicity
  compared: BME
  reference: White
  outcome: adverse
- id: recommends
  label: Would recommend
  by: organisation
  compared: Trust X
  reference: Trust Y
  outcome: favourable
  item: recommend
"""
COUNTS = """\
indicator,group,numerator,denominator
appointed,White,120,400
appointed,BME,60,300
disciplinary,White,6,2000
disciplinary,BME,3,1000
"""
SURVEY = """\
response_id,participant_id,group,timepoint,organisation,recommend,trust,hard,hours
r1,p1,A,post,Trust X,Yes,Agree,Agree,1
r2,p2,B,post,Trust X,Yes,Agree,Agree,1
r3,p3,A,post,Trust X,No,Agree,Agree,1
r4,,B,post,Trust Y,Yes,Agree,Agree,1
r5,,A,post,Trust Y,No,Agree,Agree,1
r6,,B,post,Trust Y,No,Agree,Agree,1
r7,,A,post,Trust Y,No,Agree,Agree,1
"""


def cohort(tmp_path: Path, counts: str | None = COUNTS, extra: str = INDICATORS_YAML) -> Path:
    folder = write_tiny_cohort(tmp_path / "c")
    text = (folder / "cohort.yaml").read_text().replace("design: post_only", "design: cross_sectional")
    (folder / "cohort.yaml").write_text(text + extra)
    (folder / "survey.csv").write_text(SURVEY)
    if counts is not None:
        (folder / "indicators.csv").write_text(counts)
    return folder


@pytest.fixture
def reg(tmp_path: Path) -> pd.DataFrame:
    cc = load(cohort(tmp_path), "c")
    assert "indicators.csv" in cc.files
    return equality.equality(clean.metadata(cc), cc.survey)


def test_relative_likelihood_from_the_file_against_table2x2(reg: pd.DataFrame) -> None:
    row = register.one(reg, "equality", "relative_likelihood", item="appointed", group=None)
    assert row is not None
    table = Table2x2(np.array([[120, 280], [60, 240]], dtype=float))
    assert row["estimate"] == pytest.approx(table.riskratio)  # (120/400) / (60/300) = 1.5
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(table.riskratio_confint())
    assert row["subgroup"] == "ethnicity=White" and row["level"] == "ethnicity=BME"
    assert row["method"] == "katz log interval; favourable outcome"
    assert (row["n"], row["denominator"]) == (120, 400)


def test_small_counts_take_the_score_interval(reg: pd.DataFrame) -> None:
    row = register.one(reg, "equality", "relative_likelihood", item="disciplinary", group=None)
    assert row is not None and row["estimate"] == pytest.approx((3 / 1000) / (6 / 2000))
    assert str(row["method"]).startswith("miettinen-nurminen score interval")


def test_four_fifths_flag(reg: pd.DataFrame) -> None:
    appointed = register.one(reg, "equality", "four_fifths", item="appointed", group=None)
    assert appointed is not None
    assert appointed["estimate"] == pytest.approx(0.2 / 0.3) and appointed["level"] == "adverse impact"
    # an adverse outcome compares the rates of not having it: 0.997 / 0.997
    disciplinary = register.one(reg, "equality", "four_fifths", item="disciplinary", group=None)
    assert disciplinary is not None and disciplinary["level"] == "no adverse impact"


def test_survey_indicator_counts_the_answers_by_the_declared_column(reg: pd.DataFrame) -> None:
    x = register.one(reg, "equality", "likelihood", item="recommends", subgroup="organisation=Trust X", group=None)
    y = register.one(reg, "equality", "likelihood", item="recommends", subgroup="organisation=Trust Y", group=None)
    assert x is not None and y is not None
    assert (x["n"], x["denominator"], y["n"], y["denominator"]) == (2, 3, 1, 4)
    assert x["source"] == "survey"
    rl = register.one(reg, "equality", "relative_likelihood", item="recommends", group=None)
    assert rl is not None and rl["estimate"] == pytest.approx((2 / 3) / (1 / 4))


def test_counts_below_the_threshold_are_hidden(reg: pd.DataFrame, tmp_path: Path) -> None:
    meta = clean.metadata(load(cohort(tmp_path / "again"), "c"))
    hidden = disclosure.apply(reg, meta, 5)
    bme = register.one(hidden, "equality", "likelihood", item="disciplinary", subgroup="ethnicity=BME", group=None)
    assert bme is not None and bool(bme["suppressed"])  # 3 people, below 5
    ratio = register.one(hidden, "equality", "relative_likelihood", item="disciplinary", group=None)
    assert ratio is not None and bool(ratio["suppressed"])  # rests on the 3
    shown = register.select(hidden, "equality", "likelihood", item="appointed")
    assert not shown["suppressed"].astype(bool).any()


@pytest.mark.parametrize(
    ("counts", "row", "column", "expected"),
    [
        ("indicator,group,numerator,denominator\nappointed,White,x,4\n", 2, "numerator", "whole number"),
        ("indicator,group,numerator,denominator\nappointed,White,5,4\n", 2, "numerator", "no larger than"),
        ("indicator,group,numerator,denominator\nhired,White,1,4\n", 2, "indicator", "declared in cohort.yaml"),
        (COUNTS + "appointed,BME,1,2\n", None, "group", "one row per indicator and group"),
        ("indicator,group,numerator,denominator\nappointed,White,1,4\n", None, "group", "a row for group 'BME'"),
    ],
)
def test_bad_counts_name_the_file_row_and_column(
    tmp_path: Path, counts: str, row: int | None, column: str, expected: str
) -> None:
    with pytest.raises(InputError) as err:
        load(cohort(tmp_path, counts), "c")
    assert Path(err.value.file).name == "indicators.csv"
    assert err.value.column == column and expected in str(err.value)
    if row is not None:
        assert err.value.row == row


def test_a_file_indicator_needs_the_file_and_a_survey_indicator_an_item(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"indicators\.csv with its counts"):
        load(cohort(tmp_path / "a", counts=None), "c")
    bad = INDICATORS_YAML.replace("item: recommend", "item: hours")
    with pytest.raises(InputError, match="a yes/no or likert item"):
        load(cohort(tmp_path / "b", extra=bad), "c")
    same = INDICATORS_YAML.replace("reference: BME", "reference: White", 1)
    with pytest.raises(InputError, match="reference group other than the compared"):
        load(cohort(tmp_path / "c", extra=same), "c")


def test_no_indicators_no_rows_and_an_unchanged_cohort_json(tmp_path: Path) -> None:
    cc = load(cohort(tmp_path, counts=None, extra=""), "c")
    meta = clean.metadata(cc)
    assert "indicators" not in meta and "indicator_counts" not in meta
    assert equality.equality(meta, cc.survey).empty


def test_report_table_and_figure_read_the_register(tmp_path: Path) -> None:
    from matplotlib.figure import Figure

    from workforce_eval.figures.cohort import equality_figure
    from workforce_eval.inputs import metadata
    from workforce_eval.report import equality as report_equality
    from workforce_eval.report.results import Results

    cc = load(cohort(tmp_path), "c")
    meta = clean.metadata(cc) | {"disclosure_threshold": 5}
    stats = disclosure.apply(equality.equality(meta, cc.survey), meta, 5)
    res = Results(stats, meta, tmp_path, pd.DataFrame())
    assert report_equality.has_indicators(res)
    table = report_equality.indicators_table(res)
    first = table.iloc[0].tolist()
    assert first[:4] == [
        "Appointed from shortlisting",
        "White relative to BME",
        "120 of 400 (30.0 %)",
        "60 of 300 (20.0 %)",
    ]
    assert first[4].startswith("1.50 (") and first[5] == "Adverse impact (0.67)"
    # the disciplinary ratio rests on 3 people: hidden, with its count shown as [c]
    second = table.iloc[1].tolist()
    assert second[2] == "[c]" and second[4] == "–" and second[5] == "–"
    assert "Katz" in report_equality.methods_text(res)
    fig = equality_figure(stats, metadata.from_document(meta))
    assert isinstance(fig, Figure)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    # the two ratios resting on hidden counts (disciplinary: 3 people; the survey one: 2 and 1) are named, not drawn
    assert len(labels) == 1 and labels[0].startswith("Appointed from shortlisting")
    assert sum("Not shown" in t.get_text() for t in fig.texts) == 2


def test_the_privacy_guard_scans_indicators_csv(tmp_path: Path) -> None:
    from workforce_eval.inputs import privacy

    folder = cohort(tmp_path, COUNTS.replace("appointed,BME,60,300", "appointed,someone@example.org,60,300"))
    with pytest.raises(InputError) as err:
        privacy.check_cohort(folder)
    assert Path(err.value.file).name == "indicators.csv" and err.value.column == "group" and err.value.row == 3
    assert "example.org" not in str(err.value)
