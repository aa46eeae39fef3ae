"""Deterministic matplotlib figures drawn from the statistics register and cohort.json.

Every number drawn comes from a register row; labels come from cohort.json. Figures are
built as bare `matplotlib.figure.Figure` objects (no pyplot state) and written by `save`
as PDF, PNG and SVG with fixed metadata, so the same input gives the same bytes.

Choices made here (see also docs):
- composition: groups in cohort order; percentages use largest-remainder rounding over
  the groups so the shown shares add to 100.0. Combined groups overlap the groups, so they
  are drawn below a dashed divider as hatched bars, rounded on their own.
- likert: one panel per group (`all` first), stacked top to bottom with the same items;
  a distribution with a suppressed level is not drawn: its % in the top two levels is drawn
  hatched when that is shown, else "answers hidden (counts <k)"; its n is on the right unless
  hidden itself ("<k" or "[c]", as `display_count` says).
- themes: subthemes under bold theme headings; one bar per group with `all` first (grey).
- suppressed rows are zero-length bars labelled by `display_count`; a missing row is a
  zero-length bar labelled "–".
"""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from workforce_eval import register
from workforce_eval.figures.prepost import prepost_figure
from workforce_eval.figures.style import (
    FORMATS,
    NEUTRAL_COLOUR,
    OKABE_ITO,
    WRAP,
    configure_matplotlib,
    group_colours,
    index_rows,
    is_shown,
    no_data_figure,
    save,
    wrap,
)
from workforce_eval.names import FIGURE_NAMES
from workforce_eval.register.labels import group_labels, term_label
from workforce_eval.register.measures import LEVEL_PCT, PCT_AGREE, PCT_PARTICIPANTS
from workforce_eval.register.notation import (
    MISSING,
    disclosure_threshold,
    display_count,
    fmt_int,
)
from workforce_eval.stats.rounding import largest_remainder

#: ColorBrewer BrBG, per side of the centre, ordered outermost first.
_LOW_COLOURS: dict[int, tuple[str, ...]] = {
    1: ("#D8B365",),
    2: ("#A6611A", "#DFC27D"),
    3: ("#8C510A", "#D8B365", "#F6E8C3"),
}
_HIGH_COLOURS: dict[int, tuple[str, ...]] = {
    1: ("#5AB4AC",),
    2: ("#018571", "#80CDC1"),
    3: ("#01665E", "#5AB4AC", "#C7EAE5"),
}


