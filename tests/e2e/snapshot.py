"""Snapshots of a full run: the registers as CSV, every other byte-stable output as a sha256 listing.

Used by `tests/e2e/test_snapshots.py` (compare) and `scripts/update_snapshots.py` (rewrite). Layout:

    tests/snapshots/<cohort>/statistics.csv    copied from results/<cohort>/statistics.csv
    tests/snapshots/programmes/<p>/statistics.csv
    tests/snapshots/SHA256SUMS                 `sha256sum` format, paths relative to results/
    tests/snapshots/unstable.txt               glob patterns left out of both, each with its reason

Deliberately independent of the package: it reads CSV text with pandas, so a change in
`workforce_eval.register` cannot change what the comparison considers equal.
"""

from __future__ import annotations

import difflib
import fnmatch
import hashlib
import shutil
from pathlib import Path

import pandas as pd

SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots"
UNSTABLE = SNAPSHOTS / "unstable.txt"
SUMS = SNAPSHOTS / "SHA256SUMS"
REGISTER = "statistics.csv"

#: Columns that name a register row; the rest are its values. `cohort` is the programme register's.
KEY_COLUMNS = ("cohort", "analysis", "measure", "item", "group", "source", "level", "subgroup")

#: Register families fitted by iterative optimisers over BLAS (statsmodels' logit and ordinal models): their
#: digits depend on the CPU's OpenBLAS kernel. Between an AVX2 and an AVX-512 machine the logit estimates differ
#: from about the 9th significant digit and the ordinal model's standard errors (a numerical Hessian) and
#: p-values up to 1.2e-4 relative; the same machine always gives the same bytes (the two-clean-runs test checks
#: that to the byte). Their numeric cells are compared to `REL_TOL` here (reports print 2 to 3 decimals, so a
#: change a reader could see still fails); every other cell to the byte.
CPU_DEPENDENT_ANALYSES = frozenset({"model"})
NUMERIC_VALUES = frozenset({"estimate", "ci_low", "ci_high", "p_value", "n", "denominator"})
REL_TOL, ABS_TOL = 1e-3, 1e-12


def _close(a: str, b: str) -> bool:
    """Two register cells written as numbers, equal to REL_TOL (both blank counts as equal)."""
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return abs(x - y) <= max(REL_TOL * max(abs(x), abs(y)), ABS_TOL)


def _same(row: pd.Series, column: str) -> bool:
    expected, found = row[column + "_expected"], row[column + "_found"]
    if expected == found:
        return True
    return row.get("analysis") in CPU_DEPENDENT_ANALYSES and column in NUMERIC_VALUES and _close(expected, found)


def unstable_patterns(path: Path = UNSTABLE) -> dict[str, str]:
    """`pattern  # reason` lines of unstable.txt, as {pattern: reason}; every pattern must give a reason."""
    patterns: dict[str, str] = {}
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        pattern, sep, reason = line.partition("#")
        if not sep or not reason.strip() or not pattern.strip():
            raise ValueError(f"{path}:{number}: expected 'pattern  # reason', found {line!r}")
        patterns[pattern.strip()] = reason.strip()
    return patterns


def is_unstable(rel: str, patterns: dict[str, str]) -> bool:
    """True if the results-relative POSIX path matches a pattern (a pattern ending in / matches a folder)."""
    for pattern in patterns:
        if pattern.endswith("/"):
            if rel.startswith(pattern) or fnmatch.fnmatch(rel, pattern + "*"):
                return True
        elif fnmatch.fnmatch(rel, pattern):
            return True
    return False


def results_files(results: Path) -> list[str]:
    """Every file under results/, relative POSIX paths, sorted."""
    return sorted(p.relative_to(results).as_posix() for p in results.rglob("*") if p.is_file())


def registers(results: Path) -> list[str]:
    """The registers of a run: results/<cohort>/statistics.csv and results/programmes/<p>/statistics.csv."""
    return [rel for rel in results_files(results) if rel.split("/")[-1] == REGISTER]


