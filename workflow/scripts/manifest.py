"""Rule 'manifest': the run manifest."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - injected by Snakemake

from workforce_eval.steps import provenance, rule

s = snakemake
with rule(s):
    provenance.manifest(
        {Path(t).stem: Path(t) for t in s.input.tables},
        dict(s.config),
        list(s.input.config),
        list(s.input.code),
        Path(s.params.root),
        Path(s.output[0]),
        dict(s.params.programme_lineage),
        Path(s.input.disclosure_audit),
    )
