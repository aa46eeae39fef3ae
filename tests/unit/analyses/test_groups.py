"""The small-group rule (`analyses.groups`): groups below the minimum base are taken out of the register and
presented nowhere; the report says which and why, once."""

from __future__ import annotations

import pandas as pd

from workforce_eval import register
from workforce_eval.analyses import groups
from workforce_eval.figures import cohort as figures
from workforce_eval.inputs.metadata import from_document
from workforce_eval.register import Row
from workforce_eval.register.measures import (
    ATTRIBUTE_WITHHELD,
    GROUP_WITHHELD,
    ITEM,
    LEVEL_PCT,
    MATRIX,
    PARTICIPANTS,
    PCT_AGREE,
    RESPONSE,
    RESPONSES,
    SEGMENTS,
)

LEVELS = ["Disagree", "Neither", "Agree"]
META = {
    "cohort_id": "pilot",
    "design": "post_only",
    "disclosure_threshold": 5,
    "groups": [{"code": "doctors", "label": "Doctors"}, {"code": "managers", "label": "Managers"}],
    "items": [{"id": "q1", "type": "likert", "text": "I can lead", "levels": LEVELS}],
}
LOTHIAN = {"doctors": 5, "managers": 6}  # lothian-pilot's groups: 11 responses


def _register(counts: dict[str, int]) -> pd.DataFrame:
    total = sum(counts.values())
    rows = [Row(RESPONSE, RESPONSES, total, n=total, source="survey", rule="analyses", inputs_sha256="d")]
    for g, c in counts.items():
        rows.append(Row(RESPONSE, RESPONSES, c, n=c, group=g, source="survey", rule="analyses", inputs_sha256="d"))
    for g, c in {"all": total, **counts}.items():
        agree = c - 2
        rows.append(Row(ITEM, PCT_AGREE, 100 * agree / c, item="q1", group=g, n=agree, denominator=c, rule="analyses"))
        for level, n in zip(LEVELS, (1, 1, agree), strict=True):
            rows.append(
                Row(ITEM, LEVEL_PCT, 100 * n / c, item="q1", group=g, level=level, n=n, denominator=c, rule="analyses")
            )
    return register.to_frame(rows)


def test_minimum_base_is_cohort_then_config_then_twice_k() -> None:
    assert groups.minimum_group_base(META) == 10
    assert groups.minimum_group_base(META, 7) == 7
    assert groups.minimum_group_base({**META, "minimum_group_base": 4}, 7) == 4
    assert groups.minimum_group_base({"disclosure_threshold": 3}) == 6


def test_groups_below_the_base_leave_the_register_and_a_flag_row_says_so() -> None:
    reg = _register({"doctors": 5, "managers": 12})
    out = groups.withhold(reg, META, 10)
    doctors = out[out["group"] == "doctors"]
    assert list(zip(doctors["analysis"], doctors["measure"], doctors["estimate"])) == [(RESPONSE, GROUP_WITHHELD, 10.0)]
    assert doctors.iloc[0]["method"] == groups.METHOD and doctors.iloc[0]["rule"] == "analyses"
    # the other group and every all-respondents row are untouched
    kept = reg[reg["group"] != "doctors"].reset_index(drop=True)
    pd.testing.assert_frame_equal(out[out["group"] != "doctors"].reset_index(drop=True), kept)
    assert groups.withheld(out) == ["doctors"]
    assert groups.shown_groups(["doctors", "managers"], out) == ["managers"]
    # nothing below the base: the register is returned as it is
    assert groups.withhold(reg, META, 5) is reg


def test_a_combined_group_with_a_withheld_member_is_withheld_too() -> None:
    meta = {**META, "combined_groups": [{"code": "any", "label": "Any", "groups": ["doctors", "managers"]}]}
    reg = _register({"doctors": 5, "managers": 12})
    extra = register.to_frame([Row(RESPONSE, RESPONSES, 17, n=17, group="any", source="survey")])
    assert groups.small_groups(register.concat([reg, extra]), meta, 10) == ["doctors", "any"]
    # a combined group's base is its members': none withheld, nor is it (no responses row of its own needed)
    assert groups.small_groups(reg, meta, 5) == []
    assert groups.small_groups(_register({"doctors": 2, "managers": 2}), meta, 5) == ["doctors", "managers", "any"]


