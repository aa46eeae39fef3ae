"""Rule 'import': the exports declared under `sources:` in cohort.yaml, converted into contract files."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - injected by Snakemake

from workforce_eval.steps import cohort, rule

s = snakemake
with rule(s):
    cohort.import_sources(Path(s.params.cohort_dir), s.wildcards.cohort, Path(s.output[0]))
