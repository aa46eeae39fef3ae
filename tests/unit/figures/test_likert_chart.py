"""The publication Likert figure (issue 21, part 5): one chart per response scale, one item order for every
group, each group's bar labelled, a legend true for reverse-coded items."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.colors as mcolors
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from workforce_eval import names, register
from workforce_eval.figures import cohort as figures
from workforce_eval.figures import style
from workforce_eval.inputs.metadata import from_document
from workforce_eval.register.measures import collapsed_levels
from workforce_eval.register.rows import Row

AGREE = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
OFTEN = ("Never", "Rarely", "Sometimes", "Often", "Always")
GROUPS = {"doc": "Doctors", "mgr": "Managers"}


def _item(iid: str, levels: Sequence[str], reverse: bool = False) -> dict[str, Any]:
    return {
        "id": iid,
        "text": f"Statement {iid}.",
        "type": "likert",
        "scale": "often" if levels == OFTEN else "agree5",
        "levels": list(levels),
        "construct": None,
        "reverse": reverse,
    }


def _meta(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "cohort_id": "likert-test",
        "design": "cross_sectional",
        "disclosure_threshold": 3,
        "groups": [{"code": c, "label": lbl} for c, lbl in GROUPS.items()],
        "combined_groups": [],
        "items": items,
    }


def _register(meta: Mapping[str, Any], counts: Mapping[str, Mapping[str, list[int]]]) -> pd.DataFrame:
    """Every row the Likert figure reads, from answer counts per item and group (`all` = the groups' sum)."""
    rows: list[Row] = []
    sizes = {g: sum(next(iter(counts.values()))[g]) for g in GROUPS}
    rows.append(Row("response", "responses", sum(sizes.values()), group="all", source="survey", n=sum(sizes.values())))
    for g, n in sizes.items():
        rows.append(Row("response", "responses", n, group=g, source="survey", n=n, method="count"))
    for spec in meta["items"]:
        per_group = counts[spec["id"]]
        by_group = {"all": [sum(v) for v in zip(*per_group.values())], **per_group}
        levels = list(spec["levels"])
        for g, cs in by_group.items():
            d = sum(cs)
            favourable = cs[:2] if spec["reverse"] else cs[-2:]
            rows.append(Row("item", "pct_agree", 100 * sum(favourable) / d, item=spec["id"], group=g, source="survey",
                            n=sum(favourable), denominator=d, method="wilson"))  # fmt: skip
            rows.append(Row("item", "median", 3.0, item=spec["id"], group=g, source="survey", n=d, method="median"))
            for lv, c in zip(levels, cs, strict=True):
                rows.append(Row("item", "level_pct", 100 * c / d, item=spec["id"], group=g, source="survey", n=c,
                                denominator=d, method="wilson", level=lv))  # fmt: skip
            for cat, members in collapsed_levels(spec).items():
                c = sum(cs[levels.index(lv)] for lv in members)
                rows.append(Row("item", "collapsed_pct", 100 * c / d, item=spec["id"], group=g, source="survey", n=c,
                                denominator=d, method="wilson", level=cat))  # fmt: skip
    return register.to_frame(rows)


# a: favourable for doctors, not for managers; b: the reverse; overall a (24/40 agree) before b (22/40)
COUNTS = {
    "a": {"doc": [0, 1, 1, 8, 10], "mgr": [4, 6, 4, 4, 2]},
    "b": {"doc": [6, 6, 4, 2, 2], "mgr": [0, 1, 1, 8, 10]},
    "f": {"doc": [2, 4, 6, 4, 4], "mgr": [2, 4, 6, 4, 4]},
}


@pytest.fixture(autouse=True)
def _style() -> None:
    style.configure_matplotlib()


def _headings(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.axes[0].texts if t.get_fontweight() == "bold"]


def _legend_texts(fig: Figure) -> list[str]:
    return [t.get_text().replace("\n", " ") for legend in fig.legends for t in legend.get_texts()]


def test_items_on_two_scales_get_two_charts_each_with_its_own_legend() -> None:
    meta = _meta([_item("a", AGREE), _item("f", OFTEN), _item("b", AGREE)])
    stats = _register(meta, COUNTS)
    charts = figures.likert_figures(stats, from_document(meta))
    assert len(charts) == 2  # main drew both scales in one chart with one legend
    agree, often = charts
    assert _headings(agree) == ["Statement a.", "Statement b."]
    assert _headings(often) == ["Statement f."]
    assert _legend_texts(agree) == list(AGREE)
    assert _legend_texts(often) == list(OFTEN)
    assert "How often" in often.get_suptitle() and "Agreement" in agree.get_suptitle()
    # the workflow plans the same files from the levels alone
    levels = [tuple(i["levels"]) for i in meta["items"]]
    assert names.likert_names(levels, len(GROUPS) + 1) == ["likert", "likert-2"]


def test_every_group_keeps_the_all_respondents_item_order_and_each_bar_names_its_group() -> None:
    meta = _meta([_item("b", AGREE), _item("a", AGREE)])  # instrument order b, a
    stats = _register(meta, COUNTS)
    (chart,) = figures.likert_figures(stats, from_document(meta))
    ax = chart.axes[0]
    # one bar per group under each item, labelled at its left with the group's name (all respondents first)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["All respondents", "Doctors", "Managers"] * 2
    ticks = list(ax.get_yticks())
    headings = sorted((t.get_position()[1], t.get_text()) for t in ax.texts if t.get_fontweight() == "bold")
    assert [h for _y, h in headings] == ["Statement a.", "Statement b."]  # all: a 24/40 before b 22/40
    # each group's bars lie under the headings in that one order, though managers favour b over a
    for group in ("Doctors", "Managers"):
        ys = [y for y, lbl in zip(ticks, labels, strict=True) if lbl == group]
        above = [max((h for h in headings if h[0] < y), key=lambda h: h[0])[1] for y in ys]
        assert above == ["Statement a.", "Statement b."], group
    # the n of every bar at its right
    assert [t.get_text() for t in ax.texts if t.get_text().startswith("n=")] == ["n=40", "n=20", "n=20"] * 2


def test_the_legend_of_a_chart_with_a_reversed_item_does_not_call_its_right_colour_strongly_agree() -> None:
    meta = _meta([_item("a", AGREE), _item("b", AGREE, reverse=True)])
    stats = _register(meta, COUNTS)
    (chart,) = figures.likert_figures(stats, from_document(meta))
    legend = chart.legends[0]
    right = legend.get_texts()[-1].get_text().replace("\n", " ")
    right_colour = mcolors.to_hex(legend.legend_handles[-1].get_facecolor())
    assert right_colour == figures._likert_colours(AGREE)[-1].lower()
    assert right != "Strongly agree"
    assert right == "Strongly agree (reversed items: Strongly disagree)"
    assert "Statement b. (reversed)" in _headings(chart)


def _relative_luminance(colour: str) -> float:
    """WCAG 2.2 "relative luminance": sRGB channels linearised (c / 12.92 up to 0.04045, else
    ((c + 0.055) / 1.055) ** 2.4), weighted 0.2126 R + 0.7152 G + 0.0722 B."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in mcolors.to_rgb(colour)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str = "#FFFFFF") -> float:
    """WCAG 2.2 contrast ratio (L1 + 0.05) / (L2 + 0.05), L1 the lighter."""
    la, lb = sorted((_relative_luminance(a), _relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula_matches_wcag_reference_values() -> None:
    assert _contrast("#000000") == pytest.approx(21.0)
    assert _contrast("#767676") == pytest.approx(4.54, abs=0.01)  # the lightest grey passing 4.5:1 on white


def test_every_likert_fill_has_three_to_one_contrast_against_white() -> None:
    """WCAG 2.2 success criterion 1.4.11 (non-text contrast): each level's colour, 2 to 7 levels."""
    for k in range(2, 8):
        for colour in figures._likert_colours([str(i) for i in range(k)]):
            assert _contrast(colour) >= 3.0, (k, colour)
    for side in (*style.LIKERT_LOW.values(), *style.LIKERT_HIGH.values()):
        for colour in side:
            assert _contrast(colour) >= 3.0, colour
    assert _contrast(style.NEUTRAL_COLOUR) >= 3.0
    assert _contrast(style.ALL_COLOUR) >= 3.0
    # a group colour under 3:1 is drawn with an outline that has it
    assert _contrast(style.GROUP_EDGE) >= 3.0
    light = [c for c in style.GROUP_PALETTE if _contrast(c) < 3.0]
    assert light  # orange, sky blue, yellow: hence the outline
    assert len(set(style.GROUP_HATCHES)) == len(style.GROUP_HATCHES)


def _texts(fig: Figure) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_text().strip() and t.get_visible()]


