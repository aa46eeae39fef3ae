"""Tests of the figures: deterministic bytes, numbers drawn equal register rows, colours fixed."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import matplotlib.colors as mcolors
import pandas as pd
import pytest

from workforce_eval import register
from workforce_eval.figures import cohort as figures
from workforce_eval.figures import style as figure_style
from workforce_eval.inputs.metadata import from_document as view
from workforce_eval.register.rows import Row

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "figures"
COHORT_JSON = FIXTURES / "cohort.json"
GROUPS = ("SLT", "BME", "both")
LEVELS = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
#: The five figures every cohort gets (the workflow and report name these files), written out rather than read
#: from the code.
FIGURES = ("composition", "likert", "themes")  # the fixture: post only, no model
FORMATS = ("pdf", "png", "svg")

# Hand-made counts; the register rows below are derived from them once, here in the test.
COMPOSITION = {"SLT": 9, "BME": 14, "both": 3}  # of 26 -> 34.6 / 53.9 / 11.5 after largest remainder
LIKERT_COUNTS = {
    # rel_trust is first in the instrument but has the lower pct_agree (11/26 vs 20/26).
    "rel_trust": {"SLT": [1, 2, 2, 3, 1], "BME": [2, 3, 3, 4, 2], "both": [0, 1, 1, 1, 0]},
    "learn": {"SLT": [0, 1, 1, 4, 3], "BME": [1, 1, 2, 6, 4], "both": [0, 0, 0, 2, 1]},
}
SUPPRESSED_LIKERT = {("rel_trust", "both")}
THEME_BASE = {"all": 12, "SLT": 4, "BME": 6, "both": 2}
THEME_COUNTS = {  # source "all"; interview / survey rows get other numbers on purpose
    "partnership_experiences": {"all": 10, "SLT": 3, "BME": 5, "both": 2},
    "building_relationships": {"all": 9, "SLT": 3, "BME": 5, "both": 1},
    "psychological_safety": {"all": 9, "SLT": 3, "BME": 5, "both": 1},
    "honest_conversations": {"all": 6, "SLT": 1, "BME": 4, "both": 1},
    "discomfort": {"all": 6, "SLT": 1, "BME": 4, "both": 1},
    "organisational_change": {"all": 4, "SLT": 2, "BME": 2},
    "changing_practice": {"all": 4, "SLT": 2, "BME": 2},  # no row for group "both"
    "recruitment": {"all": 4, "SLT": 2, "BME": 2},
}


def build_register() -> pd.DataFrame:
    """The fixture register: 3 groups, 2 likert items, 1 yesno item, 2 themes / 3 subthemes."""
    rows: list[Row] = [Row("response", "responses", 26, group="all", source="survey", n=26, method="count")]
    total = sum(COMPOSITION.values())
    for g, c in COMPOSITION.items():
        rows.append(Row("response", "responses", c, group=g, source="survey", n=c, method="count"))
    shares = dict(COMPOSITION, bme_any=COMPOSITION["BME"] + COMPOSITION["both"])
    for g, c in shares.items():
        rows.append(
            Row(
                "composition",
                "share",
                100 * c / total,
                group=g,
                source="survey",
                n=c,
                denominator=total,
                method="wilson",
            )
        )
    yes = {"all": 20, "SLT": 7, "BME": 11, "both": 2}
    for g, c in yes.items():
        d = total if g == "all" else COMPOSITION[g]
        rows.append(Row("item", "pct_yes", 100 * c / d, item="recommend", group=g, source="survey", n=c, denominator=d))
    for item, per_group in LIKERT_COUNTS.items():
        counts = {"all": [sum(v) for v in zip(*per_group.values())], **per_group}
        for g, cs in counts.items():
            d = sum(cs)
            rows.append(
                Row(
                    "item",
                    "pct_agree",
                    100 * (cs[3] + cs[4]) / d,
                    item=item,
                    group=g,
                    source="survey",
                    n=cs[3] + cs[4],
                    denominator=d,
                    method="wilson",
                    suppressed=(item, g) in SUPPRESSED_LIKERT,
                )
            )
    for item, per_group in [("recommend", {"all": [6, 20], **{g: [COMPOSITION[g] - yes[g], yes[g]] for g in GROUPS}})]:
        for g, cs in per_group.items():
            for lv, c in zip(("No", "Yes"), cs):
                rows.append(
                    Row(
                        "item",
                        "level_pct",
                        100 * c / sum(cs),
                        item=item,
                        group=g,
                        source="survey",
                        n=c,
                        denominator=sum(cs),
                        method="wilson",
                        level=lv,
                    )
                )
    for item, per_group in LIKERT_COUNTS.items():
        counts = {"all": [sum(v) for v in zip(*per_group.values())], **per_group}
        for g, cs in counts.items():
            for lv, c in zip(LEVELS, cs):
                rows.append(
                    Row(
                        "item",
                        "level_pct",
                        100 * c / sum(cs),
                        item=item,
                        group=g,
                        source="survey",
                        n=c,
                        denominator=sum(cs),
                        method="wilson",
                        level=lv,
                        suppressed=(item, g) in SUPPRESSED_LIKERT,
                    )
                )
    for source, shift in (("interview", -1), ("survey", -2), ("all", 0)):
        for ident, per_group in THEME_COUNTS.items():
            for g, c in per_group.items():
                c = max(c + shift, 0)
                rows.append(Row("theme", "participants", c, item=ident, group=g, source=source, n=c, method="count"))
        for ident, per_group in THEME_COUNTS.items():
            for g, c in per_group.items():
                c = max(c + shift, 0)
                rows.append(
                    Row(
                        "theme",
                        "pct_participants",
                        100 * c / THEME_BASE[g],
                        item=ident,
                        group=g,
                        source=source,
                        n=c,
                        denominator=THEME_BASE[g],
                        method="wilson",
                    )
                )
    return register.to_frame(rows)


@pytest.fixture(scope="module")
def meta() -> dict:
    return json.loads(COHORT_JSON.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def stats_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("register") / "statistics.csv"
    register.write(build_register(), path)
    return path


@pytest.fixture(scope="module")
def stats(stats_csv: Path) -> pd.DataFrame:
    figure_style.configure_matplotlib()
    return register.read(stats_csv)


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _estimate(stats: pd.DataFrame, analysis: str, measure: str, **kw: str) -> float:
    return float(register.one(stats, analysis, measure, **kw)["estimate"])


def _container(ax, label: str):
    [found] = [c for c in ax.containers if c.get_label() == label]
    return found


# (1) + (2): deterministic bytes, no dates -------------------------------------------------


def test_make_all_is_byte_identical_across_calls_and_processes(stats_csv: Path, tmp_path: Path) -> None:
    first = figures.make_all(stats_csv, COHORT_JSON, tmp_path / "a")
    figures.make_all(stats_csv, COHORT_JSON, tmp_path / "b")
    # post only, no model declared: no coefficients or prepost figure is made
    assert sorted(p.name for p in first) == sorted(f"{n}.{ext}" for n in FIGURES for ext in FORMATS)
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    # A fresh interpreter with another hash seed and no SOURCE_DATE_EPOCH gives the same bytes.
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONHASHSEED"] = "12345"
    code = "import sys; from workforce_eval.figures import cohort; cohort.make_all(*sys.argv[1:4])"
    subprocess.run(
        [sys.executable, "-c", code, str(stats_csv), str(COHORT_JSON), str(tmp_path / "c")],
        check=True,
        env=env,
    )
    assert _digests(tmp_path / "a") == _digests(tmp_path / "c")


def test_outputs_carry_no_dates_or_version_strings(stats_csv: Path, tmp_path: Path) -> None:
    written = figures.make_all(stats_csv, COHORT_JSON, tmp_path)
    assert len(written) == 9
    for name in FIGURES:
        pdf = (tmp_path / f"{name}.pdf").read_bytes()
        assert pdf.startswith(b"%PDF")
        assert b"/CreationDate" not in pdf and b"/ModDate" not in pdf
        assert b"Matplotlib" not in pdf  # no Producer / Creator version string
        svg = (tmp_path / f"{name}.svg").read_text(encoding="utf-8")
        assert "<dc:date>" not in svg and "<svg" in svg
        assert "<text" in svg and "DejaVu Sans" in svg  # real, editable text (svg.fonttype none)
        png = (tmp_path / f"{name}.png").read_bytes()
        assert png.startswith(b"\x89PNG") and b"Software" not in png
        assert b"pHYs\x00\x00\x2e\x23\x00\x00\x2e\x23" in png  # 300 dpi = 11811 pixels a metre


# (4) + (5): likert order and widths -------------------------------------------------------


def _slots(ax) -> dict[tuple[str, str], float]:
    """(item heading, group label) -> the y of that group's bar under that item, read from the drawn chart."""
    headings = sorted((t.get_position()[1], t.get_text()) for t in ax.texts if t.get_fontweight() == "bold")
    out = {}
    for y, label in zip(ax.get_yticks(), [t.get_text() for t in ax.get_yticklabels()], strict=True):
        above = max((h for h in headings if h[0] < y), key=lambda h: h[0])
        out[(above[1].replace("\n", " "), label)] = float(y)
    return out


