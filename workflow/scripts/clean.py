"""Rule 'clean': validate, scan and clean a cohort's input files."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - injected by Snakemake

from workforce_eval.steps import cohort, rule

s = snakemake
with rule(s):
    cohort.clean(
        Path(s.params.cohort_dir),
        s.wildcards.cohort,
        cohort_json=Path(s.output.cohort_json),
        participants=Path(s.output.participants),
        survey=Path(s.output.survey),
        segments=Path(s.output.segments),
        disclosure_threshold=s.params.disclosure_threshold,
        imported_dir=Path(s.params.imported_dir) if s.params.imported_dir else None,
        input_limits=s.params.input_limits,
    )
