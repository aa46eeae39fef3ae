"""`python -m workforce_eval.synthetic --out data/raw [cohort ...]`: write and self-check the bundled cohorts."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from workforce_eval.synthetic import (
    COHORT_IDS,
    CalibrationError,
    UnknownCohortError,
    write_all,
)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: regenerate the bundled synthetic cohorts (all, or the ids given) under --out."""
    parser = argparse.ArgumentParser(
        prog="python -m workforce_eval.synthetic",
        description="Write the bundled synthetic example cohorts, then self-check each one.",
        epilog=f"cohort ids: {', '.join(COHORT_IDS)}",
    )
    parser.add_argument("cohorts", nargs="*", metavar="cohort", help="cohort ids to write (default: all)")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("data/raw"),
        help="data directory; files go to <out>/<cohort>/ (default: data/raw)",
    )
    args = parser.parse_args(argv)
    try:
        folders = write_all(args.out, args.cohorts)
    except UnknownCohortError as exc:
        parser.error(str(exc))
    except CalibrationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for folder in folders:
        print(f"wrote synthetic cohort {folder.name} to {folder} (self-check passed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