def _likert_items(meta: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The likert items of cohort.json, in instrument order."""
    return [it for it in meta.get("items", []) if it.get("type") == "likert"]


def composition_figure(stats: pd.DataFrame, meta: Mapping[str, Any]) -> Figure:
    """Horizontal bars of each group's share of survey responses, labelled '% (n=count)'."""
    title = "Survey responses by group"
    rows = register.select(stats, "composition", "share", source="survey")
    by_group = index_rows(rows, "group")
    groups = [g["code"] for g in meta.get("groups", [])]
    combined = [g["code"] for g in meta.get("combined_groups", [])]
    if not any((code,) in by_group for code in groups + combined):
        return no_data_figure(title)
    colours = group_colours(meta)
    labels = group_labels(meta, all_label="All respondents", combined=True)

    # Largest remainder over the groups (not the overlapping combined groups).
    finite = [c for c in groups if (c,) in by_group and math.isfinite(by_group[(c,)]["estimate"])]
    rounded = dict(zip(finite, largest_remainder([by_group[(c,)]["estimate"] for c in finite])))

    height = 0.42 * (len(groups) + len(combined)) + 1.3
    fig = Figure(figsize=(7.0, height), layout="constrained")
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
            edgecolor="white" if hatch is None else "#333333",
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
    """Diverging BrBG colours for the levels, light grey for a neutral middle level."""
    k = len(levels)
    half = k // 2
    low = _LOW_COLOURS.get(half)
    high = _HIGH_COLOURS.get(half)
    if low is None or high is None:
        cmap = matplotlib.colormaps["BrBG"]
        low = tuple(matplotlib.colors.to_hex(cmap(0.05 + 0.35 * i / (half - 1))) for i in range(half))
        high = tuple(matplotlib.colors.to_hex(cmap(0.95 - 0.35 * i / (half - 1))) for i in range(half))
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


def likert_order(stats: pd.DataFrame, meta: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Likert items sorted by `pct_agree` for `all` (highest first); ties and gaps keep instrument order."""
    agree = index_rows(register.select(stats, "item", PCT_AGREE, group="all"), "item")
    items = _likert_items(meta)

    def key(pos_item: tuple[int, dict[str, Any]]) -> tuple[float, int]:
        pos, item = pos_item
        row = agree.get((item["id"],))
        est = row["estimate"] if is_shown(row) else None  # a hidden share must not show through the order
        return (-est if est is not None else math.inf, pos)

    return [item for _, item in sorted(enumerate(items), key=key)]


#: Legend entry of a bar that shows only the top two levels because the distribution is hidden.
TOP_TWO_ONLY = "Top two levels only (the full distribution is hidden)"


def _top_two_only(ax: Axes, y: float, pct: float, item: Mapping[str, Any], colours: Sequence[str]) -> float:
    """A hatched bar of % in the favourable top two levels, on their side of the centre; returns its extent."""
    side = -1.0 if item.get("reverse") else 1.0
    colour = colours[1] if item.get("reverse") else colours[-2]
    ax.barh([y], [side * pct], left=0.0, height=0.7, color=colour, hatch="////", edgecolor="#333333", linewidth=0.0)
    inside = pct > 80.0  # near the edge of the axes: label inside the bar's end
    ax.text(
        side * (pct - 1.5 if inside else pct + 1.5),
        y,
        f"{round(pct, 1):.1f}%",
        va="center",
        fontsize=7,
        ha=("right" if inside else "left") if side > 0 else ("left" if inside else "right"),
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.8} if inside else None,
    )
    return pct if inside else pct + 12.0


def _top_two_patch(colours: Sequence[str]) -> Patch:
    return Patch(facecolor=colours[-2], hatch="////", edgecolor="#333333", linewidth=0.0, label=TOP_TWO_ONLY)


def likert_figure(stats: pd.DataFrame, meta: Mapping[str, Any]) -> Figure:
    """Diverging stacked bars of `level_pct` per likert item, one panel per group (`all` first)."""
    title = "Agreement with survey statements"
    items = likert_order(stats, meta)
    level_rows = index_rows(register.select(stats, "item", LEVEL_PCT), "item", "group", "level")
    medians = index_rows(register.select(stats, "item", "median"), "item", "group")
    agrees = index_rows(register.select(stats, "item", PCT_AGREE), "item", "group")
    item_ids = {it["id"] for it in items}
    if not any(key[0] in item_ids for key in level_rows):
        return no_data_figure(title)
    labels = group_labels(meta, all_label="All respondents", combined=True)
    panels = ["all"] + [g["code"] for g in meta.get("groups", [])]

    # One legend needs one scale: the levels of the first item (items of one figure share it
    # in every instrument so far); an item with another number of levels is still drawn.
    levels0 = list(items[0]["levels"])
    lines = [max(1, len(textwrap.wrap(it["text"], WRAP))) for it in items]
    panel_h = sum(max(0.4, 0.17 * n + 0.16) for n in lines) + 0.55
    fig = Figure(figsize=(8.0, panel_h * len(panels) + 0.9), layout="constrained")
    axes = fig.subplots(len(panels), 1, sharex=True, squeeze=False)[:, 0]
    extent = 0.0
    handles: dict[str, Patch] = {}
    for ax, group in zip(axes, panels):
        ys = list(range(len(items)))
        per_level: dict[str, tuple[list[float], list[float], list[float], str]] = {}
        notes: list[str] = []
        for y, item in zip(ys, items):
            levels = list(item["levels"])
            rows = [level_rows.get((item["id"], group, lv)) for lv in levels]
            present = [r for r in rows if r is not None]
            hidden = any(bool(r["suppressed"]) for r in present)
            # a distribution with a hidden level is not drawn at all: a partial bar would mislead
            pcts = [float(r["estimate"]) if is_shown(r) and not hidden else 0.0 for r in rows]
            lefts = _likert_segments(pcts)
            colours = _likert_colours(levels)
            for lv, left, pct, colour in zip(levels, lefts, pcts, colours):
                entry = per_level.setdefault(lv, ([], [], [], colour))
                entry[0].append(float(y))
                entry[1].append(left)
                entry[2].append(pct)
            extent = max(extent, -min(lefts, default=0.0), lefts[-1] + pcts[-1] if pcts else 0.0)
            if not present:
                notes.append(MISSING)
            elif hidden:
                base = medians.get((item["id"], group))
                k = disclosure_threshold(meta)
                if base is None:
                    notes.append(f"<{k}")
                elif bool(base["suppressed"]):
                    notes.append(display_count(base, meta))
                else:
                    notes.append("n=" + fmt_int(base["n"]))
                agree = agrees.get((item["id"], group))
                if is_shown(agree):
                    extent = max(extent, _top_two_only(ax, y, float(agree["estimate"]), item, colours))
                    handles.setdefault(TOP_TWO_ONLY, _top_two_patch(colours))
                else:
                    ax.text(
                        0,
                        y,
                        f"answers hidden (counts <{k})",
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="#444444",
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0},
                        zorder=3,
                    )
            else:
                notes.append("n=" + fmt_int(present[0]["denominator"]))
        for lv, (y_list, left_list, width_list, colour) in per_level.items():
            ax.barh(
                y_list,
                width_list,
                left=left_list,
                height=0.7,
                color=colour,
                edgecolor="white",
                linewidth=0.5,
                label=lv,
            )
            handles.setdefault(lv, Patch(facecolor=colour, edgecolor="white", label=lv))
        for y, note in zip(ys, notes):
            ax.text(1.01, y, note, transform=ax.get_yaxis_transform(), va="center", fontsize=7)
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_yticks(ys, [wrap(it["text"]) for it in items], fontsize=8)
        ax.set_ylim(len(items) - 0.5, -0.5)  # first item on top
        ax.set_title(labels.get(group, group), fontsize=9, loc="left")
        ax.tick_params(axis="y", length=0)
    lim = min(100.0, max(10.0, math.ceil(extent / 10.0) * 10.0))
    axes[-1].set_xlim(-lim, lim)
    axes[-1].xaxis.set_major_locator(MaxNLocator(nbins=8, steps=[1, 2, 2.5, 5, 10], symmetric=True))
    axes[-1].xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{abs(x):g}"))
    axes[-1].set_xlabel("% of respondents")
    fig.suptitle(title)
    order = levels0 + [lv for lv in handles if lv not in levels0]
    fig.legend(
        [handles[lv] for lv in order if lv in handles],
        [wrap(lv, 16) for lv in order if lv in handles],
        loc="outside lower center",
        ncol=min(len(order), 7),
        frameon=False,
        fontsize=8,
    )
    return fig


def _codebook_rows(meta: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(kind, id, label) rows of the themes figure: a heading per theme, then its subthemes."""
    out: list[tuple[str, str, str]] = []
    for theme in meta.get("codebook", []):
        out.append(("theme", theme["id"], theme.get("label") or theme["id"]))
        for sub in theme.get("subthemes", []):
            out.append(("subtheme", sub["id"], sub.get("label") or sub["id"]))
    return out


def themes_figure(stats: pd.DataFrame, meta: Mapping[str, Any]) -> Figure:
    """Grouped bars of `theme/pct_participants` per subtheme (source `all`), labelled with n."""
    title = "Subthemes: % of participants with coded data"
    rows = register.select(stats, "theme", PCT_PARTICIPANTS, source="all")
    by_key = index_rows(rows, "item", "group")
    layout = _codebook_rows(meta)
    sub_ids = [i for kind, i, _ in layout if kind == "subtheme"]
    if not sub_ids or not any(key[0] in sub_ids for key in by_key):
        return no_data_figure(title)
    colours = group_colours(meta)
    labels = group_labels(meta, all_label="All participants", combined=True)
    groups = ["all"] + [g["code"] for g in meta.get("groups", [])]

    bar_h = 0.8 / len(groups)
    slot = 1.0
    y = 0.0
    positions: list[tuple[str, str, str, float]] = []
    for kind, ident, label in layout:
        positions.append((kind, ident, label, y))
        y += 0.6 if kind == "theme" else slot
    height = 0.32 * len(groups) * len(sub_ids) + 0.3 * (len(layout) - len(sub_ids)) + 1.6
    fig = Figure(figsize=(8.0, height), layout="constrained")
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
            texts.append(MISSING if row is None else display_count(row, meta))
        bars = ax.barh(ys, widths, height=bar_h * 0.92, color=colours[group], label=labels[group], linewidth=0)
        ax.bar_label(bars, labels=[f"n={t}" if t[:1].isdigit() else t for t in texts], padding=2, fontsize=7)
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
    ax.set_xlabel("% of participants with any coded data (interviews and survey)")
    ax.set_title(title)
    fig.legend(loc="outside lower center", ncol=2, frameon=False, fontsize=8)
    return fig


#: x-axis label of the coefficient plot, by model family.
_FAMILY_AXIS: dict[str, str] = {
    "ols": "change in the outcome (scale points)",
    "logit": "log-odds",
    "ordinal_logit": "log-odds (proportional odds)",
}


def coefficients_figure(stats: pd.DataFrame, meta: Mapping[str, Any]) -> Figure:
    """Dot-and-whisker plot of each declared model's coefficients (95 % CI), one panel per model; no intercept."""
    title = "Regression models: coefficients with 95 % confidence intervals"
    rows = register.select(stats, "model", "coefficient")
    panels: list[tuple[dict[str, Any], list[pd.Series]]] = []
    for model in meta.get("models") or []:
        prefix = f"{model['id']}:"
        terms = [
            r
            for _, r in rows.iterrows()
            if str(r["item"]).startswith(prefix) and str(r["item"]) != f"{prefix}Intercept"
        ]
        if terms:
            panels.append((model, terms))
    if not panels:
        return no_data_figure(title)
    # Fixed layout in inches, computed here (not constrained layout): axes positions then do not
    # depend on text measurements, and the SVG clip-path ids stay the same from run to run.
    width, left, right, top, gap_above, gap_below = 7.5, 2.7, 0.3, 0.55, 0.3, 0.5
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


def make_all(statistics_csv: Path, cohort_json: Path, out_dir: Path, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write the composition, likert, themes, coefficients and prepost figures (PDF, PNG, SVG or `formats`)."""
    configure_matplotlib()
    stats = register.read(statistics_csv)
    meta = json.loads(Path(cohort_json).read_text(encoding="utf-8"))
    out_dir = Path(out_dir)
    builders = {
        "composition": composition_figure,
        "likert": likert_figure,
        "themes": themes_figure,
        "coefficients": coefficients_figure,
        "prepost": prepost_figure,
    }
    paths: list[Path] = []
    for name in FIGURE_NAMES:
        paths += save(builders[name](stats, meta), out_dir / name, formats)
    return paths
