"""survey.csv: responses checked against cohort.yaml and the instrument, and every answer coded."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from workforce_eval.errors import InputError
from workforce_eval.inputs.readers import csv_row
from workforce_eval.inputs.spec import RESERVED_SURVEY_COLUMNS, SCALED_TYPES, CohortMeta, Instrument, Item
from workforce_eval.inputs.validate.common import (
    TIMEPOINTS,
    check_unique,
    fail_at_first,
    first_row,
    fold,
    fold_label,
    isin,
    run_schema,
)
from workforce_eval.inputs.validate.crossfile import check_against_roster
from workforce_eval.names import PRE_POST, unit_slug


def check_survey(
    path: Path,
    frame: pd.DataFrame,
    meta: CohortMeta,
    instrument: Instrument,
    participants: pd.DataFrame | None,
) -> tuple[pd.DataFrame, list[str]]:
    """survey.csv: known groups and time points, linked participants, one response per participant and time point."""
    groups = list(meta.groups)
    expectations = {
        "group": "a group code from cohort.yaml: " + ", ".join(groups),
        "timepoint": "pre or post",
    }
    columns: dict[str, pa.Column] = {
        "response_id": pa.Column(str, nullable=False),
        "participant_id": pa.Column(str, nullable=True, required=False),
        "group": pa.Column(str, isin(groups, expectations["group"]), nullable=False),
        "timepoint": pa.Column(
            str, isin(TIMEPOINTS, expectations["timepoint"]), nullable=False, required=meta.design == PRE_POST
        ),
        "organisation": pa.Column(str, nullable=True, required=False),
    }
    for item in instrument.items:
        # answers from a scale may arrive as a Categorical of their text (io.read_csv)
        columns[item.id] = pa.Column(None if item.type in SCALED_TYPES else str, nullable=True, required=True)
    run_schema(path, frame, pa.DataFrameSchema(columns, strict=False), expectations)
    check_unique(path, frame, "response_id", "response_id")

    out = pd.DataFrame(index=frame.index)
    out["response_id"] = frame["response_id"].astype("string")
    out["participant_id"] = (
        frame["participant_id"] if "participant_id" in frame else pd.Series(pd.NA, index=frame.index)
    ).astype("string")
    out["group"] = frame["group"].astype("string")
    out["timepoint"] = (frame["timepoint"] if "timepoint" in frame else pd.Series("post", index=frame.index)).astype(
        "string"
    )
    out["organisation"] = (
        frame["organisation"] if "organisation" in frame else pd.Series(pd.NA, index=frame.index)
    ).astype("string")
    check_organisation_names(path, out["organisation"])
    if meta.design != PRE_POST:
        pre = out["timepoint"] == "pre"
        fail_at_first(path, pre, out["timepoint"], "timepoint", f"post (the design is {meta.design})")

    linked = out["participant_id"].notna()
    if linked.any():
        if participants is None:  # every linked row is an error: this raises at the first
            fail_at_first(
                path,
                linked,
                out["participant_id"],
                "participant_id",
                "blank participant_id (the cohort has no participants.csv)",
            )
        else:
            check_against_roster(path, out, linked, participants)
        keyed = out.loc[linked, ["participant_id", "timepoint"]]
        dup = keyed.duplicated(keep=False)
        if dup.any():
            first = keyed[dup].iloc[0]
            same = keyed[
                (keyed["participant_id"] == first["participant_id"]) & (keyed["timepoint"] == first["timepoint"])
            ]
            raise InputError(
                path,
                rows=tuple(csv_row(i) for i in same.index[:2]),
                column="participant_id",
                expected=f"one {first['timepoint']} response per participant",
                found=f"{first['participant_id']!r} with {len(same)} {first['timepoint']} responses",
            )

    for item in instrument.items:
        out[item.id] = code_answers(path, frame, item)
    extra = [c for c in frame.columns if c not in out.columns and c not in RESERVED_SURVEY_COLUMNS]
    for c in extra:
        out[c] = frame[c].astype("string")
    return out.reset_index(drop=True), extra


def check_organisation_names(path: Path, organisation: pd.Series) -> None:
    """Two organisations whose names give the same report file name (`Trust A`, `trust-a`) are refused, naming
    the first row of each: merged, they could be two trusts; numbered, a report sent by file name could reach
    the wrong one."""
    first: dict[str, tuple[str, object]] = {}
    values = organisation.dropna()
    for index, value in values.drop_duplicates().items():
        slug = unit_slug(str(value))
        if slug in first and first[slug][0] != value:
            other, other_index = first[slug]
            raise InputError(
                path,
                rows=(csv_row(other_index), csv_row(index)),
                column="organisation",
                expected="organisations whose names differ in more than case, spaces and punctuation (one "
                "spelling per organisation: they share the report file name " + repr(slug) + ")",
                found=f"{other!r} and {value!r}",
            )
        first.setdefault(slug, (str(value), index))


def code_answers(path: Path, frame: pd.DataFrame, item: Item) -> pd.Series:
    """Raw answer labels -> codes 1..k (reverse-coded where asked), numbers, or text; unknown labels are errors.

    Labels are matched once per distinct answer (pandas.factorize), not once per cell.
    """
    raw = frame[item.id]
    if item.type == "free_text":
        return raw.astype("string")
    missing = {fold_label(m) for m in (item.scale.missing if item.scale else ())}
    if item.type == "numeric":
        fast = _arrow_numbers(raw) if not missing else None
        if fast is not None and not (np.isnan(fast) & raw.notna().to_numpy()).any():  # "nan" text: slow path
            _check_finite(path, item.id, fast, raw)
            return pd.Series(fast, index=raw.index, dtype="float64")
        numbers = pd.to_numeric(raw, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        if any(_is_number(m) for m in missing):  # a missing label that looks like a number wins
            numbers[fold(raw).isin(missing).to_numpy(dtype=bool, na_value=False)] = np.nan
        unparsed = np.isnan(numbers) & raw.notna().to_numpy()
        if unparsed.any():
            codes, uniques = pd.factorize(raw[unparsed])
            allowed = np.array([fold_label(str(u)) in missing for u in uniques], dtype=bool)
            bad = ~allowed[codes]
            if bad.any():
                i = first_row(bad, raw.index[unparsed])
                raise InputError(path, row=csv_row(i), column=item.id, expected="a number", found=raw.at[i])
        _check_finite(path, item.id, numbers, raw)
        return pd.Series(numbers, index=raw.index, dtype="float64")
    assert item.scale is not None
    k = len(item.scale.levels)
    mapping: dict[str, float] = {}
    for pos, level in enumerate(item.scale.levels, start=1):
        mapping[fold_label(level)] = float(k + 1 - pos if item.reverse else pos)
    for label in item.scale.missing:
        mapping[fold_label(label)] = np.nan
    if isinstance(raw.dtype, pd.CategoricalDtype):  # io.read_csv(categorical=...): already coded
        codes, uniques = raw.cat.codes.to_numpy(dtype=np.int64), list(raw.cat.categories)
    else:
        codes, uniques = pd.factorize(raw)
    folded = [fold_label(str(u)) for u in uniques]
    known = np.array([f in mapping for f in folded] + [True], dtype=bool)  # last slot: blank cells (code -1)
    unknown = ~known[codes]
    if unknown.any():
        i = first_row(unknown, raw.index)
        options = ", ".join(item.scale.levels)
        if item.scale.missing:
            options += " (or missing: " + ", ".join(item.scale.missing) + ")"
        raise InputError(path, row=csv_row(i), column=item.id, expected=f"one of {options}", found=raw.at[i])
    lookup = [mapping[f] for f in folded] + [np.nan]  # codes == -1 (blank) takes the last slot
    data = np.array([0 if np.isnan(v) else int(v) for v in lookup], dtype=np.int64)[codes]
    mask = np.array([bool(np.isnan(v)) for v in lookup])[codes]
    return pd.Series(pd.arrays.IntegerArray(data, mask), index=raw.index)


def _arrow_numbers(raw: pd.Series) -> np.ndarray | None:
    """Text to float64 by pyarrow when every non-blank cell is a plain number; None otherwise (slow path)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        return pc.cast(pa.array(raw, from_pandas=True), pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return None


def _check_finite(path: Path, column: str, numbers: np.ndarray, raw: pd.Series) -> None:
    """`inf`, `-inf` (and any overflow to infinity) in a numeric item are errors at their first row."""
    infinite = np.isinf(numbers)
    if infinite.any():
        i = raw.index[int(np.argmax(infinite))]
        raise InputError(path, row=csv_row(i), column=column, expected="a finite number", found=raw.at[i])


def _is_number(text: str) -> bool:
    """True when text parses as a float."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def empty_survey(instrument: Instrument | None) -> pd.DataFrame:
    """A survey frame with no rows (item columns typed as the instrument says)."""
    cols: dict[str, pd.Series] = {
        c: pd.Series(dtype="string") for c in ("response_id", "participant_id", "group", "timepoint", "organisation")
    }
    for item in instrument.items if instrument else ():
        dtype = "float64" if item.type == "numeric" else "string" if item.type == "free_text" else "Int64"
        cols[item.id] = pd.Series(dtype=dtype)
    return pd.DataFrame(cols)