def hashed(results: Path, patterns: dict[str, str]) -> dict[str, str]:
    """sha256 of every file of the run that is neither a register nor unstable."""
    return {
        rel: hashlib.sha256((results / rel).read_bytes()).hexdigest()
        for rel in results_files(results)
        if rel.split("/")[-1] != REGISTER and not is_unstable(rel, patterns)
    }


def format_sums(sums: dict[str, str]) -> str:
    return "".join(f"{digest}  {rel}\n" for rel, digest in sorted(sums.items()))


def parse_sums(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        if line.strip():
            digest, rel = line.split("  ", 1)
            out[rel] = digest
    return out


def snapshot_registers(folder: Path = SNAPSHOTS) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob(REGISTER))


def update(results: Path, folder: Path = SNAPSHOTS) -> list[str]:
    """Rewrite the snapshots in `folder` from a run's results/ (unstable.txt is kept); the files written."""
    patterns = unstable_patterns(folder / "unstable.txt")
    for old in snapshot_registers(folder):
        (folder / old).unlink()
    written = []
    for rel in registers(results):
        dest = folder / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(results / rel, dest)
        written.append(rel)
    for empty in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        if not any(empty.iterdir()):
            empty.rmdir()
    (folder / "SHA256SUMS").write_text(format_sums(hashed(results, patterns)), "utf-8")
    return [*written, "SHA256SUMS"]


def register_diff(expected: Path, found: Path, limit: int = 40) -> str:
    """A readable account of how two register CSVs differ: rows gone, rows new, and changed cells.

    Rows are matched on the key columns both files have; "" when the files hold the same table.
    """
    old = pd.read_csv(expected, dtype=str, keep_default_na=False)
    new = pd.read_csv(found, dtype=str, keep_default_na=False)
    lines: list[str] = []
    if list(old.columns) != list(new.columns):
        lines.append(f"columns: expected {list(old.columns)}, found {list(new.columns)}")
    key = [c for c in KEY_COLUMNS if c in old.columns and c in new.columns]
    values = [c for c in old.columns if c in new.columns and c not in key]
    if not key or old.duplicated(key).any() or new.duplicated(key).any():
        key = ["_row"]  # no usable key: compare row by row
        old, new = old.assign(_row=range(len(old))), new.assign(_row=range(len(new)))
    both = old.merge(new, on=key, how="outer", suffixes=("_expected", "_found"), indicator=True)

    def name(row: pd.Series) -> str:
        return ", ".join(f"{c}={row[c]}" for c in key if row[c] != "")

    gone = both[both["_merge"] == "left_only"]
    added = both[both["_merge"] == "right_only"]
    for label, rows in (("missing (in snapshot, not in run)", gone), ("new (in run, not in snapshot)", added)):
        if len(rows):
            lines.append(f"{len(rows)} row(s) {label}:")
            lines.extend(f"  {name(r)}" for _, r in rows.head(limit).iterrows())
            if len(rows) > limit:
                lines.append(f"  ... and {len(rows) - limit} more")
    matched = both[both["_merge"] == "both"]
    changed = [(r, c) for _, r in matched.iterrows() for c in values if not _same(r, c)]
    changes = [f"  {name(r)}: {c}: {r[c + '_expected']!r} -> {r[c + '_found']!r}" for r, c in changed]
    tolerated = any(
        r[c + "_expected"] != r[c + "_found"] for _, r in matched.iterrows() for c in values
    )  # differences within the CPU tolerance only
    if changes:
        counts: dict[str, int] = {}
        for _, c in changed:
            counts[c] = counts.get(c, 0) + 1
        lines.append(f"{len(changes)} changed cell(s), by column: {counts}")
        lines.extend(changes[:limit])
        if len(changes) > limit:
            lines.append(f"  ... and {len(changes) - limit} more")
    if not lines and not tolerated and expected.read_bytes() != found.read_bytes():
        lines.append("same table, different bytes (row order, quoting or line endings)")
        old_rows = expected.read_text("utf-8").splitlines()
        new_rows = found.read_text("utf-8").splitlines()
        lines.extend(list(difflib.unified_diff(old_rows, new_rows, "snapshot", "run", n=0, lineterm=""))[:limit])
    return "\n".join(lines)