def test_lothian_pilot_groups_are_named_once_in_words_and_get_no_panel() -> None:
    reg = groups.withhold(_register(LOTHIAN), META, 10)
    doc = groups.presented(META, reg)
    assert doc["groups"] == [] and doc[groups.WITHHELD_KEY] == [
        {"code": "doctors", "label": "Doctors"},
        {"code": "managers", "label": "Managers"},
    ]
    sentence = groups.withheld_sentence(doc, reg)
    assert sentence.startswith(
        "Doctors and Managers each have fewer than 10 responses (the minimum group base, twice the disclosure "
        "threshold), so they are not shown as a separate group anywhere"
    )
    assert "included in every all-respondents figure" in sentence
    pages = figures.likert_figures(reg, from_document(META))
    assert len(pages) == 1
    labels = {t.get_text() for ax in pages[0].axes for t in ax.get_yticklabels()}
    assert labels == {"All respondents"}  # no bar for a withheld group
    # before the rule (main's register): a bar per group, each with only hidden answers
    before = figures.likert_figures(_register(LOTHIAN), from_document(META))
    assert [t.get_text() for t in before[0].axes[0].get_yticklabels()][:3] == ["All respondents", "Doctors", "Managers"]


def test_charts_planned_from_every_group_keep_their_number() -> None:
    """The workflow plans the Likert files from cohort.yaml's groups; withholding a group drops its bars, never a
    planned chart (the charts' items are planned from the groups declared)."""
    reg = groups.withhold(_register(LOTHIAN), META, 10)
    planned = figures.likert_pages(from_document(META))
    assert len(figures.likert_figures(reg, from_document(META))) == len(planned)


def test_a_programme_breaks_out_a_group_only_where_every_cohort_does() -> None:
    """On main, the pooled doctors of the Paired Learning programme summed only the cohorts that still had the
    group (lothian-3's 10 linked as if all cohorts'), once lothian-pilot and lothian-2 withheld it."""
    from workforce_eval.analyses import programme

    small = groups.withhold(_register(LOTHIAN), META, 10)
    large = groups.withhold(_register({"doctors": 11, "managers": 12}), META, 10)
    empty = pd.DataFrame()
    cohorts = [
        programme.CohortResults("pilot", META, small, empty),
        programme.CohortResults("three", META, large, empty),
    ]
    assert programme._groups(cohorts) == []
    assert programme._groups(cohorts[1:]) == [
        {"code": "doctors", "label": "Doctors"},
        {"code": "managers", "label": "Managers"},
    ]


def test_programme_theme_sums_leave_out_a_group_some_cohort_withholds() -> None:
    from workforce_eval.analyses import programme
    from workforce_eval.register.measures import PARTICIPANTS, THEME

    def themed(counts: dict[str, int]) -> pd.DataFrame:
        extra = [Row(THEME, PARTICIPANTS, v, item="t1", group=g, source="all", n=v) for g, v in counts.items()]
        return register.concat([groups.withhold(_register(counts), META, 10), register.to_frame(extra)])

    small, large = themed(LOTHIAN), themed({"doctors": 11, "managers": 12})
    empty = pd.DataFrame()
    rows = programme.theme_rows(
        [programme.CohortResults("pilot", META, small, empty), programme.CohortResults("three", META, large, empty)]
    )
    assert {(r.group, r.estimate) for r in rows} == set()  # `_register` has no `all` theme row; no group row
    rows = programme.theme_rows([programme.CohortResults("three", META, large, empty)])
    assert {(r.group, r.estimate) for r in rows} == {("doctors", 11.0), ("managers", 12.0)}


def _matrix(bases: dict[str, int]) -> pd.DataFrame:
    rows = [Row(RESPONSE, RESPONSES, 12, n=12, source="survey", rule="analyses", inputs_sha256="d")]
    for value, base in bases.items():
        for node in ("t1", "t2"):
            n = min(base, 1)
            rows.append(Row(MATRIX, PARTICIPANTS, n, item=node, subgroup=value, n=n, denominator=base, rule="analyses"))
            rows.append(Row(MATRIX, SEGMENTS, 2 * n, item=node, subgroup=value, n=2 * n, rule="analyses"))
    return register.to_frame(rows)


def test_a_matrix_attribute_with_a_value_below_the_base_leaves_the_register_whole() -> None:
    # pay band 5 has 2 participants with coded data, below a base of 3: every pay-band row goes (one left
    # would be the theme total minus the others); directorate's values (3 and 9) stay
    reg = _matrix({"pay_band=5": 2, "pay_band=6": 10, "directorate=A": 3, "directorate=B": 9})
    assert groups.small_attributes(reg, 3) == ["pay_band"]
    out = groups.withhold_attributes(reg, 3)
    matrix = out[out["analysis"] == MATRIX]
    assert set(matrix.loc[matrix["measure"] != ATTRIBUTE_WITHHELD, "subgroup"]) == {"directorate=A", "directorate=B"}
    flag = matrix[matrix["measure"] == ATTRIBUTE_WITHHELD]
    assert list(zip(flag["subgroup"], flag["estimate"], flag["method"])) == [("pay_band", 3.0, groups.METHOD)]
    assert groups.withheld_attributes(out) == ["pay_band"]
    # at a base of 2 nothing is withheld and the register is returned as it is
    assert groups.withhold_attributes(reg, 2) is reg
    assert groups.withheld_attributes(reg) == []
