"""The statistics register: one tidy row per number the pipeline reports."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workforce_eval import atomic
from workforce_eval.register import spreadsheet

#: The contract's columns, in order, then this project's extensions.
CONTRACT_COLUMNS: tuple[str, ...] = (
    "analysis",
    "measure",
    "item",
    "group",
    "source",
    "estimate",
    "n",
    "denominator",
    "ci_low",
    "ci_high",
    "p_value",
    "method",
    "suppressed",
)
EXTENSION_COLUMNS: tuple[str, ...] = ("level", "subgroup", "rule", "inputs_sha256")
COLUMNS: tuple[str, ...] = CONTRACT_COLUMNS + EXTENSION_COLUMNS

NUMERIC_COLUMNS: tuple[str, ...] = ("estimate", "n", "denominator", "ci_low", "ci_high", "p_value")
TEXT_COLUMNS: tuple[str, ...] = (
    "analysis",
    "measure",
    "item",
    "group",
    "source",
    "method",
    "level",
    "subgroup",
    "rule",
    "inputs_sha256",
)


@dataclass(frozen=True)
class Row:
    """One register row; numbers are unrounded, absent values are None."""

    analysis: str
    measure: str
    estimate: float | int | None
    item: str = ""
    group: str = "all"
    source: str = ""
    n: int | float | None = None
    denominator: int | float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    method: str = ""
    suppressed: bool = False
    level: str = ""
    subgroup: str = ""
    rule: str = ""
    inputs_sha256: str = ""


def to_frame(rows: Iterable[Row]) -> pd.DataFrame:
    """Rows -> register DataFrame with the register's columns and dtypes."""
    records = [tuple(getattr(r, c) for c in COLUMNS) for r in rows]  # rows hold scalars only: no deep copy
    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    return normalise(frame)


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Coerce a register-shaped frame to the canonical column order and dtypes."""
    out = frame.reindex(columns=list(COLUMNS)).copy()
    for col in TEXT_COLUMNS:
        out[col] = out[col].fillna("").astype(str)
    for col in NUMERIC_COLUMNS:
        out[col] = pd.to_numeric(out[col], errors="raise").astype("float64")
    out["suppressed"] = out["suppressed"].map(_as_bool).astype(bool)
    return out.reset_index(drop=True)


def _as_bool(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() == "true"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    return bool(value)


def format_number(value: float) -> str:
    """Unrounded, deterministic text for a number: integers without '.0', NaN as blank."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    f = float(value)
    if f.is_integer() and abs(f) < 2**53:
        return str(int(f))
    return repr(f)


def write(frame: pd.DataFrame, path: str | Path) -> None:
    """Write a register deterministically (UTF-8, LF line ends, unrounded numbers)."""
    out = normalise(frame)
    text = out.copy().astype(object)
    for col in NUMERIC_COLUMNS:
        text[col] = out[col].map(format_number)
    text["suppressed"] = out["suppressed"].map(lambda b: "true" if b else "false")
    text = spreadsheet.neutralise_frame(text, text_columns(text))
    with atomic.replacing(path) as tmp:
        text.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")


def text_columns(frame: pd.DataFrame) -> list[str]:
    """The columns `write` neutralises for spreadsheets (`read` restores them): all but numbers and `suppressed`."""
    return [c for c in frame.columns if c not in NUMERIC_COLUMNS and c != "suppressed"]


def read(path: str | Path) -> pd.DataFrame:
    """Read a register written by `write` back into canonical dtypes (text cells restored: `spreadsheet.restore`)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    frame = spreadsheet.restore_frame(frame, text_columns(frame))
    for col in NUMERIC_COLUMNS:
        frame[col] = frame[col].replace("", float("nan"))
    return normalise(frame)


def concat(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate partial registers in the given order."""
    parts = [normalise(f) for f in frames]
    if not parts:
        return to_frame([])
    return normalise(pd.concat(parts, ignore_index=True))


#: A column's wanted value in `select` / `one`: one value, several (any of them), or None (the column left open).
Wanted = str | int | float | bool | tuple[object, ...] | list[object] | set[object] | frozenset[object] | None


def select(
    register: pd.DataFrame,
    analysis: Wanted = None,
    measure: Wanted = None,
    **columns: Wanted,
) -> pd.DataFrame:
    """The register's rows whose columns hold the values given: the one register query.

    `analysis`, `measure` and any other column by name (`item=`, `group=`, `subgroup=`, `cohort=` in a
    programme register, `method=`, ...). A value narrows to rows equal to it; a tuple, list or set narrows
    to rows equal to any of its values; None leaves the column open. Name analyses and measures through
    the catalogue's constants (`register.measures`), never as literals (a unit test keeps it so).
    ValueError for a column the register does not have.
    """
    mask = pd.Series(True, index=register.index)
    for col, value in (("analysis", analysis), ("measure", measure), *columns.items()):
        if value is None:
            continue
        if col not in register.columns:
            raise ValueError(f"the register has no column {col!r} (columns: {', '.join(map(str, register.columns))})")
        if isinstance(value, tuple | list | set | frozenset):
            mask &= register[col].isin(list(value))
        else:
            mask &= register[col] == value
    return register.loc[mask]


def one(
    register: pd.DataFrame,
    analysis: str | None,
    measure: str | None,
    *,
    item: Wanted = "",
    group: Wanted = "all",
    **columns: Wanted,
) -> pd.Series | None:
    """The one row of a measure, or None when there is none.

    Keys as in `select`, but `item` defaults to "" (no item) and `group` to "all", the register's
    conventions for whole-cohort rows; pass None to leave them open.

    ValueError when the keys match several rows: a caller that names too few keys would otherwise show
    an arbitrary one of them.
    """
    rows = select(register, analysis, measure, item=item, group=group, **columns)
    if rows.empty:
        return None
    if len(rows) > 1:
        keys = ", ".join(f"{k}={v!r}" for k, v in {"item": item, "group": group, **columns}.items())
        raise ValueError(f"{len(rows)} register rows match {analysis}/{measure} {keys}")
    return rows.iloc[0]
