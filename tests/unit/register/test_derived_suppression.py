"""Statistics derived from a hidden count are hidden with it (issue 14: an odds ratio of a hidden item)."""

from __future__ import annotations

from pathlib import Path

from workforce_eval import register
from workforce_eval.register import disclosure
from workforce_eval.register.rows import Row
from workforce_eval.report import prepost as report_prepost
from workforce_eval.report.cohort import Results


def rows(yes_b: int) -> list[Row]:
    out = []
    for group, yes, answered in (("A", 12, 20), ("B", yes_b, 9)):
        out.append(
            Row(
                "item",
                "pct_yes",
                100 * yes / answered,
                item="ok",
                group=group,
                n=yes,
                denominator=answered,
                method="wilson",
                source="survey",
            )
        )
    out.append(
        Row(
            "between_groups",
            "odds_ratio",
            2.5,
            item="ok",
            group="A",
            level="B",
            n=29,
            ci_low=0.5,
            ci_high=9.0,
            p_value=0.03,
            method="fisher",
            source="survey",
        )
    )
    return out


def test_odds_ratio_is_hidden_when_the_item_is_hidden_in_either_group() -> None:
    meta = {
        "groups": [{"code": "A", "label": "A"}, {"code": "B", "label": "B"}],
        "items": [{"id": "ok", "type": "yesno", "levels": ["No", "Yes"]}],
        "disclosure_threshold": 5,
    }
    shown = disclosure.apply(register.to_frame(rows(yes_b=6)), meta, 5)
    assert not bool(register.lookup(shown, "between_groups", "odds_ratio", item="ok", group="A", level="B").suppressed)
    hidden = disclosure.apply(register.to_frame(rows(yes_b=3)), meta, 5)  # 3 of 9 said yes in B: below 5
    assert bool(register.lookup(hidden, "item", "pct_yes", item="ok", group="B").suppressed)
    assert bool(register.lookup(hidden, "between_groups", "odds_ratio", item="ok", group="A", level="B").suppressed)
    res = Results(stats=hidden, meta=meta, quotes=None, figures=Path("figures"))  # type: ignore[arg-type]
    table = report_prepost.between_groups_table(res)
    assert list(table.iloc[0, 2:]) == ["[c]", "–", "–"]
