"""The programme register's file: a register's columns plus `cohort` (a cohort id, or `all` for pooled rows),
written and read back as the cohort registers are (`register.write` / `register.read`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workforce_eval import atomic
from workforce_eval.register import rows as register
from workforce_eval.register import spreadsheet

#: The programme register's columns: the cohort register's, then the cohort id.
COLUMNS: tuple[str, ...] = register.COLUMNS + ("cohort",)


def write(frame: pd.DataFrame, path: str | Path) -> None:
    """Write a programme register deterministically (as `register.write`, plus the `cohort` column)."""
    base = register.normalise(frame)
    text = base.astype(object)
    for col in register.NUMERIC_COLUMNS:
        text[col] = base[col].map(register.format_number)
    text["suppressed"] = base["suppressed"].map(lambda b: "true" if b else "false")
    text["cohort"] = frame["cohort"].fillna("").astype(str).to_numpy()
    text = spreadsheet.neutralise_frame(text, register.text_columns(text))
    with atomic.replacing(path) as tmp:
        text.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")


def read(path: str | Path) -> pd.DataFrame:
    """Read a programme register back (register dtypes plus the text column `cohort`)."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    raw = spreadsheet.restore_frame(raw, register.text_columns(raw))
    cohort = raw["cohort"].astype(str)
    for col in register.NUMERIC_COLUMNS:
        raw[col] = raw[col].replace("", float("nan"))
    out = register.normalise(raw)
    out["cohort"] = cohort.to_numpy()
    return out
