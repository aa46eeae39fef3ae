"""Step of the programme rule: read the cohorts' results, run the programme analysis, write its outputs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workforce_eval import atomic, register
from workforce_eval.analyses.programme import CohortResults, programme_json, programme_register
from workforce_eval.inputs import metadata
from workforce_eval.register import programme_file


def read_cohort(cohort_dir: Path) -> CohortResults:
    """A cohort's register, cohort.json and cleaned survey from `<results_dir>/<cohort_id>/`."""
    cohort_dir = Path(cohort_dir)
    meta = metadata.load(cohort_dir / "clean" / metadata.FILE_NAME).to_document()  # programme.json copies parts
    return CohortResults(
        cohort_id=str(meta["cohort_id"]),
        meta=meta,
        stats=register.read(cohort_dir / "statistics.csv"),
        survey=pd.read_parquet(cohort_dir / "clean" / "survey.parquet"),
    )


def programme(cohort_dirs: list[Path], name: str, out_register: Path, out_json: Path) -> None:
    """The programme rule: read the cohorts' results, write the programme register and programme.json."""
    cohorts = [read_cohort(d) for d in cohort_dirs]
    programme_file.write(programme_register(cohorts), out_register)
    atomic.write_json(out_json, programme_json(name, cohorts), default=str)
