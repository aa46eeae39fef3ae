"""Rule 'organisations_overview_pdf': the organisation overview printed to PDF by headless Chromium."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - injected by Snakemake

from workforce_eval.report.pdf import render_pdf
from workforce_eval.steps import rule

s = snakemake
with rule(s):
    render_pdf(Path(s.input.html), Path(s.output.pdf))
