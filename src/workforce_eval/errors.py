"""The one exception type for bad input, and how it is shown to a person."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def _show(value: object) -> str:
    """Render a found/expected value for a message, quoting strings."""
    if isinstance(value, str):
        return repr(value)
    return str(value)


@dataclass
class InputError(Exception):
    """Bad input: names the file, the 1-based row (header = row 1), the column, what was expected and what was found."""

    file: str | Path
    expected: str
    found: object = None
    row: int | None = None
    column: str | None = None
    rows: tuple[int, ...] = ()
    column_word: str = "column"

    def __post_init__(self) -> None:
        super().__init__(self.message)

    @property
    def location(self) -> str:
        """`file, row N, column 'c'` with the parts that apply."""
        parts = [str(self.file)]
        rows = self.rows or ((self.row,) if self.row is not None else ())
        if len(rows) == 1:
            parts.append(f"row {rows[0]}")
        elif rows:
            parts.append("rows " + ", ".join(str(r) for r in rows))
        if self.column is not None:
            parts.append(f"{self.column_word} {self.column!r}")
        return ", ".join(parts)

    @property
    def message(self) -> str:
        """The whole one-line message."""
        found = "" if self.found is None else f"; found {_show(self.found)}"
        return f"{self.location}: expected {self.expected}{found}"

    def __str__(self) -> str:
        return self.message
