"""One cohort folder validated file by file (`load`): which files are present and required, in
the contract's order, and the cleaned cohort they make."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from workforce_eval.errors import InputError
from workforce_eval.inputs import limits
from workforce_eval.inputs.readers import read_csv
from workforce_eval.inputs.spec import (
    SCALED_TYPES,
    Codebook,
    CohortMeta,
    Instrument,
    load_codebook,
    load_cohort_meta,
    load_instrument,
)
from workforce_eval.inputs.validate.crossfile import check_survey_keys
from workforce_eval.inputs.validate.indicators import check_declared, check_indicators, empty_indicators
from workforce_eval.inputs.validate.participants import check_participants, empty_participants
from workforce_eval.inputs.validate.segments import check_segments, empty_segments
from workforce_eval.inputs.validate.survey import check_survey, empty_survey
from workforce_eval.names import CONTRACT_INPUT_FILES, INDICATORS_FILE, INPUT_FILES, POST_ONLY, PRE_POST


@dataclass
class CleanCohort:
    """A cohort whose inputs passed every check, with answers coded and ids resolved."""

    meta: CohortMeta
    participants: pd.DataFrame
    survey: pd.DataFrame
    segments: pd.DataFrame
    instrument: Instrument | None = None
    codebook: Codebook | None = None
    files: list[str] = field(default_factory=list)
    extra_survey_columns: list[str] = field(default_factory=list)
    #: indicators.csv's counts (`validate.indicators`), empty without the file
    indicators: pd.DataFrame = field(default_factory=empty_indicators)
    #: the contract CSVs as read (`readers.read_csv`: text, scaled answers as Categoricals), by file name: the
    #: privacy scan reads these instead of parsing the files a second time
    raw: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)


def with_default_group(frame: pd.DataFrame, meta: CohortMeta) -> pd.DataFrame:
    """A cohort without declared groups: its one group in every blank (or absent) group cell; others unchanged."""
    if meta.default_group is None:
        return frame
    if "group" not in frame:
        return frame.assign(group=pd.Series(meta.default_group, index=frame.index, dtype=object))
    column = frame["group"].astype(object)
    return frame.assign(group=column.where(column.notna(), meta.default_group))


def load(cohort_dir: Path, cohort_id: str) -> CleanCohort:
    """Validate every input file of a cohort folder and return the cleaned cohort; the first problem raises
    InputError."""
    if not cohort_dir.is_dir():
        raise InputError(cohort_dir, expected="a cohort folder with cohort.yaml", found="no such folder")
    for name in INPUT_FILES:  # a symlink, FIFO, device or folder under an input file's name stops the cohort
        if limits.present(cohort_dir / name):
            limits.check_file(cohort_dir / name)
    present = [name for name in CONTRACT_INPUT_FILES if (cohort_dir / name).is_file()]
    if "cohort.yaml" not in present:
        raise InputError(cohort_dir / "cohort.yaml", expected="the required file cohort.yaml", found="no such file")
    meta = load_cohort_meta(cohort_dir / "cohort.yaml", cohort_id)

    raw: dict[str, pd.DataFrame] = {}
    participants: pd.DataFrame | None = None
    p_path = cohort_dir / "participants.csv"
    if p_path.is_file():
        raw[p_path.name] = read_csv(p_path)
        participants = check_participants(p_path, with_default_group(raw[p_path.name], meta), meta)
    elif meta.design in (POST_ONLY, PRE_POST):
        raise InputError(p_path, expected=f"participants.csv (required for design {meta.design})", found="no such file")

    survey: pd.DataFrame | None = None
    instrument: Instrument | None = None
    extra: list[str] = []
    s_path = cohort_dir / "survey.csv"
    i_path = cohort_dir / "instrument.yaml"
    if s_path.is_file():
        if not i_path.is_file():
            raise InputError(i_path, expected="instrument.yaml (required when survey.csv exists)", found="no such file")
        instrument = load_instrument(i_path)
        scaled = [i.id for i in instrument.by_type(*SCALED_TYPES)]
        raw[s_path.name] = read_csv(s_path, categorical=scaled)
        survey, extra = check_survey(s_path, with_default_group(raw[s_path.name], meta), meta, instrument, participants)
    elif i_path.is_file():
        instrument = load_instrument(i_path)
    check_survey_keys(cohort_dir / "cohort.yaml", meta, instrument, survey)

    segments: pd.DataFrame | None = None
    codebook: Codebook | None = None
    g_path = cohort_dir / "segments.csv"
    c_path = cohort_dir / "codebook.yaml"
    if g_path.is_file():
        if not c_path.is_file():
            raise InputError(c_path, expected="codebook.yaml (required when segments.csv exists)", found="no such file")
        codebook = load_codebook(c_path)
        raw[g_path.name] = read_csv(g_path)
        segments = check_segments(
            g_path, with_default_group(raw[g_path.name], meta), meta, codebook, participants, survey
        )
    elif c_path.is_file():
        codebook = load_codebook(c_path)

    n_path = cohort_dir / INDICATORS_FILE
    indicators = check_indicators(n_path, read_csv(n_path), meta) if n_path.is_file() else empty_indicators()
    check_declared(cohort_dir / "cohort.yaml", meta, instrument, survey, n_path.is_file())
    if n_path.is_file():
        present.append(INDICATORS_FILE)

    return CleanCohort(
        meta=meta,
        participants=participants if participants is not None else empty_participants(),
        survey=survey if survey is not None else empty_survey(instrument),
        segments=segments if segments is not None else empty_segments(),
        instrument=instrument,
        codebook=codebook,
        files=present,
        extra_survey_columns=extra,
        raw=raw,
        indicators=indicators,
    )
