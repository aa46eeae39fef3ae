"""File writing shared by the seeded generators of the bundled synthetic cohorts (byte-stable output)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml


def yaml_text(data: Any, header: str) -> str:
    """A header comment plus deterministic block-style YAML (insertion order, unicode kept)."""
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)


def write_yaml(path: Path, data: Any, header: str) -> None:
    """Write YAML with a header comment, UTF-8, LF line ends."""
    path.write_bytes(yaml_text(data, header).encode("utf-8"))


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Write a UTF-8 CSV (minimal quoting, LF line ends), header first."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(list(header))
        writer.writerows([list(r) for r in rows])


def codebook_yaml(codebook: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A codebook given as themes > subthemes > (code id, label, definition) tuples, as the contract's mapping."""
    themes = []
    for theme in codebook:
        subs = [
            {
                "id": sub["id"],
                "label": sub["label"],
                "codes": [{"id": c, "label": lab, "definition": d} for c, lab, d in sub["codes"]],
            }
            for sub in theme["subthemes"]
        ]
        themes.append({"id": theme["id"], "label": theme["label"], "subthemes": subs})
    return {"themes": themes}
