"""Rule 'analyses': every analysis of a cohort, its register and its quote table."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - injected by Snakemake

from workforce_eval.steps import rule
from workforce_eval.steps.analyses import PARTS, analyses

s = snakemake
with rule(s):
    analyses(
        Path(s.input.cohort_json).parent,
        {name: Path(s.output[name]) for name in PARTS},
        Path(s.output.case_table),
        Path(s.output.statistics),
        Path(s.output.quotes),
        dict(s.params.qualitative),
        int(s.params.per_subtheme),
        minimum_group_base=s.params.minimum_group_base,
        multiplicity=str(s.params.multiplicity),
    )
