"""Rule 'organisation_figures': the caterpillar plot of the organisation overview."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - injected by Snakemake

from workforce_eval.figures.benchmarking import make_caterpillar
from workforce_eval.steps import rule

s = snakemake
with rule(s):
    make_caterpillar(
        Path(s.input.statistics), Path(s.input.cohort_json), Path(s.output.png).parent, tuple(s.params.formats)
    )
