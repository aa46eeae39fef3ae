"""segments.csv: coded passages checked against cohort.yaml and the codebook; optional offsets,
dates, interview order, quoting priority and coders."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from workforce_eval.errors import InputError
from workforce_eval.inputs.readers import csv_row
from workforce_eval.inputs.spec import Codebook, CohortMeta
from workforce_eval.inputs.validate.common import (
    SOURCES,
    bool_column,
    check_misspelt,
    check_unique,
    fail_at_first,
    isin,
    run_schema,
)
from workforce_eval.inputs.validate.crossfile import check_against_roster, check_survey_documents

#: Optional segments.csv columns of the qualitative analyses: offsets, interview date and order. Named as
#: known so that, when a file lacks `coder`, an `order` column is not taken for a misspelt `coder`.
OPTIONAL_SEGMENT_COLUMNS: tuple[str, ...] = ("start", "end", "date", "order", "passage")


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
            "source": pa.Column(str, isin(SOURCES, expectations["source"]), nullable=False),
            "document_id": pa.Column(str, nullable=False),
            "participant_id": pa.Column(str, nullable=True, required=False),
            "group": pa.Column(str, isin(groups, expectations["group"]), nullable=False),
            "code": pa.Column(str, isin(list(paths), expectations["code"]), nullable=False),
            "coder": pa.Column(str, nullable=True, required=False),
            "text": pa.Column(str, nullable=True, required=False),
            "quote_ok": pa.Column(str, nullable=True, required=False),
            "priority": pa.Column(str, nullable=True, required=False),
            "highlight": pa.Column(str, nullable=True, required=False),
        },
        strict=False,
    )
    check_misspelt(path, frame, [*schema.columns, *OPTIONAL_SEGMENT_COLUMNS])
    run_schema(path, frame, schema, expectations)
    check_unique(path, frame, "segment_id", "segment_id")

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
    quote_ok = bool_column(path, frame, "quote_ok").fillna(False) if "quote_ok" in frame else False
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
        check_survey_documents(path, out, survey)
    return out.reset_index(drop=True)


def passage_keys(frame: pd.DataFrame) -> pd.Series:
    """Which passage each segment codes: `<source>:<document>:<k>`, k numbering a document's distinct texts
    (or `start`-`end` offsets where both are given) in order of appearance; a segment without either is its
    own passage. An optional `passage` column (importers write it) names the passage itself. Lets
    co-occurrence and agreement find codes on the same passage once the text is dropped."""
    text = frame["text"].astype("string") if "text" in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
    if "passage" in frame:  # an importer's passage key: the same for every coding of one passage, text or not
        text = ("\x1e" + frame["passage"].astype("string")).fillna(text)
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
        fail_at_first(path, bad, raw, column, "a character offset (a whole number from 0), or blank")
        parsed.append(number.astype("Int64"))
    start, end = parsed
    one_blank = start.isna() != end.isna()
    fail_at_first(path, one_blank, frame["end"].astype("string"), "end", "start and end both given or both blank")
    backwards = (start.notna() & end.notna() & (end <= start)).fillna(False)
    fail_at_first(path, backwards, frame["end"].astype("string"), "end", "an end offset greater than start")
    return start, end


def _check_priority(path: Path, frame: pd.DataFrame) -> pd.Series:
    """segments.csv `priority` (optional): a whole number (higher is quoted first), or blank."""
    stripped = frame["priority"].astype("string").str.strip()
    raw = stripped.mask(stripped == "")
    bad = raw.notna() & ~(raw.fillna("").str.fullmatch(r"[+-]?\d{1,9}"))
    fail_at_first(path, bad, frame["priority"].astype("string"), "priority", "a whole number, or blank")
    return pd.to_numeric(raw, errors="coerce").astype("Int64")


def _highlight_priority(path: Path, frame: pd.DataFrame, out: pd.DataFrame) -> pd.Series:
    """segments.csv `highlight` (optional, true/false or blank), the alternative to `priority`: a highlighted
    segment without a priority counts as priority 1 (quoted before the others); false or blank changes nothing."""
    flag = bool_column(path, frame, "highlight").fillna(False).astype(bool)
    given = out["priority"] if "priority" in out else pd.Series(pd.NA, index=frame.index, dtype="Int64")
    return given.mask(given.isna() & flag, 1).astype("Int64")


def _check_dates(path: Path, frame: pd.DataFrame, out: pd.DataFrame) -> pd.Series:
    """segments.csv `date` (optional): an ISO date (YYYY-MM-DD) or blank, one per document."""
    raw = frame["date"].astype("string")
    parsed = pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce")
    bad = raw.notna() & (parsed.isna() | ~raw.fillna("").str.fullmatch(r"\d{4}-\d{2}-\d{2}"))
    fail_at_first(path, bad, raw, "date", "an ISO date YYYY-MM-DD, or blank")
    values = raw.fillna("")
    firsts = values.groupby([out["source"], out["document_id"]]).transform("first")
    differs = values != firsts
    fail_at_first(path, differs, raw, "date", "one date per document")
    return raw


def _check_order(path: Path, frame: pd.DataFrame, out: pd.DataFrame) -> pd.Series:
    """segments.csv `order` (optional): an interview's position (a whole number from 1) or blank, one per document."""
    raw = frame["order"].astype("string")
    bad = raw.notna() & ~(raw.fillna("").str.fullmatch(r"0*[1-9]\d{0,8}"))
    fail_at_first(
        path, bad, raw, "order", "an interview's position in the interview order (a whole number from 1), or blank"
    )
    values = raw.fillna("")
    firsts = values.groupby([out["source"], out["document_id"]]).transform("first")
    fail_at_first(path, values != firsts, raw, "order", "one order per document")
    return pd.to_numeric(raw).astype("Int64")


def _check_coders(path: Path, out: pd.DataFrame) -> None:
    """In a document two or more named coders coded, every segment names its coder (else it is nobody's)."""
    named = out["coder"].notna() & out["coder"].str.strip().ne("")
    doc = [out["source"], out["document_id"]]
    several = out["coder"].where(named).groupby(doc).transform("nunique") >= 2
    fail_at_first(
        path,
        several & ~named,
        out["coder"].fillna(""),
        "coder",
        "the coder of every segment of a document two or more coders coded",
    )


def empty_segments() -> pd.DataFrame:
    """A segments frame with no rows."""
    cols = ("segment_id", "source", "document_id", "participant_id", "group", "code", "subtheme", "theme", "coder")
    frame = pd.DataFrame({c: pd.Series(dtype="string") for c in cols})
    frame["quote_ok"] = pd.Series(dtype=bool)
    frame["text"] = pd.Series(dtype="string")
    return frame
