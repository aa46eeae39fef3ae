"""Step of the `programme` rule: a programme's register and programme.json from its cohorts' declared inputs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from workforce_eval import atomic, register
from workforce_eval.analyses import programme as programme_


def read_cohort(statistics: Path, cohort_json: Path, survey: Path) -> programme_.CohortResults:
    """What the programme analysis reads of one cohort, from the files the rule declares."""
    meta = json.loads(Path(cohort_json).read_text(encoding="utf-8"))
    return programme_.CohortResults(
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
) -> None:
    """The programme register and programme.json; the i-th file of each list belongs to the i-th cohort."""
    if not len(statistics) == len(cohort_json) == len(survey):
        raise ValueError("one register, cohort.json and survey per cohort")
    cohorts = [read_cohort(*paths) for paths in zip(statistics, cohort_json, survey, strict=True)]
    programme_.write(programme_.programme_register(cohorts), out_register)
    Path(out_json).parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(programme_.programme_json(name, cohorts), indent=2, ensure_ascii=False, default=str) + "\n"
    atomic.write_text(out_json, text)
