"""Rule 'ro_crate': the run as a Workflow Run RO-Crate."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - injected by Snakemake

from workforce_eval import layout
from workforce_eval.provenance.crate import write_crate
from workforce_eval.steps import rule

s = snakemake
with rule(s):
    write_crate(
        Path(s.input.manifest),
        Path(s.params.root),
        layout.RunLayout.of_crate_metadata(s.output.metadata).results_dir,
        Path(s.output.metadata),
        Path(s.output.code),
    )