def test_likert_items_are_ordered_by_pct_agree_of_all(stats: pd.DataFrame, meta: dict) -> None:
    fig = figures.likert_figure(stats, view(meta))
    texts = {it["id"]: it["text"] for it in meta["items"]}
    agree = {i: _estimate(stats, "item", "pct_agree", item=i, group="all", source="survey") for i in LIKERT_COUNTS}
    by_agree = sorted(agree, key=lambda i: -agree[i])
    assert by_agree == ["learn", "rel_trust"]  # the fixture reverses instrument order
    (ax,) = fig.axes  # one chart: each item's text over one bar per group, "all" first
    headings = [t.get_text() for t in ax.texts if t.get_fontweight() == "bold"]
    assert headings == [figure_style.wrap(texts[i], figures.HEADING_WRAP) for i in by_agree]  # yesno not drawn
    groups = ["All respondents", "Executive and senior leaders", "BME colleagues", "Both groups"]
    assert [t.get_text() for t in ax.get_yticklabels()] == groups * 2
    slots = _slots(ax)
    for group in groups:  # one order for every group
        assert slots[(texts["learn"], group)] < slots[(texts["rel_trust"], group)]


def _bars(ax, y: float) -> list:
    """The bar segments drawn at `y` (one group's bar under one item), left to right."""
    found = [p for p in ax.patches if abs(p.get_y() + p.get_height() / 2 - y) < 1e-9]
    return sorted(found, key=lambda p: p.get_x())


