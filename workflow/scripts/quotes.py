"""Rule 'quotes': the consented, pseudonymised quote table."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: F821, SIM115 - injected by Snakemake
sys.path.insert(0, str(Path(snakemake.scriptdir).resolve().parents[1] / "src"))  # noqa: F821 - works without pip install

from workforce_eval.steps import cohort  # noqa: E402
from workforce_eval.steps import rule  # noqa: E402

s = snakemake  # noqa: F821 - injected by Snakemake
with rule(s):
    cohort.quotes(Path(s.input.cohort_json).parent, Path(s.output[0]))
