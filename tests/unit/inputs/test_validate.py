"""Validation: every kind of bad input names the file, row, column, what was expected and what was found."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from workforce_eval.errors import InputError
from workforce_eval.inputs.validate import load


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def error_of(folder: Path) -> InputError:
    with pytest.raises(InputError) as info:
        load(folder, folder.name)
    return info.value


def test_tiny_cohort_is_valid_and_coded(tiny_cohort: Path) -> None:
    cc = load(tiny_cohort, "tiny")
    s = cc.survey.set_index("response_id")
    # " yes " matches "Yes" ignoring case and surrounding whitespace; Yes is level 2 of [No, Yes]
    assert s.loc["r2", "recommend"] == 2
    assert s.loc["r3", "recommend"] == 1
    # likert codes 1..5; "agree" matches "Agree" = 4
    assert list(s["trust"]) == [5, 4, 2]
    # reverse-coded: Disagree (level 2) -> 4, Strongly agree (5) -> 1, missing label -> NA
    assert s.loc["r1", "hard"] == 4 and s.loc["r2", "hard"] == 1 and pd.isna(s.loc["r3", "hard"])
    assert s.loc["r1", "hours"] == 2.0 and pd.isna(s.loc["r3", "hours"])
    assert list(s["timepoint"]) == ["post"] * 3
    assert list(cc.participants["invited"]) == [True, True, True, True, False]
    seg = cc.segments.set_index("segment_id")
    assert seg.loc["g1", "subtheme"] == "s1" and seg.loc["g1", "theme"] == "t1"
    # text is kept only where the participant consented to quotation
    assert seg.loc["g1", "text"] == "We met every month."
    assert pd.isna(seg.loc["g3", "text"])


@pytest.mark.parametrize(
    ("file", "old", "new", "row", "column", "expected", "found"),
    [
        # a label that is not in the scale
        (
            "survey.csv",
            "r2,p2,B,post, yes ,agree",
            "r2,p2,B,post, yes ,agreee",
            3,
            "trust",
            "one of Strongly disagree",
            "agreee",
        ),
        # an unknown group
        ("participants.csv", "p3,A,x2,true", "p3,Z,x2,true", 4, "group", "a group code from cohort.yaml: A, B", "Z"),
        ("survey.csv", "r3,p3,A,post", "r3,p3,Q,post", 4, "group", "a group code", "Q"),
        ("segments.csv", "g4,interview,i3,p3,A", "g4,interview,i3,p3,C", 5, "group", "a group code", "C"),
        # an unknown code
        ("segments.csv", "p3,A,c2,a,I learnt", "p3,A,c9,a,I learnt", 5, "code", "a code id of codebook.yaml", "c9"),
        # an unknown participant
        ("survey.csv", "r3,p3,A", "r3,p9,A", 4, "participant_id", "listed in participants.csv", "p9"),
        (
            "segments.csv",
            "g4,interview,i3,p3,A",
            "g4,interview,i3,p8,A",
            5,
            "participant_id",
            "listed in participants.csv",
            "p8",
        ),
        # group disagreeing with the roster
        ("survey.csv", "r3,p3,A", "r3,p3,B", 4, "group", "'A', the group participants.csv gives p3", "B"),
        # wrong types and values
        ("participants.csv", "p4,B,x2,true", "p4,B,x2,maybe", 5, "invited", "true or false", "maybe"),
        ("survey.csv", "Disagree,2", "Disagree,two", 2, "hours", "a number", "two"),
        ("survey.csv", "r3,p3,A,post", "r3,p3,A,later", 4, "timepoint", "pre or post", "later"),
        ("segments.csv", "g5,survey", "g5,focus_group", 6, "source", "interview or survey", "focus_group"),
        ("segments.csv", "I learnt a lot.,true", "I learnt a lot.,yes", 5, "quote_ok", "true or false", "yes"),
        ("segments.csv", "g6,survey,r1", "g6,survey,r7", 7, "document_id", "a response_id of survey.csv", "r7"),
        # blank required cell
        ("participants.csv", "p2,B,x1,true", "p2,,x1,true", 3, "group", "a value", "a blank cell"),
        # a pre response in a post_only cohort
        ("survey.csv", "r3,p3,A,post", "r3,p3,A,pre", 4, "timepoint", "post (the design is post_only)", "pre"),
    ],
)
def test_bad_cell_names_file_row_column_expected_found(
    tiny_cohort: Path, file: str, old: str, new: str, row: int, column: str, expected: str, found: str
) -> None:
    replace(tiny_cohort / file, old, new)
    err = error_of(tiny_cohort)
    assert Path(err.file).name == file
    assert err.row == row
    assert err.column == column
    assert expected in err.expected
    assert found in str(err.found)
    text = str(err)
    assert file in text and f"row {row}" in text and repr(column) in text


@pytest.mark.parametrize(
    ("file", "old", "new", "rows", "column"),
    [
        ("participants.csv", "p3,A,x2,true", "p1,A,x2,true", (2, 4), "participant_id"),
        ("survey.csv", "r3,p3", "r1,p3", (2, 4), "response_id"),
        ("segments.csv", "g4,interview", "g1,interview", (2, 5), "segment_id"),
        # one participant answering post twice: both rows are named
        ("survey.csv", "r3,p3,A", "r3,p1,A", (2, 4), "participant_id"),
        # a pair with three members
        ("participants.csv", "p5,A,,false", "p5,A,x1,false", (2, 3, 6), "pair_id"),
        # one document, two speakers
        ("segments.csv", "g2,interview,i1,p1,A", "g2,interview,i1,p3,A", (2, 3), "participant_id"),
    ],
)
def test_duplicates_name_every_row_involved(
    tiny_cohort: Path, file: str, old: str, new: str, rows: tuple[int, ...], column: str
) -> None:
    replace(tiny_cohort / file, old, new)
    err = error_of(tiny_cohort)
    assert Path(err.file).name == file
    assert err.column == column
    assert err.rows == rows
    assert "rows " + ", ".join(map(str, rows)) in str(err)


def test_missing_column(tiny_cohort: Path) -> None:
    replace(
        tiny_cohort / "survey.csv",
        "response_id,participant_id,group,timepoint,recommend,trust,hard,hours",
        "response_id,participant_id,group,timepoint,recommend,trust,hardship,hours",
    )
    err = error_of(tiny_cohort)
    assert Path(err.file).name == "survey.csv" and err.row == 1 and err.column == "hard"
    assert "column named 'hard'" in err.expected


def test_wrong_number_of_cells(tiny_cohort: Path) -> None:
    replace(tiny_cohort / "participants.csv", "p4,B,x2,true", "p4,B,x2,true,extra")
    err = error_of(tiny_cohort)
    assert Path(err.file).name == "participants.csv" and err.row == 5


def test_not_utf8_names_the_row(tiny_cohort: Path) -> None:
    path = tiny_cohort / "segments.csv"
    path.write_bytes(path.read_bytes().replace(b"I learnt a lot.", b"I learnt a lot \xe9."))
    err = error_of(tiny_cohort)
    assert Path(err.file).name == "segments.csv" and err.row == 5
    assert err.expected == "UTF-8 text" and "0xe9" in str(err.found)


def test_bom_is_tolerated(tiny_cohort: Path) -> None:
    path = tiny_cohort / "survey.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert list(load(tiny_cohort, "tiny").survey["response_id"]) == ["r1", "r2", "r3"]


def test_empty_file(tiny_cohort: Path) -> None:
    (tiny_cohort / "participants.csv").write_text("")
    err = error_of(tiny_cohort)
    assert Path(err.file).name == "participants.csv" and err.row == 1 and err.found == "an empty file"


def test_invalid_yaml_names_the_line(tiny_cohort: Path) -> None:
    replace(tiny_cohort / "cohort.yaml", "design: post_only", "design: [post_only")
    err = error_of(tiny_cohort)
    assert Path(err.file).name == "cohort.yaml" and err.expected == "valid YAML" and err.row is not None


def test_bad_design_value_names_the_key_and_line(tiny_cohort: Path) -> None:
    replace(tiny_cohort / "cohort.yaml", "design: post_only", "design: longitudinal")
    err = error_of(tiny_cohort)
    assert Path(err.file).name == "cohort.yaml" and err.row == 3 and err.column == "design"
    assert "post_only, pre_post, cross_sectional" in err.expected and err.found == "longitudinal"
    assert "key 'design'" in str(err)


def test_duplicate_codebook_id(tiny_cohort: Path) -> None:
    replace(tiny_cohort / "codebook.yaml", "{id: c2, label: Code two}", "{id: c1, label: Code two}")
    err = error_of(tiny_cohort)
    assert Path(err.file).name == "codebook.yaml" and err.row == 9 and err.found == "c1"
    assert err.column == "themes.0.subthemes.0.codes.1.id"


def test_item_with_unknown_scale(tiny_cohort: Path) -> None:
    replace(tiny_cohort / "instrument.yaml", "    scale: agree5\n    reverse", "    scale: agree7\n    reverse")
    err = error_of(tiny_cohort)
    assert Path(err.file).name == "instrument.yaml" and err.column == "items.2.scale" and err.found == "agree7"


@pytest.mark.parametrize("name", ["participants.csv", "instrument.yaml", "codebook.yaml", "cohort.yaml"])
def test_missing_required_file(tiny_cohort: Path, name: str) -> None:
    (tiny_cohort / name).unlink()
    err = error_of(tiny_cohort)
    assert Path(err.file).name == name and err.found == "no such file"


def test_missing_cohort_folder(tmp_path: Path) -> None:
    err = error_of(tmp_path / "nowhere")
    assert err.found == "no such folder"


def test_yaml_1_1_booleans_stay_labels(tiny_cohort: Path) -> None:
    # `levels: [No, "Yes"]` (the contract's own example) must give the labels No and Yes, not False
    cc = load(tiny_cohort, "tiny")
    assert cc.instrument is not None
    assert cc.instrument.items[0].levels == ("No", "Yes")


def _with_construct(folder: Path, header: str) -> None:
    replace(
        folder / "instrument.yaml",
        "    scale: agree5\n    reverse",
        "    scale: agree5\n    construct: rel\n    reverse",
    )
    replace(folder / "instrument.yaml", "scales:\n", header + "scales:\n")


def test_construct_and_column_labels_reach_cohort_json(tiny_cohort: Path) -> None:
    from workforce_eval.inputs import clean
    from workforce_eval.register.labels import column_label, construct_label

    _with_construct(
        tiny_cohort,
        "constructs:\n  rel:\n    label: Working relationship\ncolumns:\n  pay_band: {label: Pay band (AfC)}\n",
    )
    cc = load(tiny_cohort, "tiny")
    assert cc.instrument is not None and dict(cc.instrument.construct_labels) == {"rel": "Working relationship"}
    meta = clean.metadata(cc)
    assert meta["construct_labels"] == {"rel": "Working relationship"}
    assert meta["column_labels"] == {"pay_band": "Pay band (AfC)"}
    assert construct_label("rel", meta) == "Working relationship (scale score)"
    assert column_label("pay_band", meta) == "Pay band (AfC)"
    # without labels: the humanised id, and cohort.json has no label keys (bundled outputs unchanged)
    assert construct_label("rel_trust") == "Rel trust (scale score)" and column_label("pay_band", {}) == "Pay band"


def test_instrument_without_labels_adds_no_keys(tiny_cohort: Path) -> None:
    from workforce_eval.inputs import clean

    meta = clean.metadata(load(tiny_cohort, "tiny"))
    assert "construct_labels" not in meta and "column_labels" not in meta


def test_label_for_an_unknown_construct_is_an_input_error(tiny_cohort: Path) -> None:
    _with_construct(tiny_cohort, "constructs:\n  relx:\n    label: Typo\n")
    err = error_of(tiny_cohort)
    assert Path(err.file).name == "instrument.yaml" and err.column == "constructs.relx" and err.found == "relx"


def test_label_that_is_not_text_is_an_input_error(tiny_cohort: Path) -> None:
    _with_construct(tiny_cohort, "constructs:\n  rel:\n    label: [a, b]\n")
    err = error_of(tiny_cohort)
    assert Path(err.file).name == "instrument.yaml" and err.column == "constructs.rel.label"


def test_column_label_for_an_item_is_an_input_error(tiny_cohort: Path) -> None:
    replace(tiny_cohort / "instrument.yaml", "scales:\n", "columns:\n  trust: {label: Trust}\nscales:\n")
    err = error_of(tiny_cohort)
    assert err.column == "columns.trust" and err.found == "trust"
