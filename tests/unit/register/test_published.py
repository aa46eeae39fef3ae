"""The published register (`register.published.mask`): hidden numbers blank, `shown` as the reports print it."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from workforce_eval import register
from workforce_eval.register import Row, published
from workforce_eval.register.measures import ITEM, MEDIAN, PCT_AGREE, RESPONSE, RESPONSES
from workforce_eval.register.notation import display_count


def _register() -> pd.DataFrame:
    return register.to_frame(
        [
            Row(RESPONSE, RESPONSES, 12, source="survey", n=12),
            Row(RESPONSE, RESPONSES, 3, group="A", source="survey", n=3, suppressed=True),
            Row(RESPONSE, RESPONSES, 9, group="B", source="survey", n=9, suppressed=True),
            Row(
                ITEM,
                PCT_AGREE,
                2 / 3 * 100,
                item="q1",
                group="A",
                n=2,
                denominator=3,
                ci_low=20.8,
                ci_high=93.8,
                suppressed=True,
                method="wilson",
            ),
            Row(ITEM, PCT_AGREE, 75.0, item="q1", n=9, denominator=12, ci_low=46.8, ci_high=91.1, method="wilson"),
            Row(ITEM, MEDIAN, 4.0, item="q1", group="A", suppressed=True),
            Row(ITEM, PCT_AGREE, 0.0, item="q2", group="B", n=0, denominator=9, suppressed=True),
        ]
    )


def test_hidden_numbers_are_blank_and_shown_is_the_notation() -> None:
    out = published.mask(_register(), 5)
    assert list(out.columns) == [*register.COLUMNS, "shown"]
    assert list(out["shown"]) == ["", "[c]", "[c]", "[c]", "", "[c]", "[c]"]  # one symbol: it bounds nothing
    for i in (1, 2, 3, 5, 6):
        assert all(math.isnan(out.loc[i, c]) for c in register.NUMERIC_COLUMNS), i
    # published rows keep every number unrounded
    assert out.loc[4, ["estimate", "n", "denominator", "ci_low", "ci_high"]].tolist() == [75.0, 9.0, 12.0, 46.8, 91.1]
    assert out.loc[0, "estimate"] == 12.0
    # labels and the flag stay
    assert list(out["suppressed"]) == [False, True, True, True, False, True, True]
    assert out.loc[3, "method"] == "wilson" and out.loc[3, "item"] == "q1" and out.loc[3, "group"] == "A"


def test_shown_agrees_with_the_reports_notation_at_any_threshold() -> None:
    reg = _register()
    for k in (3, 5, 11):
        out = published.mask(reg, k)
        for i, row in reg.iterrows():
            want = display_count(row, {"disclosure_threshold": k}) if row["suppressed"] else ""
            assert out.loc[i, "shown"] == want
    # small or hidden only to protect another, at any threshold: "[c]" ("<11" told the reader 1 to 10)
    assert published.mask(reg, 3).loc[1, "shown"] == "[c]"
    assert published.mask(reg, 11).loc[2, "shown"] == "[c]"


def test_extra_columns_are_kept_and_input_untouched() -> None:
    reg = _register()
    reg["cohort"] = ["c1", "c1", "c1", "c2", "c2", "all", "all"]
    before = reg.copy()
    out = published.mask(reg, 5)
    assert list(out.columns) == [*register.COLUMNS, "cohort", "shown"]
    assert list(out["cohort"]) == ["c1", "c1", "c1", "c2", "c2", "all", "all"]
    pd.testing.assert_frame_equal(reg, before)


def test_written_file_holds_no_hidden_value_and_reads_back(tmp_path: Path) -> None:
    reg = _register()
    out = published.mask(reg, 5)
    path = tmp_path / "statistics.csv"
    published.write(out, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join([*register.COLUMNS, "shown"])
    assert lines[2] == "response,responses,,A,survey,,,,,,,,true,,,,,[c]"
    assert lines[4].startswith("item,pct_agree,q1,A,,,,,,,,wilson,true,")
    assert "66.66" not in path.read_text(encoding="utf-8")
    back = published.read(path)
    assert list(back["shown"]) == list(out["shown"])
    assert back["suppressed"].tolist() == out["suppressed"].tolist()
    pd.testing.assert_frame_equal(back[list(register.NUMERIC_COLUMNS)], out[list(register.NUMERIC_COLUMNS)])
    published.write(out, tmp_path / "again.csv")
    assert (tmp_path / "again.csv").read_bytes() == path.read_bytes()


def test_a_masked_register_is_not_masked_twice() -> None:
    out = published.mask(_register(), 5)
    with pytest.raises(ValueError, match="shown"):
        published.mask(out, 5)
