"""Step of the `programme` rule: a programme's register and programme.json from its cohorts' declared inputs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from workforce_eval import atomic, register
from workforce_eval.analyses.programme import CohortResults, programme_json, programme_register
from workforce_eval.inputs import metadata
from workforce_eval.register import programme_file


def read_cohort(statistics: Path, cohort_json: Path, survey: Path) -> CohortResults:
    """What the programme analysis reads of one cohort, from the files the rule declares."""
    meta = metadata.load(Path(cohort_json)).to_document()  # programme.json copies parts of it
    return CohortResults(
        cohort_id=str(meta["cohort_id"]),
        meta=meta,
        stats=register.read(statistics),
        survey=pd.read_parquet(survey),
    )


def programme(
    statistics: Sequence[Path],
    cohort_json: Sequence[Path],
    survey: Sequence[Path],
    name: str,
    out_register: Path,
    out_json: Path,
    multiplicity: str = "holm",
) -> None:
    """The programme register and programme.json; the i-th file of each list belongs to the i-th cohort."""
    if not len(statistics) == len(cohort_json) == len(survey):
        raise ValueError("one register, cohort.json and survey per cohort")
    cohorts = [read_cohort(*paths) for paths in zip(statistics, cohort_json, survey, strict=True)]
    programme_file.write(programme_register(cohorts, multiplicity), out_register)
    atomic.write_json(out_json, programme_json(name, cohorts), default=str)
