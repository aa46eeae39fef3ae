"""Provenance an auditor can check: content hashes, register lineage, the run manifest and `verify`.

Three layers, each derived from the one before:

1. **Register lineage.** The clean step records the SHA-256 of every raw input file of a cohort in
   `clean/cohort.json` (`input_sha256`). Each partial-register step stamps its rows with its rule
   name and `inputs_sha256`, the digest of those hashes (`inputs_digest`), so every row of
   `statistics.csv` names the rule that computed it and the exact inputs it came from.
2. **Per-cohort provenance table** `<results_dir>/provenance/<cohort>.csv`: every input file and
   every output file of the cohort with its SHA-256, size, the rule that wrote it and that rule's inputs.
3. **Run manifest** `<results_dir>/provenance/manifest.json`: the tables of all cohorts, the resolved
   configuration and the hashes of the configuration files, the hashes of the code (workflow, notebook,
   package), the git commit and dirty flag, Python and package versions.

Nothing hashed holds a wall-clock time; timings go to the rule's log. `verify` recomputes every hash
and reports missing, altered, unrecorded and stale (inputs, configuration or code changed) files.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import platform
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import pandas as pd

#: Version of the manifest layout (bump when its keys change meaning).
MANIFEST_VERSION = 1

#: Columns of a per-cohort provenance table, in order.
TABLE_COLUMNS: tuple[str, ...] = ("role", "path", "sha256", "bytes", "rule", "inputs")

#: Notebook metadata that papermill / nbclient fill with timings and run details (dropped by `normalise_notebook`).
NOTEBOOK_VOLATILE_METADATA: tuple[str, ...] = ("papermill", "execution", "widgets")

_CHUNK = 1 << 20


# --------------------------------------------------------------------------- hashing


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes (an executed notebook is hashed after `normalise_notebook`)."""
    path = Path(path)
    if path.suffix == ".ipynb":
        return sha256_bytes(normalise_notebook(path.read_bytes()))
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_size(path: str | Path) -> int:
    """Size in bytes of a file as hashed (an executed notebook's normalised size)."""
    path = Path(path)
    if path.suffix == ".ipynb":
        return len(normalise_notebook(path.read_bytes()))
    return path.stat().st_size