def test_likert_bar_widths_equal_register_level_percentages(stats: pd.DataFrame, meta: dict) -> None:
    fig = figures.likert_figure(stats, view(meta))
    (ax,) = fig.axes
    slots = _slots(ax)
    texts = {it["id"]: it["text"] for it in meta["items"]}
    labels = {"all": "All respondents", **{g["code"]: g["label"] for g in meta["groups"]}}
    for group in ("all",) + GROUPS:
        for item in ["learn", "rel_trust"]:
            if (item, group) in SUPPRESSED_LIKERT:
                continue
            bars = _bars(ax, slots[(texts[item], labels[group])])
            assert len(bars) == len(LEVELS)
            for patch, level in zip(bars, LEVELS):
                row = register.one(stats, "item", "level_pct", item=item, group=group, level=level)
                assert patch.get_width() == pytest.approx(row["estimate"], abs=1e-12)
            # Diverging layout: neutral centred on 0, lower levels end at its left edge, upper start at its right.
            w = {lv: b.get_width() for lv, b in zip(LEVELS, bars)}
            x = {lv: b.get_x() for lv, b in zip(LEVELS, bars)}
            neutral = w["Neither agree nor disagree"]
            assert x["Neither agree nor disagree"] == pytest.approx(-neutral / 2)
            assert x["Disagree"] + w["Disagree"] == pytest.approx(-neutral / 2)
            assert x["Strongly disagree"] + w["Strongly disagree"] == pytest.approx(x["Disagree"])
            assert x["Agree"] == pytest.approx(neutral / 2)
            assert x["Strongly agree"] == pytest.approx(x["Agree"] + w["Agree"])
    assert ax.get_xlabel() == "% of respondents"
    assert [t.get_text() for t in ax.get_xticklabels()][-1] != ""
    # The suppressed row (rel_trust, both; no collapsed rows in this fixture): an empty dashed bar marked hidden.
    (empty,) = _bars(ax, slots[(texts["rel_trust"], "Both groups")])
    assert empty.get_facecolor()[:3] == (1.0, 1.0, 1.0) and empty.get_linestyle() != "solid"
    assert "hidden ([c])" in [t.get_text() for t in ax.texts]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        figure_style.wrap(lv, figures.LEGEND_WRAP) for lv in LEVELS
    ]


