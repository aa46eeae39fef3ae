"""Inter-coder agreement as register rows, and which coders' codings feed the frequency tables.

Units: document x code presence. A coder *coded* a document when at least one of their segments
is in it; for every code, each such coder either applied the code somewhere in the document (1)
or did not (0); coders who did not code the document are missing. Only documents coded by two or
more coders take part. Rows are written per code (`item` = code id) and overall (`item` blank:
every document x code unit pooled), with `source` = `all` and `group` = `all`.

Single-label coding (each coder gives each document one code, e.g. a diagnosis) is a categorical
judgement: the overall rows then take the document as the unit and the code as its category
(`agreement_unit: document`, or `auto` when every double-coded document has exactly one code per
coder), which is the kappa and alpha the literature reports for such data; pooled presence would count
every code a coder did *not* choose as an agreement (e.g. 89 % where document agreement is 73 %). The
per-code rows stay presence (did each coder choose this code?). The `units` row's `method` names the unit.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any, Literal

import numpy as np
import pandas as pd

from workforce_eval.errors import InputError
from workforce_eval.register import measures as m
from workforce_eval.register.rows import Row, to_frame
from workforce_eval.stats import agreement as stats

ANALYSIS = "agreement"
CoderMode = Literal["union", "final", "agreement"]
CODER_MODES: tuple[CoderMode, ...] = ("union", "final", "agreement")
UnitMode = Literal["auto", "document_code", "document"]
UNIT_MODES: tuple[UnitMode, ...] = ("auto", "document_code", "document")
PRESENCE_UNIT, DOCUMENT_UNIT = m.PRESENCE_UNIT, m.DOCUMENT_UNIT

#: Default threshold below which a code's counts are flagged as not to be trusted (Krippendorff 2004,
#: Content Analysis, 2nd ed., p. 241: alpha >= .667 the lowest conceivable limit for tentative conclusions).
DEFAULT_MIN_ALPHA = 0.667


def _doc_key(segments: pd.DataFrame) -> pd.Series:
    return segments["source"].astype(str) + ":" + segments["document_id"].astype(str)


def coders(segments: pd.DataFrame) -> list[str]:
    """The coders named in segments.csv, sorted (blank coder cells are left out)."""
    if "coder" not in segments:
        return []
    return sorted(str(c) for c in segments["coder"].dropna().unique() if str(c) != "")


def presence(meta: dict[str, Any], segments: pd.DataFrame) -> tuple[list[str], list[str], np.ndarray]:
    """(coders, documents, data): data[c, d, k] = 1/0 presence of code k in document d for coder c, nan if not coded.

    Only documents coded by two or more coders; codes in codebook order.
    """
    codes = [c["id"] for t in meta["codebook"] for s in t["subthemes"] for c in s["codes"]]
    who = coders(segments)
    seg = segments[segments["coder"].notna() & segments["coder"].astype(str).ne("")] if who else segments.iloc[:0]
    seg = seg.assign(_doc=_doc_key(seg))
    coded_by = seg.groupby("_doc")["coder"].nunique()
    docs = sorted(coded_by.index[coded_by >= 2])
    data = np.full((len(who), len(docs), len(codes)), np.nan)
    if not docs:
        return who, docs, data
    d_index = {d: i for i, d in enumerate(docs)}
    c_index = {c: i for i, c in enumerate(who)}
    k_index = {k: i for i, k in enumerate(codes)}
    sub = seg[seg["_doc"].isin(d_index)]
    for (doc, coder), _ in sub.groupby(["_doc", "coder"]):
        data[c_index[str(coder)], d_index[doc], :] = 0.0
    for doc, coder, code in sub[["_doc", "coder", "code"]].itertuples(index=False):
        data[c_index[str(coder)], d_index[doc], k_index[str(code)]] = 1.0
    return who, docs, data


def _row(measure: str, estimate: float, item: str, **kw: Any) -> Row:
    return Row(ANALYSIS, measure, estimate, item=item, group="all", source="all", **kw)


def _rows_for(
    item: str,
    data: np.ndarray,
    n_coders: int,
    min_alpha: float = DEFAULT_MIN_ALPHA,
    bootstrap: bool = True,
    unit: str = PRESENCE_UNIT,
) -> list[Row]:
    """The agreement rows of one code (or of all codes pooled) from coders x units data: presence (1/0) or,
    with `unit` = `DOCUMENT_UNIT`, each coder's one code per document as a category."""
    units = int(stats.pairable(data).shape[1])
    out = [_row(m.AGREEMENT_UNITS, units, item, n=units, method=unit)]
    if units == 0:
        return out
    pct = stats.percent_agreement(data)
    out.append(_row(m.PERCENT_AGREEMENT, pct, item, n=units, method="pairwise"))
    # Coders are not participants: n blank, as the `coders` row.
    out.append(_row(m.CONSTANT_CODERS, stats.constant_coders(data), item, method="same call on every unit"))
    if n_coders == 2:
        k = stats.cohen_kappa(data[0], data[1])
        if not math.isnan(k.kappa):
            out.append(
                _row(
                    m.COHEN_KAPPA,
                    k.kappa,
                    n=k.n,
                    ci_low=None if math.isnan(k.ci_low) else k.ci_low,
                    ci_high=None if math.isnan(k.ci_high) else k.ci_high,
                    method=f"statsmodels asymptotic; {stats.KAPPA_INTERVAL}",
                    item=item,
                )
            )
            if not math.isnan(k.std_error):
                out.append(_row(m.KAPPA_STD_ERROR, k.std_error, item, n=k.n, method="statsmodels asymptotic"))
    fleiss = stats.fleiss_kappa(data)
    if not math.isnan(fleiss):
        complete = int((~np.isnan(data)).all(axis=0).sum())
        out.append(_row(m.FLEISS_KAPPA, fleiss, item, n=complete, method="fleiss"))
    alpha = stats.krippendorff_alpha(data, "nominal")
    if not math.isnan(alpha):
        low, high = stats.alpha_bootstrap(data, "nominal") if bootstrap else (math.nan, math.nan)
        out.append(
            _row(
                m.KRIPPENDORFF_ALPHA,
                alpha,
                n=units,
                ci_low=None if math.isnan(low) else low,
                ci_high=None if math.isnan(high) else high,
                method=f"nominal; bootstrap {stats.BOOTSTRAP_RESAMPLES} (seed {stats.BOOTSTRAP_SEED})"
                if bootstrap
                else "nominal",
                item=item,
            )
        )
    # Too low to trust the counts: alpha below the threshold, or undefined while the coders disagree.
    low = (alpha < min_alpha) if not math.isnan(alpha) else pct < 100.0
    out.append(_row(m.LOW_AGREEMENT, int(low), item, n=units, method=f"krippendorff_alpha < {min_alpha:g}"))
    return out


