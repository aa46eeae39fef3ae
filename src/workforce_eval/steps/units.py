"""The reported units of an organisation-report cohort (`units.json`), read without the analysis stack.

The workflow reads units.json when it plans a run (rules/organisations_common.smk): this module imports only
the standard library, so planning (and a no-op rerun) does not load pandas, scipy or the analyses.
"""

from __future__ import annotations

import json
from pathlib import Path


def read_units(path: Path) -> list[dict[str, str]]:
    """The units of a `units.json` written by `benchmark` (strict: a mapping with a list of value/slug pairs)."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    units = doc["units"] if isinstance(doc, dict) else None
    if not isinstance(units, list):
        raise ValueError(f"{path}: no list of units")
    out = []
    for u in units:
        if not (isinstance(u, dict) and isinstance(u.get("value"), str) and isinstance(u.get("slug"), str)):
            raise ValueError(f"{path}: a unit without value and slug")
        out.append({"value": u["value"], "slug": u["slug"]})
    return out
