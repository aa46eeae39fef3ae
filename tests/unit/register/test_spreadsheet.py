"""Published CSVs open safely in a spreadsheet: no cell of the quote table starts a formula."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from workforce_eval.analyses import quotes
from workforce_eval.register import spreadsheet

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
