"""Organisation benchmarking: Newcombe and Welch differences, the flag rule, ranks, withheld organisations."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from tests.conftest import write_tiny_cohort
from workforce_eval import names, register
from workforce_eval.analyses import benchmarking as bm
from workforce_eval.errors import InputError
from workforce_eval.inputs import clean
from workforce_eval.inputs.validate import load

# Trust X: 5 responses, Trust Y: 6, Trust Z: 2 (below k = 5: withheld), one without an organisation. Trust X is
# withheld too: reported, it would give Trust Z's answers back (whole survey minus X minus Y).
SURVEY = """\
response_id,participant_id,group,timepoint,organisation,recommend,trust,hard,hours
r1,p1,A,post,Trust X,Yes,Strongly agree,Disagree,2
r2,p2,B,post,Trust X,Yes,Agree,Strongly agree,4
r3,p3,A,post,Trust X,Yes,Disagree,Agree,1
r4,,B,post,Trust X,Yes,Agree,Agree,3
r5,,A,post,Trust X,No,Strongly agree,Disagree,5
r6,,B,post,Trust Y,No,Disagree,Agree,2
r7,,A,post,Trust Y,No,Agree,Disagree,2
r8,,B,post,Trust Y,Yes,Disagree,Agree,3
r9,,A,post,Trust Y,No,Strongly disagree,Disagree,1
r10,,B,post,Trust Y,No,Agree,Agree,2
r11,,A,post,Trust Y,No,Disagree,Agree,4
r12,,B,post,Trust Z,Yes,Agree,Agree,6
r13,,A,post,Trust Z,Yes,Agree,Agree,7
r14,,B,post,,Yes,Agree,Agree,1
"""


def cohort(tmp_path: Path, extra: str = "reports_by: organisation\n", design: str = "cross_sectional") -> Path:
    folder = write_tiny_cohort(tmp_path / "c")
    text = (folder / "cohort.yaml").read_text().replace("design: post_only", f"design: {design}")
    (folder / "cohort.yaml").write_text(text + extra)
    (folder / "survey.csv").write_text(SURVEY)
    return folder


@pytest.fixture
def reg(tmp_path: Path) -> pd.DataFrame:
    cc = load(cohort(tmp_path), "c")
    return bm.benchmark(clean.metadata(cc), cc.survey, k=5)


def one(reg: pd.DataFrame, measure: str, subgroup: str, item: str = "") -> pd.Series:
    rows = register.select(reg, "benchmark", measure, item=item, subgroup=subgroup)
    assert len(rows) == 1, (measure, subgroup, item, len(rows))
    return rows.iloc[0]


def test_newcombe_reproduces_the_published_example() -> None:
    # Newcombe (1998), Statistics in Medicine 17:873-890, Table II, example (a): 56/70 vs 48/80,
    # difference 0.2000, method 10 (hybrid score) interval 0.0524 to 0.3339
    d, low, high = bm.newcombe(np.array([56]), np.array([70]), np.array([48]), np.array([80]))
    assert d[0] == pytest.approx(20.0)
    assert low[0] == pytest.approx(5.24, abs=0.005)
    assert high[0] == pytest.approx(33.39, abs=0.005)


def test_welch_matches_scipys_unequal_variance_interval() -> None:
    a, b = np.array([2.0, 4.0, 1.0, 3.0, 5.0]), np.array([2.0, 2.0, 3.0, 1.0, 2.0, 4.0, 6.0, 7.0])
    d, low, high = bm.welch(a.mean(), a.var(ddof=1), len(a), b.mean(), b.var(ddof=1), len(b))
    ci = stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
    assert (d, low, high) == pytest.approx((a.mean() - b.mean(), ci.low, ci.high))


def test_flag_rule() -> None:
    assert bm.flag(0.1, 5.0) == "above"
    assert bm.flag(-5.0, -0.1) == "below"
    assert bm.flag(-0.1, 5.0) == "similar"
    assert bm.flag(0.0, 5.0) == "similar"  # touching zero is not excluding it


def test_organisations_below_the_threshold_get_no_rows_and_are_not_named(reg: pd.DataFrame) -> None:
    assert one(reg, "units", "organisation").estimate == 1
    assert one(reg, "units_withheld", "organisation").estimate == 2
    assert bm.reported_units(reg) == ["Trust Y"]
    assert not reg["subgroup"].str.contains("Trust Z|Trust X").any()
    assert one(reg, "responses", "organisation=Trust Y").estimate == 6


def test_a_withheld_organisation_cannot_be_worked_out_from_the_whole_survey(tmp_path: Path) -> None:
    """The issue's case: whole survey minus the reported organisations gave the withheld one's answers exactly
    (Trust Z: 2 of 2 recommend). On main's code Trust X and Y were both reported: 7 - 4 - 1 = 2 of 13 - 11."""
    cc = load(cohort(tmp_path), "c")
    for minimum in (5, 6, 10):
        reg = bm.benchmark(clean.metadata(cc), cc.survey, k=5, minimum=minimum)
        if not bm.reported_units(reg):  # at 10 no organisation is large enough: nothing is benchmarked
            assert minimum == 10 and register.select(reg, "benchmark", "survey_value").empty
            continue
        for item in ("recommend", "trust", "hard"):
            whole = one(reg, "survey_value", "organisation", item)
            shown = register.select(reg, "benchmark", ("pct_yes", "pct_agree"), item=item)
            left = whole.n - shown["n"].sum()  # the answers of the units not reported, pooled
            assert left == 0 or left >= minimum, (minimum, item, left)
    assert bm.reported(np.array([5, 6, 2]), 5).tolist() == [False, True, False]
    assert bm.reported(np.array([50, 60, 2]), 5).tolist() == [False, True, False]
    assert bm.reported(np.array([50, 60, 3, 3]), 5).tolist() == [True, True, False, False]  # 6 pooled: enough
    assert bm.reported(np.array([50, 60]), 5).tolist() == [True, True]


