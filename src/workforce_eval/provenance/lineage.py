"""Register lineage: every row of a partial register names the rule that computed it and the digest of
the cohort's input files it came from (`hashing.inputs_digest`)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def stamp_lineage(frame: pd.DataFrame, rule: str, digest: str) -> pd.DataFrame:
    """Register rows with their lineage: the rule that computed them and the digest of the inputs they came from."""
    out = frame.copy()
    out["rule"] = rule
    out["inputs_sha256"] = digest
    return out


def fill_lineage(parts: Sequence[tuple[str, pd.DataFrame]]) -> list[pd.DataFrame]:
    """Partial registers with blank lineage filled: `rule` from the part's name, `inputs_sha256` from the other parts."""
    digests = {d for _, f in parts for d in f.get("inputs_sha256", pd.Series(dtype=str)) if isinstance(d, str) and d}
    digest = next(iter(digests)) if len(digests) == 1 else ""
    out = []
    for name, frame in parts:
        f = frame.copy()
        for col, value in (("rule", name), ("inputs_sha256", digest)):
            if col not in f:
                f[col] = ""
            f[col] = f[col].fillna("").astype(str)
            f.loc[f[col] == "", col] = value
        out.append(f)
    return out
