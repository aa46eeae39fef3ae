"""Rule 'organisation_benchmark': the organisation register and the reported units."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - injected by Snakemake

from workforce_eval.steps import organisations, rule

s = snakemake
with rule(s):
    organisations.benchmark(
        Path(s.input.cohort_json).parent,
        Path(s.output.statistics),
        Path(s.output.units),
        s.params.minimum_group_base,
        str(s.params.multiplicity),
    )
