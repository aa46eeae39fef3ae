"""Published CSVs open safely in a spreadsheet: no cell of the quote table starts a formula."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from workforce_eval import register
from workforce_eval.analyses import quotes
from workforce_eval.register import spreadsheet
from workforce_eval.register.rows import Row

HOSTILE = ['=HYPERLINK("http://example.org","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "'=already"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_cells_are_neutralised_and_restored_exactly(text: str) -> None:
    safe = spreadsheet.neutralise(text)
    assert safe.startswith("'") and spreadsheet.restore(safe) == text.replace("\r", "\n")


@pytest.mark.parametrize("text", ["I learnt a lot.", "5 = five", "", "a-b"])
def test_ordinary_cells_are_unchanged(text: str) -> None:
    assert spreadsheet.neutralise(text) == text == spreadsheet.restore(text)


def test_quote_table_written_with_no_cell_starting_a_formula(tmp_path: Path) -> None:
    table = pd.DataFrame(
        [["t1", "s1", "c1", "g1", "interview", "A", "A P1", text] for text in HOSTILE],
        columns=list(quotes.QUOTE_COLUMNS),
    )
    path = tmp_path / "quotes.csv"
    quotes.write(table, str(path))
    with path.open(newline="", encoding="utf-8") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    back = spreadsheet.restore_frame(pd.read_csv(path, dtype=str, keep_default_na=False))
    assert list(back["text"]) == [t.replace("\r", "\n") for t in HOSTILE]


@pytest.mark.parametrize("number", ["-0.5", "+3", "-12", "1e-05", "-2.5E+3", ".5"])
def test_a_negative_number_is_a_number_not_a_formula(number: str) -> None:
    """A spreadsheet reads `-0.5` as minus a half and runs nothing: it stays as it is."""
    assert spreadsheet.neutralise(number) == number


@pytest.mark.parametrize("text", ["-1+cmd|' /C calc'!A0", "-0.5e", "+-1", "--1"])
def test_text_that_only_starts_like_a_number_is_neutralised(text: str) -> None:
    assert spreadsheet.neutralise(text) == "'" + text


def test_register_csv_neutralises_labels_and_reads_them_back_exactly(tmp_path: Path) -> None:
    """statistics.csv (every register) is published: a hostile level label or unit name is inert in it,
    numbers (negative ones too) are untouched, and `register.read` gives back the register written."""
    rows = [
        Row("item", "level_pct", 50.0, item="q1", group="all", level='=HYPERLINK("x")', n=2, denominator=4),
        Row("benchmark", "difference_peers", -0.5, item="q1", group="@org", ci_low=-1.25, ci_high=0.25),
        Row("item", "pct_agree", 25.0, item="q1", group="all", level="'quoted", n=1, denominator=4),
    ]
    frame = register.to_frame(rows)
    path = tmp_path / "statistics.csv"
    register.write(frame, path)
    with path.open(newline="", encoding="utf-8") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not [
        c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r") or (c[:1] == "-" and c not in ("-0.5", "-1.25"))
    ]
    assert "-0.5" in cells and "-1.25" in cells  # numbers stay numbers
    back = register.read(path)
    pd.testing.assert_frame_equal(back, register.normalise(frame))
