"""Disclosure control at the programme level: pooled rows, and what the programme report shows of cohort rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workforce_eval import register
from workforce_eval.analyses import programme
from workforce_eval.register.rows import Row
from workforce_eval.report import programme as pr
from workforce_eval.report.results import ProgrammeResults


def count(measure: str, value: int, group: str, suppressed: bool = False) -> Row:
    return Row("response", measure, value, n=value, group=group, method="count", source="survey", suppressed=suppressed)


def cohort(cid: str, groups: dict[str, int], hidden: set[str], k: int = 5) -> programme.CohortResults:
    rows = [count("responses", sum(groups.values()), "all")]
    rows += [count("responses", v, g, g in hidden) for g, v in groups.items()]
    meta = {
        "cohort_id": cid,
        "cohort": cid,
        "disclosure_threshold": k,
        "groups": [{"code": g, "label": g} for g in groups],
    }
    return programme.CohortResults(cid, meta, register.to_frame(rows), pd.DataFrame())


def pooled(reg: pd.DataFrame, group: str) -> pd.Series:
    return register.one(programme.cohort_rows(reg, programme.POOLED), "response", "responses", group=group)


def test_a_count_hidden_in_one_cohort_is_hidden_in_the_pooled_rows() -> None:
    """B is 3 (<5) in cohort a; pooled B = 3 + 20 = 23 minus b's shown 20 would give it back."""
    cohorts = [cohort("a", {"A": 10, "B": 3}, {"B", "A"}), cohort("b", {"A": 12, "B": 20}, set())]
    reg = programme.programme_register(cohorts)
    assert bool(pooled(reg, "B").suppressed)
    # and then A too (pooled all = A + B is shown): secondary suppression over the pooled rows
    assert bool(pooled(reg, "A").suppressed)
    assert not bool(pooled(reg, "all").suppressed)


def test_a_small_pooled_count_is_hidden_at_the_largest_cohort_threshold() -> None:
    cohorts = [cohort("a", {"A": 20, "B": 2}, {"B", "A"}, k=3), cohort("b", {"A": 12, "B": 5}, set(), k=10)]
    reg = programme.programme_register(cohorts)
    assert programme.programme_threshold(cohorts) == 10
    assert bool(pooled(reg, "B").suppressed)  # 7 < 10
    assert programme.programme_json("P", cohorts)["disclosure_threshold"] == 10


def test_programme_report_shows_no_suppressed_share_or_count() -> None:
    """The issue's "4 of 9": a theme percentage hidden in its cohort was printed in full by the programme report."""
    stats = register.to_frame(
        [
            Row(
                "theme",
                "pct_participants",
                44.4,
                item="t1",
                n=4,
                denominator=9,
                group="all",
                source="all",
                method="wilson",
                suppressed=True,
            ),
            Row(
                "response",
                "response_rate",
                44.4,
                n=4,
                denominator=9,
                group="all",
                source="survey",
                method="wilson",
                suppressed=True,
            ),
            Row(
                "pre_post",
                "retention",
                40.0,
                n=4,
                denominator=10,
                group="all",
                source="survey",
                method="wilson",
                suppressed=True,
            ),
        ]
    )
    stats["cohort"] = "a"
    meta = {
        "cohorts": [{"cohort_id": "a", "cohort": "2021"}],
        "disclosure_threshold": 5,
        "codebook": [{"id": "t1", "label": "Theme", "subthemes": []}],
    }
    res = ProgrammeResults(stats, meta, Path("figures"))
    shown = pr.themes_table(res).to_string() + pr.response_table(res).to_string()
    assert "4 of 9" not in shown and "44" not in shown and "40.0" not in shown
    assert "[c]" in pr.themes_table(res).iloc[0, 1]


def theme_cohort(cid: str, units: int, base: int, hidden: bool, k: int = 5) -> programme.CohortResults:
    """A cohort with one theme (survey source) for all respondents."""
    rows = [
        Row("theme", "participants", units, n=units, item="t", source="survey", method="count", suppressed=hidden),
        Row(
            "theme",
            "pct_participants",
            100.0 * units / base,
            n=units,
            denominator=base,
            item="t",
            source="survey",
            method="wilson",
            suppressed=hidden,
        ),
    ]
    meta = {"cohort_id": cid, "cohort": cid, "disclosure_threshold": k, "groups": []}
    return programme.CohortResults(cid, meta, register.to_frame(rows), pd.DataFrame())


def test_pooled_theme_counts_do_not_give_back_a_cohort_count() -> None:
    """Issue 20: "Experience of the programme": Pilot 5, Cohort 2 "<5", Cohort 3 7, all cohorts 16, so
    Cohort 2 = 4. Failed on main: the pooled theme rows were published without disclosure control."""
    cohorts = [theme_cohort("p", 5, 9, False), theme_cohort("c2", 4, 8, True), theme_cohort("c3", 7, 10, False)]
    reg = programme.programme_register(cohorts)
    rows = programme.cohort_rows(reg, programme.POOLED)
    theme = register.select(rows, "theme", "participants", item="t")
    assert len(theme) == 1
    assert bool(theme["suppressed"].iloc[0])
