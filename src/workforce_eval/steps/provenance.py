"""Steps of the run-level provenance rules: the per-cohort provenance tables and the run manifest."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

from workforce_eval.provenance import manifest as run_manifest

log = logging.getLogger("workforce_eval")


def provenance_table(
    cohort: str, data_dir: Path, results_dir: Path, inputs: list[str], lineage: dict[str, Any], out: Path
) -> None:
    """The cohort's provenance table: every input and output file with its hash and the rule that wrote it."""
    names = [Path(p).name for p in inputs]
    run_manifest.write_table(run_manifest.cohort_table(cohort, data_dir, results_dir, names, lineage), out)


def manifest(
    tables: dict[str, Path],
    config: dict[str, Any],
    config_files: list[str],
    code: list[str],
    root: Path,
    out: Path,
    programme_lineage: dict[str, Any] | None = None,
    disclosure_audit: Path | None = None,
) -> None:
    """The run manifest from the cohorts' provenance tables, configuration, code, git state and software; with
    `disclosure_audit` (the restricted audit file), its summary (counts, the rule, k per scope; no value)."""
    start = time.perf_counter()
    built = run_manifest.build_manifest(
        tables=tables,
        config=config,
        config_files=config_files,
        code=code,
        root=root,
        programme_lineage=programme_lineage or {},
    )
    if disclosure_audit is not None:
        summary = json.loads(Path(disclosure_audit).with_suffix(".json").read_text(encoding="utf-8"))
        built["disclosure_audit"] = {"path": Path(disclosure_audit).as_posix(), "restricted": True} | summary
    run_manifest.write_manifest(built, out)
    log.info("manifest %s written in %.2f s", out, time.perf_counter() - start)
