"""Rule 'organisations_overview': the organisation overview (papermill, then nbconvert)."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - injected by Snakemake

from workforce_eval import layout
from workforce_eval.report.render import render_organisation_report
from workforce_eval.steps import rule

s = snakemake
with rule(s):
    render_organisation_report(
        layout.CohortLayout.of_cohort_json(s.input.cohort_json).results_dir,
        s.wildcards.cohort,
        s.wildcards.get("unit", ""),
        Path(s.input.notebook),
        Path(s.output.ipynb),
        Path(s.output.html),
    )