def normalise_notebook(data: bytes) -> bytes:
    """An executed notebook without the timing / run metadata papermill and nbclient write (canonical JSON).

    Drops the `papermill`, `execution` and `widgets` metadata of the notebook and its cells and gives the
    parameters cell papermill injects a fixed id; cell sources and outputs are kept as they are.
    """
    nb = json.loads(data.decode("utf-8"))
    meta = nb.get("metadata", {})
    for key in NOTEBOOK_VOLATILE_METADATA:
        meta.pop(key, None)
    for cell in nb.get("cells", []):
        cell_meta = cell.get("metadata", {})
        for key in NOTEBOOK_VOLATILE_METADATA:
            cell_meta.pop(key, None)
        if "injected-parameters" in cell_meta.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill gives the cell it injects a random id
    return (json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def file_hashes(folder: str | Path, names: Iterable[str]) -> dict[str, str]:
    """File name -> SHA-256 for the named files of a folder, in the given order."""
    folder = Path(folder)
    return {name: sha256_file(folder / name) for name in names}


def inputs_digest(hashes: Mapping[str, str]) -> str:
    """One SHA-256 for a set of files: of their `sha256sum` lines (`<hash>  <name>`), sorted by name.

    An auditor can recompute it in the cohort's input folder with
    `sha256sum <the files, sorted by name> | sha256sum`.
    """
    lines = "".join(f"{hashes[name]}  {name}\n" for name in sorted(hashes))
    return sha256_bytes(lines.encode("utf-8"))


# --------------------------------------------------------------------------- register lineage


def stamp_lineage(frame: pd.DataFrame, rule: str, digest: str) -> pd.DataFrame:
    """Register rows with their lineage: the rule that computed them and the digest of the inputs they came from."""
    out = frame.copy()
    out["rule"] = rule
    out["inputs_sha256"] = digest
    return out


def meta_inputs_digest(meta: Mapping[str, Any]) -> str:
    """The inputs digest of a cohort from its cohort.json (`input_sha256`), or '' when it was not recorded."""
    hashes = meta.get("input_sha256") or {}
    return inputs_digest(hashes) if hashes else ""


def fill_lineage(parts: Sequence[tuple[str, pd.DataFrame]]) -> list[pd.DataFrame]:
    """Partial registers with blank lineage filled: `rule` from the part's name, `inputs_sha256` from the other parts."""
    digests = {d for _, f in parts for d in f.get("inputs_sha256", pd.Series(dtype=str)) if isinstance(d, str) and d}
    digest = next(iter(digests)) if len(digests) == 1 else ""
    out = []
    for name, frame in parts:
        f = frame.copy()
        for col, value in (("rule", name), ("inputs_sha256", digest)):
            if col not in f:
                f[col] = ""
            f[col] = f[col].fillna("").astype(str)
            f.loc[f[col] == "", col] = value
        out.append(f)
    return out


# --------------------------------------------------------------------------- environment


def git_state(folder: str | Path) -> dict[str, Any]:
    """Commit and dirty flag of the git checkout holding `folder`; both None when it is not a git checkout."""

    def git(*args: str) -> str | None:
        try:
            proc = subprocess.run(
                ["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=60, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return proc.stdout if proc.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    if commit is None:
        return {"commit": None, "dirty": None, "commit_date": None, "note": "not a git checkout"}
    status = git("status", "--porcelain")
    date = git("log", "-1", "--format=%cI")
    return {
        "commit": commit.strip(),
        "dirty": bool(status.strip()) if status is not None else None,
        "commit_date": date.strip() if date else None,
    }


def software() -> dict[str, Any]:
    """Python version and the name and version of every installed distribution (sorted)."""
    packages: dict[str, str] = {}
    for dist in importlib_metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            packages.setdefault(_norm(name), dist.version)
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": sys.platform,
        "packages": dict(sorted(packages.items())),
    }


def _norm(name: str) -> str:
    """PEP 503 normalised distribution name."""
    return "-".join(part for part in name.replace("_", "-").replace(".", "-").lower().split("-") if part)


# --------------------------------------------------------------------------- per-cohort table


def cohort_table(
    cohort: str,
    data_dir: str | Path,
    results_dir: str | Path,
    input_names: Sequence[str],
    lineage: Mapping[str, Mapping[str, Any]],
) -> pd.DataFrame:
    """Every input and output file of a cohort with its SHA-256, size, the rule that wrote it and that rule's inputs.

    Inputs are named relative to `<data_dir>/<cohort>/`, outputs relative to `<results_dir>/`;
    `lineage` maps an output's workflow path (as Snakemake names it) to its rule and inputs.
    """
    in_dir = Path(data_dir) / cohort
    res = Path(results_dir)
    rows = []
    for name in sorted(input_names):
        p = in_dir / name
        rows.append(("input", name, sha256_file(p), file_size(p), "", ""))
    base = res / cohort
    for p in sorted(x for x in base.rglob("*") if x.is_file()):
        rel = p.relative_to(res).as_posix()
        made = lineage.get(str(res / rel), {})
        inputs = ";".join(str(i) for i in made.get("inputs", []))
        rows.append(("output", rel, sha256_file(p), file_size(p), str(made.get("rule", "")), inputs))
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))


