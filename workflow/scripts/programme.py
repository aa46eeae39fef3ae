"""Rule 'programme': a programme's register and programme.json."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - injected by Snakemake

from workforce_eval.steps import rule
from workforce_eval.steps.programme import programme

s = snakemake
with rule(s):
    programme(
        [Path(p) for p in s.input.statistics],
        [Path(p) for p in s.input.cohort_json],
        [Path(p) for p in s.input.survey],
        s.params.name,
        Path(s.output.statistics),
        Path(s.output.programme_json),
        multiplicity=str(s.params.multiplicity),
    )
