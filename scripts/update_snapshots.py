"""Rewrite tests/snapshots/ from a full run of this checkout's workflow on the bundled data.

    python scripts/update_snapshots.py                   # copy the project to a temporary folder, run, snapshot
    python scripts/update_snapshots.py --results DIR     # snapshot an existing run's results/ folder instead

The run is made the way `tests/e2e/test_workflow.py` makes it (workflow, config, notebooks, src and data
copied to a folder that is not a git checkout, `snakemake --cores 2`), so the snapshots match what the
end-to-end test sees. `tests/snapshots/unstable.txt` is read, never written. Review the diff before committing.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.snapshot import SNAPSHOTS, update  # noqa: E402

COPIED = ("workflow", "config", "notebooks", "src", "data")


def run_workflow(dest: Path, cores: int) -> Path:
    """Copy the project to `dest`, run the workflow there, return its results/ folder."""
    for name in COPIED:
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", str(cores)], cwd=dest, capture_output=True, text=True
    )
    if proc.returncode != 0:
        sys.exit(f"the workflow failed in {dest}:\n{proc.stderr[-4000:]}")
    return dest / "results"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, help="an existing run's results/ folder (default: run now)")
    parser.add_argument("--cores", type=int, default=2)
    args = parser.parse_args(argv)
    if args.results is not None:
        if not (args.results / "provenance").is_dir():
            sys.exit(f"{args.results} does not look like a full run's results/ folder (no provenance/)")
        written = update(args.results.resolve())
    else:
        with tempfile.TemporaryDirectory(prefix="snapshots-") as tmp:
            written = update(run_workflow(Path(tmp) / "project", args.cores))
    for rel in written:
        print(SNAPSHOTS.relative_to(ROOT) / rel)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
