"""Second coder and interview dates for the synthetic cohorts' coded segments (invented data only).

Segment rows are lists `[segment_id, source, document_id, participant_id, group, code, coder,
text, quote_ok]` (the columns of segments.csv). `second_coder` has a second coder recode every
passage of a few interviews, changing the primary code of some passages to a neighbouring code
and dropping a secondary code from others (the kinds of disagreement coding comparisons show);
`with_dates` appends a `date` column (one ISO date per interview, in an order that is not the
document order; blank for survey answers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np

from workforce_eval.names import SEGMENT_COLUMNS

DATED_COLUMNS: tuple[str, ...] = (*SEGMENT_COLUMNS, "date")
SECOND_CODER = "coder_b"


def _neighbours(codebook: dict[str, Any]) -> dict[str, list[str]]:
    """For every code: the other codes of its subtheme, then the other codes of its theme."""
    out: dict[str, list[str]] = {}
    for theme in codebook["themes"]:
        in_theme = [c["id"] for s in theme["subthemes"] for c in s["codes"]]
        for sub in theme["subthemes"]:
            in_sub = [c["id"] for c in sub["codes"]]
            for code in in_sub:
                out[code] = [c for c in in_sub if c != code] + [c for c in in_theme if c not in in_sub]
    return out


def second_coder(
    rows: Sequence[Sequence[str]],
    codebook: dict[str, Any],
    rng: np.random.Generator,
    n_documents: int,
    share_recoded: float,
    share_dropped: float,
    id_width: int,
) -> list[list[str]]:
    """The rows with a second coder's codings of every passage of `n_documents` interviews, renumbered.

    A passage is the run of rows of one document with the same text. In the chosen interviews the
    second coder applies the first coder's codes, except: for `share_recoded` of the passages the
    primary code becomes a neighbouring code; for `share_dropped` of the passages with two or
    more codes the last code is left out. The second coder's rows follow the passage's rows.
    """
    passages: list[tuple[str, str, list[list[str]]]] = []
    for row in rows:
        key = (row[2], row[7])
        if passages and (passages[-1][0], passages[-1][1]) == key:
            passages[-1][2].append(list(row))
        else:
            passages.append((row[2], row[7], [list(row)]))
    interviews = sorted({doc for doc, _, group in passages if group[0][1] == "interview"})
    chosen = {interviews[int(j)] for j in rng.permutation(len(interviews))[:n_documents]}
    coded = [j for j, (doc, _, _) in enumerate(passages) if doc in chosen]
    recoded = {coded[int(j)] for j in rng.permutation(len(coded))[: round(share_recoded * len(coded))]}
    multi = [j for j in coded if len(passages[j][2]) >= 2 and j not in recoded]
    dropped = {multi[int(j)] for j in rng.permutation(len(multi))[: round(share_dropped * len(multi))]}
    neighbours = _neighbours(codebook)
    coded_set = set(coded)
    out: list[list[str]] = []
    for j, (_doc, _text, group) in enumerate(passages):
        out += [list(r) for r in group]
        if j not in coded_set:
            continue
        codes = [r[5] for r in group]
        if j in recoded:
            codes[0] = next(c for c in neighbours[codes[0]] if c not in codes)
        if j in dropped:
            codes = codes[:-1]
        for code in codes:
            row = list(group[0])
            row[5], row[6] = code, SECOND_CODER
            out.append(row)
    prefix = "SEG"
    for k, row in enumerate(out):
        row[0] = f"{prefix}{k + 1:0{id_width}d}"
    return out


def with_dates(
    rows: Sequence[Sequence[str]], rng: np.random.Generator, first: dt.date, span_days: int
) -> list[list[str]]:
    """The rows with a `date` column: each interview a distinct date within `span_days` of `first`, shuffled."""
    interviews = sorted({r[2] for r in rows if r[1] == "interview"})
    days = sorted(int(d) for d in rng.choice(span_days, size=len(interviews), replace=False))
    order = [int(j) for j in rng.permutation(len(interviews))]
    date_of = {interviews[j]: (first + dt.timedelta(days=days[k])).isoformat() for k, j in enumerate(order)}
    return [[*r, date_of.get(r[2], "") if r[1] == "interview" else ""] for r in rows]


OFFSET_COLUMNS: tuple[str, ...] = (*DATED_COLUMNS, "start", "end")
#: What separates two passages in the transcript the offsets count in (a blank line).
PASSAGE_SEPARATOR = "\n\n"


def _shifted(text: str, rng: np.random.Generator) -> tuple[int, int]:
    """A second coder's span of a passage, relative to its start: one sentence less at the start or the end."""
    cuts = [i + 2 for i in range(len(text) - 2) if text[i] in ".?!" and text[i + 1] == " "]
    if not cuts:  # one sentence: the last few words are left out
        words = [i for i, ch in enumerate(text) if ch == " "]
        return 0, words[len(words) * 2 // 3] if len(words) >= 3 else len(text)
    cut = cuts[int(rng.integers(len(cuts)))]
    return (cut, len(text)) if rng.random() < 0.5 else (0, cut - 1)


def with_offsets(rows: Sequence[Sequence[str]], rng: np.random.Generator, share_shifted: float) -> list[list[str]]:
    """The rows with `start`/`end` character offsets into each interview's transcript (blank for survey answers).

    A transcript is an interview's distinct passages in order of appearance, separated by a blank line;
    the first coder codes each passage whole. The second coder codes the same span, except for
    `share_shifted` of their passages that may not be quoted, where the span leaves out one sentence
    at the start or the end (or the last words of a one-sentence passage): the span disagreement
    NVivo's coding comparison and QualCoder's coder comparison measure. Every coder's rows of one
    passage share one span.
    """
    starts: dict[tuple[str, str], int] = {}
    length: dict[str, int] = {}
    for r in rows:
        if r[1] == "interview" and (r[2], r[7]) not in starts:
            at = length.get(r[2], 0)
            starts[(r[2], r[7])] = at
            length[r[2]] = at + len(r[7]) + len(PASSAGE_SEPARATOR)
    second = sorted({(r[2], r[7]) for r in rows if r[1] == "interview" and r[6] == SECOND_CODER and r[8] != "true"})
    chosen = {second[int(j)] for j in rng.permutation(len(second))[: round(share_shifted * len(second))]}
    span_of = {key: _shifted(key[1], rng) for key in sorted(chosen)}
    out = []
    for r in rows:
        if r[1] != "interview":
            out.append([*r, "", ""])
            continue
        at = starts[(r[2], r[7])]
        begin, end = span_of.get((r[2], r[7]), (0, len(r[7]))) if r[6] == SECOND_CODER else (0, len(r[7]))
        out.append([*r, str(at + begin), str(at + end)])
    return out
