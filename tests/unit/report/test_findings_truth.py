"""Key findings that cannot be false (issue 21, part 1): each rule on a hand-built register where the naive rule
(rank every item by its raw percentage, rank hidden ones too, count changes by unadjusted intervals, leave models
and group differences out) says something untrue."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from workforce_eval import register
from workforce_eval.inputs import metadata
from workforce_eval.register.rows import Row
from workforce_eval.report import findings, tables
from workforce_eval.report.results import Results


def share(measure: str, k: int, n: int, item: str, *, suppressed: bool = False, group: str = "all") -> Row:
    return Row(
        "item",
        measure,
        100 * k / n,
        item=item,
        group=group,
        n=k,
        denominator=n,
        ci_low=100 * k / n - 10,
        ci_high=100 * k / n + 10,
        method="wilson",
        suppressed=suppressed,
        source="survey",
    )


ITEMS: list[dict[str, Any]] = [
    {"id": "valued", "text": "I feel valued.", "type": "likert", "levels": list("12345"), "scale": "agree5"},
    {"id": "safe", "text": "I feel safe.", "type": "likert", "levels": list("12345"), "scale": "agree5"},
    {
        "id": "harm",
        "text": "Have you experienced harassment?",
        "type": "yesno",
        "levels": ["No", "Yes"],
        "scale": "yesno",
        "favourable": "low",
    },
]
META: dict[str, Any] = {"design": "cross_sectional", "groups": [], "items": ITEMS, "codebook": []}


def cohort(meta: dict[str, Any] | None = None) -> metadata.Cohort:
    return metadata.from_document(meta or META)


def test_a_low_yes_on_a_favourable_low_item_is_not_the_least_favourable() -> None:
    # naive: 25 % yes is the lowest percentage, so "least favourable"; but a low "yes" to harassment is good:
    # 75 % answered no, more favourable than 60 % feeling safe
    stats = register.to_frame(
        [share("pct_agree", 80, 100, "valued"), share("pct_agree", 60, 100, "safe"), share("pct_yes", 25, 100, "harm")]
    )
    out = findings.item_findings(stats, cohort())
    assert out[0].startswith("The most favourable answers were given to “I feel valued.”: 80.0 %")
    assert out[1].startswith("The least favourable answers were given to “I feel safe.”: 60.0 %")
    assert not any("harassment" in s for s in out)


def test_a_favourable_low_item_at_the_bottom_when_many_say_yes() -> None:
    stats = register.to_frame(
        [share("pct_agree", 80, 100, "valued"), share("pct_agree", 60, 100, "safe"), share("pct_yes", 70, 100, "harm")]
    )
    out = findings.item_findings(stats, cohort())
    # 70 % yes: only 30 % favourable; the sentence prints the table's number and says which way is good
    assert out[1] == (
        "The least favourable answers were given to “Have you experienced harassment?”: 70.0 % answered yes, "
        "where fewer is favourable (70 of 100; 95 % CI 60.0–80.0 %)."
    )


def test_hidden_items_are_not_ranked_and_the_sentence_says_so() -> None:
    # naive: "the least favourable ... I feel safe. 60 %" while the hidden item (40 %) is lower
    stats = register.to_frame(
        [
            share("pct_agree", 80, 100, "valued"),
            share("pct_agree", 60, 100, "safe"),
            share("pct_yes", 60, 100, "harm", suppressed=True),
        ]
    )
    out = findings.item_findings(stats, cohort())
    assert out[0].startswith(
        "Among the 2 items whose results can be shown (1 is hidden by disclosure control), the most favourable "
        "answers were given to “I feel valued.”"
    )
    assert out[1].startswith("Among those items, the least favourable answers were given to “I feel safe.”")
    assert not any(s.startswith("The least") for s in out)


PRE_POST_META: dict[str, Any] = {
    "design": "pre_post",
    "groups": [],
    "codebook": [],
    "items": [
        {"id": "a", "text": "I lead.", "type": "likert", "levels": list("12345")},
        {"id": "b", "text": "I decide.", "type": "likert", "levels": list("12345")},
        {"id": "c", "text": "I plan.", "type": "likert", "levels": list("12345")},
        {"id": "d", "text": "Hours of overtime a week.", "type": "numeric", "favourable": "low"},
    ],
}


def _change(item: str, estimate: float, low: float, high: float, holm: float) -> list[Row]:
    return [
        Row("pre_post", "paired_t", estimate, item=item, n=20, ci_low=low, ci_high=high, p_value=holm / 3),
        Row("pre_post", "p_holm_t", holm, item=item, n=20, p_value=holm),
    ]


def test_changes_counted_by_the_adjusted_p_the_table_shows_in_the_favourable_direction() -> None:
    # a and b: intervals wholly above zero (naive: 2 improved); b's Holm-adjusted p is 0.09, so only a counts;
    # d (hours of overtime, favourable low) fell with adjusted p 0.01: an improvement, not a worsening
    stats = register.to_frame(
        [
            *_change("a", 0.8, 0.4, 1.2, 0.003),
            *_change("b", 0.3, 0.02, 0.58, 0.09),
            *_change("c", -0.1, -0.5, 0.3, 0.6),
            *_change("d", -2.0, -3.0, -1.0, 0.01),
        ]
    )
    out = findings.change_findings(stats, metadata.from_document(PRE_POST_META))
    assert out[-1] == (
        "Of the 4 items tested, 2 improved and 0 worsened with a Holm-adjusted paired t p below 0.05 (the adjusted "
        "p of the change table; at most n = 20 linked participants per item)."
    )


def test_composition_and_item_numbers_in_prose_are_the_tables_numbers() -> None:
    # three shares of 1/3: plain rounding gives 33.3 each (99.9); the table's largest remainder gives 33.4 to
    # the first, and the finding must print that same 33.4
    meta = {
        **META,
        "groups": [{"code": "x", "label": "X"}, {"code": "y", "label": "Y"}, {"code": "z", "label": "Z"}],
    }
    rows = [
        Row("composition", "share", 100 / 3, group=g, n=10, denominator=30, ci_low=19.2, ci_high=51.2)
        for g in ("x", "y", "z")
    ]
    rows.append(share("pct_agree", 2, 3, "valued"))
    stats = register.to_frame(rows)
    res = Results(stats=stats, meta=meta, figures=Path("."), quotes=pd.DataFrame())
    table = tables.composition_table(res)
    sentence = findings.composition_finding(stats, res.cohort)
    assert sentence is not None
    assert str(table.iloc[0, 2]).startswith("33.4 %") and "(33.4 %, 10 of 30" in sentence
    cell = str(tables.items_table(res).iloc[0, 2])
    item_sentence = findings.item_findings(stats, res.cohort)[0]
    assert re.match(r"66\.7 % \(56\.7–76\.7\); 2/3", cell)
    assert "66.7 %" in item_sentence and "56.7–76.7" in item_sentence


MODEL_META: dict[str, Any] = {
    **META,
    "items": [*ITEMS, {"id": "wb", "text": "Wellbeing", "type": "numeric"}],
    "models": [{"id": "m1", "formula": "wb ~ valued + safe", "family": "ols"}],
}


def test_models_are_among_the_findings() -> None:
    # naive: no sentence about the model at all
    stats = register.to_frame(
        [
            Row("model", "coefficient", 1.5, item="m1:Intercept", n=200, ci_low=1.0, ci_high=2.0, p_value=1e-9),
            Row("model", "coefficient", 0.2, item="m1:valued", n=200, ci_low=0.05, ci_high=0.35, p_value=0.012),
            Row("model", "coefficient", 0.05, item="m1:safe", n=200, ci_low=-0.1, ci_high=0.2, p_value=0.5),
            Row("model", "observations", 200, item="m1", n=200, denominator=210),
        ]
    )
    out = findings.key_findings(stats, metadata.from_document(MODEL_META))
    assert (
        "In the linear regression (OLS) of “Wellbeing” (model “m1”, n = 200), the term with the smallest p was "
        "I feel valued.: estimate 0.200 (0.050 to 0.350); p = 0.012."
    ) in out


GROUPS_META: dict[str, Any] = {
    **PRE_POST_META,
    "groups": [{"code": "doc", "label": "Doctors"}, {"code": "man", "label": "Managers"}],
}


def _between(item: str, p: float, adjusted: float) -> list[Row]:
    return [
        Row(
            "between_groups",
            "rank_biserial",
            0.5,
            item=item,
            group="doc",
            level="man",
            n=30,
            ci_low=0.1,
            ci_high=0.8,
            p_value=p,
        ),
        Row(
            "between_groups",
            "p_adjusted",
            adjusted,
            item=item,
            group="doc",
            level="man",
            n=30,
            p_value=adjusted,
            method="holm; family group-comparisons (2 tests); rank_biserial",
        ),
    ]


def test_group_differences_are_read_by_their_adjusted_p() -> None:
    # naive: "a" differs (raw p 0.03 < 0.05); adjusted by Holm it is 0.06: no difference may be claimed
    stats = register.to_frame([*_between("a", 0.03, 0.06), *_between("b", 0.4, 0.4)])
    out = findings.group_findings(stats, metadata.from_document(GROUPS_META))
    assert out == [
        "None of the 2 comparisons between groups after the programme had a Holm-adjusted p below 0.05 (the "
        "smallest was for “I lead.”, Doctors vs Managers: rank-biserial correlation 0.50 (0.10 to 0.80), "
        "Holm-adjusted p = 0.060)."
    ]


def test_equality_indicators_flagged_by_the_four_fifths_rule_and_hidden_ones_left_out() -> None:
    meta = {
        **META,
        "indicators": [
            {
                "id": "shortlist",
                "label": "Appointed from shortlisting",
                "by": "eth",
                "compared": "W",
                "reference": "B",
                "outcome": "favourable",
            },
            {
                "id": "capability",
                "label": "Formal capability",
                "by": "eth",
                "compared": "W",
                "reference": "B",
                "outcome": "adverse",
            },
            {
                "id": "training",
                "label": "Training",
                "by": "eth",
                "compared": "W",
                "reference": "B",
                "outcome": "favourable",
            },
        ],
    }

    def ind(item: str, ratio: float, level: str, hidden: bool = False) -> list[Row]:
        return [
            Row("equality", "four_fifths", ratio, item=item, group=None, level=level, suppressed=hidden),
            Row(
                "equality",
                "likelihood",
                40.0,
                item=item,
                group=None,
                subgroup="eth=W",
                n=4,
                denominator=10,
                suppressed=hidden,
            ),
        ]

    stats = register.to_frame(
        [
            *ind("shortlist", 0.61, "adverse impact"),
            *ind("capability", 0.5, "adverse impact", hidden=True),
            *ind("training", 0.94, "no adverse impact"),
        ]
    )
    out = findings.group_findings(stats, metadata.from_document(meta))
    assert out == [
        "The four-fifths rule flags adverse impact in 1 of the 2 equality indicators whose results can be shown: "
        "Appointed from shortlisting (impact ratio 0.61)."
    ]
