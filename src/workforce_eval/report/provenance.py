"""The report's provenance section: the cohort's input files and their hashes, as cohort.json records them."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pandas as pd

from workforce_eval.hashing import meta_inputs_digest
from workforce_eval.report.format import table_html


def input_table(meta: Mapping[str, Any]) -> pd.DataFrame:
    """The cohort's input files and their SHA-256 as recorded in cohort.json, for the report."""
    hashes = meta.get("input_sha256") or {}
    return pd.DataFrame({"Input file": list(hashes), "SHA-256": list(hashes.values())})


def provenance_html(meta: Mapping[str, Any], version: str) -> str:
    """The report's provenance paragraph and input-hash table as escaped HTML."""
    digest = meta_inputs_digest(meta)
    table = table_html(input_table(meta), caption="The cohort's input files and their SHA-256.")
    return (
        f"<p>Built by workforce-eval {html.escape(version)} from the input files below (not published: they hold "
        "participants' answers). Every row of the published register names the rule that computed it "
        f"(<code>rule</code>) and the digest of these inputs (<code>inputs_sha256</code> = "
        f"<code>{html.escape(digest)}</code>). The published files and their SHA-256 are listed in "
        "<code>ro-crate-metadata.json</code> at the root of the published folder; the analysts keep the run's "
        "full provenance (the hash of every output, the configuration, the code version and the software), "
        "which <code>workforce-eval verify</code> re-checks.</p>" + table
    )
