"""Rule 'provenance_cohort': the cohort's provenance table."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - injected by Snakemake

from workforce_eval import layout
from workforce_eval.steps import provenance, rule

s = snakemake
with rule(s):
    provenance.provenance_table(
        s.wildcards.cohort,
        Path(s.params.data_dir),
        layout.CohortLayout.of_provenance_table(s.output[0]).results_dir,
        list(s.input.inputs),
        dict(s.params.lineage),
        Path(s.output[0]),
    )
