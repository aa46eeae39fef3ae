"""Privacy guard: a fail-closed scan of every text cell of a cohort for direct identifiers.

Runs after validation and before anything of the cohort is written. A hit stops the cohort
with an `InputError` naming the file, row, column and the *kind* of identifier, never the
identifier itself (not in the message, not in the log). Kinds:

- `email`, `uk_phone`, `nhs_number` (10 digits, spaced or not, with a valid modulus-11 check
  digit), `ni_number`, `uk_postcode`, `url`, `social_handle`;
- `deny_list_name`: a name from the optional `<cohort folder>/deny_list.txt` (one per line,
  `#` starts a comment; matched as whole words, ignoring case and spacing). The deny list
  stays in `data_dir`: it is read here and never copied anywhere;
- `participant_id`: a raw participant id of the roster inside a passage that may be quoted
  (the quote would tie the pseudonymous attribution to the raw id).

A reviewed false positive in segments.csv is cleared by a row `segment_id,kind` in the
optional `<cohort folder>/pii_allow.csv` (columns `segment_id`, `kind`, optional `note`).
Participant, response and segment ids are pseudonyms, not direct identifiers; they are
scanned like every other cell all the same (an e-mail address used as an id is still one).
"""

from __future__ import annotations

import dataclasses
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workforce_eval.errors import InputError
from workforce_eval.inputs.readers import YamlDoc, csv_row, decode, read_csv
from workforce_eval.inputs.validate import fold_label as fold
from workforce_eval.names import ALLOW_LIST, DENY_LIST

log = logging.getLogger("workforce_eval.privacy")

ALLOW_COLUMNS = ("segment_id", "kind")
ALLOW_OPTIONAL = ("note",)

#: Kind -> how it is named in messages (the identifier itself never is).
KINDS: dict[str, str] = {
    "email": "an e-mail address",
    "uk_phone": "a UK phone number",
    "intl_phone": "an international phone number",
    "nhs_number": "an NHS number",
    "ni_number": "a National Insurance number",
    "uk_postcode": "a UK postcode",
    "url": "a web address (URL)",
    "social_handle": "a social-media handle",
    "deny_list_name": "a name from deny_list.txt",
    "participant_id": "a raw participant_id in a passage that may be quoted",
}

_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_URL = re.compile(
    r"(?i)(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"]+"
    r"|(?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|org|net|uk|io|info|gov|edu|ly|co)(?:/[^\s<>\"]*)?(?![\w-])"
)
_HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_]{2,30})(?![\w@])")
#: Words people write after "@" in ordinary prose ("@home", "@ 3pm" is not matched at all).
_AT_WORDS = frozenset(
    [
        "home",
        "work",
        "school",
        "lunch",
        "night",
        "noon",
        "midnight",
        "weekend",
        "weekends",
        "office",
        "hospital",
        "ward",
        "clinic",
        "least",
        "last",
        "most",
        "all",
        "everyone",
        "anyone",
        "someone",
        "once",
        "times",
        "first",
        "best",
        "worst",
    ]
)
#: An international number in E.164 style: + and a country code, 8 to 15 digits in all (UK numbers: uk_phone).
_INTL_PHONE = re.compile(r"(?<![\w+])(?:\+|00)\s?(?!44)[1-9]\d{0,2}(?:[\s.\-]?\(?\d{1,5}\)?){2,6}(?!\d)")
#: Characters of Unicode category Cf (zero-width spaces and joiners, soft hyphens, BOMs, bidi marks).
_FORMAT_CHARS = re.compile(r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
_SPELLED_AT = re.compile(r"(?i)\s*(?:[\(\[\{<]\s*at\s*[\)\]\}>]|\bat\b)\s*")
_SPELLED_DOT = re.compile(r"(?i)\s*(?:[\(\[\{<]\s*dot\s*[\)\]\}>]|\bdot\b)\s*")
#: The e-mail form of spelled-out text ("jo dot smith at nhs dot net"): only with a common domain ending,
#: so that "look at it dot by dot" stays prose.
_SPELLED_EMAIL = re.compile(
    r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|net|org|uk|nhs|gov|ac|edu|io|scot|wales|info|me)\b",
    re.IGNORECASE,
)
_DIGIT_SEPARATOR = re.compile(r"(?<=\d)[\s.\-/]{1,3}(?=\d)")
_NHS = re.compile(r"(?<![\d.])(\d{3})[ .\-]?(\d{3})[ .\-]?(\d{4})(?![\d]|\.\d)")
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?\(?\d{2,5}\)?|\(?0\d{2,5}\)?)(?:[\s.\-]?\d{2,4}){1,4}(?!\d)"
)
_NI = re.compile(
    r"(?i)(?<![a-z0-9])(?!bg|gb|nk|kn|tn|nt|zz)[a-ceghj-prstw-z][a-ceghj-nprstw-z]"
    r"\s?\d{2}\s?\d{2}\s?\d{2}\s?[a-d](?![a-z0-9])"
)
_POSTCODE_INWARD = r"\d[ABD-HJLNP-UW-Z]{2}"
_POSTCODE_OUTWARD = r"(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)"
_POSTCODE = re.compile(rf"(?i)(?<![A-Za-z0-9])(?:{_POSTCODE_OUTWARD}\s?{_POSTCODE_INWARD})(?![A-Za-z0-9])")


