"""Disclosure control of the register: primary and secondary suppression against hand-worked tables.

Secondary suppression is also checked independently of the module's linear algebra: every table
consistent with the published cells is enumerated by brute force, and each hidden cell must be
able to take more than one value.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pytest

from workforce_eval import register
from workforce_eval.figures import cohort as figures
from workforce_eval.figures import style as figure_style
from workforce_eval.inputs import clean
from workforce_eval.inputs.metadata import from_document
from workforce_eval.inputs.validate import load
from workforce_eval.register import disclosure
from workforce_eval.register.notation import display_count
from workforce_eval.register.rows import Row
from workforce_eval.stats.intervals import percent_wilson

GROUPS = [{"code": "SLT", "label": "Senior"}, {"code": "BME", "label": "BME"}, {"code": "both", "label": "Both"}]
COMBINED = [{"code": "bme_any", "label": "BME or both", "groups": ["BME", "both"]}]


def share(analysis: str, measure: str, count: int, total: int, **kw: str) -> Row:
    est = percent_wilson(count, total)
    return Row(
        analysis,
        measure,
        est.estimate,
        n=count,
        denominator=total,
        ci_low=est.ci_low,
        ci_high=est.ci_high,
        method="wilson",
        **kw,
    )


def responses_register(counts: dict[str, int]) -> pd.DataFrame:
    """responses and composition rows for the given group counts (all = their sum), with bme_any = BME + both."""
    total = sum(counts.values())
    rows = [Row("response", "responses", total, n=total, source="survey", method="count")]
    rows += [Row("response", "responses", c, n=c, group=g, source="survey", method="count") for g, c in counts.items()]
    rows += [share("composition", "share", c, total, group=g, source="survey") for g, c in counts.items()]
    rows.append(share("composition", "share", counts["BME"] + counts["both"], total, group="bme_any", source="survey"))
    return register.to_frame(rows)


def hidden_groups(reg: pd.DataFrame, measure: str = "share") -> set[str]:
    rows = register.select(reg, "composition" if measure == "share" else "response", measure)
    return set(rows.loc[rows["suppressed"], "group"])


META = {"groups": GROUPS, "combined_groups": COMBINED, "items": [], "codebook": []}


def test_plp_composition_at_5_hides_both_then_slt_and_the_combined_group() -> None:
    # 26 = 9 + 14 + 3. "both" (3 < 5) is hidden; from 26 - 9 - 14 it would come back, so the next-smallest
    # group (SLT, 9) is hidden too; and from bme_any 17 - BME 14 it would come back, so bme_any is hidden.
    out = disclosure.apply(responses_register({"SLT": 9, "BME": 14, "both": 3}), {**META, "disclosure_threshold": 5})
    assert hidden_groups(out) == {"SLT", "both", "bme_any"}
    assert hidden_groups(out, "responses") == {"SLT", "both"}
    # numbers stay unrounded in the register; only the flag changes
    assert out["estimate"].tolist() == responses_register({"SLT": 9, "BME": 14, "both": 3})["estimate"].tolist()


def test_plp_composition_at_3_hides_nothing() -> None:
    out = disclosure.apply(responses_register({"SLT": 9, "BME": 14, "both": 3}), {**META, "disclosure_threshold": 3})
    assert not out["suppressed"].any()


def test_zero_is_not_suppressed_and_needs_no_partner() -> None:
    out = disclosure.apply(responses_register({"SLT": 9, "BME": 14, "both": 0}), {**META, "disclosure_threshold": 5})
    assert not out["suppressed"].any()


def test_small_total_hides_everything_it_is_part_of() -> None:
    out = disclosure.apply(responses_register({"SLT": 2, "BME": 1, "both": 1}), {**META, "disclosure_threshold": 5})
    assert out["suppressed"].all()


def test_threshold_comes_from_cohort_json_and_defaults_to_5() -> None:
    reg = responses_register({"SLT": 9, "BME": 14, "both": 4})
    assert hidden_groups(disclosure.apply(reg, META)) == {"SLT", "both", "bme_any"}  # default 5
    assert not disclosure.apply(reg, {**META, "disclosure_threshold": 4})["suppressed"].any()


# --------------------------------------------------------------------------- items: a two-way table


YESNO = {"id": "rec", "type": "yesno", "levels": ["No", "Yes"]}


def yesno_register(table: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """level_pct and pct_yes rows of one yes/no item; `table` maps group -> (No, Yes); `all` is the sum."""
    table = {"all": tuple(map(sum, zip(*table.values(), strict=True))), **table}
    rows = []
    for g, (no, yes) in table.items():
        rows.append(share("item", "pct_yes", yes, no + yes, item="rec", group=g, source="survey"))
    for g, (no, yes) in table.items():
        for level, count in (("No", no), ("Yes", yes)):
            rows.append(share("item", "level_pct", count, no + yes, item="rec", group=g, source="survey", level=level))
    return register.to_frame(rows)


def published(reg: pd.DataFrame) -> tuple[dict[tuple[str, str], int], set[tuple[str, str]]]:
    """(level cells shown, level cells hidden) of a yes/no register, as (group, level) -> count."""
    levels = register.select(reg, "item", "level_pct")
    shown = {(r.group, r.level): int(r.n) for r in levels.itertuples() if not r.suppressed}
    hidden = {(r.group, r.level) for r in levels.itertuples() if r.suppressed}
    answered = {r.group: int(r.denominator) for r in levels.itertuples() if not r.suppressed}
    shown |= {(g, "answered"): n for g, n in answered.items()}  # type: ignore[misc]
    return shown, hidden


def recoverable(shown: dict, hidden: set, groups: list[str], bound: int) -> set[tuple[str, str]]:
    """Hidden cells that take one value only in every table consistent with what is shown (brute force)."""
    cells = sorted(hidden)
    values: dict[tuple[str, str], set[int]] = {c: set() for c in cells}
    for combo in itertools.product(range(bound + 1), repeat=len(cells)):
        t = {**shown, **dict(zip(cells, combo, strict=True))}
        ok = True
        for g in ["all", *groups]:
            if (g, "answered") in t and t[(g, "No")] + t[(g, "Yes")] != t[(g, "answered")]:
                ok = False
        for level in ("No", "Yes"):
            if t[("all", level)] != sum(t[(g, level)] for g in groups):
                ok = False
        if ok:
            for c, v in zip(cells, combo, strict=True):
                values[c].add(v)
    return {c for c, v in values.items() if len(v) == 1}


def test_two_by_two_table_hides_a_rectangle_and_nothing_can_be_recovered() -> None:
    # A: 1 No (primary), 10 Yes; B: 6 No, 8 Yes. Hiding A-No alone leaves it as 11 - 10 (its row) or
    # 7 - 6 (its column); the cheapest protection is the rectangle A-No, A-Yes, B-No, B-Yes.
    reg = yesno_register({"A": (1, 10), "B": (6, 8)})
    meta = {"groups": [{"code": "A"}, {"code": "B"}], "items": [YESNO], "disclosure_threshold": 5}
    out = disclosure.apply(reg, meta)
    shown, hidden = published(out)
    assert hidden == {("A", "No"), ("A", "Yes"), ("B", "No"), ("B", "Yes")}
    assert recoverable(shown, hidden, ["A", "B"], bound=14) == set()
    pct_yes = register.select(out, "item", "pct_yes").set_index("group")["suppressed"].to_dict()
    assert pct_yes == {"all": False, "A": True, "B": True}


def test_without_secondary_suppression_the_brute_force_check_does_find_the_cell() -> None:
    reg = yesno_register({"A": (1, 10), "B": (6, 8)})
    levels = register.select(reg, "item", "level_pct")
    only_primary = reg.copy()
    only_primary.loc[levels.index[(levels["group"] == "A") & (levels["level"] == "No")], "suppressed"] = True
    shown, hidden = published(only_primary)
    assert recoverable(shown, hidden, ["A", "B"], bound=14) == {("A", "No")}


@pytest.mark.parametrize(
    "table",
    [
        {"A": (1, 10), "B": (6, 8), "C": (5, 9)},
        {"A": (2, 2), "B": (0, 9), "C": (7, 1)},
        {"A": (0, 6), "B": (3, 0), "C": (6, 6)},
    ],
)
def test_three_groups_nothing_hidden_can_be_recovered(table: dict[str, tuple[int, int]]) -> None:
    reg = yesno_register(table)
    meta = {"groups": [{"code": g} for g in table], "items": [YESNO], "disclosure_threshold": 5}
    out = disclosure.apply(reg, meta)
    shown, hidden = published(out)
    smallest = {(g, lv) for g, (no, yes) in table.items() for lv, c in (("No", no), ("Yes", yes)) if 0 < c < 5}
    assert smallest <= hidden  # every primary cell is hidden
    assert recoverable(shown, hidden, list(table), bound=max(sum(v) for v in table.values())) == set()


# --------------------------------------------------------------------------- rows and displays


def test_unmapped_rows_fall_back_to_their_own_n() -> None:
    rows = [
        Row("pre_post", "mean_change", 0.4, item="x", n=4, method="wilcoxon"),
        Row("pre_post", "mean_change", 0.2, item="y", n=12, method="wilcoxon"),
        Row("model", "coefficient", 1.3, item="m:x", n=0, method="ols"),
    ]
    out = disclosure.apply(register.to_frame(rows), {"groups": [], "disclosure_threshold": 5})
    assert out["suppressed"].tolist() == [True, False, False]


def test_display_shows_every_hidden_count_concealed() -> None:
    """ "<5" told the reader a hidden count was 1 to 4: with a published total of 8, two interview counts "<5"
    were both 4 (lothian-3). Every hidden count is "[c]" now, small or not."""
    meta = {"disclosure_threshold": 5}
    assert display_count({"n": 3.0, "estimate": 3.0, "suppressed": True}, meta) == "[c]"
    assert display_count({"n": 9.0, "estimate": 9.0, "suppressed": True}, meta) == "[c]"
    assert display_count({"n": 0.0, "estimate": 0.0, "suppressed": True}, meta) == "[c]"
    assert display_count({"n": 9.0, "estimate": 9.0, "suppressed": False}, meta) == "9"


def test_cohort_json_carries_the_effective_threshold(tiny_cohort: Path) -> None:
    cc = load(tiny_cohort, "tiny")
    meta = clean.metadata(cc, default_threshold=7)
    assert (meta["disclosure_threshold"], meta["disclosure_threshold_source"]) == (7, "config")
    text = (tiny_cohort / "cohort.yaml").read_text()
    (tiny_cohort / "cohort.yaml").write_text(text + "disclosure_threshold: 2\n")
    meta = clean.metadata(load(tiny_cohort, "tiny"), default_threshold=7)
    assert (meta["disclosure_threshold"], meta["disclosure_threshold_source"]) == (2, "cohort.yaml")
    assert meta["disclosure_threshold_default"] == 7


def test_a_hidden_group_total_hides_that_groups_item_results() -> None:
    reg = register.concat(
        [
            responses_register({"SLT": 9, "BME": 14, "both": 3}),
            yesno_register({"SLT": (0, 9), "BME": (3, 11), "both": (0, 3)}),
        ]
    )
    out = disclosure.apply(reg, {**META, "items": [YESNO], "disclosure_threshold": 5})
    pct_yes = register.select(out, "item", "pct_yes").set_index("group")["suppressed"].to_dict()
    # both (3) and SLT (9, hidden to protect both) lose their item results; BME's 3 "No" hides BME too
    assert pct_yes["both"] and pct_yes["SLT"]
    assert all(out.loc[(out["analysis"] == "item") & (out["group"] == "both"), "suppressed"])


def test_likert_figure_draws_no_partial_distribution(tiny_cohort: Path) -> None:
    levels = ["SD", "D", "N", "A", "SA"]
    item = {"id": "q", "text": "Q", "type": "likert", "levels": levels, "reverse": False}
    counts = {"all": [0, 1, 2, 6, 6], "A": [0, 1, 2, 6, 6]}
    rows = []
    for g, cs in counts.items():
        rows.append(share("item", "pct_agree", cs[3] + cs[4], sum(cs), item="q", group=g, source="survey"))
        rows.append(Row("item", "median", 4.0, item="q", group=g, source="survey", n=sum(cs), method="median"))
        rows += [
            share("item", "level_pct", c, sum(cs), item="q", group=g, source="survey", level=lv)
            for lv, c in zip(levels, cs, strict=True)
        ]
        for cat, c in (("disagree", cs[0] + cs[1]), ("neutral", cs[2]), ("agree", cs[3] + cs[4])):
            rows.append(share("item", "collapsed_pct", c, sum(cs), item="q", group=g, source="survey", level=cat))
    meta = {"groups": [{"code": "A", "label": "Group A"}], "items": [item], "disclosure_threshold": 3, "codebook": []}
    out = disclosure.apply(register.to_frame(rows), meta)
    levels_shown = register.select(out, "item", "level_pct")
    assert levels_shown.loc[levels_shown["n"] > 0, "suppressed"].all()  # the whole distribution, not just 1 and 2
    assert not register.one(out, "item", "pct_agree", item="q").suppressed
    figure_style.configure_matplotlib()
    # collapsed: disagree 1 and neutral 2 are small and hidden, agree 12 of 15 is shown, hatched
    ax = figures.likert_figure(out, from_document(meta)).axes[0]
    hatched = [p for p in ax.patches if p.get_hatch() and p.get_width() != 0]
    solid = [p for p in ax.patches if not p.get_hatch() and p.get_width() != 0]
    assert not solid
    assert [round(p.get_width(), 6) for p in hatched] == [round(100 * 12 / 15, 6)] * 2  # all, then group A
    texts = [t.get_text() for t in ax.texts]
    assert "80%" in texts and "lower [c], middle [c]" in texts  # the hidden shares, named left of the bar (not an
    # agreement scale by its levels: lower / middle / upper)
