"""Rule 'organisation_report': every reported unit's report in one job (papermill on kept kernels, then nbconvert)."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - injected by Snakemake

from workforce_eval import layout
from workforce_eval.steps import rule
from workforce_eval.steps.organisation_reports import render_reports

s = snakemake
with rule(s):
    render_reports(
        layout.CohortLayout.of_cohort_json(s.input.cohort_json).results_dir,
        s.wildcards.cohort,
        Path(s.input.notebook),
        Path(s.input.units),
        Path(s.output.reports),
        s.threads,
    )
