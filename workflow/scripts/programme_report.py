"""Rule 'programme_report': the programme report (papermill, then nbconvert)."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: F821, SIM115 - injected by Snakemake
sys.path.insert(0, str(Path(snakemake.scriptdir).resolve().parents[1] / "src"))  # noqa: F821 - works without pip install

from workforce_eval.report.render import render_programme_report  # noqa: E402
from workforce_eval.steps import rule  # noqa: E402

s = snakemake  # noqa: F821 - injected by Snakemake
with rule(s):
    render_programme_report(
        Path(s.params.results_dir),
        s.wildcards.programme,
        Path(s.input.notebook),
        Path(s.output.ipynb),
        Path(s.output.html),
    )
