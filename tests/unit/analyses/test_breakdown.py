"""Breakdowns by organisation and named survey columns, the vectorised helpers behind them, and the CSV reader."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import write_tiny_cohort
from workforce_eval import register
from workforce_eval.analyses import describe
from workforce_eval.errors import InputError
from workforce_eval.inputs import clean
from workforce_eval.inputs import readers as io
from workforce_eval.inputs.validate import load
from workforce_eval.stats.intervals import (
    mean_t,
    mean_t_groups,
    median,
    median_from_counts,
    percent_wilson,
    percent_wilson_many,
)
from workforce_eval.stats.scales import cronbach_alpha, cronbach_alpha_groups

SURVEY = """\
response_id,participant_id,group,timepoint,organisation,employment,recommend,trust,hard,hours
r1,p1,A,post,Trust X,direct,Yes,Strongly agree,Disagree,2
r2,p2,B,post,Trust X,agency,Yes,Agree,Strongly agree,4
r3,p3,A,post,Trust Y,direct,No,Disagree,Agree,1
r4,,B,post,Trust Y,agency,Yes,Neither agree nor disagree,Agree,3
r5,,A,post,Trust Y,direct,No,Strongly agree,Disagree,
r6,,B,post,,direct,Yes,Agree,Agree,5
"""


@pytest.fixture
def reg(tmp_path: Path) -> pd.DataFrame:
    folder = write_tiny_cohort(tmp_path / "c")
    (folder / "cohort.yaml").write_text((folder / "cohort.yaml").read_text() + "breakdowns: [employment]\n")
    (folder / "survey.csv").write_text(SURVEY)
    cc = load(folder, "c")
    return describe.describe(clean.metadata(cc), cc.participants, cc.survey, cc.segments)


def one(reg: pd.DataFrame, measure: str, subgroup: str, item: str = "") -> pd.Series:
    rows = register.select(reg, "breakdown", measure, item=item, subgroup=subgroup)
    assert len(rows) == 1, (measure, subgroup, item, len(rows))
    return rows.iloc[0]


def test_breakdown_by_organisation_and_named_columns(reg: pd.DataFrame) -> None:
    rows = reg[reg["analysis"] == "breakdown"]
    assert set(rows["group"]) == {"all"}
    # organisation first (always, when the survey has one), then the named columns; blank values form no subgroup
    assert list(dict.fromkeys(rows["subgroup"])) == [
        "organisation=Trust X",
        "organisation=Trust Y",
        "employment=agency",
        "employment=direct",
    ]
    assert one(reg, "responses", "organisation=Trust Y").estimate == 3
    share = one(reg, "share", "organisation=Trust X")
    assert share.estimate == pytest.approx(100 * 2 / 5) and share.denominator == 5  # r6 has no organisation
    # trust (likert): Trust Y answers Disagree, Neither, Strongly agree -> 1 of 3 agree; median code 3
    agree = one(reg, "pct_agree", "organisation=Trust Y", "trust")
    assert (agree.n, agree.denominator) == (1, 3) and agree.method == "wilson"
    est = percent_wilson(1, 3)
    assert (agree.estimate, agree.ci_low, agree.ci_high) == (est.estimate, est.ci_low, est.ci_high)
    assert one(reg, "median", "organisation=Trust Y", "trust").estimate == 3
    # hard is reverse-coded: Agree -> 2, Strongly agree -> 1, Disagree -> 4; agency answered Strongly agree, Agree
    assert one(reg, "pct_agree", "employment=agency", "hard").n == 0
    # yes/no and numeric items
    assert one(reg, "pct_yes", "employment=direct", "recommend").estimate == pytest.approx(100 * 2 / 4)
    hours = one(reg, "mean", "employment=direct", "hours")
    assert hours.estimate == pytest.approx((2 + 1 + 5) / 3) and hours.n == 3
    m = mean_t(np.array([2.0, 1.0, 5.0]))
    assert (hours.ci_low, hours.ci_high) == pytest.approx((m.ci_low, m.ci_high))


def test_register_extension_columns_follow_the_contract_columns(reg: pd.DataFrame) -> None:
    assert list(reg.columns[: len(register.CONTRACT_COLUMNS)]) == list(register.CONTRACT_COLUMNS)
    assert list(reg.columns[len(register.CONTRACT_COLUMNS) :]) == ["level", "subgroup", "rule", "inputs_sha256"]
    assert (reg.loc[reg["analysis"] != "breakdown", "subgroup"] == "").all()


def test_unknown_breakdown_column_is_an_input_error(tmp_path: Path) -> None:
    folder = write_tiny_cohort(tmp_path / "c")
    (folder / "cohort.yaml").write_text((folder / "cohort.yaml").read_text() + "breakdowns:\n  - pay_band\n")
    with pytest.raises(InputError) as info:
        load(folder, "c")
    err = info.value
    assert Path(err.file).name == "cohort.yaml" and err.column == "breakdowns.0" and err.found == "pay_band"
    assert err.row == len((folder / "cohort.yaml").read_text().splitlines())


# --------------------------------------------------------------------------- vectorised helpers


def test_vectorised_helpers_equal_their_one_at_a_time_versions() -> None:
    rng = np.random.default_rng(7)
    counts = rng.integers(0, 50, 300)
    totals = counts + rng.integers(0, 50, 300)
    totals[totals == 0] = 1
    counts[:3], counts[3:6] = 0, totals[3:6]
    assert percent_wilson_many(counts, totals) == [percent_wilson(int(c), int(t)) for c, t in zip(counts, totals)]
    for _ in range(50):
        codes = rng.integers(1, 6, rng.integers(1, 40))
        assert median_from_counts(np.bincount(codes, minlength=6)) == median(codes.astype(float))
    values = rng.normal(3, 1, 500)
    values[rng.random(500) < 0.1] = np.nan
    groups = rng.integers(0, 6, 500)
    groups[groups == 5] = 4  # group 5 is empty
    for j, est in enumerate(mean_t_groups(values, groups, 6)):
        part = values[(groups == j) & ~np.isnan(values)]
        if not len(part):
            assert est is None
            continue
        ref = mean_t(part)
        assert est.estimate == pytest.approx(ref.estimate, rel=1e-12)
        assert (est.ci_low, est.ci_high) == pytest.approx((ref.ci_low, ref.ci_high), rel=1e-12)
    block = rng.integers(1, 6, (400, 4)).astype(float)
    block[:, 1] = np.clip(block[:, 0] + rng.integers(-1, 2, 400), 1, 5)
    block[rng.random((400, 4)) < 0.05] = np.nan
    for j, result in enumerate(cronbach_alpha_groups(block, groups[:400], 6)):
        try:
            ref, used = cronbach_alpha(pd.DataFrame(block[groups[:400] == j]))
        except ValueError:
            assert result is None
            continue
        assert result is not None and result[1] == used
        assert result[0].estimate == pytest.approx(ref.estimate, rel=1e-10)
        assert (result[0].ci_low, result[0].ci_high) == pytest.approx((ref.ci_low, ref.ci_high), rel=1e-10)


# --------------------------------------------------------------------------- the CSV reader's two paths


@pytest.mark.parametrize(
    "text",
    [
        'a,b,c\n x ,y,\n\n  ,"q, r",z\n',  # spaces, blank and all-space cells, a blank line, a quoted comma
        '\ufeffa,b\n1,"two\nlines"\n3,""\n',  # BOM, a value spanning lines, a quoted empty value
        "a,b\nNA,null\n007,-\n",  # text that other readers turn into missing values or numbers
    ],
)
def test_fast_and_careful_readers_give_the_same_frame(tmp_path: Path, text: str) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode("utf-8"))
    fast = io._read_csv_arrow(path, set())
    assert fast is not None
    pd.testing.assert_frame_equal(fast, io._read_csv_pandas(path))
    as_categories = io.read_csv(path, categorical=["a"])
    assert as_categories["a"].dtype == "category"
    pd.testing.assert_series_equal(as_categories["a"].astype(object), fast["a"].astype(object))


@pytest.mark.parametrize(
    ("text", "row"),
    [("a,b\n1,2\n3,4,5\n", 3), ("a,b\n1,2\n3\xe9,4\n", 3), ("a,a\n1,2\n", 1)],
)
def test_problems_fall_back_to_the_careful_reader_and_are_located(tmp_path: Path, text: str, row: int) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode("latin-1"))
    assert io._read_csv_arrow(path, set()) is None
    with pytest.raises(InputError) as info:
        io.read_csv(path)
    assert info.value.row == row
