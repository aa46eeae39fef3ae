"""`verify`: every recorded file hashed again against the run manifest; missing, altered, unrecorded
and stale files reported."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from workforce_eval import layout
from workforce_eval.hashing import sha256_bytes, sha256_file
from workforce_eval.names import INPUT_FILES


@dataclass(frozen=True)
class Finding:
    """One mismatch found by `verify`: its kind, the file it concerns and what was found."""

    kind: str  # missing | altered | unrecorded | stale | lineage
    path: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind.upper():10s} {self.path}: {self.detail}"


@dataclass
class Verification:
    """The outcome of `verify`: findings (empty when everything matches) and what was checked."""

    manifest: Path
    manifest_sha256: str
    checked: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every recorded file is present and unchanged and nothing is stale."""
        return not self.findings


def verify(results_dir: str | Path, *, data_dir: str | Path | None = None, root: str | Path = ".") -> Verification:
    """Recompute every hash recorded in `<results_dir>/provenance/manifest.json` and report what differs.

    - **missing**: a recorded output (or provenance table) is gone;
    - **altered**: an output's bytes differ from the manifest;
    - **unrecorded**: a file in a cohort's results folder that the manifest does not list;
    - **stale**: an input file, a configuration file or a code file changed (or appeared / disappeared)
      since the run, so the outputs no longer follow from what is there now;
    - **lineage**: a row of `statistics.csv` whose rule or inputs digest does not match the manifest.
    """
    results = Path(results_dir)
    root = Path(root)
    manifest_path = results / "provenance" / "manifest.json"
    raw = manifest_path.read_bytes()
    manifest = json.loads(raw.decode("utf-8"))
    data = Path(data_dir) if data_dir is not None else root / manifest.get("data_dir", "data/raw")
    out = Verification(manifest=manifest_path, manifest_sha256=sha256_bytes(raw))
    add = out.findings.append

    def check(path: Path, recorded: str, label: str, missing_kind: str, changed_kind: str, what: str) -> None:
        out.checked += 1
        if not path.is_file():
            add(Finding(missing_kind, label, f"{what} is missing"))
        elif sha256_file(path) != recorded:
            add(Finding(changed_kind, label, f"{what} changed since the run (sha256 differs from the manifest)"))

    for name, recorded in manifest.get("config_files", {}).items():
        check(root / name, recorded, name, "stale", "stale", "configuration file")
    for name, recorded in manifest.get("code", {}).items():
        check(root / name, recorded, name, "stale", "stale", "code file")
    for name in manifest.get("code_newer_than_outputs", []):
        add(Finding("stale", name, "package code changed after outputs were made (rerun with --forceall)"))
    for cohort, rec in manifest.get("cohorts", {}).items():
        in_dir = data / cohort
        for name, entry in rec.get("inputs", {}).items():
            if not entry["sha256"]:  # used but deliberately not hashed (the deny list): only its presence counts
                if not (in_dir / name).is_file():
                    add(Finding("stale", (in_dir / name).as_posix(), "input file disappeared since the run"))
                continue
            check(in_dir / name, entry["sha256"], (in_dir / name).as_posix(), "stale", "stale", "input file")
        for name in INPUT_FILES:
            if name not in rec.get("inputs", {}) and (in_dir / name).is_file():
                add(Finding("stale", (in_dir / name).as_posix(), "input file appeared since the run"))
        table = rec.get("provenance_table")
        if table:
            tp = results / "provenance" / Path(table["path"]).name
            check(tp, table["sha256"], tp.as_posix(), "missing", "altered", "provenance table")
        outputs = rec.get("outputs", {})
        for rel, entry in outputs.items():
            check(results / rel, entry["sha256"], (results / rel).as_posix(), "missing", "altered", "output")
        base = results / cohort
        if base.is_dir():
            for p in sorted(x for x in base.rglob("*") if x.is_file()):
                rel = p.relative_to(results).as_posix()
                if rel not in outputs:
                    add(Finding("unrecorded", p.as_posix(), "file is not listed in the manifest"))
        _check_lineage(results, cohort, rec, add)
    for slug, rec in manifest.get("programmes", {}).items():
        outputs = rec.get("outputs", {})
        for rel, entry in outputs.items():
            check(results / rel, entry["sha256"], (results / rel).as_posix(), "missing", "altered", "output")
        base = layout.programme(results, slug).base
        if base.is_dir():
            for p in sorted(x for x in base.rglob("*") if x.is_file()):
                if p.relative_to(results).as_posix() not in outputs:
                    add(Finding("unrecorded", p.as_posix(), "file is not listed in the manifest"))
    return out


def _check_lineage(results: Path, cohort: str, rec: Mapping[str, Any], add: Any) -> None:
    """Every row of a cohort's statistics.csv names a rule and carries the manifest's inputs digest."""
    path = results / cohort / "statistics.csv"
    if not path.is_file() or f"{cohort}/statistics.csv" not in rec.get("outputs", {}):
        return
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError):
        add(Finding("lineage", path.as_posix(), "statistics.csv cannot be read as a register"))
        return
    if "rule" not in frame or "inputs_sha256" not in frame:
        add(Finding("lineage", path.as_posix(), "statistics.csv has no rule / inputs_sha256 columns"))
        return
    blank = int((frame["rule"] == "").sum())
    wrong = int((frame["inputs_sha256"] != rec.get("inputs_sha256")).sum())
    if blank:
        add(Finding("lineage", path.as_posix(), f"{blank} rows name no rule"))
    if wrong:
        add(Finding("lineage", path.as_posix(), f"{wrong} rows carry an inputs digest other than the manifest's"))


def verification_text(result: Verification) -> str:
    """A human-readable verify report: one line per finding, then a summary line."""
    buf = io.StringIO()
    for f in result.findings:
        buf.write(f"{f}\n")
    status = "OK" if result.ok else f"FAILED: {len(result.findings)} problem(s)"
    buf.write(
        f"{status}; {result.checked} recorded files checked against {result.manifest} "
        f"(manifest sha256 {result.manifest_sha256})\n"
    )
    return buf.getvalue()
