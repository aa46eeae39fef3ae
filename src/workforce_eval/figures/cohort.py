"""Deterministic matplotlib figures drawn from the statistics register and cohort.json.

Every number drawn comes from a register row; labels come from cohort.json. Figures are
built as bare `matplotlib.figure.Figure` objects (no pyplot state) and written by `save`
as PDF, PNG and SVG with fixed metadata, so the same input gives the same bytes.

Choices made here (see also docs):
- composition: groups in cohort order; percentages use largest-remainder rounding over
  the groups so the shown shares add to 100.0. Combined groups overlap the groups, so they
  are drawn below a dashed divider as hatched bars, rounded on their own.
- likert: one chart per response scale (items whose scales have the same levels); under each
  item's text one bar per group (`all` first), the group named at the bar's left and its n at
  its right; items in the all-respondents order in every group (as R's `likert` grouped plot);
  long scales over several charts. A distribution with a suppressed level is drawn in its three
  collapsed categories (hatched) when those are shown, else as an empty dashed bar marked
  "hidden ([c])"; a hidden n shows as "[c]", as `display_count` says.
- themes: subthemes under bold theme headings; one bar per group with `all` first (grey), each
  group's bars hatched (`style.GROUP_HATCHES`) and outlined, so groups never differ by colour alone.
- suppressed rows are zero-length bars labelled by `display_count`; a missing row is a
  zero-length bar labelled "–".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter
from matplotlib.transforms import blended_transform_factory

from workforce_eval import register
from workforce_eval.analyses.groups import shown_groups
from workforce_eval.figures.style import (
    FIGURE_WIDTH,
    FORMATS,
    GROUP_EDGE,
    LIKERT_HIGH,
    LIKERT_LOW,
    NEUTRAL_COLOUR,
    NOTHING_SHOWN,
    OKABE_ITO,
    configure_matplotlib,
    group_colours,
    group_hatches,
    index_rows,
    is_shown,
    save,
    unavailable_figure,
    wrap,
)
from workforce_eval.inputs import metadata
from workforce_eval.inputs.metadata import Cohort, Item, title_for
from workforce_eval.names import (
    LIKERT_BAR,
    LIKERT_GAP,
    LIKERT_WIDTH,
    PAGE_HEIGHT,
    LikertPage,
    cohort_figures,
    likert_names,
)
from workforce_eval.names import likert_pages as plan_likert_pages
from workforce_eval.register.labels import term_label
from workforce_eval.register.measures import (
    COEFFICIENT,
    COLLAPSED_AGREE,
    COLLAPSED_DISAGREE,
    COLLAPSED_NEUTRAL,
    COLLAPSED_PCT,
    COMPOSITION,
    EQUALITY,
    ITEM,
    LEVEL_PCT,
    LIKELIHOOD,
    MEDIAN,
    MODEL,
    PCT_AGREE,
    PCT_PARTICIPANTS,
    RELATIVE_LIKELIHOOD,
    RESPONSE,
    RESPONSES,
    SHARE,
    THEME,
    collapsed_levels,
)
from workforce_eval.register.notation import (
    MISSING,
    disclosure_threshold,
    display_count,
    fmt_int,
    is_missing,
    reversed_text,
)
from workforce_eval.stats.rounding import largest_remainder

#: Text sizes of the Likert chart (points): drawn LIKERT_WIDTH wide, under the 180 mm a report prints it at, so
#: they print at least this size (7 pt the smallest, tests/unit/figures/test_print_size.py).
LABEL_PT = 7.0
TICK_PT = 7.5
HEADING_PT = 8.0
TITLE_PT = 10.0
#: Line height of an item's heading (inches) and the characters a heading, legend entry and note line hold.
HEADING_LINE = 0.135
HEADING_WRAP = 100
LEGEND_WRAP = 22
NOTES_WRAP = 125
#: Share of a bar's slot its bar fills; width (in %) of the empty bar drawn where every answer is hidden.
BAR_FILL = 0.78 * LIKERT_BAR
HIDDEN_WIDTH = 40.0


def composition_figure(stats: pd.DataFrame, cohort: Cohort) -> Figure:
    """Horizontal bars of each group's share of survey responses, labelled '% (n=count)'."""
    title = "Survey responses by group"
    rows = register.select(stats, COMPOSITION, SHARE, source="survey")
    by_group = index_rows(rows, "group")
    groups = shown_groups(cohort.group_codes, stats)  # not the groups below the minimum base
    combined = shown_groups([g.code for g in cohort.combined_groups], stats)
    if not any((code,) in by_group for code in groups + combined):
        return unavailable_figure(title, NOTHING_SHOWN)
    meta = cohort.document
    colours = group_colours(meta)
    labels = cohort.group_labels(all_label="All respondents", combined=True)

    # Largest remainder over the groups (not the overlapping combined groups).
    finite = [c for c in groups if (c,) in by_group and math.isfinite(by_group[(c,)]["estimate"])]
    rounded = dict(zip(finite, largest_remainder([by_group[(c,)]["estimate"] for c in finite])))

    height = 0.42 * (len(groups) + len(combined)) + 1.3
    fig = Figure(figsize=(FIGURE_WIDTH, height), layout="constrained")
    ax = fig.add_subplot()
    ticks: list[float] = []
    ticklabels: list[str] = []
    shown_max = 0.0
    for code, y, hatch in [(c, float(i), None) for i, c in enumerate(groups)] + [
        (c, len(groups) + 0.5 + j, "///") for j, c in enumerate(combined)
    ]:
        row = by_group.get((code,))
        width = row["estimate"] if is_shown(row) else 0.0
        if row is None:
            text = MISSING
        elif not is_shown(row):
            text = display_count(row, meta)
        else:
            pct = rounded[code] if hatch is None else round(float(row["estimate"]), 1)
            text = f"{pct:.1f}% (n={display_count(row, meta)})"
        bars = ax.barh(
            [y],
            [width],
            height=0.7,
            color=colours[code],
            hatch=hatch,
            edgecolor=GROUP_EDGE,
            linewidth=0.5,
            label=labels[code],
        )
        ax.bar_label(bars, labels=[text], padding=3, fontsize=8)
        ticks.append(y)
        ticklabels.append(wrap(labels[code] + (" (combined)" if hatch else ""), 32))
        shown_max = max(shown_max, float(width))
    if combined:
        ax.axhline(len(groups) - 0.25, color="#555555", linestyle="--", linewidth=0.8)
    ax.set_yticks(ticks, ticklabels)
    ax.set_ylim(ticks[-1] + 0.6, -0.6)
    upper = min(100.0, max(10.0, math.ceil(shown_max / 10.0) * 10.0))
    ax.set_xlim(0, upper * 1.3)
    step = 10 if upper <= 50 else 20
    ax.set_xticks(list(range(0, int(upper) + 1, step)))
    ax.set_xlabel("% of survey responses")
    denominators = rows.loc[~rows["suppressed"].astype(bool), "denominator"].dropna()
    total = f" (n={fmt_int(denominators.iloc[0])})" if len(denominators) else ""
    ax.set_title(title + total)
    if combined:
        ax.annotate(
            "Hatched: combined groups; they overlap the groups above and are not part of the 100%.",
            xy=(0, 0),
            xycoords="axes fraction",
            xytext=(0, -32),
            textcoords="offset points",
            fontsize=7,
            color="#444444",
            va="top",
        )
    return fig


