"""Property-based tests (hypothesis) of the cleaning functions: label casing and spacing, missing values, unicode.

Every example goes through the real path of a cell: written into a CSV file with the csv module,
read back by `io.read_csv`, then coded by `validate.survey.code_answers` / `validate.common.bool_column`.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from workforce_eval.errors import InputError
from workforce_eval.inputs import privacy
from workforce_eval.inputs.readers import read_csv
from workforce_eval.inputs.spec import Item, Scale
from workforce_eval.inputs.validate.common import bool_column
from workforce_eval.inputs.validate.survey import code_answers

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

#: Characters of answer labels: letters and digits of any script, punctuation, inner spaces.
LABEL_CHARS = st.characters(categories=("Lu", "Ll", "Lt", "Lo", "Nd", "Po", "Pd"), exclude_characters=',"')
LABELS = st.text(LABEL_CHARS, min_size=1, max_size=12).map(str.strip).filter(bool)
SPACE = st.text(st.sampled_from([" ", "\t", "\u00a0", "\u2003", "\u3000"]), max_size=3)


def csv_column(tmp_path: Path, column: str, values: list[str]) -> pd.DataFrame:
    """Write one column of cells to a CSV file with the csv module and read it back as the pipeline does."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["response_id", column])
    writer.writerows([[f"r{i}", v] for i, v in enumerate(values)])
    path = tmp_path / "survey.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return read_csv(path)


def recase(text: str, flips: list[bool]) -> str:
    """Upper-case the characters where `flips` is true, lower-case the rest."""
    return "".join(c.upper() if f else c.lower() for c, f in zip(text, flips + [False] * len(text), strict=False))


@st.composite
def scales(draw: st.DrawFn) -> Scale:
    """A scale of 2 to 5 levels and up to 2 missing labels, all distinct ignoring case and spacing."""
    labels = draw(st.lists(LABELS, min_size=2, max_size=7, unique_by=privacy.fold))
    split = draw(st.integers(min_value=2, max_value=min(5, len(labels))))
    return Scale("s", tuple(labels[:split]), tuple(labels[split : split + 2]))


@SETTINGS
@given(scale=scales(), data=st.data(), reverse=st.booleans())
def test_any_casing_and_surrounding_space_codes_to_the_level(
    tmp_path: Path, scale: Scale, data: st.DataObject, reverse: bool
) -> None:
    k = len(scale.levels)
    positions = data.draw(st.lists(st.integers(min_value=1, max_value=k), min_size=1, max_size=6))
    cells, expected = [], []
    for pos in positions:
        label = scale.levels[pos - 1]
        variant = recase(label, data.draw(st.lists(st.booleans(), max_size=len(label))))
        assume(variant.casefold() == label.casefold())  # "ignoring case" as Unicode case folding defines it
        cells.append(data.draw(SPACE) + variant + data.draw(SPACE))
        expected.append(k + 1 - pos if reverse else pos)
    frame = csv_column(tmp_path, "q", cells)
    item = Item("q", "q", "likert", scale, reverse=reverse)
    assert list(code_answers(tmp_path / "survey.csv", frame, item)) == expected


@SETTINGS
@given(scale=scales(), data=st.data())
def test_unicode_composition_and_inner_spacing_do_not_matter(tmp_path: Path, scale: Scale, data: st.DataObject) -> None:
    pos = data.draw(st.integers(min_value=1, max_value=len(scale.levels)))
    label = scale.levels[pos - 1]
    decomposed = unicodedata.normalize("NFD", label).replace(" ", data.draw(st.sampled_from([" ", "  ", " \u00a0"])))
    frame = csv_column(tmp_path, "q", [decomposed])
    item = Item("q", "q", "choice", scale)
    assert list(code_answers(tmp_path / "survey.csv", frame, item)) == [pos]


