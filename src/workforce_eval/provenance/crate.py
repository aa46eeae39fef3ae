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
from workforce_eval.layout import IMPORTED_DIR

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
#: The workflow's main file, under CODE_DIR: the crate's main entity.
MAIN_WORKFLOW = "workflow/Snakefile"


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
    """The crate's JSON-LD (as a dict) for a run described by its manifest; `results_dir` is the crate root.

    One builder per entity, called in a fixed order (the order of the crate's graph): the root dataset, the
    software, the workflow and its code, the configuration, each cohort's inputs and outputs, the
    provenance files, and the run that ties them.
    """
    builder = _CrateBuilder(manifest, Path(results_dir))
    builder.add_root()
    apps = builder.add_software()
    builder.add_workflow(apps)
    builder.add_code(code_names)
    builder.add_config()
    for cohort in builder.cohorts:
        builder.add_cohort(cohort)
    builder.add_provenance_files()
    builder.add_run()
    return builder.crate.metadata.generate()


class _CrateBuilder:
    """Adds the entities of one run's crate; `objects` and `results` collect what the run used and made."""

    def __init__(self, manifest: dict[str, Any], results_dir: Path) -> None:
        from rocrate.rocrate import ROCrate

        self.manifest = manifest
        self.results_dir = results_dir
        self.crate = ROCrate(gen_preview=False, version=RO_CRATE_VERSION)
        self.crate.metadata.extra_terms.update(CONTEXT_PINS)
        self.cohorts = sorted(manifest.get("cohorts", {}))
        self.software: dict[str, Any] = manifest.get("software", {})
        self.packages: dict[str, str] = self.software.get("packages", {})
        self.git: dict[str, Any] = manifest.get("git", {})
        self.root = self.crate.root_dataset
        self.workflow: Any = None
        self.objects: list[Any] = []
        self.results: list[Any] = []
        self.input_params: dict[str, Any] = {}
        self.output_params: dict[str, Any] = {}

    def entity(self, identifier: str, props: dict[str, Any]) -> Any:
        from rocrate.model.contextentity import ContextEntity

        return self.crate.add(ContextEntity(self.crate, identifier, properties=props))

    def parameter(self, pid: str, name: str, kind: str, description: str) -> Any:
        return self.crate.add_formal_parameter(name, kind, identifier=pid, description=description)

    def add_root(self) -> None:
        """The root dataset (the results folder): name, description, date, licence, profiles."""
        root = self.root
        root["name"] = f"workforce-eval run: {', '.join(self.cohorts)}"
        root["description"] = (
            "Outputs of one run of the workforce-eval evaluation pipeline (statistics registers, figures, "
            "reports) with their SHA-256, the configuration and the code that produced them. Input files are "
            "described by their hashes but not included. Timings are kept out of this file (see the logs). "
            "This crate is the analyst's and is restricted: it lists the full statistics registers and other files "
            "that hold the numbers disclosure control hides. The publishable copy of the run is the folder "
            "published/, described by its own ro-crate-metadata.json."
        )
        root["conditionsOfAccess"] = RESTRICTED_ACCESS
        root["datePublished"] = crate_date(self.git)
        root["license"] = _ref(self.entity(LICENSE, {"@type": "CreativeWork", "name": "MIT License"}))
        for permalink, name, version in PROFILES:
            profile = {"@type": "CreativeWork", "name": name, "version": version}
            root.append_to("conformsTo", self.entity(permalink, profile))

    def add_software(self) -> list[Any]:
        """Python and each package with its version, as SoftwareApplication entities."""
        software = self.software
        python = self.entity(
            f"https://www.python.org/downloads/release/python-{software.get('python', '').replace('.', '')}/",
            {
                "@type": "SoftwareApplication",
                "name": software.get("implementation", "Python"),
                "version": software.get("python", ""),
                "url": "https://www.python.org/",
            },
        )
        apps = [python]
        for name, version in self.packages.items():
            apps.append(
                self.entity(
                    f"https://pypi.org/project/{name}/{version}/",
                    {
                        "@type": "SoftwareApplication",
                        "name": name,
                        "version": version,
                        "url": f"https://pypi.org/project/{name}/",
                    },
                )
            )
        return apps

    def add_workflow(self, apps: list[Any]) -> None:
        """The main entity: the Snakefile of the code snapshot, with its version, commit and requirements."""
        pipeline = self.manifest.get("pipeline", {})
        main = self.results_dir / CODE_DIR / MAIN_WORKFLOW
        workflow = self.crate.add_workflow(
            source=main if main.is_file() else None,
            dest_path=f"{CODE_DIR}/{MAIN_WORKFLOW}",
            main=True,
            lang="snakemake",
            lang_version=self.packages.get("snakemake"),
            properties={
                "name": f"{pipeline.get('name', 'workforce-eval')} {pipeline.get('version', '')}".strip(),
                "description": "Snakemake workflow of the evaluation pipeline (rules call the workforce_eval package).",
                "version": pipeline.get("version", ""),
                "sha256": self.manifest.get("code", {}).get(MAIN_WORKFLOW, ""),
                "encodingFormat": "text/x-python",
                "conformsTo": {"@id": "https://bioschemas.org/profiles/ComputationalWorkflow/1.0-RELEASE"},
            },
        )
        git = self.git
        if git.get("commit"):
            workflow["identifier"] = f"git:{git['commit']}"
            workflow["description"] += f" Git commit {git['commit']}" + (
                " (uncommitted changes)." if git.get("dirty") else "."
            )
        workflow["softwareRequirements"] = [_ref(a) for a in apps]
        self.workflow = workflow

    def add_code(self, code_names: list[str]) -> None:
        """The code snapshot folder and each file of it (the Snakefile is the workflow entity)."""
        code_dir = self.crate.add_dataset(
            dest_path=f"{CODE_DIR}/",
            properties={
                "name": "Code and configuration of the run",
                "description": (
                    "Copies of the files hashed in provenance/manifest.json (workflow, package, notebook, config)."
                ),
            },
        )
        self.root.append_to("hasPart", code_dir)
        for name in code_names:
            if name == MAIN_WORKFLOW:
                code_dir.append_to("hasPart", self.workflow)
                continue
            code_dir.append_to("hasPart", self._hashed_file(f"{CODE_DIR}/{name}", {"name": name}))

    def add_config(self) -> None:
        """A formal parameter for each configuration key, and the run's value of it."""
        config = self.manifest.get("config", {})
        for key in sorted(config):
            fp = self.parameter(
                f"#param-config-{key}", key, "Text", f"Configuration key `{key}` (config/config.yaml or --config)."
            )
            self.workflow.append_to("input", fp)
            value = config[key]
            pv = self.entity(
                f"#pv-config-{key}",
                {
                    "@type": "PropertyValue",
                    "name": key,
                    "value": value if isinstance(value, str) else json.dumps(value, sort_keys=True),
                    "exampleOfWork": _ref(fp),
                },
            )
            self.objects.append(pv)

    def add_cohort(self, cohort: str) -> None:
        """A cohort's input files (described, not included) and its results folder with every output."""
        rec = self.manifest["cohorts"][cohort]
        for name, info in rec.get("inputs", {}).items():
            self._add_input(cohort, name, info)
        folder = self.crate.add_dataset(
            dest_path=f"{cohort}/",
            properties={
                "name": f"Results of cohort {cohort}",
                "description": f"Outputs of cohort {cohort}; inputs digest {rec.get('inputs_sha256', '')}.",
            },
        )
        self.root.append_to("hasPart", folder)
        for rel, info in rec.get("outputs", {}).items():
            entity = self._add_output(cohort, rel, info)
            if not _is_imported(rel):
                folder.append_to("hasPart", entity)

    def _add_input(self, cohort: str, name: str, info: dict[str, Any]) -> None:
        if name not in self.input_params:
            self.input_params[name] = self.parameter(
                f"#param-input-{name}", name, "File", f"The cohort's {name} (docs/data-contract.md)."
            )
            self.workflow.append_to("input", self.input_params[name])
        f = self.entity(
            f"#input:{cohort}/{name}",
            {
                "@type": "File",
                "name": f"{cohort}/{name}",
                "description": f"Input file {self.manifest.get('data_dir', '')}/{cohort}/{name}; not included in "
                "the crate (participant-level data), identified by its SHA-256"
                + ("." if info["sha256"] else " (not recorded for this file: it lists names)."),
                **({"sha256": info["sha256"], "contentSize": str(info["bytes"])} if info["sha256"] else {}),
                "encodingFormat": _media_type(name),
                "exampleOfWork": _ref(self.input_params[name]),
            },
        )
        self.root.append_to("hasPart", f)
        self.objects.append(f)

    def _add_output(self, cohort: str, rel: str, info: dict[str, Any]) -> Any:
        if _is_imported(rel):
            return self._add_imported(cohort, rel, info)
        kind = rel.split("/", 1)[1] if "/" in rel else rel
        if kind not in self.output_params:
            self.output_params[kind] = self.parameter(
                f"#param-output-{kind}",
                kind,
                "File",
                f"Output {kind} of each cohort (rule {info.get('rule', '')}).",
            )
            self.workflow.append_to("output", self.output_params[kind])
        f = self.crate.add_file(
            source=self.results_dir / rel,
            dest_path=rel,
            properties={
                "name": kind,
                "description": f"Written by rule {info.get('rule', '')} of cohort {cohort}.",
                "sha256": info["sha256"],
                "contentSize": str(info["bytes"]),
                "encodingFormat": _media_type(rel),
                "exampleOfWork": _ref(self.output_params[kind]),
                "conditionsOfAccess": RESTRICTED_ACCESS,
            },
        )
        self.results.append(f)
        return f

    def _add_imported(self, cohort: str, rel: str, info: dict[str, Any]) -> Any:
        """A file of the import step (`<cohort>/imported/`): the contract files made from the exports, with the
        text of every coded passage, consented or not. Described by its hash as a local identifier (like the
        inputs), not as a data entity of the crate's payload: it is never to be copied on with the crate."""
        f = self.entity(
            f"#restricted:{rel}",
            {
                "@type": "File",
                "name": rel,
                "description": f"Written by rule {info.get('rule', '')} of cohort {cohort}: participant-level data "
                "and the text of every coded passage, consented for quotation or not. Not part of the crate's "
                "payload; identified by its SHA-256.",
                "sha256": info["sha256"],
                "contentSize": str(info["bytes"]),
                "encodingFormat": _media_type(rel),
                "conditionsOfAccess": RESTRICTED_ACCESS,
            },
        )
        self.results.append(f)
        return f

    def add_provenance_files(self) -> None:
        """The provenance folder: the run manifest and each cohort's provenance table."""
        prov = self.crate.add_dataset(
            dest_path="provenance/",
            properties={
                "name": "Provenance",
                "description": "The run manifest and one provenance table per cohort (hash, size and rule of every "
                "file).",
            },
        )
        self.root.append_to("hasPart", prov)
        man_param = self.parameter("#param-output-manifest", "manifest", "File", "The run manifest.")
        self.workflow.append_to("output", man_param)
        prov_files = [("provenance/manifest.json", man_param)]
        for cohort in self.cohorts:
            table = self.manifest["cohorts"][cohort].get("provenance_table")
            if table:
                if "table" not in self.output_params:
                    self.output_params["table"] = self.parameter(
                        "#param-output-provenance-table", "provenance table", "File", "Per-cohort provenance table."
                    )
                    self.workflow.append_to("output", self.output_params["table"])
                prov_files.append((f"provenance/{Path(table['path']).name}", self.output_params["table"]))
        for rel, fp in prov_files:
            f = self._hashed_file(rel, {"name": Path(rel).name, "exampleOfWork": _ref(fp)})
            prov.append_to("hasPart", f)
            self.results.append(f)

    def _hashed_file(self, rel: str, props: dict[str, Any]) -> Any:
        """A file of the crate hashed and sized here (the code snapshot and the provenance files)."""
        path = self.results_dir / rel
        properties = {
            "name": props["name"],
            "sha256": sha256_file(path),
            "contentSize": str(file_size(path)),
            "encodingFormat": _media_type(rel),
            **{k: v for k, v in props.items() if k != "name"},
        }
        return self.crate.add_file(source=path, dest_path=rel, properties=properties)

    def add_run(self) -> None:
        """The run: a CreateAction of the workflow with the inputs and values it used and the files it made."""
        action = self.crate.add_action(
            self.workflow,
            identifier="#run",
            object=self.objects,
            result=self.results,
            properties={
                "@type": "CreateAction",
                "name": f"Run of workforce-eval on {', '.join(self.cohorts)}",
                "description": "Start and end times are not recorded here (they would make the crate differ between "
                "identical runs); see <results_dir>/logs/.",
                "actionStatus": "http://schema.org/CompletedActionStatus",
            },
        )
        self.root["mentions"] = _ref(action)


