"""Rule 'describe': a thin adapter; the logic is workforce_eval.steps.step_describe."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821 - injected by Snakemake
sys.path.insert(0, str(Path(snakemake.scriptdir).resolve().parents[1] / "src"))  # noqa: F821 - works without pip install

from workforce_eval.steps import run_rule  # noqa: E402

run_rule("describe", snakemake)  # noqa: F821
