"""Agreement, coder selection, co-occurrence, matrix coding, saturation and the case table on a hand-made cohort.

Every expected value below is computed by hand in the comments from SEGMENTS.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.conftest import write_tiny_cohort
from workforce_eval import register
from workforce_eval.analyses import agreement, cooccurrence, matrix, saturation, themes
from workforce_eval.inputs import clean
from workforce_eval.inputs.validate import load
from workforce_eval.register import disclosure

# Codebook of the tiny cohort: theme t1 -> s1 (c1, c2), s2 (c3). Two coders, a and b, both code i1 and i2.
SEGMENTS = """\
segment_id,source,document_id,participant_id,group,code,coder,text,quote_ok,date
g1,interview,i1,p1,A,c1,a,We met every month.,true,2022-03-05
g2,interview,i1,p1,A,c3,a,We met every month.,true,2022-03-05
g3,interview,i1,p1,A,c1,b,We met every month.,true,2022-03-05
g4,interview,i1,p1,A,c2,a,It was hard at first.,false,2022-03-05
g5,interview,i2,p2,B,c2,a,It changed how I see things.,false,2022-03-01
g6,interview,i2,p2,B,c2,b,It changed how I see things.,false,2022-03-01
g7,interview,i2,p2,B,c3,b,It changed how I see things.,false,2022-03-01
g8,interview,i3,p3,A,c2,a,I learnt a lot.,true,2022-03-09
g9,interview,i4,p4,B,c1,a,More honest conversations.,true,2022-03-12
g10,interview,i4,p4,B,c3,a,More honest conversations.,true,2022-03-12
"""


@pytest.fixture
def cohort(tmp_path: Path) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]:
    folder = write_tiny_cohort(tmp_path / "tiny")
    (folder / "segments.csv").write_text(SEGMENTS, encoding="utf-8")
    (folder / "survey.csv").unlink()
    (folder / "instrument.yaml").unlink()
    roster = (folder / "participants.csv").read_text(encoding="utf-8").splitlines()
    bands = ["band", "6", "7", "6", "8a", "5"]
    (folder / "participants.csv").write_text(
        "\n".join(f"{line},{b}" for line, b in zip(roster, bands, strict=True)) + "\n", encoding="utf-8"
    )
    cc = load(folder, "tiny")
    return clean.metadata(cc), cc.participants, cc.segments


def _get(frame: pd.DataFrame, measure: str, **key: str) -> float:
    sel = frame["measure"] == measure
    for column, value in key.items():
        sel &= frame[column] == value
    assert sel.sum() == 1, (measure, key, int(sel.sum()))
    return float(frame.loc[sel, "estimate"].iloc[0])


def test_agreement_by_hand(cohort: tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]) -> None:
    meta, _roster, seg = cohort
    rows = agreement.agreement_rows(meta, seg)
    # Units (document x code, i1 and i2 coded by both): a = 1,1,1 | 0,1,0 and b = 1,0,0 | 0,1,1.
    assert _get(rows, "double_coded", item="") == 2
    assert _get(rows, "units", item="") == 6
    assert _get(rows, "percent_agreement", item="") == pytest.approx(50.0)  # agree on 3 of 6
    # Cohen: po = 3/6; marginals a 4 ones / 2 zeros, b 3 / 3 -> pe = (12 + 6) / 36 = 0.5 -> kappa 0.
    assert _get(rows, "cohen_kappa", item="") == pytest.approx(0.0, abs=1e-12)
    # Fleiss (two raters): P_bar = 0.5, p1 = 7/12 -> Pe = 74/144 -> kappa = -2/70.
    assert _get(rows, "fleiss_kappa", item="") == pytest.approx(-1 / 35)
    # Krippendorff nominal: n = 12 values (7 ones), Do = 6/12, De = 2*7*5/(12*11) -> alpha = 1 - 66/70.
    assert _get(rows, "krippendorff_alpha", item="") == pytest.approx(2 / 35)
    # Per code: c1 (1,0)/(1,0) agree fully; c2 (1,1)/(0,1); c3 (1,0)/(0,1) never agree.
    assert _get(rows, "percent_agreement", item="c1") == 100.0
    assert _get(rows, "cohen_kappa", item="c1") == pytest.approx(1.0)
    assert _get(rows, "percent_agreement", item="c2") == 50.0
    assert _get(rows, "cohen_kappa", item="c2") == pytest.approx(0.0, abs=1e-12)
    assert _get(rows, "cohen_kappa", item="c3") == pytest.approx(-1.0)
    assert rows.loc[rows["measure"] == "coders", "method"].tolist() == ["frequencies: union"]


def test_no_agreement_rows_with_one_coder(cohort: tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]) -> None:
    meta, _roster, seg = cohort
    assert agreement.agreement_rows(meta, seg[seg["coder"] == "a"]).empty


def test_coder_selection(cohort: tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]) -> None:
    _meta, _roster, seg = cohort
    assert len(agreement.select_codings(seg, "union")) == 10
    # final coder b: only b's segments in i1 and i2 (g3, g6, g7), every segment elsewhere.
    final = agreement.select_codings(seg, "final", "b")
    assert final["segment_id"].tolist() == ["g3", "g6", "g7", "g8", "g9", "g10"]
    # agreement only: i1 keeps c1 (both applied it), i2 keeps c2.
    agreed = agreement.select_codings(seg, "agreement")
    assert agreed["segment_id"].tolist() == ["g1", "g3", "g5", "g6", "g8", "g9", "g10"]
    with pytest.raises(ValueError, match="final_coder"):
        agreement.select_codings(seg, "final")


def test_cooccurrence_by_hand(cohort: tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]) -> None:
    meta, _roster, seg = cohort
    rows = cooccurrence.cooccurrence_rows(meta, seg)
    # Passages: i1:1 {c1, c3}, i1:2 {c2}, i2:1 {c2, c3}, i3:1 {c2}, i4:1 {c1, c3}.
    # Documents: i1 {c1, c2, c3}, i2 {c2, c3}, i3 {c2}, i4 {c1, c3}.
    key = {"group": "all"}
    assert _get(rows, "passages", item="c1", level="c2", **key) == 0
    assert _get(rows, "document_participants", item="c1", level="c2", **key) == 1
    assert _get(rows, "passages", item="c1", level="c3", **key) == 2
    assert _get(rows, "participants", item="c1", level="c3", **key) == 2
    assert _get(rows, "participants", item="c1", level="c3", group="A") == 1
    assert _get(rows, "participants", item="c1", level="c3", group="B") == 1
    assert _get(rows, "passages", item="c2", level="c3", **key) == 1
    assert _get(rows, "document_participants", item="c2", level="c3", **key) == 2
    assert _get(rows, "passages", item="s1", level="s2", **key) == 3
    assert not (rows["item"] == "t1").any()  # one theme: no theme pairs


def test_saturation_by_date_and_by_document_order(cohort: tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]) -> None:
    meta, _roster, seg = cohort
    rows = saturation.saturation_rows(meta, seg, saturation.Rule(base=1, run=2, threshold=0))
    # By date: i2 {c2, c3}, i1 {c1, c2, c3}, i3 {c2}, i4 {c1, c3}: new codes 2, 1, 0, 0.
    assert rows.loc[rows["measure"] == "new_codes", "estimate"].tolist() == [2, 1, 0, 0]
    assert rows.loc[rows["measure"] == "cumulative_codes", "estimate"].tolist() == [2, 3, 3, 3]
    # Base {c2, c3}; run after 1 interview (i1, i3) adds c1: 50 %; after 2 (i3, i4): 0 % -> saturation at 2.
    assert rows.loc[rows["measure"] == "new_information", "estimate"].tolist() == [50.0, 0.0]
    assert _get(rows, "saturation_point") == 2 and _get(rows, "saturation_reached") == 1
    assert rows["method"].str.startswith("order: date").all()
    undated = saturation.saturation_rows(meta, seg.drop(columns="date"), saturation.Rule(base=1, run=2, threshold=0))
    assert undated.loc[undated["measure"] == "new_codes", "estimate"].tolist() == [3, 0, 0, 0]
    assert undated["method"].str.startswith("order: document order").all()
    strict = saturation.saturation_rows(meta, seg, saturation.Rule(base=3, run=2, threshold=0))
    assert _get(strict, "saturation_reached") == 0  # four interviews: no complete run after a base of 3


def test_matrix_and_case_table(cohort: tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]) -> None:
    meta, roster, seg = cohort
    rows = matrix.matrix_rows(meta, roster, seg)
    # band 6: p1 and p3 have coded data; c1 only p1 (g1, g3), c2 both (g4, g8).
    six = rows[rows["subgroup"] == "band=6"]
    assert _get(six, "participants", item="c1") == 1
    assert six.loc[(six["measure"] == "participants") & (six["item"] == "c1"), "denominator"].item() == 2
    assert _get(six, "pct_participants", item="c2") == 100.0
    assert _get(six, "segments", item="c1") == 2
    assert _get(rows[rows["subgroup"] == "band=7"], "participants", item="c3") == 1
    assert not (rows["subgroup"] == "band=5").any()  # p5 has no coded data
    table = matrix.case_code_table(meta, seg)
    assert table.columns.tolist() == ["case", "group", "c1", "c2", "c3"]
    assert table.set_index("case").loc["participant:p1", ["c1", "c2", "c3"]].tolist() == [2, 1, 1]
    assert table.set_index("case").loc["participant:p2", ["c1", "c2", "c3"]].tolist() == [0, 2, 1]


def test_span_agreement_over_coded_text_only_and_all_text(
    cohort: tuple[dict[str, Any], pd.DataFrame, pd.DataFrame],
) -> None:
    meta, _roster, _seg = cohort
    seg = pd.DataFrame(
        {
            "segment_id": ["g1", "g2", "g3"],
            "source": "interview",
            "document_id": "i1",
            "participant_id": "p1",
            "group": "A",
            "code": ["c1", "c1", "c2"],
            "coder": ["a", "b", "a"],
            "start": pd.array([0, 5, 20], dtype="Int64"),
            "end": pd.array([10, 10, 30], dtype="Int64"),
        }
    )
    rows = agreement.span_rows(meta, seg, coded_text_only=True)
    assert set(rows["level"]) == {"character, coded text only"}
    # Coded characters: 0-9 and 20-29 (20). c1: a codes 0-9, b 5-9 -> 5 disagree of 20 = 75 %.
    # c2: a codes 20-29, b nothing -> 10 of 20 disagree = 50 %; c3 nobody -> 100 %; pooled 15 of 60 -> 75 %.
    assert _get(rows, "units", item="") == 60
    assert _get(rows, "percent_agreement", item="c1") == pytest.approx(75.0)
    assert _get(rows, "percent_agreement", item="c2") == pytest.approx(50.0)
    assert _get(rows, "percent_agreement", item="c3") == pytest.approx(100.0)
    assert _get(rows, "percent_agreement", item="") == pytest.approx(75.0)
    # All text up to the last coded character (30): uncoded 10-19 agree too -> c1 25 of 30.
    everything = agreement.span_rows(meta, seg, coded_text_only=False)
    assert _get(everything, "percent_agreement", item="c1") == pytest.approx(250 / 3)
    assert agreement.span_rows(meta, seg.drop(columns=["start", "end"])).empty


def test_matrix_values_add_up_to_the_theme_and_disclosure_protects_the_difference(
    cohort: tuple[dict[str, Any], pd.DataFrame, pd.DataFrame],
) -> None:
    meta, roster, seg = cohort
    rows = matrix.matrix_rows(meta, roster, seg)
    # Every segment is from p1-p4, each with a band: the bands partition the whole cohort's participants.
    assert set(rows["level"]) == {"all"}
    register_ = register.concat([themes.theme_frequencies(meta, seg), rows])
    # c2 by hand: band 6 -> p1, p3 (2); band 7 -> p2 (1); band 8a -> none (0); theme c2 all/all -> 3.
    # With k = 2 the 1 is hidden; 3 - 2 - 0 would give it back, so one more cell of that sum is hidden.
    out = disclosure.apply(register_, {**meta, "disclosure_threshold": 2})
    hidden = disclosure.hidden_cells(register_, {**meta, "disclosure_threshold": 2}, 2)
    c2_7 = ("matrix", "c2", "band=7", "all", "all")
    assert c2_7 in hidden
    assert ("matrix", "c2", "band=6", "all", "all") in hidden or ("units", "c2", "all", "all") in hidden
    rels = disclosure.relations(disclosure.cell_values(register_, {}), meta)
    assert (("units", "c2", "all", "all"), (("matrix", "c2", "band=6", "all", "all"), c2_7,
            ("matrix", "c2", "band=8a", "all", "all"))) in rels  # fmt: skip
    assert (("base", "all", "all"), tuple(("matrix_base", f"band={b}", "all", "all") for b in ("6", "7", "8a"))) in rels
    assert not disclosure._determined(sorted(hidden, key=str), rels)
    shown = out[(out["analysis"] == "matrix") & (out["measure"] == "participants") & (out["item"] == "c2")]
    assert shown.set_index("subgroup").loc["band=7", "suppressed"]


def test_matrix_without_a_partition_has_no_relation(cohort: tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]) -> None:
    meta, roster, seg = cohort
    # p4's band blank: the bands no longer cover every participant with coded data, so no sum holds.
    roster = roster.assign(band=roster["band"].where(roster["participant_id"] != "p4", pd.NA))
    rows = matrix.matrix_rows(meta, roster, seg)
    assert set(rows["level"]) == {""}
    cells = disclosure.cell_values(register.concat([themes.theme_frequencies(meta, seg), rows]), {})
    assert not [r for r in disclosure.relations(cells, meta) if r[1][0][0].startswith("matrix")]


def test_saturation_by_a_given_order(cohort: tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]) -> None:
    meta, _roster, seg = cohort
    # `order` wins over `date`: i3 {c2}, i4 {c1, c3}, i1 {c1, c2, c3}, i2 unnumbered last {c2, c3}.
    position = {"i3": 1, "i4": 2, "i1": 3}
    ordered = seg.assign(order=pd.array([position.get(d) for d in seg["document_id"]], dtype="Int64"))
    rows = saturation.saturation_rows(meta, ordered, saturation.Rule(base=1, run=2, threshold=0))
    assert rows.loc[rows["measure"] == "new_codes", "estimate"].tolist() == [1, 2, 0, 0]
    assert rows["method"].str.startswith("order: order").all()


def test_overlapping_spans_are_one_passage(cohort: tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]) -> None:
    meta, _roster, seg = cohort
    # i1: g1 (c1), g2 (c3) and g3 (c1, coder b) on characters 0-18; g4 (c2) on 15-35 overlaps them: one
    # passage {c1, c2, c3}. Without offsets g4's other text is its own passage (c1 x c2 passages: 0).
    spans = {"g1": (0, 19), "g2": (0, 19), "g3": (0, 10), "g4": (15, 36)}
    with_spans = seg.assign(
        start=pd.array([spans.get(s, (None, None))[0] for s in seg["segment_id"]], dtype="Int64"),
        end=pd.array([spans.get(s, (None, None))[1] for s in seg["segment_id"]], dtype="Int64"),
    )
    rows = cooccurrence.cooccurrence_rows(meta, with_spans)
    assert _get(rows, "passages", item="c1", level="c2", group="all") == 1
    assert _get(rows, "participants", item="c1", level="c2", group="all") == 1
    assert _get(rows, "passages", item="c1", level="c3", group="all") == 2  # i1's span and i4's text
    # Touching spans ([0, 19) and [19, 36)) do not overlap.
    touching = with_spans.assign(start=with_spans["start"].where(with_spans["segment_id"] != "g4", 19))
    assert _get(cooccurrence.cooccurrence_rows(meta, touching), "passages", item="c1", level="c2", group="all") == 0