def _is_imported(rel: str) -> bool:
    """Whether an output path (relative to the results folder) lies in a cohort's imported folder."""
    parts = Path(rel).parts
    return len(parts) > 2 and parts[1] == IMPORTED_DIR


def _ref(e: Any) -> dict[str, str]:
    return {"@id": e.id if hasattr(e, "id") else str(e)}


def _media_type(name: str) -> str:
    return MEDIA_TYPES.get(Path(name).suffix, "application/octet-stream")


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


# --------------------------------------------------------------------------- the publication crate

#: `conditionsOfAccess` of every file of the analyst's crate that is not in the publication bundle.
RESTRICTED_ACCESS = (
    "Restricted: for the evaluation's analysts and auditors only, never to be published. It holds numbers "
    "that disclosure control hides (or text and data they rest on); the publishable copy of the run is the "
    "folder published/ and its own ro-crate-metadata.json."
)
#: `conditionsOfAccess` of the publication bundle's files.
PUBLISHED_ACCESS = (
    "Published: disclosure-controlled outputs (hidden numbers removed, consented quotes only) that may be shared."
)


def build_publication_crate(
    manifest: dict[str, Any], published_dir: Path, files: list[str], descriptions: dict[str, str]
) -> dict[str, Any]:
    """The publication bundle's RO-Crate (RO-Crate 1.1): its root is `published_dir` and it lists exactly `files`
    (POSIX paths relative to it), each with its SHA-256, size, media type and `descriptions[path]`. It names no
    file outside the bundle: not the full registers, the code, the inputs or the run manifest (restricted)."""
    from rocrate.rocrate import ROCrate

    crate = ROCrate(gen_preview=False, version=RO_CRATE_VERSION)
    crate.metadata.extra_terms.update({"sha256": CONTEXT_PINS["sha256"]})
    root = crate.root_dataset
    pipeline = manifest.get("pipeline", {})
    git = manifest.get("git", {})
    cohorts = sorted(manifest.get("cohorts", {}))
    root["name"] = f"workforce-eval published outputs: {', '.join(cohorts)}"
    version = f"{pipeline.get('name', 'workforce-eval')} {pipeline.get('version', '')}".strip()
    root["description"] = (
        f"What one run of {version}"
        + (f" (git commit {git['commit']})" if git.get("commit") else "")
        + " publishes: the reports, figures, masked statistics registers (every number disclosure control hides is "
        "blank, with the notation the reports print in the column 'shown') and the consented quotes. Everything "
        "else the run made stays with the analyst."
    )
    root["datePublished"] = crate_date(git)
    root["conditionsOfAccess"] = PUBLISHED_ACCESS
    from rocrate.model.contextentity import ContextEntity

    licence = crate.add(ContextEntity(crate, LICENSE, properties={"@type": "CreativeWork", "name": "MIT License"}))
    root["license"] = _ref(licence)
    for rel in sorted(files):
        path = published_dir / rel
        crate.add_file(
            source=path,
            dest_path=rel,
            properties={
                "name": rel,
                "description": descriptions.get(rel, ""),
                "sha256": sha256_file(path),
                "contentSize": str(file_size(path)),
                "encodingFormat": _media_type(rel),
            },
        )
    return crate.metadata.generate()


def crate_files(crate: dict[str, Any]) -> dict[str, str]:
    """The File entities of a crate's JSON-LD: relative path -> its recorded SHA-256 ('' when none)."""
    out: dict[str, str] = {}
    for entity in crate.get("@graph", []):
        kind = entity.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        ident = str(entity.get("@id", ""))
        if "File" in kinds and ident and not ident.startswith(("#", "http:", "https:")):
            out[ident] = str(entity.get("sha256", ""))
    return out
