"""Validation and cleaning of one cohort's input files: pandera schemas plus cross-file checks."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from workforce_eval.errors import InputError
from workforce_eval.inputs import limits
from workforce_eval.inputs.analysis_spec import check_breakdowns, check_models, check_reports_by
from workforce_eval.inputs.readers import csv_row, read_csv
from workforce_eval.inputs.spec import (
    RESERVED_SURVEY_COLUMNS,
    SCALED_TYPES,
    Codebook,
    CohortMeta,
    Instrument,
    Item,
    load_codebook,
    load_cohort_meta,
    load_instrument,
)
from workforce_eval.names import CONTRACT_INPUT_FILES, INPUT_FILES

TRUE_WORDS = {"true": True, "false": False}
TIMEPOINTS = ("pre", "post")
SOURCES = ("interview", "survey")


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
    #: the contract CSVs as read (`readers.read_csv`: text, scaled answers as Categoricals), by file name: the
    #: privacy scan reads these instead of parsing the files a second time
    raw: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)


def _raise_first(path: Path, err: pa.errors.SchemaErrors, expectations: dict[str, str]) -> None:
    """Turn pandera's failure cases into one InputError about the earliest failing cell."""
    cases = err.failure_cases.copy()
    cases["_row"] = pd.to_numeric(cases["index"], errors="coerce")
    missing_cols = cases[cases["check"].astype(str) == "column_in_dataframe"]
    if len(missing_cols):
        col = str(missing_cols.iloc[0]["failure_case"])
        raise InputError(path, row=1, column=col, expected=f"a column named {col!r}", found="no such column")
    cases = cases.sort_values(["_row", "column"], kind="stable", na_position="first")
    case = cases.iloc[0]
    column = str(case["column"])
    check = str(case["check"])
    row = None if pd.isna(case["_row"]) else int(case["_row"]) + 2
    if check == "not_nullable":
        raise InputError(path, row=row, column=column, expected="a value", found="a blank cell")
    found = case["failure_case"]
    expected = expectations.get(f"{column}:{check}") or expectations.get(column) or check
    raise InputError(path, row=row, column=column, expected=expected, found=found)


def _check_unique(path: Path, frame: pd.DataFrame, column: str, what: str) -> None:
    """Duplicate values in a column name both rows."""
    values = frame[column]
    dup = values.duplicated(keep=False) & values.notna()
    if dup.any():
        first_value = values[dup].iloc[0]
        idx = values.index[values == first_value]
        raise InputError(
            path,
            rows=tuple(csv_row(i) for i in idx[:2]),
            column=column,
            expected=f"{what} unique within the cohort",
            found=f"{first_value!r} twice",
        )


def _check_misspelt(path: Path, frame: pd.DataFrame, known: Sequence[str]) -> None:
    """An unknown column that looks like a contract column absent from the file is an error, not silently ignored."""
    absent = [c for c in known if c not in frame.columns]
    for column in frame.columns:
        if column in known or not absent:
            continue
        key = "_".join(str(column).casefold().replace("-", " ").split())
        match = difflib.get_close_matches(key, absent, n=1, cutoff=0.8)
        if match:
            raise InputError(
                path,
                row=1,
                column=column,
                expected=f"the contract's column name {match[0]!r} (other columns are ignored)",
                found=column,
            )


def _validate(path: Path, frame: pd.DataFrame, schema: pa.DataFrameSchema, expectations: dict[str, str]) -> None:
    """Run a pandera schema lazily and raise the first failure as an InputError."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        _raise_first(path, err, expectations)


def _bool_column(path: Path, frame: pd.DataFrame, column: str) -> pd.Series:
    """Parse a true/false column (case-insensitive)."""
    folded = frame[column].str.casefold()
    bad = folded.notna() & ~folded.isin(list(TRUE_WORDS))
    _fail_at_first(path, bad, frame[column], column, "true or false")
    return folded.map(TRUE_WORDS).astype("boolean")


def _isin(values: Sequence[str], error: str) -> pa.Check:
    return pa.Check.isin(list(values), error=error)


def participant_attributes(frame: pd.DataFrame) -> list[str]:
    """participants.csv columns beyond the contract's (site, role, pay band, imported case variables)."""
    return [str(c) for c in frame.columns if c not in ("participant_id", "group", "pair_id", "invited")]


