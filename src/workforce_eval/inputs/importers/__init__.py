"""Importers: raw exports declared under `sources:` in cohort.yaml, converted into the contract's files.

`run(cohort_dir, out_dir)` is the import rule: it reads the cohort folder (never writes to it), converts
each declared export and writes the whole set of contract files the clean rule validates into `out_dir`
(`results/<cohort>/imported/`), with `sources.json` recording each original file's SHA-256. Privacy
files (deny list, allow list) are not copied: the clean rule reads them from the cohort folder.
Everything is computed before anything is written, so bad input leaves no partial folder.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workforce_eval import atomic
from workforce_eval.errors import InputError
from workforce_eval.hashing import sha256_file
from workforce_eval.inputs import privacy
from workforce_eval.inputs.importers import flat, msforms, qualtrics, redcap, refi_qda
from workforce_eval.inputs.importers.common import Imported, check_inside
from workforce_eval.inputs.readers import YamlDoc, read_csv
from workforce_eval.inputs.spec import Codebook, Instrument, Source, load_codebook, load_cohort_meta, load_instrument
from workforce_eval.layout import IMPORT_RECORD
from workforce_eval.names import CONTRACT_INPUT_FILES

Importer = Callable[[Path, Source, "Context"], Imported]


class Context:
    """What an importer may consult: the cohort's hand-written codebook, instrument and roster (group by id)."""

    def __init__(self, cohort_dir: Path) -> None:
        self.cohort_dir = cohort_dir
        c, i, p = (cohort_dir / n for n in ("codebook.yaml", "instrument.yaml", "participants.csv"))
        self.codebook: Codebook | None = load_codebook(c) if c.is_file() else None
        self.instrument: Instrument | None = load_instrument(i) if i.is_file() else None
        self.roster: dict[str, str] = {}
        if p.is_file():
            frame = read_csv(p)
            if {"participant_id", "group"} <= set(frame.columns):
                self.roster = {
                    str(k): str(v) for k, v in zip(frame["participant_id"], frame["group"]) if isinstance(k, str)
                }

    def need_instrument(self, source: Source) -> Instrument:
        if self.instrument is None:
            raise InputError(
                self.cohort_dir / "instrument.yaml",
                expected=f"instrument.yaml (required to map the {source.format} export of {source.key('file')})",
                found="no such file",
            )
        return self.instrument


IMPORTERS: dict[str, Importer] = {
    "refi_qda": lambda path, s, ctx: refi_qda.import_project(path, s, ctx.codebook, ctx.roster),
    "taguette": lambda path, s, ctx: flat.import_taguette(path, s, ctx.codebook, ctx.roster, ctx.cohort_dir),
    "qualcoder_csv": lambda path, s, ctx: flat.import_qualcoder(path, s, ctx.codebook, ctx.roster, ctx.cohort_dir),
    "qualtrics": lambda path, s, ctx: qualtrics.import_survey(path, s, ctx.need_instrument(s)),
    "redcap": lambda path, s, ctx: redcap.import_survey(path, s, ctx.need_instrument(s), ctx.cohort_dir),
    "msforms": lambda path, s, ctx: msforms.import_survey(path, s, ctx.need_instrument(s)),
}
#: The folder of a cohort's results the import writes (named in messages).
IMPORTED_NAME = "imported"
#: The contract files each kind of source makes.
MAKES = {"segments": ("segments.csv", "codebook.yaml"), "survey": ("survey.csv",)}


#: The mark `workforce-eval import` puts on each guess of a draft; the evaluator deletes it to confirm.
GUESS_MARK = "# GUESS"


def check_confirmed(path: Path) -> None:
    """Refuse a draft's file that still holds an unconfirmed guess (its line and the key on it)."""
    if not path.is_file() or path.is_symlink():
        return
    for n, line in enumerate(path.read_text(encoding="utf-8-sig", errors="replace").splitlines(), start=1):
        if GUESS_MARK in line:
            key = line.split("#", 1)[0].split(":", 1)[0].strip(" -'\"") or None
            raise InputError(path, row=n, column=key, column_word="key",
                             expected="every guess of the draft confirmed (check the value, then delete its "
                             f"{GUESS_MARK!r} mark)", found="an unconfirmed guess")  # fmt: skip


def export_files(source: Source) -> list[str]:
    """The files of the cohort folder a source reads (the export, and a REDCap dictionary)."""
    return [source.file] + [str(source.options[k]) for k in ("dictionary", "documents") if k in source.options]


def convert(cohort_dir: Path, cohort_id: str) -> tuple[dict[str, str], dict[str, Any]]:
    """Every contract file of the cohort as text (imported or hand-written) and the import record.

    An error is redacted as validation's are (`privacy.redact`, with the cohort's deny list): a column name,
    cell, code or document name that looks like an identifier is shown by its kind only.
    """
    try:
        return _convert(Path(cohort_dir), cohort_id)
    except InputError as err:
        raise privacy.redact(err, Path(cohort_dir)) from None


