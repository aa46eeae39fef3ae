"""Files written whole or not at all: a temporary file next to the target, then `os.replace`.

A job killed while writing (SIGKILL, a node lost, the disk full) leaves at most a hidden
`.<name>.<pid>.partial<suffix>` file, never a truncated file under the target's name that Snakemake,
a later rule or a reader could take for complete: `os.replace` within one directory is atomic on
POSIX. Dependency-free (standard library only), so every layer can use it.

Every JSON file the pipeline writes goes through `write_json` (one layout: 2-space indent, UTF-8
characters as they are, a trailing newline).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


def partial_path(path: str | Path) -> Path:
    """The temporary name `path` is written under (same folder, hidden, same suffix)."""
    path = Path(path)
    return path.with_name(f".{path.stem}.{os.getpid()}.partial{path.suffix}")


@contextlib.contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `path`, on an error it is removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = partial_path(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(path: str | Path, data: bytes) -> None:
    """Write `data` to `path` atomically."""
    with replacing(path) as tmp:
        tmp.write_bytes(data)


def write_bytes_if_changed(path: str | Path, data: bytes) -> None:
    """`write_bytes`, creating the parent folders, unless the file already holds exactly these bytes (its
    modification time then stays, so Snakemake sees nothing new)."""
    path = Path(path)
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(path, data)


def write_text(path: str | Path, text: str) -> None:
    """Write `text` to `path` atomically, as UTF-8."""
    write_bytes(path, text.encode("utf-8"))


def json_text(data: Any, *, sort_keys: bool = False, default: Callable[[Any], Any] | None = None) -> str:
    """The JSON text every written JSON file has: 2-space indent, non-ASCII kept, a trailing newline.

    `default`: how values JSON has no type for are written (e.g. `str`); None raises TypeError on them.
    """
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=sort_keys, default=default) + "\n"


def write_json(
    path: str | Path, data: Any, *, sort_keys: bool = False, default: Callable[[Any], Any] | None = None
) -> None:
    """Write `data` to `path` atomically as JSON (`json_text`)."""
    write_text(path, json_text(data, sort_keys=sort_keys, default=default))
