"""Rule 'ro_crate': the run as a Workflow Run RO-Crate."""

import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1, encoding="utf-8")  # noqa: F821, SIM115 - injected by Snakemake
sys.path.insert(0, str(Path(snakemake.scriptdir).resolve().parents[1] / "src"))  # noqa: F821 - works without pip install

from workforce_eval.provenance.crate import write_crate  # noqa: E402
from workforce_eval.steps import rule  # noqa: E402

s = snakemake  # noqa: F821 - injected by Snakemake
with rule(s):
    write_crate(
        Path(s.input.manifest), Path(s.params.root), Path(s.params.results_dir), Path(s.output.metadata), Path(s.output.code)
    )
