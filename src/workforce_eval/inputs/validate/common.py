"""What the checks of every input file share: pandera schemas run to the first failure, unique and
misspelt columns, true/false columns, answer labels folded for matching, the error at a first bad row."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from workforce_eval.errors import InputError
from workforce_eval.inputs.readers import csv_row

TRUE_WORDS = {"true": True, "false": False}


TIMEPOINTS = ("pre", "post")


SOURCES = ("interview", "survey")


def raise_first(path: Path, err: pa.errors.SchemaErrors, expectations: dict[str, str]) -> None:
    """Turn pandera's failure cases into one InputError about the earliest failing cell."""
    cases = err.failure_cases.copy()
    cases["_row"] = pd.to_numeric(cases["index"], errors="coerce")
    missing_cols = cases[cases["check"].astype(str) == "column_in_dataframe"]
    if len(missing_cols):
        col = str(missing_cols.iloc[0]["failure_case"])
        raise InputError(path, row=1, column=col, expected=f"a column named {col!r}", found="no such column")
    cases = cases.sort_values(["_row", "column"], kind="stable", na_position="first")
    case = cases.iloc[0]
    column = str(case["column"])
    check = str(case["check"])
    row = None if pd.isna(case["_row"]) else int(case["_row"]) + 2
    if check == "not_nullable":
        raise InputError(path, row=row, column=column, expected="a value", found="a blank cell")
    found = case["failure_case"]
    expected = expectations.get(f"{column}:{check}") or expectations.get(column) or check
    raise InputError(path, row=row, column=column, expected=expected, found=found)


def check_unique(path: Path, frame: pd.DataFrame, column: str, what: str) -> None:
    """Duplicate values in a column name both rows."""
    values = frame[column]
    dup = values.duplicated(keep=False) & values.notna()
    if dup.any():
        first_value = values[dup].iloc[0]
        idx = values.index[values == first_value]
        raise InputError(
            path,
            rows=tuple(csv_row(i) for i in idx[:2]),
            column=column,
            expected=f"{what} unique within the cohort",
            found=f"{first_value!r} twice",
        )


def check_misspelt(path: Path, frame: pd.DataFrame, known: Sequence[str]) -> None:
    """An unknown column that looks like a contract column absent from the file is an error, not silently ignored."""
    absent = [c for c in known if c not in frame.columns]
    for column in frame.columns:
        if column in known or not absent:
            continue
        key = "_".join(str(column).casefold().replace("-", " ").split())
        match = difflib.get_close_matches(key, absent, n=1, cutoff=0.8)
        if match:
            raise InputError(
                path,
                row=1,
                column=column,
                expected=f"the contract's column name {match[0]!r} (other columns are ignored)",
                found=column,
            )


def run_schema(path: Path, frame: pd.DataFrame, schema: pa.DataFrameSchema, expectations: dict[str, str]) -> None:
    """Run a pandera schema lazily and raise the first failure as an InputError."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        raise_first(path, err, expectations)


def bool_column(path: Path, frame: pd.DataFrame, column: str) -> pd.Series:
    """Parse a true/false column (case-insensitive)."""
    folded = frame[column].str.casefold()
    bad = folded.notna() & ~folded.isin(list(TRUE_WORDS))
    fail_at_first(path, bad, frame[column], column, "true or false")
    return folded.map(TRUE_WORDS).astype("boolean")


def isin(values: Sequence[str], error: str) -> pa.Check:
    return pa.Check.isin(list(values), error=error)


def fold_label(text: str) -> str:
    """An answer label for matching: Unicode-normalised (NFKC), case-folded, inner runs of spaces as one, trimmed."""
    return " ".join(unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold()).split())


def fold(values: pd.Series) -> pd.Series:
    """`fold_label` of every non-missing cell (each distinct value folded once)."""
    uniques = values.dropna().unique()
    return values.map({v: fold_label(v) for v in uniques})


def first_row(mask: np.ndarray, index: pd.Index) -> object:
    """The index label of the first True of a boolean array."""
    return index[int(np.flatnonzero(mask)[0])]


def fail_at_first(path: Path, mask: pd.Series, values: pd.Series, column: str, expected: str) -> None:
    """Raise an InputError at the first row where `mask` is true, quoting that row's value as found."""
    if mask.any():
        i = mask[mask].index[0]
        raise InputError(path, row=csv_row(i), column=column, expected=expected, found=values.at[i])
