"""Pre/post register rows on a tiny hand-made cohort, against values computed by hand."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import TINY_FILES
from workforce_eval import register
from workforce_eval.analyses import prepost
from workforce_eval.errors import InputError
from workforce_eval.inputs import clean
from workforce_eval.inputs.validate import load

PREPOST_FILES: dict[str, str] = {
    "cohort.yaml": """\
programme: Tiny Paired Programme
cohort: "P1"
design: pre_post
synthetic: true
groups:
  A: Group A
  B: Group B
""",
    "participants.csv": """\
participant_id,group,pair_id,invited
p1,A,x1,true
p2,B,x1,true
p3,A,x2,true
p4,B,x2,true
p5,A,,true
""",
    "instrument.yaml": """\
scales:
  agree5:
    levels: [Strongly disagree, Disagree, Neither agree nor disagree, Agree, Strongly agree]
    missing: [Prefer not to say]
  yesno:
    levels: [No, "Yes"]
items:
  - {id: q1, text: First, type: likert, scale: agree5, construct: s}
  - {id: q2, text: Second, type: likert, scale: agree5, construct: s}
  - {id: q3, text: Third (reversed), type: likert, scale: agree5, construct: s, reverse: true}
  - {id: n1, text: A number, type: numeric}
  - {id: y1, text: Yes or no, type: yesno, scale: yesno}
""",
    # codes (q3 reversed): p1 pre 2,4,2 post 4,5,4; p2 pre 3,3,4 post 4,3,3; p3 pre 1,2,1 post 3,-,3
    "survey.csv": """\
response_id,participant_id,group,timepoint,q1,q2,q3,n1,y1
r1,p1,A,pre,Disagree,Agree,Agree,10,No
r2,p2,B,pre,Neither agree nor disagree,Neither agree nor disagree,Disagree,20,No
r3,p3,A,pre,Strongly disagree,Disagree,Strongly agree,5,Yes
r4,p4,B,pre,Agree,Agree,Disagree,12,No
r5,p1,A,post,Agree,Strongly agree,Disagree,15,Yes
r6,p2,B,post,Agree,Neither agree nor disagree,Neither agree nor disagree,26,Yes
r7,p3,A,post,Neither agree nor disagree,Prefer not to say,Neither agree nor disagree,8,No
r8,p5,A,post,Agree,Agree,Disagree,30,Yes
r9,,B,post,Disagree,Neither agree nor disagree,Agree,9,No
""",
}


def write_prepost_cohort(folder: Path) -> Path:
    """The tiny pre/post cohort in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in PREPOST_FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def cohort(tmp_path: Path) -> Path:
    return write_prepost_cohort(tmp_path / "data" / "tiny-pp")