def coder_mode_text(mode: CoderMode, final_coder: str | None = None) -> str:
    """How several coders' codings feed the frequency tables, as the `method` of the `coders` row."""
    return f"frequencies: final coder {final_coder}" if mode == "final" else f"frequencies: {mode}"


def categories(data: np.ndarray) -> np.ndarray | None:
    """Coders x documents: the index of the one code each coder gave each document (nan: did not code it),
    from `presence` data; None unless every coder who coded a double-coded document gave it exactly one code."""
    coded = ~np.isnan(data[:, :, 0]) if data.size else np.zeros(data.shape[:2], dtype=bool)
    if not coded.any():
        return None
    per = np.nansum(data, axis=2)
    if not np.all(per[coded] == 1):
        return None
    out = np.full(data.shape[:2], np.nan)
    out[coded] = np.argmax(np.nan_to_num(data), axis=2)[coded]
    return out


def _unit_data(data: np.ndarray, unit: UnitMode) -> tuple[np.ndarray, str] | None:
    """The overall rows' data and unit text: the categorical data when `unit` asks for it or (`auto`) the
    coding is single-label; None for presence. `document` without single-label coding is an InputError."""
    if unit not in UNIT_MODES:
        raise ValueError(f"agreement_unit must be one of {UNIT_MODES}, not {unit!r}")
    if unit == "document_code":
        return None
    cats = categories(data)
    if cats is None:
        if unit == "document":
            raise InputError(
                "segments.csv",
                column="code",
                expected="one code per coder in every document two or more coders coded (config qualitative: "
                "agreement_unit: document)",
                found="a coder who gave a double-coded document several codes",
            )
        return None
    how = "agreement_unit: document" if unit == "document" else "detected: one code per coder and document"
    return cats, f"{DOCUMENT_UNIT} ({how})"


def agreement_rows(
    meta: dict[str, Any],
    segments: pd.DataFrame,
    mode: CoderMode = "union",
    final_coder: str | None = None,
    min_alpha: float = DEFAULT_MIN_ALPHA,
    unit: UnitMode = "auto",
) -> pd.DataFrame:
    """Register rows of the agreement family: per code and overall; none unless two coders share a document.

    `mode`, `final_coder`: how the frequency tables use several coders (recorded in the `coders` row);
    `min_alpha`: below it a code's `low_agreement` flag is 1 (its counts are not to be trusted);
    `unit`: the overall rows' unit, `document_code` (presence pooled), `document` (the code as a category of
    the document; single-label coding only, else an InputError) or `auto` (`document` when the coding is
    single-label).
    """
    who, docs, data = presence(meta, segments)
    if not docs:
        return to_frame([])
    codes = [c["id"] for t in meta["codebook"] for s in t["subthemes"] for c in s["codes"]]
    # Coders are not participants: their number rests on no count of people (n blank).
    rows = [_row(m.CODERS, len(who), "", method=coder_mode_text(mode, final_coder))]
    rows.append(_row(m.DOUBLE_CODED, len(docs), "", n=len(docs), method="count"))
    categorical = _unit_data(data, unit)
    if categorical is None:
        rows += _rows_for("", data.reshape(len(who), -1), len(who), min_alpha)
    else:
        rows += _rows_for("", categorical[0], len(who), min_alpha, unit=categorical[1])
    for k, code in enumerate(codes):
        rows += _rows_for(code, data[:, :, k], len(who), min_alpha)
    return to_frame(rows)


