"""Nothing partial after a late failure: a cohort's results folder is complete or absent.

Snakemake removes the outputs of a failed job, but not those of the cohort's earlier jobs (the
cleaned tables, partial registers, figures). When the workflow ends with an error, the `onerror`
handler of the Snakefile calls `remove_incomplete`: every cohort folder under `results_dir` that
lacks any of its final targets is removed, so no half-made cohort can be published by mistake.
The cohort's logs stay in `<results_dir>/logs/<cohort>/`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path


def incomplete(results_dir: str | Path, targets: Mapping[str, Iterable[str | Path]]) -> list[str]:
    """Cohorts (in the given order) whose results folder exists but lacks one of its final targets (a file, or a
    folder such as the figures)."""
    out = []
    for cohort, wanted in targets.items():
        folder = Path(results_dir) / cohort
        if folder.is_dir() and not all(Path(t).exists() for t in wanted):
            out.append(cohort)
    return out


def remove_incomplete(results_dir: str | Path, targets: Mapping[str, Iterable[str | Path]]) -> list[str]:
    """Remove the results folder of every incomplete cohort; returns their ids."""
    gone = incomplete(results_dir, {c: list(t) for c, t in targets.items()})
    for cohort in gone:
        shutil.rmtree(Path(results_dir) / cohort)
    return gone


def targets_by_cohort(results_dir: str | Path, cohorts: Iterable[str], targets: Iterable[str]) -> dict[str, list[str]]:
    """The workflow's final targets grouped by the cohort folder they lie in (run-level targets left out)."""
    results = Path(results_dir).resolve()
    all_targets = [Path(t).resolve() for t in targets]
    return {c: [str(t) for t in all_targets if (results / c) in t.parents] for c in cohorts}