@SETTINGS
@given(scale=scales(), data=st.data())
def test_blank_cells_and_missing_labels_are_missing_never_errors(
    tmp_path: Path, scale: Scale, data: st.DataObject
) -> None:
    options = [
        *(f"level:{i}" for i in range(1, len(scale.levels) + 1)),
        *(f"missing:{m}" for m in scale.missing),
        "blank",
    ]
    picks = data.draw(st.lists(st.sampled_from(options), min_size=1, max_size=8))
    cells, expected = [], []
    for pick in picks:
        kind, _, value = pick.partition(":")
        if kind == "level":
            cells.append(scale.levels[int(value) - 1])
            expected.append(int(value))
        elif kind == "missing":
            variant = recase(value, data.draw(st.lists(st.booleans(), max_size=len(value))))
            assume(variant.casefold() == value.casefold())
            cells.append(data.draw(SPACE) + variant + data.draw(SPACE))
            expected.append(None)
        else:
            cells.append(data.draw(SPACE))
            expected.append(None)
    frame = csv_column(tmp_path, "q", cells)
    codes = code_answers(tmp_path / "survey.csv", frame, Item("q", "q", "likert", scale))
    assert [None if pd.isna(c) else int(c) for c in codes] == expected
    assert codes.dropna().between(1, len(scale.levels)).all()


@SETTINGS
@given(scale=scales(), junk=LABELS)
def test_an_unknown_label_is_an_error_naming_it(tmp_path: Path, scale: Scale, junk: str) -> None:
    assume(privacy.fold(junk) not in {privacy.fold(x) for x in scale.levels + scale.missing})
    frame = csv_column(tmp_path, "q", [scale.levels[0], junk])
    with pytest.raises(InputError) as info:
        code_answers(tmp_path / "survey.csv", frame, Item("q", "q", "likert", scale))
    assert (info.value.row, info.value.column, info.value.found) == (3, "q", junk)


@SETTINGS
@given(text=st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00\r"), max_size=40))
def test_free_text_survives_reading_except_surrounding_space(tmp_path: Path, text: str) -> None:
    frame = csv_column(tmp_path, "comment", [text])
    value = frame.at[0, "comment"]
    if text.strip():
        assert value == text.strip()
    else:
        assert pd.isna(value)
    assert list(code_answers(tmp_path / "survey.csv", frame, Item("comment", "c", "free_text")).fillna("")) == [
        text.strip()
    ]


@SETTINGS
@given(words=st.lists(st.sampled_from(["true", "false"]), min_size=1, max_size=6), data=st.data())
def test_booleans_in_any_case_and_spacing(tmp_path: Path, words: list[str], data: st.DataObject) -> None:
    cells = [
        data.draw(SPACE) + recase(w, data.draw(st.lists(st.booleans(), max_size=5))) + data.draw(SPACE) for w in words
    ]
    frame = csv_column(tmp_path, "flag", cells)
    assert list(bool_column(tmp_path / "survey.csv", frame, "flag")) == [w == "true" for w in words]


# --------------------------------------------------------------------------- the privacy scan


@SETTINGS
@given(
    before=st.text(max_size=30),
    after=st.text(max_size=30),
    user=st.from_regex(r"[a-z][a-z0-9.]{0,10}[a-z0-9]", fullmatch=True),
    domain=st.from_regex(r"[a-z]{2,10}\.(nhs\.uk|org|com|net)", fullmatch=True),
)
def test_a_planted_email_is_found_and_never_echoed(
    tmp_path: Path, before: str, after: str, user: str, domain: str
) -> None:
    address = f"{user}@{domain}"
    text = f"{before} {address} {after}"
    assert "email" in privacy.kinds_in(text)
    frame = pd.DataFrame({"segment_id": ["g1"], "text": [text]})
    hits = privacy.scan_frame(frame, "segments.csv", ["text"], id_column="segment_id")
    assert "email" in set(hits["kind"])
    err = InputError(
        tmp_path / "segments.csv", row=2, column="text", expected=privacy.EXPECTED, found=privacy.Finding("email")
    )
    assert address not in err.message


@SETTINGS
@given(text=st.text(max_size=80))
def test_the_scan_never_fails_on_any_text(text: str) -> None:
    kinds = privacy.kinds_in(text, privacy.deny_pattern(["Amara Okafor"]))
    assert set(kinds) <= set(privacy.KINDS)


@SETTINGS
@given(nine=st.from_regex(r"[0-9]{9}", fullmatch=True))
def test_exactly_one_check_digit_or_none_makes_an_nhs_number(nine: str) -> None:
    valid = [d for d in "0123456789" if privacy.nhs_number_valid(nine + d)]
    total = sum(int(c) * w for c, w in zip(nine, range(10, 1, -1), strict=True))
    expected = (11 - total % 11) % 11
    assert valid == ([] if expected == 10 else [str(expected)])