def span_presence(
    meta: dict[str, Any], segments: pd.DataFrame, coded_text_only: bool = True
) -> tuple[list[str], np.ndarray]:
    """(coders, data): data[c, u, k] = 1/0 whether coder c coded character unit u with code k (nan: not coded).

    Character units of documents coded by two or more coders whose segments carry `start`/`end`
    offsets (as NVivo's coding comparison and QualCoder's coder comparison count): every character
    from 0 to the document's last coded offset, or only characters some coder coded with some code
    (`coded_text_only`: uncoded text, where coders trivially agree, would inflate agreement).
    """
    codes = [c["id"] for t in meta["codebook"] for s in t["subthemes"] for c in s["codes"]]
    who = coders(segments)
    if "start" not in segments or "end" not in segments or len(who) < 2:
        return who, np.empty((len(who), 0, len(codes)))
    seg = segments[segments["start"].notna() & segments["end"].notna() & segments["coder"].notna()]
    seg = seg.assign(_doc=_doc_key(seg))
    k_index = {k: i for i, k in enumerate(codes)}
    c_index = {c: i for i, c in enumerate(who)}
    blocks = []
    for _doc, part in seg.groupby("_doc", sort=True):
        doc_coders = sorted({str(c) for c in part["coder"]})
        if len(doc_coders) < 2:
            continue
        length = int(part["end"].max())
        block = np.full((len(who), length, len(codes)), np.nan)
        for coder in doc_coders:
            block[c_index[coder]] = 0.0
        for coder, code, start, end in part[["coder", "code", "start", "end"]].itertuples(index=False):
            block[c_index[str(coder)], int(start) : int(end), k_index[str(code)]] = 1.0
        if coded_text_only:
            block = block[:, (np.nan_to_num(block) > 0).any(axis=(0, 2)), :]
        blocks.append(block)
    if not blocks:
        return who, np.empty((len(who), 0, len(codes)))
    return who, np.concatenate(blocks, axis=1)


def span_rows(
    meta: dict[str, Any], segments: pd.DataFrame, coded_text_only: bool = True, min_alpha: float = DEFAULT_MIN_ALPHA
) -> pd.DataFrame:
    """Agreement rows over character units (`level` = `character` or `character, coded text only`); none
    without offsets. Same measures as the document rows; no bootstrap (the units are not independent)."""
    who, data = span_presence(meta, segments, coded_text_only)
    if data.shape[1] == 0:
        return to_frame([])
    level = "character, coded text only" if coded_text_only else "character"
    codes = [c["id"] for t in meta["codebook"] for s in t["subthemes"] for c in s["codes"]]
    rows = _rows_for("", data.reshape(len(who), -1), len(who), min_alpha, bootstrap=False)
    for k, code in enumerate(codes):
        rows += _rows_for(code, data[:, :, k], len(who), min_alpha, bootstrap=False)
    return to_frame(
        [
            replace(r, level=level, method=level if r.measure == m.AGREEMENT_UNITS else f"{r.method}; {level}")
            for r in rows
        ]
    )


def select_codings(segments: pd.DataFrame, mode: CoderMode, final_coder: str | None = None) -> pd.DataFrame:
    """The segments the frequency tables count when several coders coded a document.

    - `union`: every coder's segments (a code counts for a document when any coder applied it);
    - `final`: in documents the final coder coded, only theirs; other documents keep all segments;
    - `agreement`: in documents two or more coders coded, only the codes every one of them applied
      (the segments of those codes are kept); other documents keep all segments.
    """
    if mode not in CODER_MODES:
        raise ValueError(f"coders must be one of {CODER_MODES}, not {mode!r}")
    if mode == "union" or "coder" not in segments or len(coders(segments)) < 2:
        return segments
    doc = _doc_key(segments)
    coder = segments["coder"].astype("string").fillna("")
    if mode == "final":
        if not final_coder:
            raise ValueError("coders: final needs final_coder")
        docs_of_final = set(doc[coder == final_coder])
        keep = ~doc.isin(docs_of_final) | (coder == final_coder)
        return segments[keep.to_numpy()]
    n_coders = coder.groupby(doc).nunique()
    per_code = coder.groupby([doc, segments["code"].astype(str)]).nunique()
    multi = doc.map(n_coders) >= 2
    pair = pd.MultiIndex.from_arrays([doc, segments["code"].astype(str)])
    agreed = pd.Series(per_code.reindex(pair).to_numpy(), index=segments.index) >= doc.map(n_coders)
    keep = ~multi | agreed
    return segments[keep.to_numpy()]
