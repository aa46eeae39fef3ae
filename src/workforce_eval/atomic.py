"""Files written whole or not at all: a temporary file next to the target, then `os.replace`.

A job killed while writing (SIGKILL, a node lost, the disk full) leaves at most a hidden
`.<name>.<pid>.partial<suffix>` file, never a truncated file under the target's name that Snakemake,
a later rule or a reader could take for complete: `os.replace` within one directory is atomic on
POSIX. Dependency-free (standard library only), so every layer can use it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path


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


def write_text(path: str | Path, text: str) -> None:
    """Write `text` to `path` atomically, as UTF-8."""
    write_bytes(path, text.encode("utf-8"))
