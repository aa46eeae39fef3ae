"""Export a run as a Workflow Run RO-Crate (https://w3id.org/ro/wfrun/workflow/0.5), built with `rocrate`.

The crate's root is the results folder: `ro-crate-metadata.json` sits beside the cohort folders,
whose outputs are the crate's data entities. A snapshot of the code and configuration the run used
(the files hashed in the manifest) is copied to `provenance/code/`, so the crate holds the
workflow it describes (`provenance/code/workflow/Snakefile` is the main entity).

Input files are *not* copied: they hold participant-level answers and unconsented passages, which
never enter the results folder. They are described as local-identifier File entities
(`#input:<cohort>/<file>`) with their SHA-256 and size, which RO-Crate allows for data not in the payload.

Deterministic: entities are added in a fixed order, nothing records the wall clock (the date is the
code's git commit date, or `SOURCE_DATE_EPOCH`), and the JSON is written with sorted keys.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workforce_eval import atomic
from workforce_eval.hashing import file_size, sha256_file

#: RO-Crate version of the crate: Workflow Run Crate 0.5 builds on RO-Crate 1.1.
RO_CRATE_VERSION = "1.1"

#: Profiles the crate conforms to: (permalink, name, version).
PROFILES: tuple[tuple[str, str, str], ...] = (
    ("https://w3id.org/ro/wfrun/process/0.5", "Process Run Crate", "0.5"),
    ("https://w3id.org/ro/wfrun/workflow/0.5", "Workflow Run Crate", "0.5"),
    ("https://w3id.org/workflowhub/workflow-ro-crate/1.0", "Workflow RO-Crate", "1.0"),
)

#: Terms pinned in an inline context to the IRIs of the RO-Crate 1.1 context. They repeat what the
#: 1.1 context says (and what the workflow-run-crate SHACL shapes of roc-validator target), so the
#: crate expands to the same graph whichever copy of the remote context a reader resolves.
CONTEXT_PINS: dict[str, str] = {
    "ComputationalWorkflow": "https://bioschemas.org/ComputationalWorkflow",
    "FormalParameter": "https://bioschemas.org/FormalParameter",
    "input": "https://bioschemas.org/ComputationalWorkflow#input",
    "output": "https://bioschemas.org/ComputationalWorkflow#output",
    "sha256": "http://schema.org/sha256",
}

#: Media types by file suffix.
MEDIA_TYPES: dict[str, str] = {
    ".csv": "text/csv",
    ".json": "application/json",
    ".parquet": "application/vnd.apache.parquet",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".html": "text/html",
    ".ipynb": "application/x-ipynb+json",
    ".yaml": "application/yaml",
    ".py": "text/x-python",
    ".smk": "text/x-python",
    ".rst": "text/x-rst",
    ".md": "text/markdown",
}

LICENSE = "https://spdx.org/licenses/MIT"

CODE_DIR = "provenance/code"


def crate_date(git: dict[str, Any]) -> str:
    """The crate's date: the git commit date of the code when known, else SOURCE_DATE_EPOCH (default 0), in UTC."""
    if git.get("commit_date"):
        return str(git["commit_date"])
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    return datetime.fromtimestamp(epoch, tz=UTC).isoformat()


def copy_code(manifest: dict[str, Any], root: Path, dest: Path) -> list[str]:
    """Copy the code and configuration files hashed in the manifest to `dest`, keeping their relative paths."""
    if dest.exists():
        shutil.rmtree(dest)
    names = sorted(set(manifest.get("code", {})) | set(manifest.get("config_files", {})))
    for name in names:
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / name, target)
    return names