def _likert_colours(levels: Sequence[str]) -> list[str]:
    """Diverging colours for the levels (`style.LIKERT_LOW` / `LIKERT_HIGH`, darkest outermost), grey for a neutral
    middle level; every one at least 3:1 against white (WCAG 2.2, 1.4.11)."""
    k = len(levels)
    half = k // 2
    low = LIKERT_LOW.get(half)
    high = LIKERT_HIGH.get(half)
    if low is None or high is None:  # more than three levels a side: the darker ends of BrBG
        cmap = matplotlib.colormaps["BrBG"]
        low = tuple(matplotlib.colors.to_hex(cmap(0.02 + 0.26 * i / (half - 1))) for i in range(half))
        high = tuple(matplotlib.colors.to_hex(cmap(0.98 - 0.24 * i / (half - 1))) for i in range(half))
    middle = [NEUTRAL_COLOUR] if k % 2 else []
    return list(low) + middle + list(reversed(high))


def _likert_segments(pcts: Sequence[float]) -> list[float]:
    """Left edge of each level's bar: low levels left of 0, neutral centred, high levels right."""
    k = len(pcts)
    half = k // 2
    neutral = pcts[half] if k % 2 else 0.0
    lefts = [0.0] * k
    edge = -neutral / 2.0
    for i in range(half - 1, -1, -1):  # inner low level first, moving outwards
        edge -= pcts[i]
        lefts[i] = edge
    if k % 2:
        lefts[half] = -neutral / 2.0
    edge = neutral / 2.0
    for i in range(k - half, k):
        lefts[i] = edge
        edge += pcts[i]
    return lefts


def likert_order(stats: pd.DataFrame, cohort: Cohort, group: str = "all") -> list[Item]:
    """Likert items sorted by `pct_agree` (the favourable top two levels) of `group`, highest first; hidden
    shares last, ties and gaps in instrument order."""
    agree = index_rows(register.select(stats, ITEM, PCT_AGREE, group=group), "item")
    items = cohort.likert_items

    def key(pos_item: tuple[int, Item]) -> tuple[float, int]:
        pos, item = pos_item
        row = agree.get((item.id,))
        est = row["estimate"] if is_shown(row) else None  # a hidden share must not show through the order
        return (-est if est is not None else math.inf, pos)

    return [item for _, item in sorted(enumerate(items), key=key)]


#: Legend entries of the collapsed categories (a distribution whose single levels are hidden).
COLLAPSED_LABELS: dict[str, str] = {
    COLLAPSED_DISAGREE: "Disagree side (levels combined)",
    COLLAPSED_NEUTRAL: "Neutral (levels combined)",
    COLLAPSED_AGREE: "Agree side (levels combined)",
}
#: The same for items whose scale is not one of agreement (a frequency or rating scale has no "agree side").
COLLAPSED_LABELS_OTHER: dict[str, str] = {
    COLLAPSED_DISAGREE: "Lower side (levels combined)",
    COLLAPSED_NEUTRAL: "Middle (levels combined)",
    COLLAPSED_AGREE: "Upper side (levels combined)",
}


def _agreement(items: Sequence[Item]) -> bool:
    """Whether every item is on an agreement scale (`Item.meaning`): only then do the figure's words say agree."""
    return all(i.meaning == "agreement" for i in items)


def collapsed_labels(items: Sequence[Item]) -> dict[str, str]:
    """The collapsed categories' legend entries for these items (agree/disagree only on agreement scales)."""
    return COLLAPSED_LABELS if _agreement(items) else COLLAPSED_LABELS_OTHER


def _marked(item: Item) -> str:
    return reversed_text(item.label, item.reverse)


def _favourable(values: Sequence[Any], item: Item) -> list[Any]:
    """Values in worded order, turned so that the favourable end is last (reversed for a reverse-coded item)."""
    return list(reversed(values)) if item.reverse else list(values)