def _convert(cohort_dir: Path, cohort_id: str) -> tuple[dict[str, str], dict[str, Any]]:
    yaml_path = cohort_dir / "cohort.yaml"
    meta = load_cohort_meta(yaml_path, cohort_id)
    if not meta.sources:
        raise InputError(yaml_path, column="sources", column_word="key", expected="a sources: section", found="none")
    doc = YamlDoc(yaml_path)
    for source in meta.sources:
        hand = cohort_dir / MAKES[source.kind][0]
        if hand.is_file():
            raise InputError(
                yaml_path,
                row=doc.line("sources", source.kind),
                column=f"sources.{source.kind}",
                column_word="key",
                expected=f"either {hand.name} or an export under sources.{source.kind}, not both",
                found=f"both {hand.name} and {source.file}",
            )
        if source.format not in IMPORTERS:
            raise InputError(
                yaml_path,
                row=doc.line("sources", source.kind, "format"),
                column=source.key("format"),
                column_word="key",
                expected="a format this version imports: " + ", ".join(IMPORTERS),
                found=source.format,
            )
    for name in ("cohort.yaml", "instrument.yaml", "codebook.yaml"):
        check_confirmed(cohort_dir / name)
    for source in meta.sources:  # every file a source reads: inside the cohort folder, never through a link
        for name in export_files(source):
            check_inside(cohort_dir, cohort_dir / name)
    ctx = Context(cohort_dir)
    files: dict[str, str] = {}
    record: dict[str, Any] = {"exports": [], "inputs": {}, "notes": [], "origins": {}}
    for source in meta.sources:
        result = IMPORTERS[source.format](cohort_dir / source.file, source, ctx)
        files.update(result.files)
        record["exports"].append(
            {
                "kind": source.kind,
                "format": source.format,
                "file": source.file,
                "sha256": sha256_file(cohort_dir / source.file),
                "makes": sorted(result.files),
            }
        )
        record["notes"] += result.notes
        for name, origin in result.origins.items():
            record["origins"][name] = {"export": source.file, **origin}
    originals = [n for n in CONTRACT_INPUT_FILES if (cohort_dir / n).is_file()]
    for name in originals:
        if name not in files:
            files[name] = (cohort_dir / name).read_text(encoding="utf-8-sig")
    used = originals + [f for s in meta.sources for f in export_files(s)]
    record["inputs"] = {name: sha256_file(cohort_dir / name) for name in sorted(set(used))}
    return files, record


def run(cohort_dir: Path, cohort_id: str, out_dir: Path) -> None:
    """The import rule: convert the cohort's exports and write every contract file and the record to out_dir."""
    files, record = convert(Path(cohort_dir), cohort_id)
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    for name in CONTRACT_INPUT_FILES:
        if name in files:
            (out_dir / name).write_text(files[name], encoding="utf-8")
    atomic.write_json(out_dir / IMPORT_RECORD, record)


def read_record(imported_dir: Path) -> dict[str, Any]:
    """The import record (`sources.json`) of an imported folder."""
    record: dict[str, Any] = json.loads((Path(imported_dir) / IMPORT_RECORD).read_text(encoding="utf-8"))
    return record


def locate(err: InputError, imported_dir: Path, cohort_dir: Path) -> InputError:
    """An error about a file the import made, told about the user's own export instead.

    The import record's `origins` give, for each made file, the export row (or REFI-QDA element) of each
    data row and, for each column, the export's column and the mapping key: the message names the
    export, its row or element, its column and the key, and still says which made file and row it was.
    """
    imported_dir = Path(imported_dir)
    made = Path(err.file)
    if made.parent != imported_dir:
        return err
    try:
        origin = read_record(imported_dir).get("origins", {}).get(made.name)
    except (OSError, ValueError):
        return err
    if not isinstance(origin, dict):
        return err
    export = Path(cohort_dir) / str(origin.get("export", ""))
    rows = err.rows or ((err.row,) if err.row is not None else ())
    found_rows = [origin["rows"][r - 2] for r in rows if 0 <= r - 2 < len(origin.get("rows", []))]
    column, key = (origin.get("columns", {}).get(err.column) or ["", ""])[:2]
    where = f"{IMPORTED_NAME}/{made.name}" + (f" row {rows[0]}" if rows else "")
    expected = f"{err.expected} (mapping key {key}; {where})" if key else f"{err.expected} ({where})"
    if origin.get("kind") == "element":
        element = str(found_rows[0]) if found_rows else None
        word = "element" if element else err.column_word
        return dataclasses.replace(
            err, file=export, row=None, rows=(), column=element or err.column, column_word=word, expected=expected
        )
    new_rows = tuple(int(r) for r in found_rows)
    return dataclasses.replace(
        err,
        file=export,
        row=new_rows[0] if len(new_rows) == 1 else None,
        rows=new_rows if len(new_rows) > 1 else (),
        column=column or err.column,
        expected=expected,
    )
