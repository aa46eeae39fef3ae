"""Rule 'qualitative_figures': the co-occurrence heatmap and the saturation curve."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - injected by Snakemake

from workforce_eval.figures.qualitative import make_all
from workforce_eval.steps import rule

s = snakemake
with rule(s):
    make_all(Path(s.input.statistics), Path(s.input.cohort_json), Path(s.output.cooccurrence_png).parent)