def _collapsed_colours(categories: Sequence[str]) -> list[str]:
    """Colours of the collapsed categories (unfavourable side, neutral, favourable side)."""
    return [
        NEUTRAL_COLOUR if c == COLLAPSED_NEUTRAL else (LIKERT_LOW[1][0] if i == 0 else LIKERT_HIGH[1][0])
        for i, c in enumerate(categories)
    ]


#: Width in inches of the Likert chart's axes (between the group labels and the n column), and of an average
#: character of its labels (DejaVu Sans at LABEL_PT): what keeps a label of hidden shares inside the axes.
AXES_WIDTH = 4.03
#: Room (in % units) left beyond a bar's end for its % label ("100%" at 7 pt is 17 units on the widest axis).
LABEL_ROOM = 19.0
CHAR_WIDTH = 0.055


#: How far left of zero (in % of respondents) a bar must reach for its neutral share to be written on its middle.
NEUTRAL_ROOM = 6.0


def _side_labels(
    ax: Axes,
    y: float,
    parts: Sequence[tuple[float, float]],
    shares: Sequence[str | None],
    has_neutral: bool,
    sides: Sequence[str] = ("disagree", "neutral", "agree"),
) -> float:
    """% labels at the ends of a diverging bar (unfavourable left, favourable right) and on its neutral middle;
    `parts` are the (left, width) of the bar's segments, `shares` the three labels (None: none; not ending in
    "%": hidden, named by `sides`, a hidden neutral share named left of the bar). Returns the bar's extent from
    zero, labels included, wide enough that the left label stays inside the axes."""
    left_end = min((lo for lo, w in parts if w > 0), default=0.0)
    right_end = max((lo + w for lo, w in parts if w > 0), default=0.0)
    low, mid, high = shares

    def named(text: str | None, side: str) -> str | None:
        return text if text is None or text.endswith("%") else f"{side} {text}"

    shown_mid = has_neutral and mid is not None and mid.endswith("%")
    # a shown neutral share is written on the bar's middle, unless the bar reaches too little left of zero for it:
    # then it joins the left label ("0%, neutral 0%" rather than "0%0%" over one another)
    centre = shown_mid and left_end <= -NEUTRAL_ROOM
    left = [t for t in (named(low, sides[0]), None if not has_neutral or mid is None or centre else
                        (f"{sides[1]} {mid}" if shown_mid else named(mid, sides[1]))) if t]  # fmt: skip
    right_text = named(high, sides[2])
    style = {"va": "center", "fontsize": LABEL_PT, "color": "#333333"}
    if left:
        ax.text(left_end - 1.5, y, ", ".join(left), ha="right", **style)  # type: ignore[arg-type]
    if right_text is not None:
        ax.text(right_end + 1.5, y, right_text, ha="left", **style)  # type: ignore[arg-type]
    if centre:
        ax.text(
            0,
            y,
            str(mid),
            ha="center",
            va="center",
            fontsize=LABEL_PT,
            color="#222222",
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.4, "alpha": 0.8},
        )
    extent = max(-left_end, right_end) + LABEL_ROOM
    text_in = CHAR_WIDTH * len(", ".join(left)) + 0.05
    if text_in > 0.3:  # a long left label: the x range that leaves it room (x lim * (1 - 2 w / A) >= its end)
        extent = max(extent, (-left_end + 1.5) * AXES_WIDTH / max(AXES_WIDTH - 2 * text_in, 0.5))
    return extent


def _n_text(base: pd.Series, meta: Mapping[str, Any]) -> str:
    """The number who answered (the `n` of the item's median row), or how it is hidden."""
    return display_count(base, meta) if bool(base["suppressed"]) else "n=" + fmt_int(base["n"])


def _pct_text(row: pd.Series | None, meta: Mapping[str, Any]) -> str | None:
    if row is None:
        return None
    if not is_shown(row):
        return display_count(row, meta)
    return f"{round(float(row['estimate'])):.0f}%"