def build_crate(manifest: dict[str, Any], results_dir: Path, code_names: list[str]) -> dict[str, Any]:
    """The crate's JSON-LD (as a dict) for a run described by its manifest; `results_dir` is the crate root."""
    from rocrate.model.contextentity import ContextEntity
    from rocrate.rocrate import ROCrate

    crate = ROCrate(gen_preview=False, version=RO_CRATE_VERSION)
    crate.metadata.extra_terms.update(CONTEXT_PINS)
    cohorts = sorted(manifest.get("cohorts", {}))
    software = manifest.get("software", {})
    packages = software.get("packages", {})
    git = manifest.get("git", {})

    def entity(identifier: str, props: dict[str, Any]) -> Any:
        return crate.add(ContextEntity(crate, identifier, properties=props))

    def ref(e: Any) -> dict[str, str]:
        return {"@id": e.id if hasattr(e, "id") else str(e)}

    root = crate.root_dataset
    root["name"] = f"workforce-eval run: {', '.join(cohorts)}"
    root["description"] = (
        "Outputs of one run of the workforce-eval evaluation pipeline (statistics registers, figures, "
        "reports) with their SHA-256, the configuration and the code that produced them. Input files are "
        "described by their hashes but not included. Timings are kept out of this file (see the logs)."
    )
    root["datePublished"] = crate_date(git)
    root["license"] = ref(entity(LICENSE, {"@type": "CreativeWork", "name": "MIT License"}))
    for permalink, name, version in PROFILES:
        root.append_to("conformsTo", entity(permalink, {"@type": "CreativeWork", "name": name, "version": version}))

    # --- software
    python = entity(
        f"https://www.python.org/downloads/release/python-{software.get('python', '').replace('.', '')}/",
        {
            "@type": "SoftwareApplication",
            "name": software.get("implementation", "Python"),
            "version": software.get("python", ""),
            "url": "https://www.python.org/",
        },
    )
    apps = [python]
    for name, version in packages.items():
        apps.append(
            entity(
                f"https://pypi.org/project/{name}/{version}/",
                {
                    "@type": "SoftwareApplication",
                    "name": name,
                    "version": version,
                    "url": f"https://pypi.org/project/{name}/",
                },
            )
        )
    pipeline = manifest.get("pipeline", {})

    # --- workflow (the code snapshot)
    snakemake_version = packages.get("snakemake")
    main_name = "workflow/Snakefile"
    workflow = crate.add_workflow(
        source=None if not (results_dir / CODE_DIR / main_name).is_file() else results_dir / CODE_DIR / main_name,
        dest_path=f"{CODE_DIR}/{main_name}",
        main=True,
        lang="snakemake",
        lang_version=snakemake_version,
        properties={
            "name": f"{pipeline.get('name', 'workforce-eval')} {pipeline.get('version', '')}".strip(),
            "description": "Snakemake workflow of the evaluation pipeline (rules call the workforce_eval package).",
            "version": pipeline.get("version", ""),
            "sha256": manifest.get("code", {}).get(main_name, ""),
            "encodingFormat": "text/x-python",
            "conformsTo": {"@id": "https://bioschemas.org/profiles/ComputationalWorkflow/1.0-RELEASE"},
        },
    )
    if git.get("commit"):
        workflow["identifier"] = f"git:{git['commit']}"
        workflow["description"] += f" Git commit {git['commit']}" + (
            " (uncommitted changes)." if git.get("dirty") else "."
        )
    workflow["softwareRequirements"] = [ref(a) for a in apps]
    code_dir = crate.add_dataset(
        dest_path=f"{CODE_DIR}/",
        properties={
            "name": "Code and configuration of the run",
            "description": (
                "Copies of the files hashed in provenance/manifest.json (workflow, package, notebook, config)."
            ),
        },
    )
    root.append_to("hasPart", code_dir)
    for name in code_names:
        if name == main_name:
            code_dir.append_to("hasPart", workflow)
            continue
        path = results_dir / CODE_DIR / name
        f = crate.add_file(
            source=path,
            dest_path=f"{CODE_DIR}/{name}",
            properties={
                "name": name,
                "sha256": sha256_file(path),
                "contentSize": str(file_size(path)),
                "encodingFormat": MEDIA_TYPES.get(Path(name).suffix, "application/octet-stream"),
            },
        )
        code_dir.append_to("hasPart", f)

    # --- formal parameters and their values
    def parameter(pid: str, name: str, kind: str, description: str) -> Any:
        return crate.add_formal_parameter(name, kind, identifier=pid, description=description)

    objects: list[Any] = []
    results: list[Any] = []
    config = manifest.get("config", {})
    for key in sorted(config):
        fp = parameter(
            f"#param-config-{key}", key, "Text", f"Configuration key `{key}` (config/config.yaml or --config)."
        )
        workflow.append_to("input", fp)
        value = config[key]
        pv = entity(
            f"#pv-config-{key}",
            {
                "@type": "PropertyValue",
                "name": key,
                "value": value if isinstance(value, str) else json.dumps(value, sort_keys=True),
                "exampleOfWork": ref(fp),
            },
        )
        objects.append(pv)
    input_params: dict[str, Any] = {}
    output_params: dict[str, Any] = {}

    for cohort in cohorts:
        rec = manifest["cohorts"][cohort]
        for name, info in rec.get("inputs", {}).items():
            if name not in input_params:
                input_params[name] = parameter(
                    f"#param-input-{name}", name, "File", f"The cohort's {name} (docs/data-contract.md)."
                )
                workflow.append_to("input", input_params[name])
            f = entity(
                f"#input:{cohort}/{name}",
                {
                    "@type": "File",
                    "name": f"{cohort}/{name}",
                    "description": f"Input file {manifest.get('data_dir', '')}/{cohort}/{name}; not included in the "
                    "crate (participant-level data), identified by its SHA-256"
                    + ("." if info["sha256"] else " (not recorded for this file: it lists names)."),
                    **({"sha256": info["sha256"], "contentSize": str(info["bytes"])} if info["sha256"] else {}),
                    "encodingFormat": MEDIA_TYPES.get(Path(name).suffix, "application/octet-stream"),
                    "exampleOfWork": ref(input_params[name]),
                },
            )
            root.append_to("hasPart", f)
            objects.append(f)
        folder = crate.add_dataset(
            dest_path=f"{cohort}/",
            properties={
                "name": f"Results of cohort {cohort}",
                "description": f"Outputs of cohort {cohort}; inputs digest {rec.get('inputs_sha256', '')}.",
            },
        )
        root.append_to("hasPart", folder)
        for rel, info in rec.get("outputs", {}).items():
            kind = rel.split("/", 1)[1] if "/" in rel else rel
            if kind not in output_params:
                output_params[kind] = parameter(
                    f"#param-output-{kind}",
                    kind,
                    "File",
                    f"Output {kind} of each cohort (rule {info.get('rule', '')}).",
                )
                workflow.append_to("output", output_params[kind])
            f = crate.add_file(
                source=results_dir / rel,
                dest_path=rel,
                properties={
                    "name": kind,
                    "description": f"Written by rule {info.get('rule', '')} of cohort {cohort}.",
                    "sha256": info["sha256"],
                    "contentSize": str(info["bytes"]),
                    "encodingFormat": MEDIA_TYPES.get(Path(rel).suffix, "application/octet-stream"),
                    "exampleOfWork": ref(output_params[kind]),
                },
            )
            folder.append_to("hasPart", f)
            results.append(f)

    # --- provenance files
    prov = crate.add_dataset(
        dest_path="provenance/",
        properties={
            "name": "Provenance",
            "description": "The run manifest and one provenance table per cohort (hash, size and rule of every file).",
        },
    )
    root.append_to("hasPart", prov)
    man_param = parameter("#param-output-manifest", "manifest", "File", "The run manifest.")
    workflow.append_to("output", man_param)
    prov_files = [("provenance/manifest.json", man_param)]
    for cohort in cohorts:
        table = manifest["cohorts"][cohort].get("provenance_table")
        if table:
            if "table" not in output_params:
                output_params["table"] = parameter(
                    "#param-output-provenance-table", "provenance table", "File", "Per-cohort provenance table."
                )
                workflow.append_to("output", output_params["table"])
            prov_files.append((f"provenance/{Path(table['path']).name}", output_params["table"]))
    for rel, fp in prov_files:
        path = results_dir / rel
        f = crate.add_file(
            source=path,
            dest_path=rel,
            properties={
                "name": Path(rel).name,
                "sha256": sha256_file(path),
                "contentSize": str(file_size(path)),
                "encodingFormat": MEDIA_TYPES.get(Path(rel).suffix, "application/octet-stream"),
                "exampleOfWork": ref(fp),
            },
        )
        prov.append_to("hasPart", f)
        results.append(f)

    action = crate.add_action(
        workflow,
        identifier="#run",
        object=objects,
        result=results,
        properties={
            "@type": "CreateAction",
            "name": f"Run of workforce-eval on {', '.join(cohorts)}",
            "description": "Start and end times are not recorded here (they would make the crate differ between "
            "identical runs); see <results_dir>/logs/.",
            "actionStatus": "http://schema.org/CompletedActionStatus",
        },
    )
    root["mentions"] = ref(action)
    return crate.metadata.generate()


def crate_text(crate: dict[str, Any]) -> str:
    """Deterministic JSON text of a crate (sorted keys, 2-space indent, trailing newline)."""
    return atomic.json_text(crate, sort_keys=True)


def write_crate(manifest_path: Path, root: Path, results_dir: Path, out_metadata: Path, out_code: Path) -> None:
    """Copy the run's code to `out_code` and write `ro-crate-metadata.json` for the run described by the manifest."""
    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    results_dir = Path(results_dir)
    expected = results_dir / CODE_DIR
    if Path(out_code).resolve() != expected.resolve():
        raise ValueError(f"the code snapshot must be at {expected}, not {out_code}")
    names = copy_code(manifest, Path(root), Path(out_code))
    atomic.write_json(out_metadata, build_crate(manifest, results_dir, names), sort_keys=True)
