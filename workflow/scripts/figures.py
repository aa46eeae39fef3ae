"""Rule 'figures': every figure of a cohort that applies, each drawn once, in the configured formats."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - injected by Snakemake

from workforce_eval.steps import rule
from workforce_eval.steps.figures import figures

s = snakemake
with rule(s):
    figures(
        Path(s.input.statistics),
        Path(s.input.cohort_json),
        Path(s.output.figures),
        list(s.params.figures),
        tuple(s.params.formats),
        s.threads,
    )
