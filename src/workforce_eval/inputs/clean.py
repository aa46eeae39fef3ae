"""Writing a validated cohort: cleaned Parquet tables and the resolved metadata `cohort.json`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from workforce_eval import atomic, layout
from workforce_eval.errors import InputError
from workforce_eval.hashing import file_hashes
from workforce_eval.inputs.metadata import Cohort, from_document
from workforce_eval.inputs.metadata import load as load_metadata
from workforce_eval.inputs.spec import SCALED_TYPES, Codebook, Instrument, Node
from workforce_eval.register.notation import DEFAULT_DISCLOSURE_THRESHOLD

if TYPE_CHECKING:  # validation (pandera), the privacy scan and the importers: imported by `run` only, so the
    # steps that just read the cleaned tables back (`read_clean`) do not pay for them
    from workforce_eval.inputs.validate import CleanCohort


def _node(node: Node) -> dict[str, Any]:
    out: dict[str, Any] = {"id": node.id, "label": node.label}
    if node.level == "code":
        out["definition"] = node.definition
    else:
        out["subthemes" if node.level == "theme" else "codes"] = [_node(c) for c in node.children]
    return out


def codebook_json(codebook: Codebook | None) -> list[dict[str, Any]]:
    """The codebook as plain JSON-ready lists."""
    return [_node(t) for t in codebook.themes] if codebook else []


def items_json(instrument: Instrument | None) -> list[dict[str, Any]]:
    """The instrument's items as plain JSON-ready dicts."""
    out = []
    for item in instrument.items if instrument else ():
        out.append(
            {
                "id": item.id,
                "text": item.text,
                "type": item.type,
                "scale": item.scale.id if item.scale else None,
                "levels": list(item.levels),
                "construct": item.construct,
                "reverse": item.reverse,
            }
            # only when the instrument declares them, so that cohort.json is unchanged for instruments without
            | ({"favourable": item.declared_favourable} if item.declared_favourable else {})
            | ({"meaning": item.scale.meaning} if item.scale and item.scale.meaning else {})
        )
    return out


def metadata(cc: CleanCohort, default_threshold: int = DEFAULT_DISCLOSURE_THRESHOLD) -> dict[str, Any]:
    """The resolved, JSON-ready description of a cohort (docs/architecture.md, cohort.json)."""
    meta = cc.meta
    own = meta.disclosure_threshold is not None
    out = {
        "cohort_id": meta.cohort_id,
        "programme": meta.programme,
        "cohort": meta.cohort,
        "design": meta.design,
        "synthetic": meta.synthetic,
        "groups": [{"code": c, "label": label} for c, label in meta.groups.items()],
        "combined_groups": [
            {"code": c, "label": label, "groups": list(members)} for c, (label, members) in meta.combined_groups.items()
        ],
        "disclosure_threshold": meta.disclosure_threshold if own else default_threshold,
        "disclosure_threshold_source": "cohort.yaml" if own else "config",
        "disclosure_threshold_default": default_threshold,
        "models": list(meta.models),
        "breakdowns": list(meta.breakdowns),
        "items": items_json(cc.instrument),
        "codebook": codebook_json(cc.codebook),
        "extra_survey_columns": cc.extra_survey_columns,
        "files": cc.files,
        "extra": meta.extra,
    } | ({"reports_by": meta.reports_by} if meta.reports_by else {})
    if meta.quotes_per_subtheme is not None:  # only when cohort.yaml sets it (cohort.json unchanged otherwise)
        out["quotes_per_subtheme"] = meta.quotes_per_subtheme
    if meta.minimum_group_base is not None:  # likewise
        out["minimum_group_base"] = meta.minimum_group_base
    if meta.indicators:  # only when cohort.yaml declares them: the declarations and indicators.csv's counts
        out["indicators"] = [{k: v for k, v in vars(i).items() if v is not None} for i in meta.indicators]
        out["indicator_counts"] = cast("list[dict[str, Any]]", cc.indicators.astype(object).to_dict("records"))
    return out | _labels(cc.instrument)


