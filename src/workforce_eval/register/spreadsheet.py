"""Published CSVs that are safe to open in a spreadsheet: no cell starts a formula.

Excel, LibreOffice and Google Sheets treat a cell starting with `=`, `+`, `-`, `@` (and a tab or
carriage return before one) as a formula, so a quote such as `=HYPERLINK("http://...")` from a
cohort folder would run when the CSV is opened. `neutralise` prefixes such a cell with an
apostrophe (the spreadsheets' own "this is text" mark, not shown in the cell); a cell that already
starts with an apostrophe gets one more, so `restore` gives back exactly the original text.
A cell that is a plain number (`-0.5`, `+3`, `1e-05`) is left alone: a spreadsheet reads it as the
number it is, and runs nothing.

Every published CSV is neutralised (docs/data-contract.md, docs/threat-model.md): the quote table,
and every register (a cohort's statistics.csv and tables/*.csv, a programme's and an organisation
register), whose text columns carry labels, codes and unit names from the cohort folder. The
machine-readable form is what `register.read` (and the programme's `read`) give back: they
`restore` the text columns, and the numeric columns are never touched, so a register read back is
the register written. The exact labels are also in cohort.json (JSON: no formulas).
"""

from __future__ import annotations

import re

import pandas as pd

#: First characters that make a spreadsheet read a cell as a formula, and the escape itself.
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\n", "'")
#: A plain decimal number (what `register.format_number` writes): not a formula, left as it is.
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise(text: str) -> str:
    """`text` as a cell no spreadsheet evaluates; carriage returns become line feeds (a bare CR, unquoted
    by Python's csv writer, would end the row in a spreadsheet and start a new cell there)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if NUMBER.fullmatch(text):
        return text
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def restore(text: str) -> str:
    """The original text of a neutralised cell."""
    return text[1:] if text.startswith("'") else text


def neutralise_frame(frame: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """A copy with the text cells of `columns` (default: every object/string column) neutralised."""
    out = frame.copy()
    for column in columns if columns is not None else list(out.columns):
        values = out[column]
        if values.dtype == object or isinstance(values.dtype, pd.StringDtype):
            out[column] = values.map(lambda v: neutralise(v) if isinstance(v, str) else v)
    return out


def restore_frame(frame: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """`neutralise_frame` undone on the text cells of `columns` (default: every text column)."""
    out = frame.copy()
    for column in columns if columns is not None else list(out.columns):
        if out[column].dtype == object or isinstance(out[column].dtype, pd.StringDtype):
            out[column] = out[column].map(lambda v: restore(v) if isinstance(v, str) else v)
    return out