def _likert_bar(
    ax: Axes,
    y: float,
    item: Item,
    group: str,
    rows: Mapping[str, dict[tuple[str, ...], pd.Series]],
    meta: Mapping[str, Any],
    words: Mapping[str, str],
    legend: _Legend,
) -> tuple[float, str]:
    """Draw one group's answers to one item as a diverging bar centred at `y`; returns the bar's extent from zero
    (labels included) and its n label. `legend` collects the entries and footnotes the bar needs."""
    levels = list(item.levels)
    level_rows = [rows["level"].get((item.id, group, lv)) for lv in levels]
    categories = list(collapsed_levels({"levels": item.levels}))
    cat_rows = [rows["collapsed"].get((item.id, group, c)) for c in categories]
    base = rows["median"].get((item.id, group))
    n_text = MISSING if base is None else _n_text(base, meta)
    full = all(r is not None and is_shown(r) for r in level_rows)
    # the three side labels, always from the collapsed rows (favourable side right)
    by_cat = dict(zip(categories, cat_rows, strict=True))
    low_cat, high_cat = _favourable([COLLAPSED_DISAGREE, COLLAPSED_AGREE], item)
    short = {COLLAPSED_DISAGREE: "disagree", COLLAPSED_NEUTRAL: "neutral", COLLAPSED_AGREE: "agree"}
    if item.meaning != "agreement":
        short = {COLLAPSED_DISAGREE: "lower", COLLAPSED_NEUTRAL: "middle", COLLAPSED_AGREE: "upper"}
    sides = (short[low_cat], short[COLLAPSED_NEUTRAL], short[high_cat])
    shares = (
        _pct_text(by_cat.get(low_cat), meta),
        _pct_text(by_cat.get(COLLAPSED_NEUTRAL), meta),
        _pct_text(by_cat.get(high_cat), meta),
    )
    if item.reverse:
        legend.notes.add("reversed")
    if full:
        pcts = _favourable([float(r["estimate"]) for r in level_rows], item)  # type: ignore[index]
        colours = _likert_colours(levels)
        # a reverse-coded item's levels take the colours of their favourable position: the legend, keyed by the
        # worded level at each position, also names the level a reversed item draws there
        for pos in range(len(levels)):
            legend.handles.setdefault(levels[pos], Patch(facecolor=colours[pos], edgecolor="white", label=levels[pos]))
            if item.reverse and levels[-1 - pos] != levels[pos]:
                legend.aliases.setdefault(levels[pos], levels[-1 - pos])
        lefts = _likert_segments(pcts)
        ax.barh([y] * len(pcts), pcts, left=lefts, height=BAR_FILL, color=colours, edgecolor="white", linewidth=0.5)
        extent = _side_labels(ax, y, list(zip(lefts, pcts)), shares, len(levels) % 2 == 1, sides)
        return extent, "n=" + fmt_int(level_rows[0]["denominator"])  # type: ignore[index]
    if any(is_shown(r) for r in cat_rows):
        cats = _favourable(categories, item)
        ordered = [by_cat[c] for c in cats]
        pcts = [float(r["estimate"]) if is_shown(r) else 0.0 for r in ordered]
        colours = _collapsed_colours(cats)
        lefts = _likert_segments(pcts)
        ax.barh(
            [y] * len(pcts),
            pcts,
            left=lefts,
            height=BAR_FILL,
            color=colours,
            edgecolor="#333333",
            linewidth=0.4,
            hatch="///",
        )
        for c, colour, drawn in zip(categories, colours, cats, strict=True):  # by position, as the legend reads
            legend.handles.setdefault(
                words[c], Patch(facecolor=colour, edgecolor="#333333", hatch="///", linewidth=0.4, label=words[c])
            )
            if drawn != c:
                legend.aliases.setdefault(words[c], words[drawn])
        legend.notes.add("collapsed")
        if any(not is_shown(r) for r in ordered):
            legend.notes.add("category hidden")
        return _side_labels(ax, y, list(zip(lefts, pcts)), shares, COLLAPSED_NEUTRAL in cats, sides), n_text
    # nothing of the distribution can be shown: an empty bar and a short mark inside it, clear of every label
    present = [r for r in level_rows + cat_rows if r is not None]
    if not present:
        ax.text(0, y, MISSING, ha="center", va="center", fontsize=LABEL_PT, color="#333333")
        return 14.0, n_text
    ax.barh(
        [y],
        [HIDDEN_WIDTH],
        left=[-HIDDEN_WIDTH / 2],
        height=BAR_FILL,
        color="white",
        edgecolor="#595959",
        linewidth=0.6,
        linestyle=(0, (2, 2)),
    )
    ax.text(
        0,
        y,
        "hidden ([c])",
        ha="center",
        va="center",
        fontsize=LABEL_PT,
        color="#333333",
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.3},
        zorder=3,
    )
    legend.notes.add("hidden")
    return HIDDEN_WIDTH / 2 + 4.0, n_text


@dataclass
class _Legend:
    """What a Likert chart's legend and footnotes must explain, collected while its bars are drawn."""

    handles: dict[str, Patch] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    notes: set[str] = field(default_factory=set)


def legend_label(level: str, aliases: Mapping[str, str]) -> str:
    """A legend entry of the Likert chart: the worded level its colour stands for and, where a reverse-coded item
    (drawn favourable-right) puts another level in that colour, that level too, so that the legend is true of
    every bar: `Strongly agree (reversed items: Strongly disagree)`."""
    other = aliases.get(level)
    if other:
        other = other.replace(" (levels combined)", "")
    return f"{level} (reversed items: {other})" if other else level


#: Footnotes of the Likert chart, by what it shows.
def _likert_notes(notes: set[str], k: int, agreement: bool = True, groups: bool = True) -> list[str]:
    out = []
    low, mid, high = ("disagree", "neutral", "agree") if agreement else ("lower", "middle", "upper")
    if "collapsed" in notes:
        out.append(
            f"Hatched: answers in three categories ({low} / {mid} / {high}), shown where single answer levels "
            f"are hidden (fewer than {k} answers, or revealing one)."
        )
    if "category hidden" in notes or "hidden" in notes:
        out.append(
            f'"[c]", "hidden": a share hidden by disclosure control (a count below {k}, or one that would '
            "reveal it); an empty dashed bar: every answer of that group to that item is hidden."
        )
    if "reversed" in notes:
        out.append(
            f"(reversed): negatively worded item, drawn in its favourable direction: {low}ing is on the right, "
            "in the colours the legend names for reversed items."
            if agreement
            else "(reversed): reverse-coded item, drawn in its favourable direction (its levels mirrored), in the "
            "colours the legend names for reversed items."
        )
    order = "the same order for every group" if groups else "highest first"
    out.append(
        f"Labels: % on the {low} side (left), {mid} (centre) and {high} side (right); n: respondents who answered. "
        f"Items sorted by the % of all respondents in the favourable top two levels, {order}."
    )
    return out


def likert_pages(cohort: Cohort) -> list[LikertPage]:
    """The charts of the cohort's Likert figure (`names.likert_pages`: one per response scale, long scales in
    parts), planned from cohort.json's groups as the workflow plans the file names."""
    items = cohort.likert_items
    return plan_likert_pages([i.levels for i in items], len(cohort.groups) + 1)