@pytest.fixture(scope="module")
def reg(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """The register of the tiny pre/post cohort, built once (statsmodels' Holm runs gc.collect on every call)."""
    cc = load(write_prepost_cohort(tmp_path_factory.mktemp("pp") / "tiny-pp"), "tiny-pp")
    return prepost.prepost(clean.metadata(cc), cc.survey)


def get(reg: pd.DataFrame, analysis: str, measure: str, **kw: str) -> pd.Series:
    return register.one(reg, analysis, measure, **kw)


def normal_p(v: float, n: int, ties: list[int]) -> float:
    """R's normal approximation for the signed-rank V, tie-corrected, with continuity correction (two-sided)."""
    z = v - n * (n + 1) / 4
    sigma = math.sqrt(n * (n + 1) * (2 * n + 1) / 24 - sum(t**3 - t for t in ties) / 48)
    z = (z - math.copysign(0.5, z)) / sigma
    return math.erfc(abs(z) / math.sqrt(2))


def test_attrition_counts(reg: pd.DataFrame) -> None:
    expected = {
        # measure: (all, A, B); r9 is anonymous: a post response that cannot be linked
        "responses_pre": (4, 2, 2),
        "responses_post": (5, 3, 2),
        "linked": (3, 2, 1),
        "pre_only": (1, 0, 1),
        "post_only": (2, 1, 1),
    }
    for measure, values in expected.items():
        for group, value in zip(("all", "A", "B"), values):
            assert get(reg, "pre_post", measure, group=group).estimate == value, (measure, group)
    retention = get(reg, "pre_post", "retention")
    assert retention.estimate == 75 and (retention.n, retention.denominator) == (3, 4)
    assert retention.ci_low < 75 < retention.ci_high and retention.method == "wilson"


def test_mean_change_of_a_likert_item_with_ties(reg: pd.DataFrame) -> None:
    row = get(reg, "pre_post", "mean_change", item="q1")
    # changes +2, +1, +2
    assert row.estimate == pytest.approx(5 / 3) and row.n == 3
    sd = np.std([2, 1, 2], ddof=1)
    half = 4.302652729911275 * sd / math.sqrt(3)  # t(0.975, 2)
    assert (row.ci_low, row.ci_high) == pytest.approx((5 / 3 - half, 5 / 3 + half))
    # ranks of |d|: 1 -> 1, the tied 2s -> 2.5 each; V = 6
    assert row.p_value == pytest.approx(normal_p(6, 3, [2]), rel=1e-12)
    assert "normal approximation" in row.method
    assert get(reg, "pre_post", "mean_pre", item="q1").estimate == pytest.approx(2.0)
    assert get(reg, "pre_post", "mean_post", item="q1").estimate == pytest.approx(11 / 3)


def test_mean_change_skips_participants_missing_an_answer_and_drops_zeros(reg: pd.DataFrame) -> None:
    row = get(reg, "pre_post", "mean_change", item="q2")
    # p3 did not answer q2 after; changes +1 (p1), 0 (p2): the zero is dropped, V = 1 of n = 1
    assert row.n == 2 and row.estimate == pytest.approx(0.5)
    assert row.p_value == pytest.approx(1.0)
    by_group = get(reg, "pre_post", "mean_change", item="q2", group="A")
    assert by_group.n == 1 and by_group.estimate == 1 and math.isnan(by_group.ci_low)


def test_reverse_coded_item_and_construct(reg: pd.DataFrame) -> None:
    q3 = get(reg, "pre_post", "mean_change", item="q3")
    assert q3.estimate == pytest.approx((2 - 1 + 2) / 3)  # reversed codes 2->4, 4->3, 1->3
    s = get(reg, "pre_post", "mean_change", item="s")
    # scores: p1 8/3 -> 13/3, p2 10/3 -> 10/3, p3 4/3 -> 3 (2 of 3 items answered after)
    assert s.n == 3 and s.estimate == pytest.approx((5 / 3 + 0 + 5 / 3) / 3)
    assert get(reg, "pre_post", "mean_change", item="s", group="B").estimate == pytest.approx(0.0)


def test_numeric_item_takes_the_exact_test(reg: pd.DataFrame) -> None:
    row = get(reg, "pre_post", "mean_change", item="n1")
    assert row.estimate == pytest.approx(14 / 3)  # +5, +6, +3
    assert row.p_value == pytest.approx(0.25)  # all three positive: 2 * (1/2)^3
    assert row.method.endswith("wilcoxon exact")


def test_every_item_and_construct_has_mean_change_overall_and_by_group(reg: pd.DataFrame) -> None:
    rows = register.select(reg, "pre_post", "mean_change")
    assert set(zip(rows["item"], rows["group"])) == {
        (t, g) for t in ("q1", "q2", "q3", "n1", "s") for g in ("all", "A", "B")
    }
    assert "y1" not in set(rows["item"])  # yes/no items have no mean change


def test_holm_adjusts_items_within_each_group(reg: pd.DataFrame) -> None:
    items = ["q1", "q2", "q3", "n1"]
    p = np.array([get(reg, "pre_post", "mean_change", item=i).p_value for i in items])
    order = np.argsort(p)
    adjusted = np.empty(len(p))
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p) - rank) * p[i]))
        adjusted[i] = running
    for item, expected in zip(items, adjusted):
        row = get(reg, "pre_post", "p_holm", item=item)
        assert row.estimate == pytest.approx(expected) and row.p_value == pytest.approx(expected)
        assert row.method == "holm over 4 items"
    # the construct is in a family of its own: its Holm p is its raw p
    assert get(reg, "pre_post", "p_holm", item="s").p_value == pytest.approx(
        get(reg, "pre_post", "mean_change", item="s").p_value
    )


def test_effect_size_is_mean_over_sd_of_changes(reg: pd.DataFrame) -> None:
    row = get(reg, "pre_post", "effect_size", item="n1")
    d = np.array([5.0, 6.0, 3.0])
    assert row.estimate == pytest.approx(d.mean() / d.std(ddof=1))
    assert row.ci_low < row.estimate < row.ci_high


def test_alpha_per_time_point(reg: pd.DataFrame) -> None:
    pre = get(reg, "reliability", "cronbach_alpha", item="s", level="pre")
    post = get(reg, "reliability", "cronbach_alpha", item="s", level="post")
    assert pre.n == 4 and post.n == 4  # r7 lacks q2 after
    # pre codes (q1, q2, q3 reversed): r1 2,4,2; r2 3,3,4; r3 1,2,1; r4 4,4,4
    codes = np.array([[2, 4, 2], [3, 3, 4], [1, 2, 1], [4, 4, 4]], dtype=float)
    alpha = 3 / 2 * (1 - codes.var(axis=0, ddof=1).sum() / codes.sum(axis=1).var(ddof=1))
    assert pre.estimate == pytest.approx(alpha)


