"""The invented codebooks and passages of the bundled synthetic cohorts, read from package data files.

One YAML file per cohort family and kind under `synthetic/data/`: `<family>_codebook.yaml` (the
contract's themes > subthemes > codes mapping, written as-is to each cohort's codebook.yaml) and
`<family>_passages.yaml` (interview passages and free-text answers with the codes a coder applies).
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

FAMILIES: tuple[str, ...] = ("plp", "leeds", "lothian")


def _load(name: str) -> Any:
    """Parse one YAML file of the package data."""
    text = resources.files("workforce_eval.synthetic").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def codebook(family: str) -> dict[str, Any]:
    """The codebook of a cohort family: {"themes": [{id, label, subthemes: [{id, label, codes: [...]}]}]}."""
    return _load(f"{family}_codebook.yaml")


def passages(family: str) -> dict[str, Any]:
    """The invented passages of a cohort family, as written in its passages file."""
    return _load(f"{family}_passages.yaml")


def code_index(book: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """code id -> (subtheme id, theme id), in codebook order."""
    return {
        c["id"]: (sub["id"], theme["id"])
        for theme in book["themes"]
        for sub in theme["subthemes"]
        for c in sub["codes"]
    }
