"""Step of the `figures` rule: every figure of a cohort (its cohort figures that apply and its qualitative
figures) in one job, each drawn once and saved in the configured formats.

One job instead of one per figure: each of those paid a second of start-up and imports (and drew every
Likert page to save one). With `workers` > 1 the figures are shared among forked processes (the imports and
the register, read once, are inherited), the costly Likert pages spread first.
"""

from __future__ import annotations

import logging
import multiprocessing
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workforce_eval import names, register
from workforce_eval.figures import cohort as cohort_figures
from workforce_eval.figures import qualitative as qualitative_figures
from workforce_eval.figures.style import configure_matplotlib
from workforce_eval.inputs import metadata
from workforce_eval.inputs.metadata import Cohort

log = logging.getLogger("workforce_eval")


def _cost(name: str) -> int:
    """A rough drawing cost, to share the figures evenly: a Likert page is the costliest."""
    return 3 if name == names.LIKERT or name.startswith(f"{names.LIKERT}-") else 1


def shares(figures: Sequence[str], workers: int) -> list[list[str]]:
    """`figures` split into at most `workers` non-empty shares of similar cost (costliest first to the least
    loaded share), each share in the figures' own order."""
    workers = max(1, min(workers, len(figures)))
    loads = [0] * workers
    out: list[list[str]] = [[] for _ in range(workers)]
    for name in sorted(figures, key=lambda n: (-_cost(n), figures.index(n))):
        i = loads.index(min(loads))
        out[i].append(name)
        loads[i] += _cost(name)
    return [sorted(share, key=figures.index) for share in out if share]


@dataclass(frozen=True)
class _Job:
    """What every share draws from: read once, inherited by the forked workers."""

    stats: pd.DataFrame
    cohort: Cohort
    out_dir: Path
    formats: tuple[str, ...]


_STATE: dict[str, _Job] = {}


def _draw_share(share: list[str]) -> list[Path]:
    job = _STATE["job"]
    cohort_part = [n for n in share if n not in names.QUALITATIVE_FIGURE_NAMES]
    qualitative_part = [n for n in share if n in names.QUALITATIVE_FIGURE_NAMES]
    paths = cohort_figures.draw(job.stats, job.cohort, job.out_dir, job.formats, cohort_part)
    paths += qualitative_figures.draw(job.stats, job.cohort, job.out_dir, job.formats, qualitative_part)
    return paths


def figures(
    statistics: Path,
    cohort_json: Path,
    out_dir: Path,
    figures: Sequence[str],
    formats: tuple[str, ...],
    workers: int = 1,
) -> list[Path]:
    """Draw the named figures (cohort figures and qualitative figures) into `out_dir` in `formats`, each once,
    over `workers` forked processes; returns the files written."""
    start = time.perf_counter()
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # its font subsetting chatter, per PDF, is no news
    configure_matplotlib()
    _STATE["job"] = _Job(register.read(statistics), metadata.load(cohort_json), Path(out_dir), tuple(formats))
    try:
        parts = shares(list(figures), workers)
        if len(parts) <= 1:
            paths = [p for part in parts for p in _draw_share(part)]
        else:
            context = multiprocessing.get_context("fork")  # the imports and the register are inherited
            with ProcessPoolExecutor(max_workers=len(parts), mp_context=context) as pool:
                paths = [p for found in pool.map(_draw_share, parts) for p in found]
    finally:
        _STATE.clear()
    log.info("%d figures in %d files, %.2f s", len(figures), len(paths), time.perf_counter() - start)
    return paths
