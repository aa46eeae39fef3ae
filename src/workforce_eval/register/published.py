"""The published register: a register with every hidden number removed, as a run publishes it.

`mask` keeps every row and column of a register (a cohort's, a programme's with its `cohort` column, an
organisation register) and adds the text column `shown`. A row with `suppressed` false is published as it is and
its `shown` is blank. A row with `suppressed` true keeps its labels (analysis, measure, item, group, source,
method, level, subgroup, rule, inputs digest, any extra text column) but every numeric column (estimate, n,
denominator, ci_low, ci_high, p_value) is blank, and `shown` holds what the reports print in its place
(`notation.display_count`: `[c]` for every hidden number),
so the published register and the reports cannot disagree. The full register stays restricted
(docs/data-contract.md, "Published outputs").
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workforce_eval import atomic
from workforce_eval.register import rows, spreadsheet
from workforce_eval.register.notation import display_count

#: The column a published register adds: blank for a published row, else the notation the reports print.
SHOWN = "shown"


def mask(register: pd.DataFrame, k: int) -> pd.DataFrame:
    """The published form of `register` at disclosure threshold `k`: the same rows and columns in the same
    order plus `shown`; the numbers of every suppressed row blank (NaN), `shown` their notation
    (`[c]`, as `notation.display_count` gives it to the reports)."""
    if SHOWN in register.columns:
        raise ValueError(f"the register already has a {SHOWN!r} column: it is masked already")
    missing = [c for c in (*rows.NUMERIC_COLUMNS, "suppressed") if c not in register.columns]
    if missing:
        raise ValueError(f"not a register: no column {', '.join(missing)}")
    out = register.copy()
    hidden = out["suppressed"].astype(bool).to_numpy()
    meta = {"disclosure_threshold": int(k)}
    shown = [display_count(row, meta) if hide else "" for hide, (_, row) in zip(hidden, register.iterrows())]
    for col in rows.NUMERIC_COLUMNS:
        out[col] = out[col].astype("float64").where(~hidden)
    out[SHOWN] = pd.Series(shown, index=out.index, dtype=object).astype(str)
    return out


def write(frame: pd.DataFrame, path: str | Path) -> None:
    """Write a masked register deterministically, as `register.write` writes a register (unrounded numbers,
    `true`/`false`, UTF-8, LF, text cells neutralised for spreadsheets), keeping the frame's column order."""
    text = frame.astype(object).copy()
    for col in rows.NUMERIC_COLUMNS:
        text[col] = frame[col].map(rows.format_number)
    text["suppressed"] = frame["suppressed"].map(lambda b: "true" if bool(b) else "false")
    others = [c for c in text.columns if c not in rows.NUMERIC_COLUMNS and c != "suppressed"]
    for col in others:
        text[col] = frame[col].fillna("").astype(str)
    text = spreadsheet.neutralise_frame(text, others)
    with atomic.replacing(path) as tmp:
        text.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")


def read(path: str | Path) -> pd.DataFrame:
    """Read a masked register written by `write`: numbers as float (blank as NaN), `suppressed` as bool, every
    other column as text (spreadsheet escapes removed)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    others = [c for c in frame.columns if c not in rows.NUMERIC_COLUMNS and c != "suppressed"]
    frame = spreadsheet.restore_frame(frame, others)
    for col in rows.NUMERIC_COLUMNS:
        frame[col] = pd.to_numeric(frame[col].replace("", float("nan")), errors="raise").astype("float64")
    frame["suppressed"] = frame["suppressed"].str.strip().str.lower().eq("true")
    return frame
