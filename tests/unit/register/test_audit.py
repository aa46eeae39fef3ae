"""The disclosure audit (register/audit.py) and the secondary suppression it drives (register/disclosure.py).

Each leak of issue 20 is a small register built by hand: on main's disclosure control the published rows pin
a hidden count (the first assertion of each test failed there); now disclosure control hides one more count
and the audit finds every hidden count from 1 to k-1 with at least two feasible values.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from workforce_eval import register
from workforce_eval.register import audit, disclosure
from workforce_eval.register.rows import Row
from workforce_eval.stats.intervals import percent_wilson

TWO = [{"code": "g1", "label": "One"}, {"code": "g2", "label": "Two"}]


def share(analysis: str, measure: str, count: int, total: int, **kw: Any) -> Row:
    est = percent_wilson(count, total)
    return Row(analysis, measure, est.estimate, n=count, denominator=total, method="wilson", **kw)


def count(analysis: str, measure: str, value: int, **kw: Any) -> Row:
    return Row(analysis, measure, value, n=value, method="count", **kw)


def audited(reg: pd.DataFrame, meta: dict[str, Any], k: int = 5) -> list[audit.Result]:
    """The audit of one register as published (its `suppressed` flags)."""
    problem = audit.build([audit.Table("statistics.csv", "c", reg, meta, k)])
    return audit.classify(problem, audit.solve(problem))


def pinned(results: list[audit.Result]) -> set[str]:
    return {r.key for r in audit.failures(results)}


def row_hidden(reg: pd.DataFrame, analysis: str, measure: str, **where: str) -> bool:
    rows = register.select(reg, analysis, measure, **where)
    assert len(rows) == 1, where
    return bool(rows["suppressed"].iloc[0])


# -- themes over sources -------------------------------------------------------------------------------------
def themes_register(survey: int, interview: int, survey_base: int = 8, interview_base: int = 12) -> pd.DataFrame:
    """Theme t in group g1 (g2 large): participants by source and all sources (disjoint sources)."""
    rows: list[Row] = []
    for group, (s, i, sb, ib) in {
        "g1": (survey, interview, survey_base, interview_base),
        "g2": (9, 11, 12, 14),
    }.items():
        for source, units, base in (("survey", s, sb), ("interview", i, ib), ("all", s + i, sb + ib)):
            rows.append(count("theme", "participants", units, item="t", group=group, source=source))
            rows.append(share("theme", "pct_participants", units, base, item="t", group=group, source=source))
    return register.to_frame(rows)


def test_themes_all_sources_minus_interviews_is_pinned_without_the_audit() -> None:
    reg = themes_register(survey=4, interview=10)  # leeds-2022 Nursing: 14 - 10 = 4
    meta = {"groups": TWO}
    flagged = reg.assign(suppressed=reg["item"].eq("t") & reg["group"].eq("g1") & reg["source"].eq("survey"))
    assert "units(t, g1, survey)" in pinned(audited(flagged, meta))


def test_themes_by_source_hide_one_more_count() -> None:
    for survey, interview in ((4, 10), (1, 3)):  # leeds-2022 Nursing 14 - 10; plp-2021 Executives 4 - 3
        reg = disclosure.apply(themes_register(survey, interview, 6, 8), {"groups": TWO, "disclosure_threshold": 5})
        assert row_hidden(reg, "theme", "participants", item="t", group="g1", source="survey")
        assert row_hidden(reg, "theme", "participants", item="t", group="g1", source="all") or row_hidden(
            reg, "theme", "participants", item="t", group="g1", source="interview"
        )
        assert not pinned(audited(reg, {"groups": TWO}))


# -- matrix coding with its bases -----------------------------------------------------------------------------
def matrix_register() -> pd.DataFrame:
    """After leeds-2022 "Themes by pay_band": 11, 12, 9, 6 of 6, 4 of 4, 12 against an interview total of 54."""
    values = {"B5": (11, 14), "B6": (12, 15), "B7": (6, 6), "B8a": (4, 4), "B8b": (9, 12), "B9": (12, 13)}
    total, base = sum(v[0] for v in values.values()), sum(v[1] for v in values.values())
    rows = [
        count("theme", "participants", total, item="t", group="all", source="interview"),
        share("theme", "pct_participants", total, base, item="t", group="all", source="interview"),
    ]
    for value, (units, vbase) in values.items():
        cell = {"item": "t", "group": "all", "source": "all", "level": "interview", "subgroup": f"pay_band={value}"}
        rows.append(share("matrix", "pct_participants", units, vbase, **cell))
        # another theme every value's participants have, so the values' bases are published
        rows.append(share("matrix", "pct_participants", vbase, vbase, **(cell | {"item": "u"})))
    base_row = share("theme", "pct_participants", base, base, item="u", group="all", source="interview")
    return register.to_frame([*rows, base_row])


def test_matrix_bases_bound_the_hidden_values() -> None:
    reg = matrix_register()
    hide = reg["subgroup"].isin(["pay_band=B7", "pay_band=B8a"]) & reg["item"].eq(
        "t"
    )  # their sum 10 shown: B8a >= 10 - 6 (B7's base) and <= 4 (its own base): pinned by the bases
    assert "matrix(t, pay_band=B8a, all, interview)" in pinned(audited(reg.assign(suppressed=hide), {"groups": []}))
    out = disclosure.apply(reg, {"groups": [], "disclosure_threshold": 5})
    assert int(out["suppressed"].sum()) >= 3
    assert not pinned(audited(out, {"groups": []}))


# -- answer levels pinned by the answered n, and medians ----------------------------------------------------
LIKERT = {
    "id": "q",
    "type": "likert",
    "levels": ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"],
    "reverse": False,
}


def likert_register(levels: list[int], median: float) -> pd.DataFrame:
    n = sum(levels)
    rows = [
        share("item", "level_pct", c, n, item="q", group="all", source="survey", level=lv)
        for lv, c in zip(LIKERT["levels"], levels, strict=True)
    ]
    rows.append(share("item", "pct_agree", levels[3] + levels[4], n, item="q", group="all", source="survey"))
    rows.append(Row("item", "median", median, item="q", group="all", source="survey", n=n, method="median"))
    return register.to_frame(rows)


def test_levels_bounded_by_the_answered_n_are_pinned() -> None:
    reg = likert_register([0, 0, 2, 1, 1], 3.0)
    meta = {"groups": [], "items": [LIKERT]}
    # Neither (2) hidden alone beside its published levels and the answered n (4): 4 - 0 - 0 - 1 - 1
    hide = reg["measure"].eq("level_pct") & reg["level"].eq("Neither")
    assert "level(q, Neither, all)" in pinned(audited(reg.assign(suppressed=hide), meta, k=3))


def test_a_median_over_hidden_counts_is_hidden() -> None:
    reg = likert_register([0, 1, 0, 1, 1], 4.0)  # % agree 2 of 3 "<3" (k = 3), median Agree shown on main
    meta = {"groups": [], "items": [LIKERT], "disclosure_threshold": 3}
    out = disclosure.apply(reg, meta)
    assert row_hidden(out, "item", "pct_agree", item="q")
    assert row_hidden(out, "item", "median", item="q")
    assert not pinned(audited(out, meta, k=3))


def test_a_published_median_bounds_the_levels() -> None:
    reg = likert_register([0, 0, 2, 1, 0], 3.0)
    meta = {"groups": [], "items": [LIKERT]}
    hide = reg["measure"].isin(["level_pct", "pct_agree"])  # only the answered n (3) and the median shown
    results = {r.key: r for r in audited(reg.assign(suppressed=hide), meta, k=5)}
    # median Neither of 3: at least 2 answers at or below Neither, at most 1 below it
    assert results["level(q, Neither, all)"].lo == pytest.approx(1.0)
    assert results["agree(q, all)"].hi == pytest.approx(1.0)


# -- the protection rule --------------------------------------------------------------------------------------
def test_rule() -> None:
    assert audit.protected(7.0, 7.0, 7.0, 5)  # not small: nothing to protect
    assert not audit.protected(2.0, 1.0, 4.0, 5)  # 1 to 4: the reader knows it is small
    assert audit.protected(2.0, 0.0, 4.0, 5)  # could be empty
    assert audit.protected(2.0, 1.0, 5.0, 5)  # could be safe
    assert not audit.protected(4.0, 4.0, 4.0, 5)


def test_a_planted_leak_fails_the_audit() -> None:
    reg = disclosure.apply(themes_register(4, 10), {"groups": TWO, "disclosure_threshold": 5})
    assert not pinned(audited(reg, {"groups": TWO}))
    hidden = reg.index[reg["suppressed"] & reg["measure"].eq("participants") & reg["n"].ge(5)]
    assert len(hidden)
    for index in hidden:  # publish one hidden count back: some hidden count is pinned again
        back = reg.copy()
        back.loc[index, "suppressed"] = False
        back.loc[
            (back["item"] == back.loc[index, "item"])
            & (back["group"] == back.loc[index, "group"])
            & (back["source"] == back.loc[index, "source"]),
            "suppressed",
        ] = False
        assert pinned(audited(back, {"groups": TWO})), index


def test_counts_the_old_markers_pinned_are_protected_now() -> None:
    """Two parts shown "<3" under a published total of 2 (2 = 1 + 1): the "<k" markers alone pinned both parts
    whatever else was hidden (175 such counts in the bundled run; lothian-3's two interview counts "<5" under
    8). Shown "[c]", each part is 0 to 2: nothing to repair, nothing pinned."""
    total, a, b, base = (("c", ("units", n, "g", "s")) for n in ("t", "a", "b", "base"))

    def make(hidden: set[audit.Var]) -> audit.Problem:
        values = {total: 2.0, a: 1.0, b: 1.0, base: 10.0}
        return audit.Problem(
            true=dict(values),
            published={v: x for v, x in values.items() if v not in hidden},
            stated={total, a, b},
            k={"c": 3},
            table=dict.fromkeys(values, "statistics.csv"),
            eq=[({total: 1.0, a: -1.0, b: -1.0}, 0.0)],
            le=[({a: 1.0, base: -1.0}, 0.0)],
        )

    markers: set[audit.Var] = set()
    hidden = audit.repair(make, {a, b}, lambda v: (1,) if v == base else None, markers)
    assert hidden == {a, b} and markers == set()
    results = {r.var: r for r in audit.solve(make(hidden))}
    assert (results[a].lo, results[a].hi) == (0.0, 2.0) and results[a].passed
