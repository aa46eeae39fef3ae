"""Rule 'disclosure_audit': the disclosure audit of the whole run."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - injected by Snakemake

from workforce_eval.steps import disclosure, rule

s = snakemake
with rule(s):
    disclosure.disclosure_audit(
        Path(s.params.results_dir),
        [Path(p) for p in s.input.statistics],
        [Path(p) for p in s.input.cohort_json],
        [Path(p) for p in s.input.programmes],
        Path(s.output[0]),
        bool(s.params.enforce),
    )
