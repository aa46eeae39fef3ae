"""Rule 'programme_figures': the programme's forest plot."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - injected by Snakemake

from workforce_eval.figures.prepost import make_programme
from workforce_eval.steps import rule

s = snakemake
with rule(s):
    make_programme(
        Path(s.input.statistics),
        Path(s.input.programme_json),
        Path(s.output.forest_png).parent,
        tuple(s.params.formats),
    )