def test_difference_from_the_peers_and_from_the_whole_survey(reg: pd.DataFrame) -> None:
    # recommend: Trust Y 1/6 yes; its peers (Trust X, Trust Z; not r14, which has no organisation) 6/7 yes
    peers = one(reg, "difference_peers", "organisation=Trust Y", "recommend")
    d, low, high = bm.newcombe(np.array([1]), np.array([6]), np.array([6]), np.array([7]))
    assert (peers.estimate, peers.ci_low, peers.ci_high) == pytest.approx((d[0], low[0], high[0]))
    assert peers.estimate == pytest.approx(100 * (1 / 6 - 6 / 7))
    assert (peers.n, peers.denominator, peers.method) == (6, 7, "newcombe")
    # whole survey (13 with an organisation): 7/13 yes; Y - survey = (1 - 6/13) * (Y - peers)
    whole = one(reg, "difference_survey", "organisation=Trust Y", "recommend")
    assert whole.estimate == pytest.approx(100 * (1 / 6 - 7 / 13))
    assert whole.ci_low == pytest.approx((7 / 13) * low[0])
    assert one(reg, "survey_value", "organisation", "recommend").estimate == pytest.approx(100 * 7 / 13)
    assert peers.level == bm.flag(low[0], high[0])
    # hours (numeric): Trust Y 2, 2, 3, 1, 2, 4 against 2, 4, 1, 3, 5, 6, 7 (Welch)
    hours = one(reg, "difference_peers", "organisation=Trust Y", "hours")
    ci = stats.ttest_ind([2, 2, 3, 1, 2, 4], [2, 4, 1, 3, 5, 6, 7], equal_var=False).confidence_interval()
    assert (hours.estimate, hours.ci_low, hours.ci_high) == pytest.approx((14 / 6 - 28 / 7, ci.low, ci.high))


def test_no_ranks_among_fewer_than_five_organisations(reg: pd.DataFrame, tmp_path: Path) -> None:
    """Issue 21: "Rank 1 of 2" on every row. One or two reported units get no rank rows (on main's code Trust Y
    was ranked "1 of 1" on every item)."""
    assert one(reg, "pct_agree", "organisation=Trust Y", "trust").estimate == pytest.approx(100 * 2 / 6)
    assert register.select(reg, "benchmark", "rank").empty
    two = cohort(tmp_path / "two")
    (two / "survey.csv").write_text(SURVEY.replace("Trust Z", "Trust Y"))  # X (5) and Y (8) reported
    cc = load(two, "c")
    reg2 = bm.benchmark(clean.metadata(cc), cc.survey, k=5)
    assert bm.reported_units(reg2) == ["Trust X", "Trust Y"]
    assert register.select(reg2, "benchmark", "rank").empty


#: Six trusts of five responses: the share who recommend is 5, 4, 3, 2, 1 and 0 of 5 (T1 highest); trust (agree)
#: 1 of 5 in T1, 5 of 5 in the others; hours: T1 answers 1 hour, T2 to T6 answer 2, 3, 4, 5 and 6.
SIX = "response_id,participant_id,group,timepoint,organisation,recommend,trust,hard,hours\n" + "".join(
    f"r{5 * t + i - 4},,A,post,T{t},{'Yes' if i < 6 - t else 'No'},{'Agree' if (t > 1 or i == 0) else 'Disagree'},"
    f"Disagree,{t}\n"
    for t in range(1, 7)
    for i in range(5)
)