def check_participants(path: Path, frame: pd.DataFrame, meta: CohortMeta) -> pd.DataFrame:
    """participants.csv: unique pseudonyms, known groups, true/false invitations, pairs of two."""
    groups = list(meta.groups)
    expectations = {
        "group": "a group code from cohort.yaml: " + ", ".join(groups),
        "participant_id": "a participant pseudonym",
    }
    schema = pa.DataFrameSchema(
        {
            "participant_id": pa.Column(str, nullable=False),
            "group": pa.Column(str, _isin(groups, expectations["group"]), nullable=False),
            "pair_id": pa.Column(str, nullable=True, required=False),
            # A cross-sectional roster (e.g. interviewees with attributes) need not say who was invited.
            "invited": pa.Column(str, nullable=False, required=meta.design != "cross_sectional"),
        },
        strict=False,
    )
    _check_misspelt(path, frame, list(schema.columns))
    _validate(path, frame, schema, expectations)
    _check_unique(path, frame, "participant_id", "participant_id")
    out = pd.DataFrame(
        {
            "participant_id": frame["participant_id"].astype("string"),
            "group": frame["group"].astype("string"),
            "pair_id": (frame["pair_id"] if "pair_id" in frame else pd.Series(pd.NA, index=frame.index)).astype(
                "string"
            ),
            "invited": _bool_column(path, frame, "invited").astype(bool)
            if "invited" in frame
            else pd.Series(pd.NA, index=frame.index, dtype="boolean"),
        }
    )
    for extra in participant_attributes(frame):  # participant attributes (matrix coding), as text
        if "=" in extra:  # the register names a matrix cell `attribute=value`
            raise InputError(path, row=1, column=extra, expected="an attribute column name without '='", found=extra)
        out[extra] = frame[extra].astype("string")
    sizes = out.groupby("pair_id", dropna=True)["participant_id"].transform("size")
    big = sizes[sizes > 2]
    if len(big):
        pair = out.at[big.index[0], "pair_id"]
        rows = tuple(csv_row(i) for i in out.index[out["pair_id"] == pair])
        raise InputError(
            path,
            rows=rows,
            column="pair_id",
            expected="at most two partners per pair",
            found=f"{pair!r} {len(rows)} times",
        )
    return out


def fold_label(text: str) -> str:
    """An answer label for matching: Unicode-normalised (NFKC), case-folded, inner runs of spaces as one, trimmed."""
    return " ".join(unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold()).split())


def _fold(values: pd.Series) -> pd.Series:
    """`fold_label` of every non-missing cell (each distinct value folded once)."""
    uniques = values.dropna().unique()
    return values.map({v: fold_label(v) for v in uniques})


def _first_row(mask: np.ndarray, index: pd.Index) -> object:
    """The index label of the first True of a boolean array."""
    return index[int(np.flatnonzero(mask)[0])]


def _code_answers(path: Path, frame: pd.DataFrame, item: Item) -> pd.Series:
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
            numbers[_fold(raw).isin(missing).to_numpy(dtype=bool, na_value=False)] = np.nan
        unparsed = np.isnan(numbers) & raw.notna().to_numpy()
        if unparsed.any():
            codes, uniques = pd.factorize(raw[unparsed])
            allowed = np.array([fold_label(str(u)) in missing for u in uniques], dtype=bool)
            bad = ~allowed[codes]
            if bad.any():
                i = _first_row(bad, raw.index[unparsed])
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
        i = _first_row(unknown, raw.index)
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


def _fail_at_first(path: Path, mask: pd.Series, values: pd.Series, column: str, expected: str) -> None:
    """Raise an InputError at the first row where `mask` is true, quoting that row's value as found."""
    if mask.any():
        i = mask[mask].index[0]
        raise InputError(path, row=csv_row(i), column=column, expected=expected, found=values.at[i])


