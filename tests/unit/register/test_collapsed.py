"""Collapsed Likert categories (`item/collapsed_pct`) under disclosure control, on hand-worked tables.

Each case is also checked by brute force, independently of the module's linear algebra: every pair of
answer distributions (group A, group B) consistent with the published cells (levels, collapsed
categories, answered, % agree; all = A + B) is enumerated, and every count from 1 to k-1 must be able
to take more than one value.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from workforce_eval.analyses.describe import item_rows
from workforce_eval.register import disclosure, measures
from workforce_eval.register.rows import to_frame

LEVELS = ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]
META = {
    "groups": [{"code": "A", "label": "A"}, {"code": "B", "label": "B"}],
    "combined_groups": [],
    "items": [{"id": "q", "text": "Q?", "type": "likert", "levels": LEVELS, "reverse": False}],
    "codebook": [],
    "disclosure_threshold": 3,
}
K = 3


def register_of(a: list[int], b: list[int]) -> pd.DataFrame:
    """The item rows of one likert item whose answers (codes 1..5) in groups A and B have these counts."""
    codes = [c for counts in (a, b) for c, n in enumerate(counts, start=1) for _ in range(n)]
    groups = ["A"] * sum(a) + ["B"] * sum(b)
    survey = pd.DataFrame({"group": groups, "timepoint": "post", "q": np.array(codes, dtype="float64")})
    return disclosure.apply(to_frame(item_rows(META, survey)), META)


def shown(reg: pd.DataFrame, measure: str, group: str) -> dict[str, int]:
    rows = reg[(reg["measure"] == measure) & (reg["group"] == group) & ~reg["suppressed"]]
    return {str(lv): int(n) for lv, n in zip(rows["level"], rows["n"], strict=True)}


def _published(reg: pd.DataFrame) -> dict[tuple[str, ...], int]:
    out = {}
    for _, r in reg[~reg["suppressed"]].iterrows():
        if r["measure"] in (measures.LEVEL_PCT, measures.COLLAPSED_PCT):
            out[(r["measure"], str(r["level"]), r["group"])] = int(r["n"])
        if r["measure"] in (measures.LEVEL_PCT, measures.COLLAPSED_PCT, measures.PCT_AGREE, "median"):
            out[("answered", "", r["group"])] = int(r["denominator"] if r["measure"] != "median" else r["n"])
        if r["measure"] == measures.PCT_AGREE:
            out[("agree", "", r["group"])] = int(r["n"])
    return out


def _cells(counts: tuple[int, ...], group: str) -> dict[tuple[str, ...], int]:
    cells = {(measures.LEVEL_PCT, lv, group): n for lv, n in zip(LEVELS, counts, strict=True)}
    cells[(measures.COLLAPSED_PCT, "disagree", group)] = counts[0] + counts[1]
    cells[(measures.COLLAPSED_PCT, "neutral", group)] = counts[2]
    cells[(measures.COLLAPSED_PCT, "agree", group)] = counts[3] + counts[4]
    cells[("answered", "", group)] = sum(counts)
    cells[("agree", "", group)] = counts[3] + counts[4]
    return cells


def _fits(cells: dict[tuple[str, ...], int], published: dict[tuple[str, ...], int]) -> bool:
    return all(published[c] == v for c, v in cells.items() if c in published)


def _tables(total: int, group: str, published: dict[tuple[str, ...], int]) -> list[tuple[int, ...]]:
    found = []
    for cut in itertools.combinations(range(total + 4), 4):  # stars and bars: 5 counts adding to total
        counts = tuple(b - a - 1 for a, b in zip((-1, *cut), (*cut, total + 4), strict=True))
        if _fits(_cells(counts, group), published):
            found.append(counts)
    return found


def assert_small_counts_protected(reg: pd.DataFrame, a: list[int], b: list[int]) -> None:
    published = _published(reg)
    values: dict[tuple[str, ...], set[int]] = {}
    for ta in _tables(sum(a), "A", published):
        for tb in _tables(sum(b), "B", published):
            both = {**_cells(ta, "A"), **_cells(tb, "B"), **_cells(tuple(x + y for x, y in zip(ta, tb)), "all")}
            if _fits(both, published):
                for cell, v in both.items():
                    values.setdefault(cell, set()).add(v)
    truth = {**_cells(tuple(a), "A"), **_cells(tuple(b), "B"), **_cells(tuple(x + y for x, y in zip(a, b)), "all")}
    for cell, v in truth.items():
        if 0 < v < K:
            assert len(values[cell]) > 1, f"{cell} = {v} follows from the published cells"


def test_one_small_level_collapses_the_distribution_and_keeps_all_three_categories() -> None:
    # A: 1 4 5 6 4 (20), B: 0 3 6 5 6 (20), all: 1 7 11 11 10 (40), k = 3. A's "Strongly disagree" (1) and
    # so all's (1) are hidden and both distributions with them; B's is shown in full. Collapsed, A is
    # disagree 5 / neutral 5 / agree 10 and all 8 / 11 / 21: none small, and A's 1 stays unknown (its
    # disagree 5 = 1 + 4 could be 0 + 5, ..., 5 + 0), so all three categories are shown.
    a, b = [1, 4, 5, 6, 4], [0, 3, 6, 5, 6]
    reg = register_of(a, b)
    assert shown(reg, measures.LEVEL_PCT, "A") == {} and shown(reg, measures.LEVEL_PCT, "all") == {}
    assert shown(reg, measures.LEVEL_PCT, "B") == dict(zip(LEVELS, b, strict=True))
    assert shown(reg, measures.COLLAPSED_PCT, "A") == {"disagree": 5, "neutral": 5, "agree": 10}
    assert shown(reg, measures.COLLAPSED_PCT, "all") == {"disagree": 8, "neutral": 11, "agree": 21}
    assert shown(reg, measures.COLLAPSED_PCT, "B") == {"disagree": 3, "neutral": 6, "agree": 11}
    assert_small_counts_protected(reg, a, b)


def test_a_small_neutral_hides_only_what_would_reveal_it() -> None:
    # A: 0 5 1 8 6 (20): its neutral (1) is small. Hidden with it: A's disagree (5 = 20 - 1 - 14 would give
    # the 1 back) and, across the groups (all's neutral 7 = A's + B's), B's neutral and disagree (B's
    # neutral = 24 - 7 - 11 otherwise); A's and B's agree sides and all three categories of all stay.
    a, b = [0, 5, 1, 8, 6], [3, 4, 6, 5, 6]
    reg = register_of(a, b)
    assert shown(reg, measures.COLLAPSED_PCT, "A") == {"agree": 14}
    assert shown(reg, measures.COLLAPSED_PCT, "B") == {"agree": 11}
    assert shown(reg, measures.COLLAPSED_PCT, "all") == {"disagree": 12, "neutral": 7, "agree": 25}
    assert_small_counts_protected(reg, a, b)


def test_collapsed_rows_leave_every_other_row_as_before() -> None:
    a, b = [0, 5, 1, 8, 6], [3, 4, 6, 5, 6]
    reg = register_of(a, b)
    others = reg[reg["measure"] != measures.COLLAPSED_PCT]
    again = disclosure.apply(others.assign(suppressed=False), META)
    assert again["suppressed"].tolist() == others["suppressed"].tolist()
