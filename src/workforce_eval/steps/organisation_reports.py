"""Step of the organisation reports' rule: every reported unit's report in one job.

Apart from `steps.organisations` and `steps.units` (the workflow imports `read_units` when it plans a run):
this one imports papermill and the report builders, which planning does not need.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from workforce_eval.report.render import render_organisation_reports
from workforce_eval.steps.units import read_units


def render_reports(
    results_dir: Path, cohort_id: str, notebook: Path, units_json: Path, out_dir: Path, workers: int = 1
) -> list[str]:
    """Every reported unit's report (`<out_dir>/<slug>.ipynb` and `.html`) in one step: one Python process
    for all of them (imports and the register parsed once), each worker executing its share of the notebooks
    on one kept kernel. `workers` > 1 splits the units (every `workers`-th) over forked processes.

    Returns the slugs rendered. The reports are byte for byte those of one rule job per unit.
    """
    slugs = [u["slug"] for u in read_units(units_json)]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    shares = [slugs[i :: max(1, workers)] for i in range(max(1, workers))]
    shares = [share for share in shares if share]
    if len(shares) <= 1:
        _render_share(results_dir, cohort_id, notebook, out_dir, slugs)
        return slugs
    context = multiprocessing.get_context("fork")  # no re-import of the rule script (spawn would run it again)
    with ProcessPoolExecutor(max_workers=len(shares), mp_context=context) as pool:
        futures = [pool.submit(_render_share, results_dir, cohort_id, notebook, out_dir, share) for share in shares]
        for future in futures:
            future.result()
    return slugs


def _render_share(results_dir: Path, cohort_id: str, notebook: Path, out_dir: Path, slugs: list[str]) -> None:
    outputs = [(out_dir / f"{slug}.ipynb", out_dir / f"{slug}.html") for slug in slugs]
    render_organisation_reports(Path(results_dir), cohort_id, slugs, Path(notebook), outputs)
