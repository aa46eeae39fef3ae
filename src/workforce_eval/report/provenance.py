"""The report's provenance section: the cohort's input files and their hashes, as cohort.json records them."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pandas as pd

from workforce_eval.hashing import meta_inputs_digest


def input_table(meta: Mapping[str, Any]) -> pd.DataFrame:
    """The cohort's input files and their SHA-256 as recorded in cohort.json, for the report."""
    hashes = meta.get("input_sha256") or {}
    return pd.DataFrame({"Input file": list(hashes), "SHA-256": list(hashes.values())})


def provenance_html(meta: Mapping[str, Any], version: str) -> str:
    """The report's provenance paragraph and input-hash table as escaped HTML."""
    digest = meta_inputs_digest(meta)
    table = input_table(meta).to_html(index=False, escape=True)
    return (
        f"<p>Built by workforce-eval {html.escape(version)} from the input files below. Every row of "
        "<code>statistics.csv</code> names the rule that computed it (<code>rule</code>) and the digest "
        f"of these inputs (<code>inputs_sha256</code> = <code>{html.escape(digest)}</code>). The run's "
        "manifest (<code>provenance/manifest.json</code>) adds the hash of every output, the configuration, "
        "the code version and the software; <code>workforce-eval verify</code> re-checks them.</p>" + table
    )