def likert_figures(stats: pd.DataFrame, cohort: Cohort, numbers: Collection[int] | None = None) -> list[Figure]:
    """The Likert figure: diverging stacked bars, one chart per response scale (items on different scales never
    share a chart or a legend), each item with one bar per group under it (all respondents first, the groups
    below the minimum base left out), items in one order for every group (the all-respondents favourable share,
    `likert_order`); [] for a cohort without likert items. With `numbers` (1 = the first chart), only those
    charts are drawn, in order."""
    pages = likert_pages(cohort)
    if not pages:
        return []
    rows = {
        "level": index_rows(register.select(stats, ITEM, LEVEL_PCT), "item", "group", "level"),
        "collapsed": index_rows(register.select(stats, ITEM, COLLAPSED_PCT), "item", "group", "level"),
        "median": index_rows(register.select(stats, ITEM, MEDIAN), "item", "group"),
    }
    ordered = likert_order(stats, cohort, "all")
    by_scale: dict[tuple[str, ...], list[Item]] = {}
    for item in ordered:
        by_scale.setdefault(tuple(item.levels), []).append(item)
    panels = ["all", *shown_groups(cohort.group_codes, stats)]
    several = len({p.levels for p in pages}) > 1
    figures: list[Figure] = []
    for number, page in enumerate(pages, start=1):
        if numbers is not None and number not in numbers:
            continue
        items = by_scale[page.levels][page.first : page.first + page.count]
        figures.append(_likert_chart(stats, cohort, rows, items, panels, page, several))
    return figures


