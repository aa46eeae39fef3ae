"""Rule 'publish': the publication bundle and its RO-Crate."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - injected by Snakemake

from workforce_eval import layout
from workforce_eval.steps import publish, rule

s = snakemake
with rule(s):
    publish.publish(
        layout.RunLayout.of_published_crate_metadata(s.output.metadata).results_dir,
        list(s.input.files),
        Path(s.input.manifest),
        Path(s.output.metadata),
    )
