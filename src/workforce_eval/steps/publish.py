"""The `publish` rule: the publication bundle `<results_dir>/published/`, and the restricted notes.

The bundle is a copy, laid out as under `<results_dir>`, of exactly what a trust may publish, made from the
rule's declared inputs: reports (HTML, PDF) and figures copied as they are; every register (a cohort's, an
organisation register, a programme's) written masked (`register.published.mask`: the numbers of suppressed
rows blank, `shown` as the reports print them); the quote table (consented passages only) without its
`segment_id` column, a key into the restricted input. Any other kind of file is refused, as is anything from a
restricted folder (clean/, tables/, imported/, restricted/, logs/, provenance/). The bundle's own RO-Crate,
`published/ro-crate-metadata.json`, lists exactly the bundle's files and is written last. (The restricted notes
beside the full registers are `steps.notes`, which imports none of this.)

Deterministic (the same inputs give the same bytes; a file whose bytes are unchanged is not rewritten) and
atomic file by file. It deletes only files it wrote itself: a file the previous bundle's crate listed that the new
bundle no longer has, and only while its bytes are still the ones that crate recorded.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from workforce_eval import atomic, layout
from workforce_eval.analyses.quotes import QUOTE_COLUMNS
from workforce_eval.hashing import sha256_file
from workforce_eval.inputs import metadata
from workforce_eval.provenance import crate
from workforce_eval.register import programme_file, published
from workforce_eval.register import rows as register_rows
from workforce_eval.register.notation import DEFAULT_DISCLOSURE_THRESHOLD

log = logging.getLogger("workforce_eval")

#: Files copied into the bundle as they are, by suffix.
COPIED_SUFFIXES: frozenset[str] = frozenset({".html", ".pdf", ".png", ".svg"})
#: Folders of a cohort whose files are never published.
RESTRICTED_FOLDERS: frozenset[str] = frozenset(
    {layout.CLEAN_DIR, layout.TABLES_DIR, layout.IMPORTED_DIR, layout.RESTRICTED_DIR}
)
#: Run-level folders never published.
RESTRICTED_RUN_FOLDERS: frozenset[str] = frozenset(
    {layout.LOGS_DIR, layout.PROVENANCE_DIR, layout.RESTRICTED_DIR, layout.PUBLISHED_DIR}
)
#: The quote table's column left out of the published copy: the input row's id (a key into restricted data).
QUOTE_KEY = "segment_id"


def _files(results_dir: Path, inputs: Sequence[str | Path]) -> list[Path]:
    """The declared inputs as files, sorted, without repeats. A folder stands for its reports and figures (HTML,
    PDF, PNG, SVG): not the executed notebooks beside the reports, nor hidden files such as Snakemake's
    `.snakemake_timestamp` in a directory output. A file named on its own is checked by `_check_publishable`."""
    found: set[Path] = set()
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found.update(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix in COPIED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            found.add(path)
    return sorted(found, key=lambda p: p.relative_to(results_dir).as_posix())


def _check_publishable(rel: Path) -> None:
    """ValueError unless `rel` (relative to the results folder) is a kind of file the bundle may hold."""
    parts = rel.parts
    restricted_run = parts[0] in RESTRICTED_RUN_FOLDERS
    restricted_cohort = parts[0] != layout.PROGRAMMES_DIR and len(parts) > 2 and parts[1] in RESTRICTED_FOLDERS
    if restricted_run or restricted_cohort:
        raise ValueError(f"{rel.as_posix()} lies in a restricted folder: it is never published")
    if rel.name in (layout.STATISTICS, layout.QUOTES) or rel.suffix in COPIED_SUFFIXES:
        return
    raise ValueError(f"{rel.as_posix()} is not a kind of file the publication bundle holds")


def threshold_of(results_dir: Path, rel: Path) -> int:
    """The disclosure threshold a register's reports print with: the cohort's (cohort.json) for a cohort or an
    organisation register, the programme's (programme.json: the highest of its cohorts') for a programme's."""
    run = layout.run(results_dir)
    if rel.parts[0] == layout.PROGRAMMES_DIR:
        doc = json.loads(run.programme(rel.parts[1]).programme_json.read_text(encoding="utf-8"))
        k = doc.get("disclosure_threshold")
        return DEFAULT_DISCLOSURE_THRESHOLD if k is None else int(k)
    cohort = metadata.load(run.cohort(rel.parts[0]).cohort_json)
    return DEFAULT_DISCLOSURE_THRESHOLD if cohort.disclosure_threshold is None else int(cohort.disclosure_threshold)