def write_table(table: pd.DataFrame, path: str | Path) -> None:
    """Write a provenance table deterministically (UTF-8, LF)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a provenance table written by `write_table`."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    frame["bytes"] = frame["bytes"].astype(int)
    return frame


# --------------------------------------------------------------------------- manifest


def build_manifest(
    *,
    tables: Mapping[str, str | Path],
    config: Mapping[str, Any],
    config_files: Sequence[str],
    code: Sequence[str],
    root: str | Path,
    git: Mapping[str, Any] | None = None,
    env: Mapping[str, Any] | None = None,
    programme_lineage: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """The run manifest (JSON-ready) from the per-cohort provenance tables, the programme outputs and the run's
    configuration and code."""
    from workforce_eval import __version__

    root = Path(root)
    cohorts: dict[str, Any] = {}
    for cohort, table_path in sorted(tables.items()):
        table = read_table(table_path)
        ins = table[table["role"] == "input"]
        outs = table[table["role"] == "output"]
        hashes = dict(zip(ins["path"], ins["sha256"], strict=True))
        cohorts[cohort] = {
            "provenance_table": {"path": Path(table_path).as_posix(), "sha256": sha256_file(table_path)},
            "inputs_sha256": inputs_digest(hashes),
            "inputs": {r.path: {"sha256": r.sha256, "bytes": int(r.bytes)} for r in ins.itertuples()},
            "outputs": {
                r.path: {
                    "sha256": r.sha256,
                    "bytes": int(r.bytes),
                    "rule": r.rule,
                    "inputs": [x for x in r.inputs.split(";") if x],
                }
                for r in outs.itertuples()
            },
        }
    return {
        "manifest_version": MANIFEST_VERSION,
        "about": (
            "Provenance of one run of the workforce-eval pipeline. Input paths are relative to "
            "<data_dir>/<cohort>/, output paths to <results_dir>/, code and configuration paths to the "
            "project root. Executed notebooks (.ipynb) are hashed after dropping papermill's timing "
            "metadata. Check with: workforce-eval verify --results <results_dir>"
        ),
        "pipeline": {"name": "workforce-eval", "version": __version__},
        "git": dict(git) if git is not None else git_state(root),
        "data_dir": str(config.get("data_dir", "")),
        "results_dir": str(config.get("results_dir", "")),
        "config": _jsonable(config),
        "config_files": {Path(f).as_posix(): sha256_file(root / f) for f in sorted(config_files)},
        "code": {Path(f).as_posix(): sha256_file(root / f) for f in sorted(code)},
        "code_newer_than_outputs": package_code_newer_than_outputs(code, root, cohorts, config),
        "software": dict(env) if env is not None else software(),
        "cohorts": cohorts,
        "programmes": programme_outputs(root / str(config.get("results_dir", "results")), programme_lineage or {}),
    }


def programme_outputs(results: Path, lineage: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Every file under `<results>/programmes/<slug>/` with its SHA-256, size and the rule that wrote it."""
    out: dict[str, Any] = {}
    base = results / "programmes"
    if not base.is_dir():
        return out
    for folder in sorted(p for p in base.iterdir() if p.is_dir()):
        files: dict[str, Any] = {}
        for p in sorted(x for x in folder.rglob("*") if x.is_file()):
            rel = p.relative_to(results).as_posix()
            made = lineage.get(str(results / rel), {})
            files[rel] = {
                "sha256": sha256_file(p),
                "bytes": file_size(p),
                "rule": str(made.get("rule", "")),
                "inputs": [str(i) for i in made.get("inputs", [])],
            }
        out[folder.name] = {"outputs": files}
    return out


def package_code_newer_than_outputs(
    code: Sequence[str], root: Path, cohorts: Mapping[str, Any], config: Mapping[str, Any]
) -> list[str]:
    """Package source files modified after the oldest output was written (empty after a clean run).

    Snakemake reruns a rule when its script, inputs or parameters change, but not when the package the
    script imports changes; outputs older than the package code may not be what that code makes.
    """
    results = root / str(config.get("results_dir", "results"))
    times = [
        (results / rel).stat().st_mtime
        for rec in cohorts.values()
        for rel in rec["outputs"]
        if (results / rel).is_file()
    ]
    if not times:
        return []
    oldest = min(times)
    package = [f for f in code if Path(f).as_posix().startswith("src/")]
    return sorted(Path(f).as_posix() for f in package if (root / f).stat().st_mtime > oldest)


def _jsonable(value: Any) -> Any:
    """A plain-JSON copy of a config value (Snakemake's config may hold its own mapping types)."""
    return json.loads(json.dumps(value, default=str, sort_keys=True))


def manifest_text(manifest: Mapping[str, Any]) -> str:
    """Deterministic JSON text of a manifest (2-space indent, UTF-8, trailing newline)."""
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def write_manifest(manifest: Mapping[str, Any], path: str | Path) -> None:
    """Write a manifest deterministically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(manifest_text(manifest).encode("utf-8"))


# --------------------------------------------------------------------------- verify


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
    from workforce_eval.inputs.validate import INPUT_FILES

    for cohort, rec in manifest.get("cohorts", {}).items():
        in_dir = data / cohort
        for name, entry in rec.get("inputs", {}).items():
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
        base = results / "programmes" / slug
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


# --------------------------------------------------------------------------- report helpers


def input_table(meta: Mapping[str, Any]) -> pd.DataFrame:
    """The cohort's input files and their SHA-256 as recorded in cohort.json, for the report."""
    hashes = meta.get("input_sha256") or {}
    return pd.DataFrame({"Input file": list(hashes), "SHA-256": list(hashes.values())})


def provenance_html(meta: Mapping[str, Any], version: str) -> str:
    """The report's provenance paragraph and input-hash table as escaped HTML."""
    digest = meta_inputs_digest(meta)
    table = input_table(meta).to_html(index=False, escape=True)
    return (
        f"<p>Built by workforce-eval {html.escape(version)} from the input files below. Every row of "
        "<code>statistics.csv</code> names the rule that computed it (<code>rule</code>) and the digest "
        f"of these inputs (<code>inputs_sha256</code> = <code>{html.escape(digest)}</code>). The run's "
        "manifest (<code>provenance/manifest.json</code>) adds the hash of every output, the configuration, "
        "the code version and the software; <code>workforce-eval verify</code> re-checks them.</p>" + table
    )