def check_against_roster(path: Path, out: pd.DataFrame, linked: pd.Series, participants: pd.DataFrame) -> None:
    """Rows naming a participant must name one in participants.csv, with the group the roster gives them."""
    roster = participants.set_index("participant_id")["group"]
    unknown = linked & ~out["participant_id"].isin(roster.index)
    _fail_at_first(
        path, unknown, out["participant_id"], "participant_id", "a participant_id listed in participants.csv"
    )
    roster_group = out["participant_id"].map(roster)
    disagree = linked & (roster_group != out["group"])
    if disagree.any():
        i = disagree[disagree].index[0]
        raise InputError(
            path,
            row=csv_row(i),
            column="group",
            expected=f"{roster_group.at[i]!r}, the group participants.csv gives {out.at[i, 'participant_id']!s}",
            found=out.at[i, "group"],
        )


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
        "group": pa.Column(str, _isin(groups, expectations["group"]), nullable=False),
        "timepoint": pa.Column(
            str, _isin(TIMEPOINTS, expectations["timepoint"]), nullable=False, required=meta.design == "pre_post"
        ),
        "organisation": pa.Column(str, nullable=True, required=False),
    }
    for item in instrument.items:
        # answers from a scale may arrive as a Categorical of their text (io.read_csv)
        columns[item.id] = pa.Column(None if item.type in SCALED_TYPES else str, nullable=True, required=True)
    _validate(path, frame, pa.DataFrameSchema(columns, strict=False), expectations)
    _check_unique(path, frame, "response_id", "response_id")

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
    if meta.design != "pre_post":
        pre = out["timepoint"] == "pre"
        _fail_at_first(path, pre, out["timepoint"], "timepoint", f"post (the design is {meta.design})")

    linked = out["participant_id"].notna()
    if linked.any():
        if participants is None:  # every linked row is an error: this raises at the first
            _fail_at_first(
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
        out[item.id] = _code_answers(path, frame, item)
    extra = [c for c in frame.columns if c not in out.columns and c not in RESERVED_SURVEY_COLUMNS]
    for c in extra:
        out[c] = frame[c].astype("string")
    return out.reset_index(drop=True), extra


def check_segments(
    path: Path,
    frame: pd.DataFrame,
    meta: CohortMeta,
    codebook: Codebook,
    participants: pd.DataFrame | None,
    survey: pd.DataFrame | None,
) -> pd.DataFrame:
    """segments.csv: known codes, groups, sources and participants; one speaker per document; consent flags."""
    groups = list(meta.groups)
    paths = codebook.code_paths()
    expectations = {
        "group": "a group code from cohort.yaml: " + ", ".join(groups),
        "source": "interview or survey",
        "code": "a code id of codebook.yaml",
    }
    schema = pa.DataFrameSchema(
        {
            "segment_id": pa.Column(str, nullable=False),
            "source": pa.Column(str, _isin(SOURCES, expectations["source"]), nullable=False),
            "document_id": pa.Column(str, nullable=False),
            "participant_id": pa.Column(str, nullable=True, required=False),
            "group": pa.Column(str, _isin(groups, expectations["group"]), nullable=False),
            "code": pa.Column(str, _isin(list(paths), expectations["code"]), nullable=False),
            "coder": pa.Column(str, nullable=True, required=False),
            "text": pa.Column(str, nullable=True, required=False),
            "quote_ok": pa.Column(str, nullable=True, required=False),
            "priority": pa.Column(str, nullable=True, required=False),
            "highlight": pa.Column(str, nullable=True, required=False),
        },
        strict=False,
    )
    _check_misspelt(path, frame, [*schema.columns, *OPTIONAL_SEGMENT_COLUMNS])
    _validate(path, frame, schema, expectations)
    _check_unique(path, frame, "segment_id", "segment_id")

    def col(name: str) -> pd.Series:
        return (frame[name] if name in frame else pd.Series(pd.NA, index=frame.index)).astype("string")

    out = pd.DataFrame(
        {
            "segment_id": col("segment_id"),
            "source": col("source"),
            "document_id": col("document_id"),
            "participant_id": col("participant_id"),
            "group": col("group"),
            "code": col("code"),
            "subtheme": col("code").map(lambda c: paths[c][0]).astype("string"),
            "theme": col("code").map(lambda c: paths[c][1]).astype("string"),
            "coder": col("coder"),
        }
    )
    quote_ok = _bool_column(path, frame, "quote_ok").fillna(False) if "quote_ok" in frame else False
    out["quote_ok"] = pd.Series(quote_ok, index=frame.index).astype(bool)
    out["text"] = col("text").where(out["quote_ok"])
    out["passage"] = passage_keys(frame)
    if "start" in frame and "end" in frame:
        out["start"], out["end"] = _check_offsets(path, frame)
    if "date" in frame:
        out["date"] = _check_dates(path, frame, out)
    if "order" in frame:
        out["order"] = _check_order(path, frame, out)
    _check_coders(path, out)
    if "priority" in frame:
        out["priority"] = _check_priority(path, frame)
    if "highlight" in frame:
        out["priority"] = _highlight_priority(path, frame, out)

    linked = out["participant_id"].notna()
    if linked.any() and participants is not None:
        check_against_roster(path, out, linked, participants)
    for column in ("participant_id", "group"):
        values = out[column].fillna("")
        firsts = values.groupby([out["source"], out["document_id"]]).transform("first")
        differs = values != firsts
        if differs.any():
            i = differs[differs].index[0]
            same_doc = (out["source"] == out.at[i, "source"]) & (out["document_id"] == out.at[i, "document_id"])
            first = same_doc[same_doc].index[0]
            raise InputError(
                path,
                rows=(csv_row(first), csv_row(i)),
                column=column,
                expected=f"one {column} per document",
                found=f"document {out.at[i, 'document_id']!r} with {values.at[first]!r} and {values.at[i]!r}",
            )
    if survey is not None:
        from_survey = out["source"] == "survey"
        unknown = from_survey & ~out["document_id"].isin(survey["response_id"])
        _fail_at_first(
            path, unknown, out["document_id"], "document_id", "a response_id of survey.csv (source is survey)"
        )
    return out.reset_index(drop=True)


#: Optional segments.csv columns of the qualitative analyses: offsets, interview date and order. Named as
#: known so that, when a file lacks `coder`, an `order` column is not taken for a misspelt `coder`.
OPTIONAL_SEGMENT_COLUMNS: tuple[str, ...] = ("start", "end", "date", "order")


def passage_keys(frame: pd.DataFrame) -> pd.Series:
    """Which passage each segment codes: `<source>:<document>:<k>`, k numbering a document's distinct texts
    (or `start`-`end` offsets where both are given) in order of appearance; a segment without either is its
    own passage. Lets co-occurrence and agreement find codes on the same passage once the text is dropped."""
    text = frame["text"].astype("string") if "text" in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
    if "start" in frame and "end" in frame:
        span = frame["start"].astype("string") + "-" + frame["end"].astype("string")
        text = span.fillna(text)
    doc = frame["source"].astype(str) + ":" + frame["document_id"].astype(str)
    own = "segment:" + frame["segment_id"].astype(str)
    key = (doc + "\x1f" + text).fillna(own)
    number = key.groupby(doc).transform(lambda k: pd.Series(pd.factorize(k)[0] + 1, index=k.index))
    return (doc + ":" + number.astype(str)).where(text.notna(), own).astype("string")


def _check_offsets(path: Path, frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """segments.csv `start`, `end` (optional): character offsets, whole numbers with 0 <= start < end, or both blank."""
    parsed = []
    for column in ("start", "end"):
        raw = frame[column].astype("string")
        number = pd.to_numeric(raw, errors="coerce")
        bad = raw.notna() & ~(raw.fillna("").str.fullmatch(r"\d+"))
        _fail_at_first(path, bad, raw, column, "a character offset (a whole number from 0), or blank")
        parsed.append(number.astype("Int64"))
    start, end = parsed
    one_blank = start.isna() != end.isna()
    _fail_at_first(path, one_blank, frame["end"].astype("string"), "end", "start and end both given or both blank")
    backwards = (start.notna() & end.notna() & (end <= start)).fillna(False)
    _fail_at_first(path, backwards, frame["end"].astype("string"), "end", "an end offset greater than start")
    return start, end


def _check_priority(path: Path, frame: pd.DataFrame) -> pd.Series:
    """segments.csv `priority` (optional): a whole number (higher is quoted first), or blank."""
    stripped = frame["priority"].astype("string").str.strip()
    raw = stripped.mask(stripped == "")
    bad = raw.notna() & ~(raw.fillna("").str.fullmatch(r"[+-]?\d{1,9}"))
    _fail_at_first(path, bad, frame["priority"].astype("string"), "priority", "a whole number, or blank")
    return pd.to_numeric(raw, errors="coerce").astype("Int64")


def _highlight_priority(path: Path, frame: pd.DataFrame, out: pd.DataFrame) -> pd.Series:
    """segments.csv `highlight` (optional, true/false or blank), the alternative to `priority`: a highlighted
    segment without a priority counts as priority 1 (quoted before the others); false or blank changes nothing."""
    flag = _bool_column(path, frame, "highlight").fillna(False).astype(bool)
    given = out["priority"] if "priority" in out else pd.Series(pd.NA, index=frame.index, dtype="Int64")
    return given.mask(given.isna() & flag, 1).astype("Int64")


def _check_dates(path: Path, frame: pd.DataFrame, out: pd.DataFrame) -> pd.Series:
    """segments.csv `date` (optional): an ISO date (YYYY-MM-DD) or blank, one per document."""
    raw = frame["date"].astype("string")
    parsed = pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce")
    bad = raw.notna() & (parsed.isna() | ~raw.fillna("").str.fullmatch(r"\d{4}-\d{2}-\d{2}"))
    _fail_at_first(path, bad, raw, "date", "an ISO date YYYY-MM-DD, or blank")
    values = raw.fillna("")
    firsts = values.groupby([out["source"], out["document_id"]]).transform("first")
    differs = values != firsts
    _fail_at_first(path, differs, raw, "date", "one date per document")
    return raw


def _check_order(path: Path, frame: pd.DataFrame, out: pd.DataFrame) -> pd.Series:
    """segments.csv `order` (optional): an interview's position (a whole number from 1) or blank, one per document."""
    raw = frame["order"].astype("string")
    bad = raw.notna() & ~(raw.fillna("").str.fullmatch(r"0*[1-9]\d{0,8}"))
    _fail_at_first(
        path, bad, raw, "order", "an interview's position in the interview order (a whole number from 1), or blank"
    )
    values = raw.fillna("")
    firsts = values.groupby([out["source"], out["document_id"]]).transform("first")
    _fail_at_first(path, values != firsts, raw, "order", "one order per document")
    return pd.to_numeric(raw).astype("Int64")


def _check_coders(path: Path, out: pd.DataFrame) -> None:
    """In a document two or more named coders coded, every segment names its coder (else it is nobody's)."""
    named = out["coder"].notna() & out["coder"].str.strip().ne("")
    doc = [out["source"], out["document_id"]]
    several = out["coder"].where(named).groupby(doc).transform("nunique") >= 2
    _fail_at_first(
        path,
        several & ~named,
        out["coder"].fillna(""),
        "coder",
        "the coder of every segment of a document two or more coders coded",
    )


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
        participants = check_participants(p_path, raw[p_path.name], meta)
    elif meta.design in ("post_only", "pre_post"):
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
        survey, extra = check_survey(s_path, raw[s_path.name], meta, instrument, participants)
    elif i_path.is_file():
        instrument = load_instrument(i_path)
    _check_survey_keys(cohort_dir / "cohort.yaml", meta, instrument, survey)

    segments: pd.DataFrame | None = None
    codebook: Codebook | None = None
    g_path = cohort_dir / "segments.csv"
    c_path = cohort_dir / "codebook.yaml"
    if g_path.is_file():
        if not c_path.is_file():
            raise InputError(c_path, expected="codebook.yaml (required when segments.csv exists)", found="no such file")
        codebook = load_codebook(c_path)
        raw[g_path.name] = read_csv(g_path)
        segments = check_segments(g_path, raw[g_path.name], meta, codebook, participants, survey)
    elif c_path.is_file():
        codebook = load_codebook(c_path)

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
    )


def _check_survey_keys(
    cohort_yaml: Path, meta: CohortMeta, instrument: Instrument | None, survey: pd.DataFrame | None
) -> None:
    """`models:` and `breakdowns:` of cohort.yaml must name what the survey has (`analysis_spec`)."""
    items = {i.id: i.type for i in instrument.items} if instrument else {}
    columns = [c for c in survey.columns if c not in items] if survey is not None else []
    constructs = list(instrument.constructs) if instrument and survey is not None else []
    check_models(cohort_yaml, meta.models, items if survey is not None else {}, constructs, columns)
    check_breakdowns(cohort_yaml, meta.breakdowns, columns, list(items))
    if meta.reports_by:
        check_reports_by(cohort_yaml, meta.reports_by, columns, list(items))


def empty_participants() -> pd.DataFrame:
    """A participants frame with no rows."""
    return pd.DataFrame(
        {
            "participant_id": pd.Series(dtype="string"),
            "group": pd.Series(dtype="string"),
            "pair_id": pd.Series(dtype="string"),
            "invited": pd.Series(dtype=bool),
        }
    )


def empty_survey(instrument: Instrument | None) -> pd.DataFrame:
    """A survey frame with no rows (item columns typed as the instrument says)."""
    cols: dict[str, pd.Series] = {
        c: pd.Series(dtype="string") for c in ("response_id", "participant_id", "group", "timepoint", "organisation")
    }
    for item in instrument.items if instrument else ():
        dtype = "float64" if item.type == "numeric" else "string" if item.type == "free_text" else "Int64"
        cols[item.id] = pd.Series(dtype=dtype)
    return pd.DataFrame(cols)


def empty_segments() -> pd.DataFrame:
    """A segments frame with no rows."""
    cols = ("segment_id", "source", "document_id", "participant_id", "group", "code", "subtheme", "theme", "coder")
    frame = pd.DataFrame({c: pd.Series(dtype="string") for c in cols})
    frame["quote_ok"] = pd.Series(dtype=bool)
    frame["text"] = pd.Series(dtype="string")
    return frame