def test_even_scale_has_no_neutral_and_splits_at_zero() -> None:
    assert figures._likert_segments([10.0, 20.0, 30.0, 40.0]) == [-30.0, -20.0, 0.0, 30.0]
    assert figures._likert_segments([10.0, 20.0, 30.0, 25.0, 15.0]) == [-45.0, -35.0, -15.0, 15.0, 40.0]
    assert len(set(figures._likert_colours(["a", "b", "c", "d"]))) == 4
    assert figure_style.NEUTRAL_COLOUR not in figures._likert_colours(["a", "b", "c", "d"])
    assert figures._likert_colours(list("abcde"))[2] == figure_style.NEUTRAL_COLOUR


def test_likert_draws_an_even_scale_item(stats: pd.DataFrame, meta: dict) -> None:
    levels = ["Never", "Rarely", "Often", "Always"]
    meta4 = {**meta, "items": [{"id": "freq", "text": "How often?", "type": "likert", "levels": levels}]}
    pcts = [10.0, 20.0, 30.0, 40.0]
    rows = [
        Row("item", "level_pct", p, item="freq", group="all", source="survey", n=p, denominator=100, level=lv)
        for lv, p in zip(levels, pcts)
    ]
    fig = figures.likert_figure(register.to_frame(rows), view(meta4))
    (ax,) = fig.axes
    slots = _slots(ax)
    assert [p.get_width() for p in _bars(ax, slots[("How often?", "All respondents")])] == pcts
    assert [p.get_x() for p in _bars(ax, slots[("How often?", "All respondents")])] == [-30.0, -20.0, 0.0, 30.0]
    # Groups with no rows get no bars and a dash, not an error.
    assert _bars(ax, slots[("How often?", "BME colleagues")]) == []
    assert "–" in [t.get_text() for t in ax.texts]


# (6): composition labels use largest remainder ---------------------------------------------


def test_composition_labels_show_largest_remainder_shares(stats: pd.DataFrame, meta: dict) -> None:
    fig = figures.composition_figure(stats, view(meta))
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert "34.6% (n=9)" in texts and "53.9% (n=14)" in texts and "11.5% (n=3)" in texts
    assert "53.8% (n=14)" not in texts  # what plain rounding would show
    shown = [float(t.split("%")[0]) for t in texts if t.endswith(tuple(f"(n={c})" for c in COMPOSITION.values()))]
    assert round(sum(shown), 1) == 100.0
    assert "65.4% (n=17)" in texts  # combined group, rounded on its own
    for group, label in (("SLT", "Executive and senior leaders"), ("bme_any", "BME colleagues or both")):
        [patch] = _container(ax, label).patches
        assert patch.get_width() == _estimate(stats, "composition", "share", group=group, source="survey")
    assert _container(ax, "BME colleagues or both").patches[0].get_hatch() == "///"
    assert ax.get_title() == "Survey responses by group (n=26)"


def test_composition_suppressed_share_is_zero_length_and_labelled(stats: pd.DataFrame, meta: dict) -> None:
    hidden = stats.copy()
    hidden.loc[(hidden["analysis"] == "composition") & (hidden["group"] == "both"), "suppressed"] = True
    ax = figures.composition_figure(hidden, view(meta)).axes[0]
    assert _container(ax, "Both groups").patches[0].get_width() == 0
    assert "[c]" in [t.get_text() for t in ax.texts]


# (7): one colour per group in every figure ---------------------------------------------------


