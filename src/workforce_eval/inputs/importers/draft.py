"""`workforce-eval import <format> <file> --out <folder>`: a draft cohort folder made from one export.

The folder holds the contract files made from the export (segments.csv and codebook.yaml, or survey.csv
and instrument.yaml), a cohort.yaml to complete, and `mapping.yaml`: the `sources:` section inferred
from the export, ready to move into cohort.yaml so that the pipeline imports the export itself. Every
inferred value is marked `# GUESS` for the evaluator to confirm; nothing is written over an existing
folder unless `force`.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from workforce_eval.errors import InputError
from workforce_eval.inputs.importers import qualtrics, refi_qda
from workforce_eval.inputs.importers.common import csv_rows, fold
from workforce_eval.inputs.spec import Instrument, Item, Scale, Source
from workforce_eval.inputs.validate import fold_label

DRAFT_FORMATS = ("refi_qda", "qualtrics")
AGREE5 = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
GUESS = "  # GUESS: confirm"


class DraftExists(Exception):
    """The output folder exists and is not empty (and --force was not given)."""


def _yaml(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _mark(text: str, keys: set[str]) -> str:
    """Append the GUESS marker to every YAML line whose key is one of `keys`."""
    out = []
    for line in text.splitlines():
        key = line.strip().split(":", 1)[0].lstrip("- ")
        out.append(line + GUESS if key in keys else line)
    return "\n".join(out) + "\n"


def _refi(export: Path, folder: Path) -> tuple[dict[str, str], dict[str, Any], list[str], set[str]]:
    project = refi_qda.Project(export, refi_qda.read_export(export))
    names = list(project.variables().values())
    group = next((n for n in names if "group" in fold(n)), None)
    consent = next((n for n in names if "consent" in fold(n)), None)
    options: dict[str, Any] = {"participant": "case"}
    if group:
        options["group"] = group
    if consent:
        options["consent"] = consent
        options["consent_values"] = ["Yes"]
    source = Source("segments", "refi_qda", export.name, options)
    result = refi_qda.import_project(export, source, None, {})
    rows = csv_rows(export, result.files["segments.csv"])
    groups = sorted({r[4] for r in rows[1:] if len(r) > 4 and r[4]})
    return result.files, {"segments": {"format": "refi_qda", "file": export.name, **options}}, groups, set(options)


MISSING = ("Prefer not to say", "N/A", "Don't know")


def _kind(values: list[str]) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """A guessed item type, levels and missing labels from an item's answers (labels compared folded)."""
    distinct = list({fold_label(v): v for v in reversed([v for v in values if v])}.values())[::-1]
    missing = tuple(m for m in MISSING if fold_label(m) in {fold_label(v) for v in distinct})
    answers = [v for v in distinct if fold_label(v) not in {fold_label(m) for m in MISSING}]
    folded = {fold_label(v) for v in answers}
    if answers and folded <= {fold_label(x) for x in AGREE5}:
        return "likert", AGREE5, missing
    if answers and folded <= {"yes", "no"}:
        return "yesno", ("No", "Yes"), missing
    if answers and all(re.fullmatch(r"-?\d+(\.\d+)?", v) for v in answers) and len(answers) > 7:
        return "numeric", (), ()
    if 0 < len(answers) <= 7:
        return "choice", tuple(answers), missing
    return "free_text", (), ()


def _qualtrics(export: Path, folder: Path) -> tuple[dict[str, str], dict[str, Any], list[str], set[str]]:
    table = qualtrics.read_table(export)
    skip = set(qualtrics.METADATA) | set(qualtrics.IDENTIFIERS)
    group = next((c for c in table.columns if fold(c) == "group"), None)
    if group is None:
        raise InputError(export, row=1, expected="a column named group (the group of each response)", found="none")
    questions = [c for c in table.columns if c not in skip and c != group]
    texts = {}
    scales: dict[str, Any] = {}
    items_yaml: list[dict[str, Any]] = []
    items: list[Item] = []
    for c in questions:
        j = table.columns.index(c)
        values = [r[j].strip() if j < len(r) else "" for r in table.rows]
        kind, levels, missing = _kind(values)
        iid = re.sub(r"[^a-z0-9]+", "_", c.lower()).strip("_") or "item"
        texts[iid] = c
        entry: dict[str, Any] = {"id": iid, "text": c, "type": kind}
        scale = None
        if levels:
            sid = "agree5" if kind == "likert" else "yesno" if kind == "yesno" else f"{iid}_levels"
            known = scales.setdefault(sid, {"levels": list(levels), "missing": []})
            known["missing"] = [m for m in MISSING if m in known["missing"] or m in missing]
            entry["scale"] = sid
            scale = Scale(sid, levels, tuple(known["missing"]))
        items_yaml.append(entry)
        items.append(Item(iid, c, kind, scale))
    mapping: dict[str, Any] = {"format": "qualtrics", "file": export.name, "group": group, "timepoint": "post"}
    if "ExternalReference" in table.columns:
        mapping["participant"] = "ExternalReference"
    mapping["items"] = {i.id: texts[i.id] for i in items}
    source = Source(
        "survey", "qualtrics", export.name, {k: v for k, v in mapping.items() if k not in ("format", "file")}
    )
    result = qualtrics.to_survey(table, source, Instrument(tuple(items)), qualtrics.METADATA, qualtrics.IDENTIFIERS,
                                 "ResponseId" if "ResponseId" in table.columns else None)  # fmt: skip
    instrument = _mark(_yaml({"scales": scales, "items": items_yaml}), {"type", "levels", "scale"})
    files = {"survey.csv": result.files["survey.csv"], "instrument.yaml": instrument}
    j = table.columns.index(group)
    groups = sorted({r[j].strip() for r in table.rows if j < len(r) and r[j].strip()})
    return files, {"survey": mapping}, groups, {"group", "timepoint", "participant", "items"}


def draft(fmt: str, export: Path, out: Path, force: bool = False) -> list[str]:
    """Write the draft cohort folder; returns the files written. DraftExists unless out is new/empty or force."""
    export, out = Path(export), Path(out)
    if out.exists() and any(out.iterdir()) and not force:
        raise DraftExists(f"{out} exists and is not empty; use --force to overwrite it")
    if fmt not in DRAFT_FORMATS:
        raise InputError(export, expected="a format: " + ", ".join(DRAFT_FORMATS), found=fmt)
    files, sources, groups, guessed = (_refi if fmt == "refi_qda" else _qualtrics)(export, out)
    cohort = {
        "programme": "TODO programme name",
        "cohort": "TODO cohort label",
        "design": "post_only",
        "synthetic": False,
        "groups": {g if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", g) else "TODO": g for g in groups},
    }
    files["cohort.yaml"] = (
        "# Draft made by `workforce-eval import`: complete the TODOs and confirm every GUESS.\n"
        + _mark(_yaml(cohort), {"design", "groups"} | set(groups))
    )
    files["mapping.yaml"] = (
        "# The mapping inferred from the export. To run the pipeline on the export itself, move this\n"
        "# section into cohort.yaml, copy the export next to it and delete the contract files it makes.\n"
        + _mark(_yaml({"sources": sources}), guessed)
    )
    if out.exists() and force:
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    for name, text in sorted(files.items()):
        (out / name).write_text(text, encoding="utf-8")
    return sorted(files)
