"""Command line: `workforce-eval verify` and `workforce-eval import` (also `python -m workforce_eval ...`)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from workforce_eval.errors import InputError
from workforce_eval.inputs.importers import draft
from workforce_eval.provenance import verify


def _parser() -> argparse.ArgumentParser:
    """The argument parser of `workforce-eval`."""
    parser = argparse.ArgumentParser(prog="workforce-eval", description="Reproducible evaluation pipeline tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser(
        "verify",
        help="re-check a run against its provenance manifest",
        description=(
            "Recompute the SHA-256 of every file recorded in <results>/provenance/manifest.json and report "
            "missing, altered and unrecorded outputs and stale ones (inputs, configuration or code changed "
            "since the run). Exit status 0 only when everything matches, 1 when something differs, "
            "2 when there is no readable manifest."
        ),
    )
    v.add_argument("--results", default="results", help="the run's results folder (default: results)")
    v.add_argument(
        "--data", default=None, help="the input folder holding one folder per cohort (default: the run's data_dir)"
    )
    v.add_argument(
        "--root", default=".", help="project root the run's code and config paths are relative to (default: .)"
    )
    v.add_argument(
        "--manifest-sha256", default=None, help="fail unless the manifest has this SHA-256 (the published value)"
    )
    v.add_argument("--json", action="store_true", help="print the findings as JSON")
    i = sub.add_parser(
        "import",
        help="start a cohort folder from a QDA project or survey-tool export",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Make a draft cohort folder from one export, ready to run once its guesses are confirmed.\n\n"
            "The draft holds a copy of the export (provenance records its SHA-256), cohort.yaml with a\n"
            "sources: section mapping it, and what the export cannot give: instrument.yaml for a survey\n"
            "(item wording from the tool; types guessed), codebook.yaml for Taguette, participants.csv when\n"
            "--participant is given. What the draft needs from you:\n"
            "  - the group: --group-column COL (a column, or a QDA case/document variable) or --group VALUE\n"
            "    (one group for all); without either the cohort is one group and cohort.yaml lists the\n"
            "    export's candidate group columns as commented GUESS lines;\n"
            "  - the participant id (--participant COL; a QDA project's cases by default) and the time point\n"
            "    (--timepoint pre|post|COL, default post);\n"
            "  - REDCap: its data dictionary (--dictionary FILE);\n"
            "  - every line marked '# GUESS: confirm' checked, then the mark deleted (the pipeline refuses a\n"
            "    cohort with an unconfirmed guess), and the TODOs of cohort.yaml completed.\n"
            "The draft is imported and validated before it is written. Exit status 0 when written, 1 for a\n"
            "bad export or a folder --force may not replace, 2 when the folder exists (without --force).\n"
            "--force replaces only the files a previous draft wrote there."
        ),
    )
    i.add_argument("format", choices=draft.DRAFT_FORMATS, help="the export's format")
    i.add_argument("file", type=Path, help="the export file")
    i.add_argument("--out", type=Path, required=True, help="the draft cohort folder to write")
    i.add_argument("--force", action="store_true", help="replace a draft this command wrote in that folder")
    g = i.add_mutually_exclusive_group()
    g.add_argument("--group-column", metavar="COL", help="the column (or QDA variable) holding each one's group")
    g.add_argument("--group", metavar="VALUE", help="one group for every response or passage")
    i.add_argument("--participant", metavar="COL", help="the column (or QDA variable) of the participant id")
    i.add_argument("--timepoint", metavar="pre|post|COL", help="the time point, or the column holding it")
    i.add_argument("--dictionary", type=Path, metavar="FILE", help="REDCap: the project's data dictionary CSV")
    return parser


def import_command(args: argparse.Namespace) -> int:
    """Run `import`: write the draft cohort folder and say what to confirm."""
    opts = draft.Options(args.group_column, args.group, args.participant, args.timepoint, args.dictionary)
    try:
        written = draft.draft(args.format, args.file, args.out, force=args.force, opts=opts)
    except draft.DraftExists as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except InputError as err:
        print(f"error: {err.message}", file=sys.stderr)
        return 1
    print(f"wrote a draft cohort to {args.out}: {', '.join(written)}")
    print("confirm every line marked GUESS (then delete the mark) and complete the TODOs in cohort.yaml")
    return 0


def verify_command(args: argparse.Namespace) -> int:
    """Run `verify`, print its report and return the exit status."""
    manifest = Path(args.results) / "provenance" / "manifest.json"
    try:
        result = verify.verify(args.results, data_dir=args.data, root=args.root)
    except FileNotFoundError:
        print(f"MISSING    {manifest}: no manifest; run the workflow first", file=sys.stderr)
        return 2
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as err:
        print(f"ALTERED    {manifest}: not a readable manifest ({err})", file=sys.stderr)
        return 2
    if args.manifest_sha256 and args.manifest_sha256.lower() != result.manifest_sha256:
        result.findings.insert(
            0, verify.Finding("altered", manifest.as_posix(), "manifest SHA-256 differs from the published value")
        )
    if args.json:
        print(
            json.dumps(
                {
                    "ok": result.ok,
                    "manifest": result.manifest.as_posix(),
                    "manifest_sha256": result.manifest_sha256,
                    "checked": result.checked,
                    "findings": [{"kind": f.kind, "path": f.path, "detail": f.detail} for f in result.findings],
                },
                indent=2,
            )
        )
    else:
        print(verify.verification_text(result), end="")
    return 0 if result.ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `workforce-eval` command."""
    args = _parser().parse_args(argv)
    if args.command == "verify":
        return verify_command(args)
    if args.command == "import":
        return import_command(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":
    sys.exit(main())