def test_the_likert_chart_is_planned_to_print_on_a4_and_sized_by_its_content() -> None:
    items = [_item(str(i), AGREE) for i in range(15)]
    pages = names.likert_pages([tuple(i["levels"]) for i in items], 4)
    assert [p.count for p in pages] == [5, 5, 5]  # near-equal parts, never a part of one
    assert [p.part for p in pages] == [1, 2, 3] and {p.parts for p in pages} == {3}
    counts = {str(i): {"doc": [1, 2, 3, 4, i % 5], "mgr": [i % 4, 2, 3, 4, 5]} for i in range(15)}
    meta = _meta(items)
    meta["groups"].append({"code": "x", "label": "X"})
    charts = figures.likert_figures(_register(_meta(items), counts), from_document(meta))
    assert len(charts) == 3
    for fig in charts:
        assert fig.get_figwidth() <= 180 / 25.4
        assert fig.get_figheight() <= names.PAGE_HEIGHT
        assert min(t.get_fontsize() for t in _texts(fig)) >= 7.0


def test_no_label_of_the_chart_overlaps_another_even_where_answers_are_hidden() -> None:
    """Issue 21: "hidden" text was drawn over the item labels. Hidden answers are an empty bar with a short mark
    inside the axes; hidden shares are named at the bar's end; nothing runs into the group labels or the n."""
    meta = _meta([_item("a", AGREE), _item("b", AGREE, reverse=True)])
    stats = _register(meta, COUNTS)
    levels = stats["measure"].eq("level_pct")
    stats.loc[levels & stats["item"].eq("a") & stats["group"].eq("mgr"), "suppressed"] = True  # all hidden
    partial = stats["item"].eq("b") & stats["group"].eq("doc")  # single levels hidden, sides partly hidden
    stats.loc[levels & partial, "suppressed"] = True
    stats.loc[
        stats["measure"].eq("collapsed_pct") & partial & stats["level"].isin(["disagree", "neutral"]), "suppressed"
    ] = True
    stats.loc[stats["measure"].eq("collapsed_pct") & stats["item"].eq("a") & stats["group"].eq("mgr"), "suppressed"] = (
        True
    )
    (chart,) = figures.likert_figures(stats, from_document(meta))
    canvas = FigureCanvasAgg(chart)
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = chart.axes[0]
    texts = [t for t in ax.texts if t.get_text().strip()] + list(ax.get_yticklabels())
    assert "hidden ([c])" in [t.get_text() for t in texts]
    assert any(t.get_text().startswith("disagree ") for t in texts)  # hidden shares named, left of the bar
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1 :]:
            assert not box_a.overlaps(box_b), (a, b)
    # the bars' labels stay inside the axes, clear of the group names left of it and the n right of it
    frame = ax.get_window_extent(renderer)
    for t in ax.texts:
        if t.get_fontweight() != "bold" and not t.get_text().startswith(("n=", "<", "[")):
            box = t.get_window_extent(renderer)
            assert frame.x0 <= box.x0 and box.x1 <= frame.x1, t.get_text()