def view(cc: CleanCohort, default_threshold: int = DEFAULT_DISCLOSURE_THRESHOLD) -> Cohort:
    """The typed view (`inputs.metadata.Cohort`) of the cohort.json `write` would write (without `input_sha256`)."""
    return from_document(metadata(cc, default_threshold))


def _labels(instrument: Instrument | None) -> dict[str, Any]:
    """instrument.yaml's optional construct and column labels (keys only when declared, so cohort.json of an
    instrument without them is unchanged)."""
    out: dict[str, Any] = {}
    if instrument is not None and instrument.construct_labels:
        out["construct_labels"] = dict(instrument.construct_labels)
    if instrument is not None and instrument.column_labels:
        out["column_labels"] = dict(instrument.column_labels)
    return out


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Deterministic Parquet (no index, fixed compression)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic.replacing(path) as tmp:
        frame.to_parquet(tmp, index=False, engine="pyarrow", compression="zstd")


def write(
    cc: CleanCohort,
    cohort_json: Path,
    participants: Path,
    survey: Path,
    segments: Path,
    default_threshold: int = DEFAULT_DISCLOSURE_THRESHOLD,
    input_sha256: dict[str, str] | None = None,
) -> None:
    """Write the cleaned tables and metadata of a validated cohort (with its input files' SHA-256 when given)."""
    write_parquet(cc.participants, participants)
    write_parquet(cc.survey, survey)
    write_parquet(cc.segments, segments)
    meta = metadata(cc, default_threshold)
    if input_sha256 is not None:
        meta["input_sha256"] = input_sha256
    atomic.write_json(cohort_json, meta, default=str)


def run(
    cohort_dir: Path,
    cohort_id: str,
    cohort_json: Path,
    participants: Path,
    survey: Path,
    segments: Path,
    default_threshold: int = DEFAULT_DISCLOSURE_THRESHOLD,
    imported_dir: Path | None = None,
) -> None:
    """Validate a cohort folder, scan it for direct identifiers and, only if both pass, write its cleaned files.

    With `imported_dir` (the import rule's output for a cohort declaring `sources:`), the contract files
    validated and scanned are the imported ones, exactly as hand-written ones would be; the deny and
    allow lists still come from the cohort folder, and `input_sha256` records the cohort folder's
    original files, the exports among them.
    """
    from workforce_eval.inputs import importers, privacy
    from workforce_eval.inputs.validate import load

    read_dir = Path(imported_dir) if imported_dir is not None else Path(cohort_dir)
    try:
        cc = load(read_dir, cohort_id)
    except InputError as err:  # a message may show a cell only once the guard has seen it
        if imported_dir is not None:  # about the user's own export, not the file the import made
            err = importers.locate(err, Path(imported_dir), Path(cohort_dir))
        raise privacy.redact(err, Path(cohort_dir)) from None  # the deny list lives there
    scaled = [i.id for i in cc.instrument.items if i.type in SCALED_TYPES] if cc.instrument else []
    privacy.check_cohort(read_dir, scaled, privacy_dir=Path(cohort_dir), read=cc.raw)  # files not parsed twice
    originals = cc.files if imported_dir is None else list(importers.read_record(read_dir)["inputs"])
    write(
        cc,
        cohort_json,
        participants,
        survey,
        segments,
        default_threshold,
        input_sha256=file_hashes(cohort_dir, originals),
    )


def read_clean(clean_dir: Path) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Read back cohort.json (through `metadata.load`, as a plain dict for the steps not yet on the typed view)
    and the three cleaned tables of a cohort."""
    cohort_json, participants, survey, segments = layout.clean_files(clean_dir)
    meta = load_metadata(cohort_json).to_document()
    return (
        meta,
        pd.read_parquet(participants),
        pd.read_parquet(survey),
        pd.read_parquet(segments),
    )
