"""Rule 'register': the statistics register, with disclosure control."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - injected by Snakemake

from workforce_eval.steps import cohort, rule

s = snakemake
with rule(s):
    cohort.build_register([Path(p) for p in s.input.parts], Path(s.input.cohort_json), Path(s.output[0]))
