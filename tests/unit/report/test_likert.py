"""The report's marking of reverse-coded items (report.likert)."""

from __future__ import annotations

import pandas as pd

from workforce_eval.report import likert

META = {
    "groups": [{"code": "a", "label": "A"}, {"code": "b", "label": "B"}],
    "items": [
        {"id": "trust", "text": "I trust my partner.", "type": "likert", "levels": list("12345"), "reverse": False},
        {"id": "poor", "text": "We were poorly matched.", "type": "likert", "levels": list("12345"), "reverse": True},
    ],
}


def test_reverse_coded_item_is_marked_and_its_share_reads_as_disagreement() -> None:
    table = pd.DataFrame(
        [
            ["I trust my partner.", "% agree", "80.0 %"],
            ["", "Median answer", "4"],
            ["We were poorly matched.", "% in top two levels (reverse-coded item)", "73.0 %"],
            ["", "Median answer", "2"],
        ],
        columns=["Item", "Measure", "All"],
    )
    out = likert.mark_reversed(table, META)
    assert out["Item"].tolist() == ["I trust my partner.", "", "We were poorly matched. (reversed)", ""]
    # the favourable top two levels of a negatively worded item are its two disagree levels
    assert out["Measure"].tolist() == ["% agree", "Median answer", likert.REVERSED_SHARE, "Median answer"]
    assert "agree" not in likert.REVERSED_SHARE.replace("disagree", "")
    assert table.iloc[2, 0] == "We were poorly matched."  # the input is not changed


def test_likert_charts_follow_the_scales_items_and_groups() -> None:
    assert likert.likert_figure_names(META) == ["likert"]  # 2 items on one scale, 3 bars each: one chart
    many = {**META, "items": META["items"] * 10, "groups": [{"code": str(i)} for i in range(5)]}
    # 20 items, all + 5 groups: 0.32 + 6 * 0.19 + 0.06 = 1.52 in an item, (8.6 - 2.3) // 1.52 = 4 a chart: 5 charts
    assert likert.likert_figure_names(many) == ["likert", "likert-2", "likert-3", "likert-4", "likert-5"]
    other = {**META, "items": [*META["items"], {**META["items"][0], "id": "x", "levels": list("123")}]}
    assert likert.likert_figure_names(other) == ["likert", "likert-2"]  # a second scale: its own chart
    assert likert.likert_figure_names({"items": [], "groups": []}) == []


def test_reverse_coded_items_are_marked_once_the_same_way_in_reports_and_figures() -> None:
    from workforce_eval.figures import cohort as figures
    from workforce_eval.inputs.metadata import Item
    from workforce_eval.register.notation import REVERSED, reversed_text

    item = {"id": "q", "text": "I feel out of my depth", "reverse": True}
    typed = Item(id="q", text="I feel out of my depth", type="likert", reverse=True)
    assert likert.marked(item) == figures._marked(typed) == "I feel out of my depth (reversed)"
    assert reversed_text("I feel out of my depth (reversed)", True).count(REVERSED) == 1
    assert likert.marked({"id": "q", "text": "I cope", "reverse": False}) == "I cope"
