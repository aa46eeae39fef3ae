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

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from workforce_eval import __version__, atomic, layout
from workforce_eval.hashing import file_size, inputs_digest, sha256_file
from workforce_eval.names import DENY_LIST
from workforce_eval.provenance.environment import git_state, software

#: Version of the manifest layout (bump when its keys change meaning).
MANIFEST_VERSION = 1

#: Columns of a per-cohort provenance table, in order.
TABLE_COLUMNS: tuple[str, ...] = ("role", "path", "sha256", "bytes", "rule", "inputs")
#: Input files recorded as used but never hashed or sized: a hash of a short list of names gives the
#: names back from a dictionary in milliseconds (threat model, docs/threat-model.md).
NOT_HASHED: tuple[str, ...] = (DENY_LIST,)


# --------------------------------------------------------------------------- per-cohort table


def made_by(lineage: Mapping[str, Mapping[str, Any]], results: Path, rel: str) -> Mapping[str, Any]:
    """The lineage entry of the output `<results>/<rel>`: its own, else that of the nearest folder it lies in (a
    rule's directory output, e.g. a cohort's figures), else none."""
    path = results / rel
    for candidate in (path, *path.parents):
        made = lineage.get(str(candidate))
        if made is not None:
            return made
        if candidate == results:
            break
    return {}


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
        if name in NOT_HASHED:
            rows.append(("input", name, "", 0, "", ""))
            continue
        rows.append(("input", name, sha256_file(p), file_size(p), "", ""))
    base = res / cohort
    for p in sorted(x for x in base.rglob("*") if x.is_file()):
        rel = p.relative_to(res).as_posix()
        made = made_by(lineage, res, rel)
        inputs = ";".join(str(i) for i in made.get("inputs", []))
        rows.append(("output", rel, sha256_file(p), file_size(p), str(made.get("rule", "")), inputs))
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))


def write_table(table: pd.DataFrame, path: str | Path) -> None:
    """Write a provenance table deterministically (UTF-8, LF)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic.replacing(path) as tmp:
        table.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a provenance table written by `write_table`."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    frame["bytes"] = frame["bytes"].astype(int)
    return frame


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
    root = Path(root)
    cohorts: dict[str, Any] = {}
    for cohort, table_path in sorted(tables.items()):
        table = read_table(table_path)
        ins = table[table["role"] == "input"]
        outs = table[table["role"] == "output"]
        hashes = {p: h for p, h in zip(ins["path"], ins["sha256"], strict=True) if p not in NOT_HASHED}
        cohorts[cohort] = {
            "provenance_table": {"path": Path(table_path).as_posix(), "sha256": sha256_file(table_path)},
            "inputs_sha256": inputs_digest(hashes),
            "inputs": {r["path"]: {"sha256": r["sha256"], "bytes": int(r["bytes"])} for r in ins.to_dict("records")},
            "outputs": {
                r["path"]: {
                    "sha256": r["sha256"],
                    "bytes": int(r["bytes"]),
                    "rule": r["rule"],
                    "inputs": [x for x in str(r["inputs"]).split(";") if x],
                }
                for r in outs.to_dict("records")
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
    base = layout.run(results).programmes_dir
    if not base.is_dir():
        return out
    for folder in sorted(p for p in base.iterdir() if p.is_dir()):
        files: dict[str, Any] = {}
        for p in sorted(x for x in folder.rglob("*") if x.is_file()):
            rel = p.relative_to(results).as_posix()
            made = made_by(lineage, results, rel)
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
    return atomic.json_text(manifest)


def write_manifest(manifest: Mapping[str, Any], path: str | Path) -> None:
    """Write a manifest deterministically."""
    atomic.write_json(path, manifest)
