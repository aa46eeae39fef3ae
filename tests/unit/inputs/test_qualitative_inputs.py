"""Inputs of the qualitative analyses (issue 12): passages, interview dates, participant attributes."""

from __future__ import annotations

from pathlib import Path

import pytest

from workforce_eval.errors import InputError
from workforce_eval.inputs.validate import load


def _segments(folder: Path, text: str) -> None:
    (folder / "segments.csv").write_text(text, encoding="utf-8")


def test_passages_are_a_documents_distinct_texts_in_order(tiny_cohort: Path) -> None:
    seg = load(tiny_cohort, "tiny").segments.set_index("segment_id")
    # g1 and g2 share document i1 and their text: one passage; g6 is the first passage of survey r1.
    assert seg.loc["g1", "passage"] == seg.loc["g2", "passage"] == "interview:i1:1"
    assert seg.loc["g3", "passage"] == "interview:i2:1"
    assert seg.loc["g6", "passage"] == "survey:r1:1"
    assert "date" not in seg.columns  # the column is optional


def test_offsets_define_passages_where_given(tiny_cohort: Path) -> None:
    _segments(
        tiny_cohort,
        "segment_id,source,document_id,participant_id,group,code,coder,text,quote_ok,start,end\n"
        "g1,interview,i1,p1,A,c1,a,,false,0,10\n"
        "g2,interview,i1,p1,A,c3,b,,false,0,10\n"
        "g3,interview,i1,p1,A,c2,a,,false,11,20\n"
        "g4,interview,i2,p2,B,c2,a,,false,,\n",
    )
    seg = load(tiny_cohort, "tiny").segments.set_index("segment_id")
    assert seg.loc["g1", "passage"] == seg.loc["g2", "passage"] == "interview:i1:1"
    assert seg.loc["g3", "passage"] == "interview:i1:2"
    assert seg.loc["g4", "passage"] == "segment:g4"  # neither text nor offsets: its own passage


def test_dates_one_per_document(tiny_cohort: Path) -> None:
    head = "segment_id,source,document_id,participant_id,group,code,coder,text,quote_ok,date\n"
    _segments(tiny_cohort, head + "g1,interview,i1,p1,A,c1,a,,false,2022-03-01\ng2,interview,i2,p2,B,c2,a,,false,\n")
    seg = load(tiny_cohort, "tiny").segments.set_index("segment_id")
    assert seg.loc["g1", "date"] == "2022-03-01"
    _segments(
        tiny_cohort, head + "g1,interview,i1,p1,A,c1,a,,false,2022-03-01\ng2,interview,i1,p1,A,c2,a,,false,2022-03-02\n"
    )
    with pytest.raises(InputError) as info:
        load(tiny_cohort, "tiny")
    assert (info.value.row, info.value.column, info.value.expected) == (3, "date", "one date per document")
    _segments(tiny_cohort, head + "g1,interview,i1,p1,A,c1,a,,false,01/03/2022\n")
    with pytest.raises(InputError) as info:
        load(tiny_cohort, "tiny")
    assert (info.value.row, info.value.column, info.value.found) == (2, "date", "01/03/2022")


def test_participant_attributes_are_kept(tiny_cohort: Path) -> None:
    path = tiny_cohort / "participants.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    bands = ["band", "6", "7", "6", "8a", "5"]
    path.write_text("\n".join(f"{line},{b}" for line, b in zip(lines, bands, strict=True)) + "\n", encoding="utf-8")
    roster = load(tiny_cohort, "tiny").participants.set_index("participant_id")
    assert roster["band"].tolist() == ["6", "7", "6", "8a", "5"]


def test_bad_offsets_are_located(tiny_cohort: Path) -> None:
    head = "segment_id,source,document_id,participant_id,group,code,coder,text,quote_ok,start,end\n"
    for row, column, expected in (
        ("g1,interview,i1,p1,A,c1,a,,false,x,10\n", "start", "a character offset (a whole number from 0), or blank"),
        ("g1,interview,i1,p1,A,c1,a,,false,10,10\n", "end", "an end offset greater than start"),
        ("g1,interview,i1,p1,A,c1,a,,false,3,\n", "end", "start and end both given or both blank"),
    ):
        _segments(tiny_cohort, head + row)
        with pytest.raises(InputError) as info:
            load(tiny_cohort, "tiny")
        assert (info.value.row, info.value.column, info.value.expected) == (2, column, expected)
    _segments(tiny_cohort, head + "g1,interview,i1,p1,A,c1,a,,false,3,12\n")
    seg = load(tiny_cohort, "tiny").segments
    assert (seg.at[0, "start"], seg.at[0, "end"]) == (3, 12)