def _masked_register(results_dir: Path, source: Path, rel: Path, dest: Path) -> None:
    k = threshold_of(results_dir, rel)
    programme = rel.parts[0] == layout.PROGRAMMES_DIR
    frame = programme_file.read(source) if programme else register_rows.read(source)
    published.write(published.mask(frame, k), dest)


def _quotes(source: Path, dest: Path) -> None:
    frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8")
    frame = frame.drop(columns=[QUOTE_KEY], errors="ignore")
    unknown = [c for c in frame.columns if c not in QUOTE_COLUMNS and c not in ("priority", "selected")]
    if unknown:
        raise ValueError(f"{source}: unexpected quote-table columns {unknown}")
    # the cells were neutralised for spreadsheets when the full table was written: copied as they are
    atomic.write_bytes_if_changed(dest, frame.to_csv(index=False, lineterminator="\n").encode("utf-8"))


def _describe(rel: Path) -> str:
    """A bundle file's description in the crate."""
    where = (
        f"programme {rel.parts[1]}"
        if rel.parts[0] == layout.PROGRAMMES_DIR
        else f"cohort {rel.parts[0]}" + (" (organisation reports)" if layout.ORGANISATIONS_DIR in rel.parts else "")
    )
    if rel.name == layout.STATISTICS:
        return (
            f"Published statistics register of {where}: the full register's rows, with the numbers disclosure "
            "control hides left blank and the notation the reports print in 'shown'."
        )
    if rel.name == layout.QUOTES:
        return f"Consented quotes of {where}, attributed by pseudonym and group."
    if layout.FIGURES_DIR in rel.parts:
        return f"Figure of {where}."
    return f"Report of {where}."


def publish(results_dir: Path, inputs: Sequence[str | Path], manifest_path: Path, out_metadata: Path) -> None:
    """Write the publication bundle from the declared inputs (files or folders under `results_dir`) and, last,
    its RO-Crate `out_metadata` (`published/ro-crate-metadata.json`); remove files of the previous bundle (as
    its crate lists them, bytes unchanged) that are no longer part of it."""
    results_dir = Path(results_dir)
    run = layout.run(results_dir)
    if Path(out_metadata).resolve() != run.published_crate_metadata.resolve():
        raise ValueError(f"the publication crate must be {run.published_crate_metadata}, not {out_metadata}")
    bundle = run.published_dir
    written: dict[str, str] = {}
    for source in _files(results_dir, inputs):
        rel = source.relative_to(results_dir)
        _check_publishable(rel)
        dest = run.published(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if rel.name == layout.STATISTICS:
            _masked_register(results_dir, source, rel, dest)
        elif rel.name == layout.QUOTES:
            _quotes(source, dest)
        else:
            atomic.write_bytes_if_changed(dest, source.read_bytes())
        written[rel.as_posix()] = _describe(rel)
    _remove_stale(bundle, set(written), Path(out_metadata))
    manifest: dict[str, Any] = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    doc = crate.build_publication_crate(manifest, bundle, sorted(written), written)
    atomic.write_json(out_metadata, doc, sort_keys=True)
    log.info("published %d files to %s", len(written), bundle)


def _remove_stale(bundle: Path, keep: set[str], metadata_path: Path) -> None:
    """Delete the files the previous bundle's crate lists that are not in `keep`, if their bytes are still the
    ones it recorded (so a file someone else put or changed there is never deleted)."""
    if not metadata_path.is_file():
        return
    try:
        previous = crate.crate_files(json.loads(metadata_path.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, AttributeError):
        return
    for rel, digest in sorted(previous.items()):
        path = bundle / rel
        if rel in keep or not digest or not path.is_file() or ".." in Path(rel).parts:
            continue
        if sha256_file(path) == digest:
            path.unlink()
            log.info("removed %s (no longer published)", path)