def test_group_colours_are_the_same_in_composition_and_themes(stats: pd.DataFrame, meta: dict) -> None:
    comp = figures.composition_figure(stats, view(meta)).axes[0]
    themes = figures.themes_figure(stats, view(meta)).axes[0]
    colours = figure_style.group_colours(meta)
    for g in meta["groups"]:
        c1 = _container(comp, g["label"]).patches[0].get_facecolor()
        c2 = _container(themes, g["label"]).patches[0].get_facecolor()
        assert c1 == c2 == mcolors.to_rgba(colours[g["code"]])
    assert len({colours[g["code"]] for g in meta["groups"]}) == len(meta["groups"])


def test_group_colours_follow_cohort_order() -> None:
    meta = {"groups": [{"code": "b"}, {"code": "a"}], "combined_groups": [{"code": "ab"}]}
    assert figure_style.group_colours(meta) == {
        "b": "#E69F00",
        "a": "#56B4E9",
        "ab": "#009E73",
        "all": figure_style.ALL_COLOUR,
    }
    assert "#000000" not in figure_style.GROUP_PALETTE


# themes ------------------------------------------------------------------------------------------


def test_themes_bars_are_subthemes_from_source_all_labelled_with_n(stats: pd.DataFrame, meta: dict) -> None:
    fig = figures.themes_figure(stats, view(meta))
    ax = fig.axes[0]
    subthemes = ["building_relationships", "honest_conversations", "changing_practice"]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [
        "Partnership experiences",
        "Building and maintaining relationships",
        "Honest conversations about race",
        "Organisational change",
        "Changing practice",
    ]
    assert next(t.get_fontweight() for t in ax.get_yticklabels()) == "bold"
    for group, label in [("all", "All participants")] + [(g["code"], g["label"]) for g in meta["groups"]]:
        bars = _container(ax, label)
        for patch, sub in zip(bars.patches, subthemes):
            row = register.one(stats, "theme", "pct_participants", item=sub, group=group, source="all")
            if row is None:
                assert (sub, group) == ("changing_practice", "both")  # the missing row: zero-length bar
                assert patch.get_width() == 0
                continue
            assert patch.get_width() == pytest.approx(row["estimate"])
    texts = [t.get_text() for t in ax.texts]
    # n/N: building_relationships 9 of the 12 with coded data (all), 5 of the 6 BME (THEME_BASE)
    assert texts.count("–") == 1 and "9/12" in texts and "5/6" in texts


# no data ---------------------------------------------------------------------------------------


def test_make_all_makes_only_the_figures_that_apply(stats_csv: Path, meta: dict, tmp_path: Path) -> None:
    bare = copy.deepcopy(meta)
    bare["items"] = [it for it in bare["items"] if it["type"] != "likert"]
    cohort = tmp_path / "cohort.json"
    cohort.write_text(json.dumps(bare), encoding="utf-8")
    paths = figures.make_all(stats_csv, cohort, tmp_path / "figs")
    # no likert item, no model declared, post only: composition and themes only
    assert sorted(p.name for p in paths) == sorted(f"{n}.{ext}" for n in ("composition", "themes") for ext in FORMATS)
    stats = register.read(stats_csv)
    assert figures.likert_figures(stats, view(bare)) == []
    with pytest.raises(ValueError, match="no figure called 'nope'"):
        figures.make_all(stats_csv, cohort, tmp_path / "more", figures=["nope"])
    # a figure that applies but has nothing to draw says why; never a bare "No data"
    fig = figures.composition_figure(register.to_frame([]), view(bare))
    assert [t.get_text() for t in fig.axes[0].texts] == [figure_style.wrap(figure_style.NOTHING_SHOWN, 70)]


# display_count -----------------------------------------------------------------------------------


def test_display_count() -> None:
    row = {"n": 7.0, "estimate": 35.0, "suppressed": False}
    assert figures.display_count(row, {}) == "7"
    assert figures.display_count({**row, "suppressed": True}, {"disclosure_threshold": 10}) == "[c]"
    assert figures.display_count({**row, "n": 4.0, "suppressed": True}, {}) == "[c]"  # as in the report
    # 7 is not below 5: it is hidden only so that a small count cannot be worked out from it
    assert figures.display_count({**row, "suppressed": True}, {}) == "[c]"
    assert figures.display_count({"n": float("nan"), "estimate": 4.0, "suppressed": False}, {}) == "4"
    assert figures.display_count({"n": float("nan"), "estimate": float("nan"), "suppressed": False}, {}) == "–"


