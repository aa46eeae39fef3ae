"""The one register query: `select` by any columns, `one` row or None (ValueError on several)."""

from __future__ import annotations

import pandas as pd
import pytest

from workforce_eval import register
from workforce_eval.register import Row
from workforce_eval.register.measures import ITEM, MEAN, PCT_AGREE, PCT_YES, RESPONSE, RESPONSES


@pytest.fixture
def reg() -> pd.DataFrame:
    return register.to_frame(
        [
            Row(RESPONSE, RESPONSES, 10, source="survey"),
            Row(RESPONSE, RESPONSES, 4, group="A", source="survey"),
            Row(RESPONSE, RESPONSES, 6, group="B", source="survey"),
            Row(ITEM, PCT_AGREE, 50.0, item="q1", n=5, denominator=10),
            Row(ITEM, PCT_AGREE, 25.0, item="q1", group="A", n=1, denominator=4),
            Row(ITEM, PCT_YES, 70.0, item="q2", n=7, denominator=10),
            Row(ITEM, MEAN, 3.5, item="q3", subgroup="band=5"),
        ]
    )


def test_select_by_any_columns(reg: pd.DataFrame) -> None:
    assert list(register.select(reg, RESPONSE, RESPONSES)["estimate"]) == [10, 4, 6]
    assert list(register.select(reg, RESPONSE, RESPONSES, group="A")["estimate"]) == [4]
    assert list(register.select(reg, analysis=ITEM)["item"]) == ["q1", "q1", "q2", "q3"]
    assert list(register.select(reg, group="A")["estimate"]) == [4, 25.0]
    assert list(register.select(reg, subgroup="band=5")["measure"]) == [MEAN]
    assert list(register.select(reg, n=5)["item"]) == ["q1"]
    assert len(register.select(reg)) == len(reg)


def test_select_several_values_of_a_column(reg: pd.DataFrame) -> None:
    rows = register.select(reg, ITEM, (PCT_AGREE, PCT_YES), group="all")
    assert list(rows["item"]) == ["q1", "q2"]
    assert list(register.select(reg, measure=[MEAN], item={"q3", "q9"})["estimate"]) == [3.5]


def test_select_keeps_the_register_index(reg: pd.DataFrame) -> None:
    assert list(register.select(reg, ITEM, PCT_AGREE).index) == [3, 4]


def test_select_refuses_an_unknown_column(reg: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="no column 'cohort'"):
        register.select(reg, RESPONSE, RESPONSES, cohort="c1")


def test_one_defaults_to_the_whole_cohort_row(reg: pd.DataFrame) -> None:
    row = register.one(reg, RESPONSE, RESPONSES)
    assert row is not None and row["estimate"] == 10
    assert register.one(reg, ITEM, PCT_AGREE, item="q1")["estimate"] == 50.0
    assert register.one(reg, ITEM, PCT_AGREE, item="q1", group="A")["estimate"] == 25.0


def test_one_is_none_when_nothing_matches(reg: pd.DataFrame) -> None:
    assert register.one(reg, ITEM, PCT_AGREE, item="q9") is None
    assert register.one(reg, ITEM, MEAN, item="q3", subgroup="band=6") is None


def test_one_raises_on_several_rows(reg: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="3 register rows match response/responses"):
        register.one(reg, RESPONSE, RESPONSES, group=None)
    with pytest.raises(ValueError, match="2 register rows"):
        register.one(reg, ITEM, PCT_AGREE, item="q1", group=None)


def test_programme_register_cohort_column() -> None:
    reg = register.to_frame([Row(RESPONSE, RESPONSES, 3), Row(RESPONSE, RESPONSES, 5)])
    reg["cohort"] = ["c1", "c2"]
    assert register.one(reg, RESPONSE, RESPONSES, cohort="c2")["estimate"] == 5