def test_ranks_among_five_or_more_favourable_first_and_none_for_a_numeric_item_without_a_direction(
    tmp_path: Path,
) -> None:
    folder = cohort(tmp_path)
    (folder / "survey.csv").write_text(SIX)
    cc = load(folder, "c")
    reg = bm.benchmark(clean.metadata(cc), cc.survey, k=5)
    places = {t: one(reg, "rank", f"organisation=T{t}", "recommend") for t in range(1, 7)}
    assert [int(places[t].estimate) for t in range(1, 7)] == [1, 2, 3, 4, 5, 6]
    assert {int(r.denominator) for r in places.values()} == {6}
    assert [int(one(reg, "rank", f"organisation=T{t}", "trust").estimate) for t in range(1, 7)] == [6, 1, 1, 1, 1, 1]
    # hours (years of service, hours worked): compared with the others, never ranked ...
    assert not register.select(reg, "benchmark", "difference_peers", item="hours").empty
    assert register.select(reg, "benchmark", "rank", item="hours").empty
    # ... unless the instrument says which way is favourable: `favourable: low` ranks the lowest value first
    instrument = folder / "instrument.yaml"
    text = instrument.read_text()
    assert "    text: Hours spent\n    type: numeric\n" in text
    instrument.write_text(text.replace("    type: numeric\n", "    type: numeric\n    favourable: low\n"))
    cc = load(folder, "c")
    reg = bm.benchmark(clean.metadata(cc), cc.survey, k=5)
    assert [int(one(reg, "rank", f"organisation=T{t}", "hours").estimate) for t in range(1, 7)] == [1, 2, 3, 4, 5, 6]


def test_no_rows_without_reports_by(tmp_path: Path) -> None:
    cc = load(cohort(tmp_path, extra=""), "c")
    assert bm.benchmark(clean.metadata(cc), cc.survey, k=5).empty


def test_reports_by_must_name_a_survey_column(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        load(cohort(tmp_path, extra="reports_by: trust_name\n"), "c")
    assert "reports_by" in str(err.value) and "trust_name" in str(err.value)


def test_reports_by_only_in_a_cross_sectional_cohort(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        load(cohort(tmp_path, design="post_only"), "c")
    assert "cross_sectional" in str(err.value)


def test_unit_file_names_are_distinct() -> None:
    assert names.unit_slugs(["Trust A", "trust-a", "St. Mary's", "***"]) == [
        "trust-a",
        "trust-a-2",
        "st-mary-s",
        "unit",
    ]


def test_an_organisation_without_answers_to_an_item_has_no_share(tmp_path: Path) -> None:
    folder = cohort(tmp_path)
    text = (folder / "survey.csv").read_text()
    text = text.replace("r12,,B,post,Trust Z,Yes,", "r12,,B,post,Trust Z,,").replace(
        "r13,,A,post,Trust Z,Yes,", "r13,,A,post,Trust Z,,"
    )
    (folder / "survey.csv").write_text(text)
    cc = load(folder, "c")
    reg = bm.benchmark(clean.metadata(cc), cc.survey, k=5)
    # Trust Z (withheld) answered no recommend; Trust Y's peers are then Trust X's (withheld) 4/5 yes
    assert one(reg, "difference_peers", "organisation=Trust Y", "recommend").estimate == pytest.approx(100 / 6 - 80)


def test_difference_p_values_and_their_adjustment_per_organisation(reg: pd.DataFrame) -> None:
    from statsmodels.stats.multitest import multipletests
    from statsmodels.stats.proportion import test_proportions_2indep

    x = "organisation=Trust Y"  # the one reported unit (Trust X and Trust Z are withheld)
    # hours: Trust Y against its peers (the withheld Trust X and Trust Z), Welch's t test
    hours = register.one(reg, "benchmark", "difference_peers", item="hours", subgroup=x)
    assert hours is not None
    welch = stats.ttest_ind([2, 2, 3, 1, 2, 4], [2, 4, 1, 3, 5, 6, 7], equal_var=False)
    assert hours["p_value"] == pytest.approx(welch.pvalue, rel=1e-10)
    # recommend: 1 of 6 yes against 6 of 7, the score test
    rec = register.one(reg, "benchmark", "difference_peers", item="recommend", subgroup=x)
    assert rec is not None
    score = test_proportions_2indep(1, 6, 6, 7, method="score", compare="diff")
    assert rec["p_value"] == pytest.approx(score.pvalue, rel=1e-10)
    # one family per organisation: Holm over its items' p-values
    diffs = register.select(reg, "benchmark", "difference_peers", subgroup=x)
    adjusted = register.select(reg, "benchmark", "p_adjusted", subgroup=x)
    assert list(adjusted["item"]) == list(diffs["item"])
    expected = multipletests(diffs["p_value"].to_numpy(dtype=float), method="holm")[1]
    assert adjusted["estimate"].to_numpy(dtype=float) == pytest.approx(expected)
    assert set(adjusted["denominator"]) == {len(diffs)}
    for (_, a), (_, d) in zip(adjusted.iterrows(), diffs.iterrows(), strict=True):
        assert a["level"] == bm.adjusted_flag(float(d["estimate"]), float(a["estimate"]))


def test_adjusted_flag_rule() -> None:
    assert bm.adjusted_flag(3.0, 0.01) == "above"
    assert bm.adjusted_flag(-3.0, 0.049) == "below"
    assert bm.adjusted_flag(-3.0, 0.05) == "similar"
    assert bm.adjusted_flag(0.0, 0.001) == "similar"