def nhs_number_valid(digits: str) -> bool:
    """True for 10 digits whose last is the modulus-11 check digit of the first nine (weights 10..2)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _has_nhs_number(text: str) -> bool:
    return any(nhs_number_valid("".join(m.groups())) for m in _NHS.finditer(text))


def _uk_phone_digits(digits: str) -> bool:
    """National (0...) or international (44..., 0044...) digits of a plausible UK phone number."""
    if digits.startswith("0044"):
        digits = digits[2:]
    if digits.startswith("44"):
        rest = digits[2:]
        rest = rest[1:] if rest.startswith("0") else rest
        return 9 <= len(rest) <= 10 and rest[0] in "1235789"
    return digits.startswith("0") and 10 <= len(digits) <= 11 and digits[1] in "1235789"


def _has_uk_phone(text: str) -> bool:
    for match in _PHONE.finditer(text):
        groups = re.findall(r"\d+", match.group(0))
        # the pattern is greedy: a number followed by other digits is tried with fewer trailing groups
        for end in range(len(groups), 0, -1):
            if _uk_phone_digits("".join(groups[:end])):
                return True
    return False


def _finder(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda text: pattern.search(text) is not None


def _has_handle(text: str) -> bool:
    return any(m.group(1).casefold() not in _AT_WORDS for m in _HANDLE.finditer(text))


def _has_intl_phone(text: str) -> bool:
    for match in _INTL_PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        digits = digits[2:] if match.group(0).startswith("00") else digits
        if 8 <= len(digits) <= 15:
            return True
    return False


def normalise(text: str) -> str:
    """Text as the detectors see it: Unicode NFKC (full-width digits, ligatures), format characters removed."""
    return _FORMAT_CHARS.sub("", unicodedata.normalize("NFKC", text))


def _spelled_out(text: str) -> str:
    """`jo dot smith at nhs dot net` as `jo.smith@nhs.net` (also `(at)`, `[dot]` ...)."""
    return _SPELLED_DOT.sub(".", _SPELLED_AT.sub("@", text))


#: Kind -> detector, in the order kinds are reported when a cell holds several.
DETECTORS: dict[str, Callable[[str], bool]] = {
    "email": _finder(_EMAIL),
    "nhs_number": _has_nhs_number,
    "uk_phone": _has_uk_phone,
    "intl_phone": _has_intl_phone,
    "ni_number": _finder(_NI),
    "uk_postcode": _finder(_POSTCODE),
    "url": _finder(_URL),
    "social_handle": _has_handle,
}
#: Detectors also run on the text with digit separators removed (`943.476.5919`, `07700-900-123`).
_COMPACT_DETECTORS = ("nhs_number", "uk_phone")


#: Titles that may stand before a surname ("Mrs Khan").
TITLES: tuple[str, ...] = (
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lady",
    "lord",
    "sister",
    "nurse",
    "matron",
    "rev",
    "revd",
    "cllr",
)


def deny_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """One whole-word, caseless pattern for the deny-list names (matched against folded text), or None.

    A name of two or more words is also found by its surname after a title (`Mrs Khan`, `Dr. Khan`),
    after the first name's initial (`A. Khan`, `A Khan`), and as `Khan, Aisha`.
    """
    parts = sorted({fold(n) for n in names if fold(n)}, key=lambda n: (-len(n), n))
    if not parts:
        return None
    alternatives = [r"\s+".join(re.escape(w) for w in name.split()) for name in parts]
    titles = "|".join(TITLES)
    for name in parts:
        words = name.split()
        if len(words) < 2:
            continue
        first, surname = words[0], re.escape(words[-1])
        alternatives.append(rf"(?:{titles})\.?\s+{surname}")
        alternatives.append(rf"{re.escape(first[0])}\.?\s+{surname}")
        alternatives.append(rf"{surname},?\s+{re.escape(first)}")
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)")


def _looks_like_an_id(text: str) -> bool:
    """Letters and digits together (p3, PLP-012): a bare number or word in a passage is rarely an id."""
    return any(c.isdigit() for c in text) and any(c.isalpha() for c in text)


def id_pattern(ids: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern matching any of the raw ids that mix letters and digits, as a whole token (case as written)."""
    parts = sorted({str(i) for i in ids if _looks_like_an_id(str(i))}, key=lambda i: (-len(i), i))
    if not parts:
        return None
    return re.compile(rf"(?<![\w-])(?:{'|'.join(re.escape(i) for i in parts)})(?![\w-])")


