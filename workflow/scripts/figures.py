"""Rule 'figures': one of the cohort's figures, from its register."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - injected by Snakemake

from workforce_eval.figures.cohort import make_all
from workforce_eval.steps import rule

s = snakemake
with rule(s):
    make_all(
        Path(s.input.statistics),
        Path(s.input.cohort_json),
        Path(s.output.png).parent,
        tuple(s.params.formats),
        [s.wildcards.figure],
    )
