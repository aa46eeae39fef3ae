"""Rule 'programme_report': the programme report (papermill, then nbconvert)."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - injected by Snakemake

from workforce_eval import layout
from workforce_eval.report.render import render_programme_report
from workforce_eval.steps import rule

s = snakemake
with rule(s):
    render_programme_report(
        layout.ProgrammeLayout.of_programme_json(s.input.programme_json).results_dir,
        s.wildcards.programme,
        Path(s.input.notebook),
        Path(s.output.ipynb),
        Path(s.output.html),
        inputs={
            "statistics": Path(s.input.statistics),
            "programme_json": Path(s.input.programme_json),
            "figures": [Path(p) for p in s.input.figures],
        },
    )