def test_likert_page_with_every_answer_hidden_has_no_legend_and_still_renders(stats: pd.DataFrame, meta: dict) -> None:
    """A cohort whose every Likert row is suppressed (the bad-input corpus's plp-k5 at threshold 5 had such a
    page): nothing to draw, so no legend (matplotlib refuses a legend of zero columns), each bar says why."""
    hidden = stats.copy()
    hidden.loc[hidden["analysis"].eq("item"), "suppressed"] = True
    fig = figures.likert_figure(hidden, view(meta))
    assert fig.legends == []
    assert any(t.get_text() == "hidden ([c])" for ax in fig.axes for t in ax.texts)
    fig.canvas.draw()


def test_change_figures_name_constructs_by_their_declared_label() -> None:
    """instrument.yaml may declare `constructs: {id: {label}}` (carried to cohort.json as construct_labels)."""
    from workforce_eval.figures import prepost as prepost_figures

    meta = {"items": [], "construct_labels": {"pos": "Psychological safety"}}
    panels = prepost_figures._panels(meta, ["pos", "wellbeing"])
    assert panels[0][1] == [("pos", "Psychological safety (scale score)"), ("wellbeing", "Wellbeing (scale score)")]


def test_only_the_figures_and_formats_asked_for_are_drawn(
    stats_csv: Path, stats: pd.DataFrame, meta: dict, tmp_path: Path
) -> None:
    """One figure in one format: one file (the figures job asks for each figure once, in the configured formats)."""
    paths = figures.make_all(stats_csv, COHORT_JSON, tmp_path, formats=("png",), figures=["likert"])
    assert [p.name for p in paths] == ["likert.png"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["likert.png"]
    # the Likert pages are drawn by number: this cohort has one page, so a second is never drawn
    cohort = view(meta)
    assert len(figures.likert_figures(stats, cohort, [1])) == 1
    assert figures.likert_figures(stats, cohort, [2]) == []


def test_likert_legend_is_true_of_a_reverse_coded_item(stats: pd.DataFrame, meta: dict) -> None:
    """Issue 21: a reversed item's bar is drawn favourable-right ("Strongly disagree" in the rightmost colour)
    while the legend said that colour was only "Strongly agree". The legend now names what a reversed item
    draws in each colour; read from the drawn legend and the drawn bar."""
    reversed_meta = copy.deepcopy(meta)
    for item in reversed_meta["items"]:
        if item["id"] == "rel_trust":
            item["reverse"] = True
    fig = figures.likert_figure(stats, view(reversed_meta))
    legend = fig.legends[0]
    texts = [t.get_text().replace("\n", " ") for t in legend.get_texts()]
    assert texts == [
        "Strongly disagree (reversed items: Strongly agree)",
        "Disagree (reversed items: Agree)",
        "Neither agree nor disagree",
        "Agree (reversed items: Disagree)",
        "Strongly agree (reversed items: Strongly disagree)",
    ]
    (ax,) = fig.axes
    rightmost = _bars(ax, _slots(ax)[("I trusted my partner. (reversed)", "All respondents")])[-1]
    strongly_disagree = _estimate(stats, "item", "level_pct", item="rel_trust", group="all", level=LEVELS[0])
    assert rightmost.get_width() == pytest.approx(strongly_disagree, abs=1e-12)  # drawn favourable-right ...
    patch = legend.legend_handles[texts.index("Strongly agree (reversed items: Strongly disagree)")]
    # ... in the colour the legend names for it
    assert mcolors.to_hex(rightmost.get_facecolor()) == mcolors.to_hex(patch.get_facecolor())
    # the item without "reverse" keeps the plain legend (the test above)


def test_likert_legend_has_no_reversed_note_without_reverse_coded_items(stats: pd.DataFrame, meta: dict) -> None:
    fig = figures.likert_figure(stats, view(meta))
    assert not any("reversed" in t.get_text() for t in fig.legends[0].get_texts())