def kinds_in(text: str, deny: re.Pattern[str] | None = None) -> list[str]:
    """The kinds of direct identifier found in one text cell, in report order.

    The text is normalised first (`normalise`); e-mail addresses are also looked for with "at" and
    "dot" spelled out, phone and NHS numbers also with the separators between digits removed.
    """
    text = normalise(text)
    compact = _DIGIT_SEPARATOR.sub("", text)
    found = []
    for kind, detect in DETECTORS.items():
        if detect(text) or (kind in _COMPACT_DETECTORS and compact != text and detect(compact)):
            found.append(kind)
    if "email" not in found and _SPELLED_EMAIL.search(_spelled_out(text)):
        found.insert(0, "email")
    if deny is not None and deny.search(fold(text)):
        found.append("deny_list_name")
    return found


HIT_COLUMNS = ("file", "row", "column", "kind", "segment_id")


#: What a detector needs in ASCII text, as one RE2-compatible pattern (matched case-insensitively by pyarrow):
#: "@" (e-mail, handle), "at" (an e-mail spelled out), "://", "www." or a dot before a letter (URL; e-mail
#: domains), a digit before two letters (a postcode's inward code), two letters before two digits (NI
#: number). Phone and NHS numbers need 8 digits at least (`_MIN_DIGITS`). A cell with none of these holds no
#: identifier of a `DETECTORS` kind; non-ASCII cells (NFKC may make digits or "@") are always scanned.
#: (`_ASCII_SPACE` is what Python's `\s` matches in ASCII text; RE2's `\s` leaves out \v and \x1c-\x1f.)
_ASCII_SPACE = r"[ \t\n\x0b\x0c\r\x1c-\x1f]"
_MAYBE = rf"@|at|://|www\.|\.[a-z]|[0-9][a-z][a-z]|[a-z][a-z]{_ASCII_SPACE}?[0-9][0-9]"
#: The fewest digits an international phone number has (8; UK phone and NHS numbers have 10), as a pattern.
_MIN_DIGITS = 8
_MANY_DIGITS = f"[0-9](?:[^0-9]*[0-9]){{{_MIN_DIGITS - 1}}}"