def test_groups_compared_after_the_programme(reg: pd.DataFrame) -> None:
    rb = get(reg, "between_groups", "rank_biserial", item="n1", group="A", level="B")
    # after: A 15, 8, 30; B 26, 9 -> pairs with A higher: 15>9, 30>26, 30>9, so U = 3 of 6
    assert rb.n == 5 and rb.estimate == pytest.approx(2 * 3 / 6 - 1)
    orr = get(reg, "between_groups", "odds_ratio", item="y1", group="A", level="B")
    assert orr.n == 5 and "fisher" in orr.method


def test_no_rows_for_other_designs(tiny_cohort: Path) -> None:
    cc = load(tiny_cohort, "tiny")
    assert prepost.prepost(clean.metadata(cc), cc.survey).empty
    assert "design: post_only" in TINY_FILES["cohort.yaml"]


def test_one_participant_answering_post_twice_names_the_file_and_both_rows(cohort: Path) -> None:
    survey = cohort / "survey.csv"
    survey.write_text(survey.read_text().replace("r8,p5,A,post", "r8,p1,A,post"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load(cohort, "tiny-pp")
    err = info.value
    assert Path(err.file).name == "survey.csv" and err.rows == (6, 9) and err.column == "participant_id"
    assert "survey.csv, rows 6, 9, column 'participant_id'" in str(err)
    assert "one post response per participant" in str(err)


def test_pre_and_post_for_one_participant_is_fine_but_a_pre_post_cohort_needs_time_points(cohort: Path) -> None:
    survey = cohort / "survey.csv"
    text = survey.read_text().replace(",timepoint", "").replace(",pre,", ",").replace(",post,", ",")
    survey.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load(cohort, "tiny-pp")
    assert info.value.column == "timepoint"


def test_report_tables_show_the_register_rows(reg: pd.DataFrame, tmp_path: Path) -> None:
    from workforce_eval.report import prepost as prepost_report
    from workforce_eval.report.results import Results

    meta = clean.metadata(load(write_prepost_cohort(tmp_path / "c"), "tiny-pp"))
    res = Results(stats=reg, meta=meta, quotes=pd.DataFrame(), figures=tmp_path)
    assert prepost_report.is_prepost(res)
    text = prepost_report.attrition_text(res)
    assert "3 participants answered both times" in text and "75.0 % of those who answered before" in text
    assert "1 answered only before (Group B 1)" in text and "2 only after (Group A 1, Group B 1)" in text
    change = prepost_report.change_table(res)
    assert list(change["Scale or item"]) == ["S (scale score)", "First", "Second", "Third (reversed)", "A number"]
    first = change[change["Scale or item"] == "First"].iloc[0]
    assert first["Linked n"] == "3" and first["Mean before"] == "2.00" and first["Mean after"] == "3.67"
    assert first["Mean change (95 % CI)"].startswith("1.67 (")
    number = change[change["Scale or item"] == "A number"].iloc[0]
    t = 14 / math.sqrt(7)  # changes +5, +6, +3 (see test_paired_t_row_...): p = 0.034 by the t(2) closed form
    assert number["p (paired t)"] == f"{1 - t / math.sqrt(2 + t * t):.3f}" == "0.034"
    assert number["p (Wilcoxon)"] == "0.250" and number["Median shift (95 % CI)"] == "4.75"  # no 95 % interval
    by_group = prepost_report.change_by_group_table(res)
    assert "Holm p = " in by_group.iloc[0, 1]
    attrition = prepost_report.attrition_table(res)
    assert attrition.iloc[0].tolist() == ["All respondents", "4", "5", "3", "1", "2", "75.0 %"]
    assert "exact test" in prepost_report.methods_text(res) and "normal approximation" in prepost_report.methods_text(
        res
    )
    assert len(prepost_report.reliability_table(res)) == 1
    assert (
        len(prepost_report.between_groups_table(res))
        == len(register.select(reg, "between_groups", "rank_biserial")) + 1
    )


def test_paired_t_row_carries_the_t_test_p_beside_the_t_interval(reg: pd.DataFrame) -> None:
    row = get(reg, "pre_post", "paired_t", item="n1")
    change = get(reg, "pre_post", "mean_change", item="n1")
    assert (row.estimate, row.ci_low, row.ci_high, row.n) == (change.estimate, change.ci_low, change.ci_high, 3)
    # changes +5, +6, +3: mean 14/3, sd sqrt(7/3), t = (14/3) / (sd / sqrt 3) = 14 / sqrt 7 on 2 df;
    # two-sided p of t on 2 df is 1 - t / sqrt(2 + t^2) (closed form of the t(2) distribution)
    t = 14 / math.sqrt(7)
    assert row.p_value == pytest.approx(1 - t / math.sqrt(2 + t * t), rel=1e-9)
    assert row.method == "paired t"


def test_hl_shift_row_carries_the_wilcoxon_p_beside_its_own_interval(reg: pd.DataFrame) -> None:
    row = get(reg, "pre_post", "hl_shift", item="n1")
    # exact case, n = 3: Walsh averages of 5, 6, 3: 3, 4, 4.5, 5, 5.5, 6, estimate their median 4.75;
    # qsignrank(0.025, 3) = 0 -> 1, so R's limits are the 1st and 6th average (3, 6) at an achieved
    # level of only 1 - 2 * psignrank(0, 3) = 75 %: no 95 % interval is given.
    assert row.estimate == pytest.approx(4.75) and math.isnan(row.ci_low) and "not reachable" in row.method
    assert row.p_value == pytest.approx(0.25) and "wilcoxon exact" in row.method
    # q2 in group A: a single change of +1, estimate 1, no interval either.
    single = get(reg, "pre_post", "hl_shift", item="q2", group="A")
    assert single.estimate == pytest.approx(1.0) and math.isnan(single.ci_low) and "not reachable" in single.method


def test_p_holm_t_adjusts_the_t_p_values_within_each_group(reg: pd.DataFrame) -> None:
    items = ("q1", "q2", "q3", "n1")
    raw = [get(reg, "pre_post", "paired_t", item=i).p_value for i in items]
    present = sorted((p, i) for i, p in zip(items, raw) if not math.isnan(p))
    m = len(present)
    # Holm by hand: the j-th smallest p times (m - j + 1), running maximum, capped at 1
    running, expected = 0.0, {}
    for j, (p, item) in enumerate(present):
        running = max(running, min(1.0, (m - j) * p))
        expected[item] = running
    for item, value in expected.items():
        assert get(reg, "pre_post", "p_holm_t", item=item).estimate == pytest.approx(value, rel=1e-12)


def test_paired_t_row_has_no_zero_width_interval_when_the_changes_do_not_vary(reg: pd.DataFrame) -> None:
    # q1 in group A:
    # changes +2 and +2 (p1, p3) -> sd 0: R's t.test stops, so neither interval nor p
    q1 = get(reg, "pre_post", "paired_t", item="q1", group="A")
    assert q1.n == 2 and q1.estimate == 2 and math.isnan(q1.ci_low) and math.isnan(q1.p_value)
    assert q1.method == "paired t; changes without spread"


def test_dumbbell_chart_marks_the_reverse_coded_item(reg: pd.DataFrame, tmp_path: Path) -> None:
    from workforce_eval.figures import style
    from workforce_eval.figures.prepost import prepost_figure

    meta = clean.metadata(load(write_prepost_cohort(tmp_path / "c"), "tiny-pp"))
    for item in meta["items"]:
        if item["id"] == "q3":
            item["text"] = "Third"  # the fixture's own text already says "(reversed)"
    style.configure_matplotlib()
    fig = prepost_figure(disclosure_free(reg), meta)
    labels = [t.get_text().replace("\n", " ") for ax in fig.axes for t in ax.get_yticklabels()]
    assert "Third (reversed)" in labels and "First" in labels


def disclosure_free(reg: pd.DataFrame) -> pd.DataFrame:
    """The register as the figure reads it (no row hidden: the tiny cohort is below every threshold)."""
    out = reg.copy()
    out["suppressed"] = False
    return out


def test_group_comparisons_form_one_family_adjusted_by_holm(reg: pd.DataFrame) -> None:
    from statsmodels.stats.multitest import multipletests

    tested = register.select(reg, "between_groups", ("rank_biserial", "odds_ratio"))
    tested = tested[tested["p_value"].notna()]
    adjusted = register.select(reg, "between_groups", "p_adjusted")
    assert list(zip(adjusted["item"], adjusted["group"], adjusted["level"])) == list(
        zip(tested["item"], tested["group"], tested["level"])
    )
    expected = multipletests(tested["p_value"].to_numpy(dtype=float), method="holm")[1]
    assert adjusted["estimate"].to_numpy(dtype=float) == pytest.approx(expected)
    assert adjusted["method"].str.startswith(f"holm; family group-comparisons ({len(tested)} tests)").all()
