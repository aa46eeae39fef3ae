"""Register lineage: every row of a partial register names the rule that computed it and the digest of
the cohort's input files it came from (`hashing.inputs_digest`)."""

from __future__ import annotations

import pandas as pd


def stamp_lineage(frame: pd.DataFrame, rule: str, digest: str) -> pd.DataFrame:
    """Register rows with their lineage: the rule that computed them and the digest of the inputs they came from."""
    out = frame.copy()
    out["rule"] = rule
    out["inputs_sha256"] = digest
    return out