def candidates(texts: Sequence[str] | np.ndarray, deny: re.Pattern[str] | None = None) -> np.ndarray:
    """For each text, False only if it cannot hold a direct identifier: a vectorised pre-check (pyarrow) that
    spares `kinds_in` most cells of a large survey (ids, numbers, short labels). It never clears a text that
    `kinds_in` would flag: each branch of `_MAYBE` is necessary for one kind (see there); deny-list names are
    matched exactly, as in `kinds_in`."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(texts, type=pa.string())
    if len(arr) == 0:
        return np.zeros(0, dtype=bool)
    maybe = pc.or_(
        pc.invert(pc.string_is_ascii(arr)),
        pc.or_(
            pc.match_substring_regex(arr, _MAYBE, ignore_case=True),
            pc.match_substring_regex(arr, _MANY_DIGITS),
        ),
    )
    out = np.asarray(maybe.to_numpy(zero_copy_only=False), dtype=bool).copy()
    if deny is not None:
        for i in np.flatnonzero(~out).tolist():
            out[i] = deny.search(fold(texts[i])) is not None
    return out


def scan_frame(
    frame: pd.DataFrame,
    file: str,
    columns: Iterable[str],
    deny: re.Pattern[str] | None = None,
    id_column: str | None = None,
) -> pd.DataFrame:
    """Every (row, column, kind) of a direct identifier in the given text columns of one file (header = row 1).

    Each distinct text of a column is scanned once, and only if `candidates` says it may hold an identifier;
    cells are turned into Python strings only once per distinct value (a million-row column has few).
    """
    records = []
    cache: dict[str, list[str]] = {}
    for column in columns:
        values = frame[column]
        present = values[values.notna()]
        if present.empty:
            continue
        distinct = list(present.unique())  # on the column's own array (pyarrow strings), not one object per cell
        texts = [str(v) for v in distinct]
        flagged: dict[Any, list[str]] = {}
        for i in np.flatnonzero(candidates(texts, deny)).tolist():
            value, text = distinct[i], texts[i]
            if text not in cache:
                cache[text] = kinds_in(text, deny)
            if cache[text]:
                flagged[value] = cache[text]
        if not flagged:
            continue
        for index, value in present[present.isin(list(flagged))].items():
            for kind in flagged[value]:
                records.append(
                    (file, csv_row(index), column, kind, str(frame.at[index, id_column]) if id_column else "")
                )
    return pd.DataFrame.from_records(records, columns=list(HIT_COLUMNS))


def quoted_id_hits(segments: pd.DataFrame, participant_ids: Iterable[str], file: str = "segments.csv") -> pd.DataFrame:
    """Quotable passages (quote_ok true) whose text holds a raw participant_id of the roster."""
    pattern = id_pattern(participant_ids)
    if pattern is None or "text" not in segments or "quote_ok" not in segments:
        return pd.DataFrame(columns=list(HIT_COLUMNS))
    quotable = segments["quote_ok"].fillna("").str.strip().str.casefold().eq("true") & segments["text"].notna()
    records = [
        (file, int(i) + 2, "text", "participant_id", str(segments.at[i, "segment_id"]))
        for i in segments.index[quotable]
        if pattern.search(str(segments.at[i, "text"]))
    ]
    return pd.DataFrame.from_records(records, columns=list(HIT_COLUMNS))


def read_deny_list(path: Path) -> tuple[str, ...]:
    """Names of deny_list.txt: one per line, blank lines and `#` comments ignored."""
    names = []
    for line in decode(path).splitlines():
        name = line.split("#", 1)[0].strip()
        if name:
            names.append(name)
    return tuple(names)


def read_allow_list(path: Path, segment_ids: Iterable[str]) -> set[tuple[str, str]]:
    """(segment_id, kind) pairs of pii_allow.csv; a strict file: known columns, kinds and segment ids only."""
    frame = read_csv(path)
    for column in frame.columns:
        if column not in ALLOW_COLUMNS + ALLOW_OPTIONAL:
            raise InputError(
                path,
                row=1,
                column=column,
                expected="only the columns " + ", ".join(ALLOW_COLUMNS + ALLOW_OPTIONAL),
                found="an unknown column",
            )
    for column in ALLOW_COLUMNS:
        if column not in frame.columns:
            raise InputError(path, row=1, column=column, expected=f"a column named {column!r}", found="no such column")
    known = set(segment_ids)
    allowed: set[tuple[str, str]] = set()
    for index, row in frame.iterrows():
        for column in ALLOW_COLUMNS:
            if pd.isna(row[column]):
                raise InputError(path, row=csv_row(index), column=column, expected="a value", found="a blank cell")
        if row["kind"] not in KINDS:
            raise InputError(
                path, row=csv_row(index), column="kind", expected="one of " + ", ".join(KINDS), found=row["kind"]
            )
        if row["segment_id"] not in known:
            raise InputError(
                path,
                row=csv_row(index),
                column="segment_id",
                expected="a segment_id of segments.csv",
                found=row["segment_id"],
            )
        allowed.add((str(row["segment_id"]), str(row["kind"])))
    return allowed


@dataclass(frozen=True)
class Finding:
    """What a PII hit is reported as: the kind, and how many other cells also hold identifiers."""

    kind: str
    others: int = 0

    def __str__(self) -> str:
        more = ""
        if self.others:
            cells = "cell" if self.others == 1 else "cells"
            more = f"; {self.others} more {cells} with identifiers listed in this log"
        return f"{KINDS[self.kind]} (kind {self.kind}){more}"


EXPECTED = (
    "no direct identifier in the data (remove or redact it in the input file; a reviewed false positive "
    f"in segments.csv can be cleared in {ALLOW_LIST} by segment_id and kind)"
)


#: The YAML files of a cohort folder whose every key and value is scanned (all of them can be published).
YAML_FILES: tuple[str, ...] = ("cohort.yaml", "instrument.yaml", "codebook.yaml")


def scan_yaml(path: Path, file: str, deny: re.Pattern[str] | None = None) -> pd.DataFrame:
    """Every (line, key path, kind) of a direct identifier in the keys and values of a YAML file.

    A key that holds an identifier is named by its position (`#2`) in the key path, never by itself.
    """
    doc = YamlDoc(path)
    records: list[tuple[str, int, str, str, str]] = []

    def visit(value: Any, keys: tuple[Any, ...], shown: tuple[str, ...]) -> None:
        if isinstance(value, dict):
            for i, (key, item) in enumerate(value.items()):
                kinds = kinds_in(str(key), deny)
                label = f"#{i + 1}" if kinds else str(key)
                for kind in kinds:
                    records.append((file, doc.line(*keys, key) or 1, ".".join((*shown, label)), kind, ""))
                visit(item, (*keys, key), (*shown, label))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                visit(item, (*keys, i), (*shown, str(i)))
        elif value is not None and not isinstance(value, bool):
            for kind in kinds_in(str(value), deny):
                records.append((file, doc.line(*keys) or 1, ".".join(shown), kind, ""))

    visit(doc.data, (), ())
    return pd.DataFrame.from_records(records, columns=list(HIT_COLUMNS))


def scan_header(frame: pd.DataFrame, file: str, deny: re.Pattern[str] | None = None) -> pd.DataFrame:
    """Column names that hold a direct identifier (row 1; the column named by its position, `#3`)."""
    records = [
        (file, 1, f"#{i + 1}", kind, "") for i, name in enumerate(frame.columns) for kind in kinds_in(str(name), deny)
    ]
    return pd.DataFrame.from_records(records, columns=list(HIT_COLUMNS))


def _deny_of(cohort_dir: Path) -> re.Pattern[str] | None:
    deny_path = Path(cohort_dir) / DENY_LIST
    return deny_pattern(read_deny_list(deny_path)) if deny_path.is_file() else None


def redact(err: InputError, cohort_dir: Path) -> InputError:
    """A validation message that shows a cell (or a column name) only if it passed the guard.

    Validation runs before the full scan, so a bad value may be an identifier (`Agree - 07700 900123`
    as a closed-scale answer): such a value is replaced by "a value that looks like an identifier (kind)".
    """
    try:
        deny = _deny_of(cohort_dir)
    except InputError:
        deny = None
    found_kinds = kinds_in(str(err.found), deny) if err.found is not None else []
    column_kinds = kinds_in(str(err.column), deny) if err.column is not None else []
    if not found_kinds and not column_kinds:
        return err
    return dataclasses.replace(
        err,
        found=f"a value that looks like an identifier ({found_kinds[0]})" if found_kinds else err.found,
        column=f"a name that looks like an identifier ({column_kinds[0]})" if column_kinds else err.column,
    )


def scan_cohort(
    cohort_dir: Path,
    scaled_items: Iterable[str] = (),
    privacy_dir: Path | None = None,
    read: Mapping[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Every hit in the cohort's CSV files (all cells but closed-scale answers), minus the allow list's.

    The deny and allow lists are read from `privacy_dir` (default: the cohort folder itself; for an
    imported cohort, its own folder under data_dir, as they are never copied to results). `read` holds
    CSVs already read by validation (`CleanCohort.raw`: `readers.read_csv` with `scaled_items` as
    Categoricals), by file name; the others are read here."""
    cohort_dir = Path(cohort_dir)
    lists_dir = Path(privacy_dir) if privacy_dir is not None else cohort_dir
    deny = _deny_of(lists_dir)
    skip = set(scaled_items)
    hits: list[pd.DataFrame] = []
    frames: dict[str, pd.DataFrame] = {}
    for name in YAML_FILES:  # an imported cohort's cohort.yaml stays in its own folder
        for folder in dict.fromkeys((cohort_dir, lists_dir)):
            if (folder / name).is_file():
                hits.append(scan_yaml(folder / name, name, deny))
                break
    for name in ("participants.csv", "survey.csv", "segments.csv", "indicators.csv"):  # indicators: its group names
        path = cohort_dir / name
        if not path.is_file():
            continue
        # closed-scale answers are not scanned: read them as Categoricals (far less memory and time)
        frame = (
            read[name] if read and name in read else read_csv(path, categorical=skip if name == "survey.csv" else ())
        )
        frames[name] = frame
        columns = [c for c in frame.columns if not (name == "survey.csv" and c in skip)]
        id_column = "segment_id" if name == "segments.csv" else None
        hits.append(scan_header(frame, name, deny))
        hits.append(scan_frame(frame, name, columns, deny, id_column))
    if "segments.csv" in frames and "participants.csv" in frames:
        hits.append(quoted_id_hits(frames["segments.csv"], frames["participants.csv"]["participant_id"].dropna()))
    found = pd.concat(hits, ignore_index=True) if hits else pd.DataFrame(columns=list(HIT_COLUMNS))
    allow_path = lists_dir / ALLOW_LIST
    if allow_path.is_file():
        segment_ids: Iterable[str] = frames["segments.csv"]["segment_id"].dropna() if "segments.csv" in frames else []
        allowed = read_allow_list(allow_path, segment_ids)
        cleared = [
            f == "segments.csv" and (s, k) in allowed
            for f, s, k in zip(found["file"], found["segment_id"], found["kind"], strict=True)
        ]
        found = found[~pd.Series(cleared, index=found.index, dtype=bool)]
    order = {
        "cohort.yaml": 0,
        "instrument.yaml": 1,
        "codebook.yaml": 2,
        "participants.csv": 3,
        "survey.csv": 4,
        "segments.csv": 5,
    }
    found = found.assign(_file=found["file"].map(order)).sort_values(["_file", "row"], kind="stable")
    return found.drop(columns="_file").reset_index(drop=True)


def check_cohort(
    cohort_dir: Path,
    scaled_items: Iterable[str] = (),
    privacy_dir: Path | None = None,
    read: Mapping[str, pd.DataFrame] | None = None,
) -> None:
    """Fail closed: log every hit by location and kind, then raise an InputError about the first one."""
    found = scan_cohort(cohort_dir, scaled_items, privacy_dir, read)
    if found.empty:
        return
    for hit in found.itertuples(index=False):
        log.error("PII scan: %s, row %d, column %r: %s", hit.file, hit.row, hit.column, KINDS[str(hit.kind)])
    first = found.iloc[0]
    raise InputError(
        Path(cohort_dir) / str(first["file"]),
        row=int(first["row"]),
        column=str(first["column"]),
        expected=EXPECTED,
        found=Finding(str(first["kind"]), len(found) - 1),
    )
