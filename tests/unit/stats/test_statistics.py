"""Descriptive statistics, theme frequencies and quotes on the tiny cohort, against values computed by hand."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from workforce_eval import register
from workforce_eval.analyses import describe, quotes, themes
from workforce_eval.inputs import clean
from workforce_eval.inputs.validate import load
from workforce_eval.stats.intervals import mean_t, percent_wilson

Z = 1.959963984540054  # 97.5 % point of the standard normal


def wilson(k: int, n: int) -> tuple[float, float]:
    """Wilson score interval written out from its formula (percent), independent of statsmodels."""
    p = k / n
    centre = (p + Z**2 / (2 * n)) / (1 + Z**2 / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2)) / (1 + Z**2 / n)
    return 100 * (centre - half), 100 * (centre + half)


@pytest.fixture
def tiny(tiny_cohort: Path) -> tuple[dict, pd.DataFrame]:
    cc = load(tiny_cohort, "tiny")
    meta = clean.metadata(cc)
    reg = register.concat(
        [describe.describe(meta, cc.participants, cc.survey, cc.segments), themes.theme_frequencies(meta, cc.segments)]
    )
    return meta, reg


def get(reg: pd.DataFrame, analysis: str, measure: str, **kw: str) -> pd.Series:
    return register.one(reg, analysis, measure, **kw)


def test_wilson_matches_the_formula() -> None:
    for k, n in [(26, 53), (0, 5), (5, 5), (23, 26), (1, 3)]:
        est = percent_wilson(k, n)
        low, high = wilson(k, n)
        assert est.estimate == pytest.approx(100 * k / n)
        assert est.ci_low == pytest.approx(low, abs=1e-9) and est.ci_high == pytest.approx(high, abs=1e-9)


def test_t_interval_by_hand() -> None:
    # mean of 2 and 4 is 3; sd = sqrt(2), se = 1, t(0.975, df=1) = 12.706204736174707
    est = mean_t(pd.Series([2.0, 4.0]).to_numpy())
    assert est.estimate == 3.0
    assert est.ci_low == pytest.approx(3 - 12.706204736174707) and est.ci_high == pytest.approx(3 + 12.706204736174707)


def test_response_measures(tiny: tuple[dict, pd.DataFrame]) -> None:
    _, reg = tiny
    assert get(reg, "response", "invited").estimate == 4  # p5 was not invited
    assert get(reg, "response", "responses").estimate == 3
    assert get(reg, "response", "responses", group="A").estimate == 2
    assert get(reg, "response", "responses", group="B").estimate == 1
    rate = get(reg, "response", "response_rate")
    assert rate.estimate == pytest.approx(75.0) and rate.n == 3 and rate.denominator == 4
    assert (rate.ci_low, rate.ci_high) == pytest.approx(wilson(3, 4))
    # pair x1 (p1, p2) both responded; pair x2 (p3 yes, p4 no) did not
    pairs = get(reg, "response", "complete_pairs")
    assert pairs.estimate == 1 and pairs.denominator == 2
    assert get(reg, "response", "interviews", source="interview").estimate == 3
    assert get(reg, "response", "interviews", group="A").estimate == 2
    assert get(reg, "response", "interview_pairs").estimate == 1


def test_composition(tiny: tuple[dict, pd.DataFrame]) -> None:
    _, reg = tiny
    a = get(reg, "composition", "share", group="A")
    assert a.estimate == pytest.approx(200 / 3) and a.n == 2 and a.denominator == 3
    assert (a.ci_low, a.ci_high) == pytest.approx(wilson(2, 3))
    assert get(reg, "composition", "share", group="B").estimate == pytest.approx(100 / 3)


def test_items(tiny: tuple[dict, pd.DataFrame]) -> None:
    _, reg = tiny
    yes = get(reg, "item", "pct_yes", item="recommend")
    assert yes.estimate == pytest.approx(200 / 3) and yes.n == 2 and yes.denominator == 3
    assert get(reg, "item", "pct_yes", item="recommend", group="B").estimate == 100
    agree = get(reg, "item", "pct_agree", item="trust")
    assert agree.estimate == pytest.approx(200 / 3) and agree.n == 2
    assert get(reg, "item", "median", item="trust").estimate == 4
    assert get(reg, "item", "median", item="trust", group="A").estimate == 3.5  # codes 5 and 2
    # reverse-coded: Disagree -> 4 (agree side), Strongly agree -> 1; the missing label is not counted
    hard = get(reg, "item", "pct_agree", item="hard")
    assert hard.estimate == 50 and hard.denominator == 2
    assert get(reg, "item", "median", item="hard").estimate == 2.5
    # the level distribution is reported in the raw answer labels
    assert get(reg, "item", "level_pct", item="hard", level="Disagree").estimate == 50
    assert get(reg, "item", "level_pct", item="hard", level="Strongly agree").estimate == 50
    assert get(reg, "item", "level_pct", item="trust", level="Agree").estimate == pytest.approx(100 / 3)
    levels = register.select(reg, "item", "level_pct", item="trust", group="all")
    assert list(levels["level"]) == [
        "Strongly disagree",
        "Disagree",
        "Neither agree nor disagree",
        "Agree",
        "Strongly agree",
    ]
    assert levels["estimate"].sum() == pytest.approx(100)
    hours = get(reg, "item", "mean", item="hours")
    assert hours.estimate == 3 and hours.n == 2


def test_themes(tiny: tuple[dict, pd.DataFrame]) -> None:
    _, reg = tiny
    # units: p1, p2, p3 and the survey document r1 (blank participant) -> 4 with coded data
    t1 = get(reg, "theme", "participants", item="t1", source="all")
    assert t1.estimate == 4
    assert get(reg, "theme", "segments", item="t1", source="all").estimate == 6
    s1 = get(reg, "theme", "pct_participants", item="s1", source="all")
    assert s1.n == 3 and s1.denominator == 4 and s1.estimate == 75
    assert (s1.ci_low, s1.ci_high) == pytest.approx(wilson(3, 4))
    assert get(reg, "theme", "participants", item="s2", source="all").estimate == 2
    assert get(reg, "theme", "participants", item="c1", source="all").estimate == 2
    # interviews, group A: p1 and p3; s2 only p1
    s2a = get(reg, "theme", "pct_participants", item="s2", group="A", source="interview")
    assert s2a.n == 1 and s2a.denominator == 2 and s2a.estimate == 50
    # survey, group B: p2 only, coded c1
    assert get(reg, "theme", "pct_participants", item="c1", group="B", source="survey").estimate == 100
    assert get(reg, "theme", "segments", item="c3", group="A", source="survey").estimate == 1
    # no percent without a base: group B has no survey segments under c2 but has a base of 1
    assert get(reg, "theme", "participants", item="c2", group="B", source="survey").estimate == 0
    # the segments' base, counted by hand from the six rows of segments.csv: all of them; interviews g1-g4;
    # interviews of group A g1, g2, g4; survey of group B g5 only
    assert get(reg, "theme", "coded_segments", item="all", source="all").estimate == 6
    assert get(reg, "theme", "coded_segments", item="all", source="interview").estimate == 4
    assert get(reg, "theme", "coded_segments", item="all", group="A", source="interview").estimate == 3
    assert get(reg, "theme", "coded_segments", item="all", group="B", source="survey").estimate == 1


def test_register_round_trip_is_exact(tiny: tuple[dict, pd.DataFrame], tmp_path: Path) -> None:
    _, reg = tiny
    register.write(reg, tmp_path / "s.csv")
    back = register.read(tmp_path / "s.csv")
    pd.testing.assert_frame_equal(back, reg)
    header = (tmp_path / "s.csv").read_text().splitlines()[0].split(",")
    assert header[:13] == [
        "analysis",
        "measure",
        "item",
        "group",
        "source",
        "estimate",
        "n",
        "denominator",
        "ci_low",
        "ci_high",
        "p_value",
        "method",
        "suppressed",
    ]


def test_quotes_only_consented_and_pseudonymous(tiny_cohort: Path) -> None:
    cc = load(tiny_cohort, "tiny")
    table = quotes.quote_table(clean.metadata(cc), cc.segments)
    assert list(table["text"]) == ["We met every month.", "More honest conversations.", "I learnt a lot."]
    first = table.iloc[0]
    # one passage with two codes is one quote, listing both subthemes
    assert first["subtheme"] == "s1;s2" and first["code"] == "c1;c3"
    # p1 and p3 are the interviewees of group A, numbered by first document: p1 -> A P1, p3 -> A P2;
    # p2 was interviewed too, so their survey answer carries the same pseudonym B P1.
    # The raw ids here are p1..p5, so "A P1" would read as a raw id: the labels spell out "Participant".
    assert list(table["attribution"]) == ["A Participant 1", "B Participant 1", "A Participant 2"]
    labels = quotes.attribution_labels(cc.segments)
    # the anonymous survey document r1 (group A) is a survey respondent
    assert labels[cc.segments["segment_id"] == "g6"].item() == "A survey respondent 1"
    # not consented (g3, g6) never appear; no raw participant id anywhere in the table
    assert "It changed how I see things." not in set(table["text"])
    flat = " ".join(table.astype(str).to_numpy().ravel())
    for raw_id in ("p1", "p2", "p3"):
        assert f" {raw_id} " not in f" {flat} "


def test_cronbach_alpha_by_hand() -> None:
    from workforce_eval.stats.scales import construct_score, cronbach_alpha

    # item variances 5/3 and 19/12 sum to 3.25; totals 3, 5, 6, 9 have variance 6.25 -> alpha = 2 (1 - 0.52) = 0.96
    codes = pd.DataFrame({"x1": [1, 2, 3, 4, None], "x2": [2, 3, 3, 5, 4]})
    alpha, used = cronbach_alpha(codes)
    assert used == 4 and alpha.estimate == pytest.approx(0.96)
    assert alpha.ci_low < 0.96 < alpha.ci_high <= 1
    # a score needs at least half of the items answered: the last response answered 1 of 2 -> 4.0
    assert list(construct_score(codes)) == [1.5, 2.5, 3.0, 4.5, 4.0]
    three = pd.DataFrame({"a": [1, None], "b": [3, None], "c": [5, 2]})
    assert construct_score(three).iloc[0] == 3.0 and pd.isna(construct_score(three).iloc[1])


def test_construct_rows_on_the_tiny_cohort(tiny_cohort: Path) -> None:
    text = (tiny_cohort / "instrument.yaml").read_text()
    text = text.replace("    scale: agree5\n  - id: hard", "    scale: agree5\n    construct: rel\n  - id: hard")
    text = text.replace("    reverse: true\n", "    reverse: true\n    construct: rel\n")
    (tiny_cohort / "instrument.yaml").write_text(text)
    cc = load(tiny_cohort, "tiny")
    reg = describe.describe(clean.metadata(cc), cc.participants, cc.survey, cc.segments)
    # trust codes 5, 4, 2; hard (reversed) 4, 1, missing -> scores 4.5, 2.5, 2.0 (r3 answered 1 of 2)
    mean = register.one(reg, "item", "mean", item="rel")
    assert mean.estimate == pytest.approx(3.0) and mean.n == 3
    assert register.one(reg, "item", "mean", item="rel", group="A").estimate == pytest.approx(3.25)
    alpha = register.one(reg, "reliability", "cronbach_alpha", item="rel")
    assert alpha.n == 2 and alpha.method == "feldt"


def _response_rows(invited: list[bool], respondents: list[str | None]) -> dict[str, object]:
    """response_rows on a roster p1.. with the given invited flags and post responses by the given ids."""
    participants = pd.DataFrame(
        {
            "participant_id": [f"p{i + 1}" for i in range(len(invited))],
            "group": "A",
            "pair_id": pd.Series([None] * len(invited), dtype="object"),
            "invited": invited,
        }
    )
    survey = pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(len(respondents))],
            "participant_id": pd.Series(respondents, dtype="object"),
            "group": "A",
            "timepoint": "post",
        }
    )
    segments = pd.DataFrame({"source": pd.Series([], dtype="object"), "document_id": [], "participant_id": []})
    meta = {"groups": [{"code": "A", "label": "A"}]}
    rows = describe.response_rows(meta, participants, survey, segments)
    return {r.measure: r for r in rows if r.group == "all"}


def test_response_rate_leaves_out_the_not_invited_and_counts_anonymous_responses() -> None:
    # roster: p1-p4 invited, p5 not; responses by p1, p2, p5 and one anonymous: 4 responses,
    # the rate counts 3 (p1, p2, anonymous) of 4 invited = 75 %
    rows = _response_rows([True, True, True, True, False], ["p1", "p2", "p5", None])
    assert rows["responses"].estimate == 4
    assert rows["counted_responses"].estimate == 3 and rows["uninvited_responses"].estimate == 1
    assert rows["anonymous_responses"].estimate == 1
    rate = rows["response_rate"]
    assert rate.estimate == pytest.approx(75.0) and (rate.n, rate.denominator) == (3, 4)
    assert (rate.ci_low, rate.ci_high) == pytest.approx(wilson(3, 4))


def test_no_response_rate_where_counted_responses_exceed_the_invited() -> None:
    # two invited, three anonymous responses: 3 > 2, no rate; the counts say why
    rows = _response_rows([True, True, False], [None, None, None])
    assert "response_rate" not in rows
    assert rows["counted_responses"].estimate == 3 and rows["invited"].estimate == 2


def test_segments_base_is_hidden_with_its_groups_participant_base(tiny: tuple[dict, pd.DataFrame]) -> None:
    from workforce_eval.register import disclosure

    meta, reg = tiny
    out = disclosure.apply(reg, meta, 3)
    base = out[out["measure"] == "coded_segments"].set_index(["group", "source"])["suppressed"]
    # bases at k = 3: all sources 4 units (shown); group B 1 unit (hidden), so group A's 3 is hidden with it
    # (4 - 1 would give B away); survey 2 units in all (hidden): each segments base is hidden with its base
    assert not base[("all", "all")] and not base[("all", "interview")]
    assert base[("A", "all")] and base[("B", "all")] and base[("all", "survey")]
