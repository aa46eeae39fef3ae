"""Rule 'qualitative': agreement, co-occurrence, matrix coding, saturation; the restricted case table."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - injected by Snakemake

from workforce_eval.steps import rule
from workforce_eval.steps.qualitative import qualitative

s = snakemake
with rule(s):
    qualitative(
        Path(s.input.cohort_json).parent,
        Path(s.output.table),
        Path(s.output.case_table),
        dict(s.params.qualitative),
    )
