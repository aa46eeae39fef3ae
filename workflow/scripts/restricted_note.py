"""Rules 'restricted_note' and 'programme_restricted_note': RESTRICTED.txt beside a full register."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: SIM115 - injected by Snakemake

from workforce_eval import layout
from workforce_eval.steps import notes, rule

s = snakemake
with rule(s):
    notes.restricted_note(Path(s.output[0]), layout.RunLayout.of_restricted_note(s.output[0]).results_dir)
