"""What a cohort's input files may be: regular files inside the cohort folder, within configurable size limits.

Cohort folders are untrusted. Before a file is opened it must be a regular file (not a symbolic
link, FIFO, device or folder), so a FIFO cannot hang the run and a symlink cannot pull in another
cohort's data. Its size, rows, line length and columns are checked against `Limits` (defaults that
comfortably hold a national staff survey) by a chunked scan that holds at most one chunk in memory,
so an oversized file is one clear `InputError` instead of a MemoryError, a crash or a hang. NUL
bytes are errors in every text file.

The limits are set per run (config `input_limits:`, see workflow/schemas/config.schema.yaml) with
`using(...)`; `current()` gives the limits in force.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import numpy as np

from workforce_eval.errors import InputError

_CHUNK = 64 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Largest input files accepted. The NHS Staff Survey (about 650 000 responses, some 300 columns)
    fits within the CSV defaults with room to spare."""

    csv_bytes: int = 4 * 1024**3
    csv_rows: int = 2_000_000
    csv_columns: int = 5_000
    line_bytes: int = 1024 * 1024
    yaml_bytes: int = 16 * 1024 * 1024
    yaml_depth: int = 64
    yaml_aliases: int = 100
    yaml_nodes: int = 1_000_000
    text_bytes: int = 16 * 1024 * 1024  # deny_list.txt and other plain text

    @classmethod
    def from_config(cls, values: Mapping[str, Any] | None) -> Limits:
        """Limits from the config's `input_limits:` mapping (missing keys keep their defaults)."""
        known = {f.name for f in fields(cls)}
        given = {k: int(v) for k, v in (values or {}).items() if k in known}
        return replace(cls(), **given)


_DEFAULT = Limits()
_CURRENT: contextvars.ContextVar[Limits | None] = contextvars.ContextVar("input_limits", default=None)


def current() -> Limits:
    """The limits in force."""
    return _CURRENT.get() or _DEFAULT


@contextlib.contextmanager
def using(limits: Limits | None) -> Iterator[Limits]:
    """Run the block with these limits (the defaults when None)."""
    token = _CURRENT.set(limits or _DEFAULT)
    try:
        yield current()
    finally:
        _CURRENT.reset(token)


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def check_file(path: Path, max_bytes: int | None = None) -> int:
    """The size of `path` if it is a regular file (not a symlink) within `max_bytes`; else InputError.

    FileNotFoundError is left to the caller (a missing file means different things for different files).
    """
    info = os.lstat(path)
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, expected="a regular file inside the cohort folder", found=_kind(info.st_mode))
    if max_bytes is not None and info.st_size > max_bytes:
        raise InputError(
            path,
            expected=f"a file of at most {max_bytes} bytes (input_limits in the config)",
            found=f"{info.st_size} bytes",
        )
    return info.st_size


def present(path: Path) -> bool:
    """True when anything exists at `path` (a symlink, even broken, or a FIFO count: check_file refuses them)."""
    return os.path.lexists(path)


def check_text(path: Path, *, csv: bool, max_bytes: int | None = None) -> None:
    """A chunked scan of a text file: no NUL byte, no line longer than `line_bytes`; CSVs also within rows/columns.

    The size limit is `max_bytes` (default: `csv_bytes` for a CSV, `text_bytes` otherwise). Rows are
    counted as lines (a quoted cell spanning lines counts more than once: the limit is generous).
    """
    lim = current()
    size = check_file(path, max_bytes if max_bytes is not None else lim.csv_bytes if csv else lim.text_bytes)
    if size == 0:
        return
    line_start = 0  # offset of the current line's first byte
    newlines = 0
    with path.open("rb") as handle:
        offset = 0
        while True:
            chunk = handle.read(_CHUNK)
            if not chunk:
                break
            data = np.frombuffer(chunk, dtype=np.uint8)
            nul = np.flatnonzero(data == 0)
            ends = np.flatnonzero(data == 10) + offset
            if nul.size:
                at = int(nul[0])
                row = newlines + int(np.count_nonzero(data[:at] == 10)) + 1
                raise InputError(path, row=row, expected="text without NUL bytes", found="a NUL byte (0x00)")
            if ends.size:
                starts = np.concatenate(([line_start], ends[:-1] + 1))
                longest = int(np.argmax(ends - starts))
                if int(ends[longest] - starts[longest]) > lim.line_bytes:
                    raise InputError(
                        path,
                        row=newlines + longest + 1,
                        expected=f"lines of at most {lim.line_bytes} bytes (input_limits in the config)",
                        found=f"a line of {int(ends[longest] - starts[longest])} bytes",
                    )
                if csv and newlines == 0:
                    header = chunk[: int(ends[0] - offset)]
                    _check_columns(path, header, lim)
                newlines += int(ends.size)
                line_start = int(ends[-1]) + 1
            offset += len(chunk)
            if offset - line_start > lim.line_bytes:
                raise InputError(
                    path,
                    row=newlines + 1,
                    expected=f"lines of at most {lim.line_bytes} bytes (input_limits in the config)",
                    found=f"a line of more than {lim.line_bytes} bytes",
                )
            if csv and newlines > lim.csv_rows + 1:
                raise InputError(
                    path,
                    expected=f"at most {lim.csv_rows} data rows (input_limits in the config)",
                    found=f"more than {lim.csv_rows} rows",
                )
    if csv and newlines == 0:
        with path.open("rb") as handle:
            _check_columns(path, handle.read(), lim)


def _check_columns(path: Path, header: bytes, lim: Limits) -> None:
    columns = header.count(b",") + 1
    if columns > lim.csv_columns:
        raise InputError(
            path,
            row=1,
            expected=f"at most {lim.csv_columns} columns (input_limits in the config)",
            found=f"{columns} columns",
        )


def folders_problem(data_dir: str | Path, results_dir: str | Path) -> str | None:
    """Why `data_dir` and `results_dir` cannot be used together (the same folder, or one inside the other), or None.

    Outputs written into the raw folder would mix with (or overwrite) the cohorts' inputs; the
    workflow refuses such a configuration before any job starts.
    """
    data, results = Path(data_dir).resolve(), Path(results_dir).resolve()
    if data == results:
        return f"data_dir and results_dir must be different folders; both are {data}"
    if data in results.parents:
        return f"results_dir ({results}) must not be inside data_dir ({data})"
    if results in data.parents:
        return f"data_dir ({data}) must not be inside results_dir ({results})"
    return None
