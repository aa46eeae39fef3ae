"""Rule 'themes': theme frequencies."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - injected by Snakemake

from workforce_eval.steps import cohort, rule

s = snakemake
with rule(s):
    cohort.themes(Path(s.input.cohort_json).parent, Path(s.output[0]), dict(s.params.qualitative))
