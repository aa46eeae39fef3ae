"""Content hashes of files, as every layer records them: inputs at cleaning, lineage in the register,
the run manifest and `verify`. Dependency-free (standard library only).

An executed notebook is hashed after `normalise_notebook` (papermill's timings dropped); every other
file as its bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

#: Notebook metadata that papermill / nbclient fill with timings and run details (dropped by `normalise_notebook`).
NOTEBOOK_VOLATILE_METADATA: tuple[str, ...] = ("papermill", "execution", "widgets")

_CHUNK = 1 << 20


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes (an executed notebook is hashed after `normalise_notebook`)."""
    path = Path(path)
    if path.suffix == ".ipynb":
        return sha256_bytes(normalise_notebook(path.read_bytes()))
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_size(path: str | Path) -> int:
    """Size in bytes of a file as hashed (an executed notebook's normalised size)."""
    path = Path(path)
    if path.suffix == ".ipynb":
        return len(normalise_notebook(path.read_bytes()))
    return path.stat().st_size


def normalise_notebook(data: bytes) -> bytes:
    """An executed notebook without the timing / run metadata papermill and nbclient write (canonical JSON).

    Drops the `papermill`, `execution` and `widgets` metadata of the notebook and its cells and gives the
    parameters cell papermill injects a fixed id; cell sources and outputs are kept as they are.
    """
    nb = json.loads(data.decode("utf-8"))
    meta = nb.get("metadata", {})
    for key in NOTEBOOK_VOLATILE_METADATA:
        meta.pop(key, None)
    for cell in nb.get("cells", []):
        cell_meta = cell.get("metadata", {})
        for key in NOTEBOOK_VOLATILE_METADATA:
            cell_meta.pop(key, None)
        if "injected-parameters" in cell_meta.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill gives the cell it injects a random id
    return (json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def file_hashes(folder: str | Path, names: Iterable[str]) -> dict[str, str]:
    """File name -> SHA-256 for the named files of a folder, in the given order."""
    folder = Path(folder)
    return {name: sha256_file(folder / name) for name in names}


def inputs_digest(hashes: Mapping[str, str]) -> str:
    """One SHA-256 for a set of files: of their `sha256sum` lines (`<hash>  <name>`), sorted by name.

    An auditor can recompute it in the cohort's input folder with
    `sha256sum <the files, sorted by name> | sha256sum`.
    """
    lines = "".join(f"{hashes[name]}  {name}\n" for name in sorted(hashes))
    return sha256_bytes(lines.encode("utf-8"))


def meta_inputs_digest(meta: Mapping[str, Any]) -> str:
    """The inputs digest of a cohort from its cohort.json (`input_sha256`), or '' when it was not recorded."""
    hashes = meta.get("input_sha256") or {}
    return inputs_digest(hashes) if hashes else ""