def _likert_chart(
    stats: pd.DataFrame,
    cohort: Cohort,
    rows: Mapping[str, dict[tuple[str, ...], pd.Series]],
    items: Sequence[Item],
    panels: Sequence[str],
    page: LikertPage,
    several: bool,
) -> Figure:
    """One chart of the Likert figure: each item's text as a heading over one bar per group, the group's name at
    the left of its bar and its n at the right. Laid out in inches (no constrained layout), so that a heading
    never runs into a bar and the chart's height follows its content."""
    meta = cohort.document
    k = disclosure_threshold(meta)
    labels = cohort.group_labels(all_label="All respondents", combined=True)
    words = collapsed_labels(items)
    legend = _Legend()
    width = LIKERT_WIDTH
    right = 0.62  # the n column right of the bars; the group labels left of them
    left = width - right - AXES_WIDTH
    # vertical positions in inches from the top of the axes (the axes' data units are inches)
    headings: list[tuple[float, str]] = []
    bars: list[tuple[float, Item, str]] = []
    y = 0.0
    for item in items:
        text = wrap(_marked(item), HEADING_WRAP)
        lines = text.count("\n") + 1
        headings.append((y + 0.05, text))
        y += 0.06 + HEADING_LINE * lines
        for group in panels:
            bars.append((y + LIKERT_BAR / 2, item, group))
            y += LIKERT_BAR
        y += LIKERT_GAP
    axes_h = y
    top = 0.55
    ticks_h = 0.45
    title = title_for(list(items))
    if several:  # two scales share the title's meaning: name the scale
        title += f" ({page.levels[0]} to {page.levels[-1]})"
    if page.parts > 1:
        title += f", part {page.part} of {page.parts}"
    # first pass: draw the bars (the legend and notes below depend on what was drawn)
    fig = Figure(figsize=(width, 1.0))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    extent = 0.0
    n_texts: list[str] = []
    for yb, item, group in bars:
        ext, n_text = _likert_bar(ax, yb, item, group, rows, meta, words, legend)
        extent = max(extent, ext)
        n_texts.append(n_text)
    # the legend in rows: the scale's levels, then (where drawn) the three collapsed categories
    level_entries = [lv for lv in page.levels if lv in legend.handles]
    rows_of_entries = [r for r in (level_entries, [lv for lv in legend.handles if lv not in page.levels]) if r]
    legend_rows: list[tuple[list[str], list[str], int, float]] = []  # entries, texts, columns, height
    for entries in rows_of_entries:
        texts = [wrap(legend_label(lv, legend.aliases), LEGEND_WRAP) for lv in entries]
        ncol = min(len(entries), 5)
        lines = -(-len(entries) // ncol) * max(t.count("\n") + 1 for t in texts)
        legend_rows.append((entries, texts, ncol, 0.06 + 0.125 * lines))
    legend_h = sum(r[3] for r in legend_rows) + (0.08 if legend_rows else 0.0)
    notes_text = "\n".join(
        wrap(n, NOTES_WRAP) for n in _likert_notes(legend.notes, k, _agreement(items), len(panels) > 1)
    )
    notes_h = 0.13 * (notes_text.count("\n") + 1) + 0.1
    height = top + axes_h + ticks_h + legend_h + notes_h
    fig.set_size_inches(width, height)
    ax.set_position(
        (left / width, (ticks_h + legend_h + notes_h) / height, (width - left - right) / width, axes_h / height)
    )
    ax.set_ylim(axes_h, 0.0)  # first item on top
    lim = min(125.0, max(50.0, math.ceil(extent / 10.0) * 10.0))
    ax.set_xlim(-lim, lim)
    ax.set_xticks([t for t in range(-100, 101, 25) if abs(t) <= lim])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{abs(x):g}"))
    ax.tick_params(axis="x", labelsize=TICK_PT)
    ax.set_xlabel("% of respondents", fontsize=TICK_PT)
    # the centre line under each item's bars only, never through its heading
    spans: dict[str, list[float]] = {}
    for yb, item, _group in bars:
        spans.setdefault(item.id, []).append(yb)
    for ys in spans.values():
        ax.vlines(0, min(ys) - LIKERT_BAR / 2, max(ys) + LIKERT_BAR / 2, color="#333333", linewidth=0.8)
    # direct labels: each bar's group at its left (groups never differ by colour), its n at its right
    ax.set_yticks([yb for yb, _i, _g in bars], [labels.get(g, g) for _y, _i, g in bars], fontsize=LABEL_PT)
    ax.tick_params(axis="y", length=0, pad=3)
    ax.spines["left"].set_visible(False)
    side = blended_transform_factory(ax.transAxes, ax.transData)
    for (yb, _item, _group), n_text in zip(bars, n_texts, strict=True):
        ax.text(1.01, yb, n_text, transform=side, va="center", fontsize=LABEL_PT)
    heading = blended_transform_factory(fig.transFigure, ax.transData)
    for yh, text in headings:
        ax.text(
            0.08 / width,
            yh,
            text,
            transform=heading,
            va="top",
            ha="left",
            fontsize=HEADING_PT,
            fontweight="bold",
            linespacing=1.1,
        )
    fig.suptitle(title, x=0.08 / width, y=1 - 0.12 / height, ha="left", va="top", fontsize=TITLE_PT)
    below = legend_h + notes_h  # the top of the next legend row, inches from the bottom
    for entries, texts, ncol, row_h in legend_rows:
        fig.legend(
            [legend.handles[lv] for lv in entries],
            texts,
            loc="upper center",
            bbox_to_anchor=(0.5, below / height),
            ncol=ncol,
            frameon=False,
            fontsize=LABEL_PT,
            handlelength=1.4,
            columnspacing=1.2,
            borderaxespad=0.0,
            borderpad=0.0,
        )
        below -= row_h
    fig.text(
        0.08 / width, (notes_h - 0.05) / height, notes_text, va="top", ha="left", fontsize=LABEL_PT, color="#333333"
    )
    return fig


def likert_figure(stats: pd.DataFrame, cohort: Cohort) -> Figure:
    """The first chart of `likert_figures` (ValueError for a cohort without likert items)."""
    figures = likert_figures(stats, cohort)
    if not figures:
        raise ValueError("the cohort has no likert items")
    return figures[0]


def _codebook_rows(cohort: Cohort) -> list[tuple[str, str, str]]:
    """(kind, id, label) rows of the themes figure: a heading per theme, then its subthemes."""
    out: list[tuple[str, str, str]] = []
    for theme in cohort.codebook.themes:
        out.append(("theme", theme.id, theme.label or theme.id))
        for sub in theme.subthemes:
            out.append(("subtheme", sub.id, sub.label or sub.id))
    return out


def _n_of(row: pd.Series | None, meta: Mapping[str, Any]) -> str:
    """A bar's label "n/N" (participants with it of those with coded data), or how it is hidden."""
    if row is None:
        return MISSING
    if not is_shown(row):
        return display_count(row, meta)
    return f"{fmt_int(row['n'])}/{fmt_int(row['denominator'])}"


def themes_figure(stats: pd.DataFrame, cohort: Cohort) -> Figure:
    """Grouped bars of `theme/pct_participants` per subtheme (source `all`), labelled n/N."""
    title = "Subthemes: % of participants with coded data"
    rows = register.select(stats, THEME, PCT_PARTICIPANTS, source="all")
    by_key = index_rows(rows, "item", "group")
    layout = _codebook_rows(cohort)
    sub_ids = [i for kind, i, _ in layout if kind == "subtheme"]
    if not sub_ids or not any(key[0] in sub_ids for key in by_key):
        return unavailable_figure(title, NOTHING_SHOWN)
    meta = cohort.document
    colours = group_colours(meta)
    labels = cohort.group_labels(all_label="All participants", combined=True)
    # register rows only: a group without any row (e.g. no interviews) has no bars and no legend entry, a
    # subtheme without any row no bar slot, a theme without such subthemes no heading
    groups = [g for g in ["all", *cohort.group_codes] if any((s, g) in by_key for s in sub_ids)]
    kept = {i for i in sub_ids if any((i, g) in by_key for g in groups)}
    themes_kept = {t.id for t in cohort.codebook.themes if kept & {s.id for s in t.subthemes}}
    layout = [row for row in layout if (row[1] in kept if row[0] == "subtheme" else row[1] in themes_kept)]
    sub_ids = [i for i in sub_ids if i in kept]

    bar_h = 0.8 / len(groups)
    slot = 1.0
    y = 0.0
    positions: list[tuple[str, str, str, float]] = []
    for kind, ident, label in layout:
        positions.append((kind, ident, label, y))
        y += 0.6 if kind == "theme" else slot
    # a bar 0.32 in high, thinner (to 0.17 in: its 7 pt label still fits) where that keeps the figure on a page
    bars_in = (PAGE_HEIGHT - 0.3 * (len(layout) - len(sub_ids)) - 1.9) / (len(groups) * len(sub_ids))
    pitch = min(0.32, max(0.17, bars_in))
    height = pitch * len(groups) * len(sub_ids) + 0.3 * (len(layout) - len(sub_ids)) + 1.9
    fig = Figure(figsize=(FIGURE_WIDTH, height), layout="constrained")
    hatches = group_hatches(meta)
    ax = fig.add_subplot()
    shown_max = 0.0
    for gi, group in enumerate(groups):
        ys: list[float] = []
        widths: list[float] = []
        texts: list[str] = []
        for kind, ident, _label, y0 in positions:
            if kind != "subtheme":
                continue
            row = by_key.get((ident, group))
            ys.append(y0 - 0.4 + bar_h * (gi + 0.5))
            widths.append(float(row["estimate"]) if is_shown(row) else 0.0)
            texts.append(_n_of(row, meta))
        # groups told apart by hatching as well as colour, each fill outlined (light colours: WCAG 1.4.11)
        bars = ax.barh(
            ys,
            widths,
            height=bar_h * 0.92,
            color=colours[group],
            label=labels[group],
            hatch=hatches[group] or None,
            edgecolor=GROUP_EDGE,
            linewidth=0.5,
        )
        ax.bar_label(bars, labels=texts, padding=2, fontsize=7)
        shown_max = max([shown_max] + widths)
    ax.set_yticks(
        [p[3] for p in positions],
        [wrap(lbl) for _kind, _i, lbl, _y in positions],
    )
    for (kind, *_rest), tick in zip(positions, ax.get_yticklabels()):
        if kind == "theme":
            tick.set_fontweight("bold")
        else:
            tick.set_fontsize(8)
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(positions[-1][3] + 0.5, positions[0][3] - 0.3)
    upper = min(100.0, max(10.0, math.ceil(shown_max / 10.0) * 10.0))
    ax.set_xlim(0, upper * 1.15)
    step = 10 if upper <= 50 else 20
    ax.set_xticks(list(range(0, int(upper) + 1, step)))
    ax.set_xlabel(
        "% of participants with any coded data (interviews and survey)\nlabels: n with it / N with coded data",
        fontsize=8,
    )
    ax.set_title(title)
    fig.legend(loc="outside lower center", ncol=2, frameon=False, fontsize=8, handleheight=1.2, handlelength=2.2)
    return fig


#: x-axis label of the coefficient plot, by model family.
_FAMILY_AXIS: dict[str, str] = {
    "ols": "change in the outcome (scale points)",
    "logit": "log-odds",
    "ordinal_logit": "log-odds (proportional odds)",
}


def coefficients_figure(stats: pd.DataFrame, cohort: Cohort) -> Figure:
    """Dot-and-whisker plot of each declared model's coefficients (95 % CI), one panel per model; no intercept."""
    title = "Regression models: coefficients with 95 % confidence intervals"
    rows = register.select(stats, MODEL, COEFFICIENT)
    panels: list[tuple[Mapping[str, Any], list[pd.Series]]] = []
    for model in cohort.models:
        prefix = f"{model['id']}:"
        terms = [
            r
            for _, r in rows.iterrows()
            if str(r["item"]).startswith(prefix) and str(r["item"]) != f"{prefix}Intercept"
        ]
        if terms:
            panels.append((model, terms))
    if not panels:
        return unavailable_figure(title, NOTHING_SHOWN)
    # Fixed layout in inches, computed here (not constrained layout): axes positions then do not
    # depend on text measurements, and the SVG clip-path ids stay the same from run to run.
    width, left, right, top, gap_above, gap_below = FIGURE_WIDTH, 2.6, 0.3, 0.55, 0.3, 0.5
    axes_heights = [0.3 * len(terms) + 0.25 for _, terms in panels]
    height = top + sum(h + gap_above + gap_below for h in axes_heights) + 0.05
    fig = Figure(figsize=(width, height))
    y_top = height - top
    for (model, terms), axes_h in zip(panels, axes_heights):
        bottom = y_top - gap_above - axes_h
        ax = fig.add_axes((left / width, bottom / height, (width - left - right) / width, axes_h / height))
        y_top = bottom - gap_below
        ys = list(range(len(terms)))
        est = [float(r["estimate"]) for r in terms]
        low = [float(r["ci_low"]) for r in terms]
        high = [float(r["ci_high"]) for r in terms]
        for y, lo, hi in zip(ys, low, high):
            ax.plot([lo, hi], [y, y], color=OKABE_ITO[5], linewidth=1.4, marker="|", markersize=7)
        ax.plot(est, ys, linestyle="none", marker="o", markersize=4, color=OKABE_ITO[0])
        ax.axvline(0, color="#555555", linewidth=0.8, linestyle="--")
        ax.set_yticks(ys, [wrap(term_label(str(r["item"]).split(":", 1)[1]), 36) for r in terms], fontsize=8)
        ax.set_ylim(len(terms) - 0.5, -0.5)
        n = fmt_int(terms[0]["n"])
        cluster = f", SEs clustered by {model['cluster']}" if model.get("cluster") else ""
        ax.set_title(f"{model['id']} ({model['family']}{cluster}; n={n})", fontsize=9, loc="left")
        ax.set_xlabel(_FAMILY_AXIS.get(str(model["family"]), "estimate"), fontsize=8)
        ax.tick_params(axis="y", length=0)
    fig.suptitle(title, y=1 - 0.2 / height, va="top")
    return fig


def equality_figure(stats: pd.DataFrame, cohort: Cohort) -> Figure:
    """Relative likelihood (95 % CI, log scale) of each declared equality indicator, a line at 1 (equal
    likelihood); indicators whose counts are hidden by disclosure control are named and left undrawn."""
    title = "Equality indicators: relative likelihood with 95 % intervals"
    declared = [dict(i) for i in cohort.document.get("indicators", [])]
    likelihoods = register.select(stats, EQUALITY, LIKELIHOOD)
    shown: list[tuple[str, pd.Series]] = []
    hidden: list[str] = []
    for ind in declared:
        row = register.one(stats, EQUALITY, RELATIVE_LIKELIHOOD, item=str(ind["id"]), group=None)
        label = f"{ind['label']}: {ind['compared']} vs {ind['reference']}"
        keys = [f"{ind['by']}={ind['compared']}", f"{ind['by']}={ind['reference']}"]
        rests = likelihoods[(likelihoods["item"] == ind["id"]) & likelihoods["subgroup"].isin(keys)]
        if row is None or is_missing(row["estimate"]) or bool(rests["suppressed"].astype(bool).any()):
            hidden.append(label)
            continue
        shown.append((label, row))
    if not shown:
        return unavailable_figure(title, NOTHING_SHOWN)
    width, left, right, top, bottom = FIGURE_WIDTH, 3.0, 0.3, 0.55, 0.6 + 0.18 * len(hidden)
    axes_h = 0.35 * len(shown) + 0.3
    height = top + axes_h + bottom
    fig = Figure(figsize=(width, height))
    ax = fig.add_axes((left / width, bottom / height, (width - left - right) / width, axes_h / height))
    ys = list(range(len(shown)))
    for y, (_label, row) in zip(ys, shown):
        low = float(row["ci_low"]) if not is_missing(row["ci_low"]) else float(row["estimate"])
        high = float(row["ci_high"]) if not is_missing(row["ci_high"]) else float(row["estimate"])
        ax.plot([low, high], [y, y], color=OKABE_ITO[5], linewidth=1.4, marker="|", markersize=7)
        ax.plot([float(row["estimate"])], [y], linestyle="none", marker="o", markersize=4, color=OKABE_ITO[0])
    ax.axvline(1.0, color="#555555", linewidth=0.8, linestyle="--")
    ax.set_xscale("log")
    # plain tick labels at powers of two around the drawn values (the style draws text without mathtext)
    ends = [float(v) for _, row in shown for v in (row["ci_low"], row["ci_high"], row["estimate"]) if not is_missing(v)]
    lowest, highest = min([*ends, 1.0]), max([*ends, 1.0])
    ticks = [2.0**e for e in range(-8, 9) if lowest / 2 <= 2.0**e <= highest * 2]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_yticks(ys, [wrap(label, 44) for label, _ in shown], fontsize=8)
    ax.set_ylim(len(shown) - 0.5, -0.5)
    ax.set_xlabel("relative likelihood (compared group over reference group)", fontsize=8)
    ax.tick_params(axis="y", length=0)
    for i, label in enumerate(hidden):
        fig.text(0.02, (0.12 + 0.18 * i) / height, f"Not shown (small counts hidden): {label}", fontsize=7)
    fig.suptitle(title, y=1 - 0.2 / height, va="top")
    return fig


def applicable(stats: pd.DataFrame, cohort: Cohort) -> list[str]:
    """The cohort figures that apply to a register and cohort.json (`names.cohort_figures`); the workflow
    decides the same from cohort.yaml and instrument.yaml when it is parsed and passes its list to `make_all`."""
    return cohort_figures(
        design=cohort.design or None,
        likert_items=[i.levels for i in cohort.likert_items],
        groups=len(cohort.groups),
        survey=not register.select(stats, RESPONSE, RESPONSES).empty,
        segments=not register.select(stats, THEME, PCT_PARTICIPANTS).empty,
        models=bool(cohort.models),
        indicators=bool(cohort.document.get("indicators")),
    )


def make_all(
    statistics_csv: Path,
    cohort_json: Path,
    out_dir: Path,
    formats: tuple[str, ...] = FORMATS,
    figures: Sequence[str] | None = None,
) -> list[Path]:
    """Write the cohort figures that apply (`applicable`, or the names in `figures`) in `formats`.

    Only the figures asked for are drawn, each once (a Likert page alone, not every page). A figure that does
    not apply is not made. One that applies but has nothing to draw (e.g. every model failed to converge) says
    why on the figure."""
    configure_matplotlib()
    stats = register.read(statistics_csv)
    cohort = metadata.load(cohort_json)
    return draw(stats, cohort, Path(out_dir), formats, applicable(stats, cohort) if figures is None else figures)


def _prepost_figure(stats: pd.DataFrame, cohort: Cohort) -> Figure:
    """`figures.prepost.prepost_figure`, imported when a pre/post figure is asked for: that module brings the
    programme analysis and scipy, which the other figures do not need."""
    from workforce_eval.figures.prepost import prepost_figure

    return prepost_figure(stats, cohort.to_document())


#: The builders of the single-page cohort figures, by name.
BUILDERS: dict[str, Callable[[pd.DataFrame, Cohort], Figure]] = {
    "composition": composition_figure,
    "themes": themes_figure,
    "coefficients": coefficients_figure,
    "equality": equality_figure,
    "prepost": _prepost_figure,
}


def draw(
    stats: pd.DataFrame, cohort: Cohort, out_dir: Path, formats: tuple[str, ...], figures: Sequence[str]
) -> list[Path]:
    """Draw the cohort figures named in `figures` from a register and the cohort's metadata, each once, and save
    each in `formats`; ValueError for a name that is not one of this cohort's figures."""
    likert = likert_names([i.levels for i in cohort.likert_items], len(cohort.groups) + 1)
    unknown = [name for name in figures if name not in likert and name not in BUILDERS]
    if unknown:
        raise ValueError(
            f"no figure called {unknown[0]!r} for this cohort (its figures: {', '.join(applicable(stats, cohort))})"
        )
    wanted_pages = sorted({likert.index(name) + 1 for name in figures if name in likert})
    pages = dict(zip([likert[n - 1] for n in wanted_pages], likert_figures(stats, cohort, wanted_pages)))
    paths: list[Path] = []
    for name in figures:
        fig = pages[name] if name in pages else BUILDERS[name](stats, cohort)
        paths += save(fig, out_dir / name, formats)
    return paths
