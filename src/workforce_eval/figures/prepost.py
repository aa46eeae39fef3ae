"""Figures of pre/post designs: the cohort's dumbbell chart and the programme's forest plot.

Built like the other figures (`figures.style`): bare matplotlib Figures, every number from a
register row, labels from cohort.json / programme.json, written by `style.save` without dates.

- prepost (cohort): per item and construct, one line per reporting group (`all` grey, groups in
  their fixed colours) from the mean before (open circle) to the mean after (filled circle), over
  the linked participants (`pre_post / mean_pre`, `mean_post`); agreement items and construct
  scores share one panel on the 1..k scale, each numeric item has its own panel.
- forest (programme): per construct and item, each cohort's mean change with its 95 % interval
  and the pooled change as a diamond (`pre_post / mean_change`, group `all`), zero marked.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from workforce_eval import register
from workforce_eval.analyses.groups import shown_groups
from workforce_eval.figures import style
from workforce_eval.inputs import metadata
from workforce_eval.names import PAGE_HEIGHT
from workforce_eval.register import programme_file
from workforce_eval.register.labels import construct_label, group_labels
from workforce_eval.register.measures import (
    MEAN_CHANGE,
    MEAN_POST,
    MEAN_PRE,
    PRE_POST,
    PREDICTION_INTERVAL,
    RE_MEAN_CHANGE,
)
from workforce_eval.register.notation import display_count, fmt_int, reversed_text

WRAP = 44
LIKERT_LABEL = "{noun} and scale scores (1 = lowest, {k} = highest level)"
#: The forest plot's panel title for the same rows: it shows changes, not levels.
CHANGE_LABEL = "{noun} and scale scores (change in answer codes, favourable direction)"


def likert_noun(meta: Mapping[str, Any]) -> str:
    """What the likert items are called in a panel title: "Agreement items" when every one is on an agreement
    scale (`Item.meaning`), else "Survey items" (a frequency scale is not called agreement)."""
    items = metadata.from_document({"items": [i for i in meta.get("items", []) if i.get("type") == "likert"]}).items
    return "Agreement items" if all(i.meaning == "agreement" for i in items) else "Survey items"


def _panels(meta: Mapping[str, Any], constructs: list[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(panel title, [(target id, label)]): constructs and likert items together, each numeric item alone."""
    items = list(meta.get("items", []))
    likert = [i for i in items if i.get("type") == "likert"]
    k = max((len(i.get("levels") or []) for i in likert), default=5)
    panels: list[tuple[str, list[tuple[str, str]]]] = []
    rows = [(c, construct_label(c, meta)) for c in constructs] + [
        (str(i["id"]), reversed_text(str(i.get("text") or i["id"]), i.get("reverse"))) for i in likert
    ]
    if rows:
        panels.append((LIKERT_LABEL.format(noun=likert_noun(meta), k=k), rows))
    for item in items:
        if item.get("type") == "numeric":
            panels.append((str(item.get("text") or item["id"]), [(str(item["id"]), "Rating")]))
    return panels


def _constructs_of(meta: Mapping[str, Any]) -> list[str]:
    """Construct ids in instrument order."""
    out: list[str] = []
    for item in meta.get("items", []):
        c = item.get("construct")
        if c and c not in out:
            out.append(str(c))
    return out


def prepost_figure(stats: pd.DataFrame, meta: Mapping[str, Any]) -> Figure:
    """Dumbbell chart of mean before and after per item, construct and group (linked participants)."""
    title = "Before and after the programme: mean answers of linked participants"
    pre = style.index_rows(register.select(stats, PRE_POST, MEAN_PRE), "item", "group")
    post = style.index_rows(register.select(stats, PRE_POST, MEAN_POST), "item", "group")
    if meta.get("design") != "pre_post" or not pre:
        return style.no_data_figure(title)
    groups = ["all", *shown_groups([str(g["code"]) for g in meta.get("groups", [])], stats)]
    colours = style.group_colours(meta)
    # each group's marker shape, fixed by cohort order as its colour is: groups never differ by colour alone
    order = ["all", *[str(g["code"]) for g in meta.get("groups", [])]]
    markers = {g: style.GROUP_MARKERS[order.index(g) % len(style.GROUP_MARKERS)] for g in groups}
    labels = group_labels(meta, all_label="All linked participants", combined=True)
    panels = [
        (t, [(i, lab) for i, lab in rows if any((i, g) in pre for g in groups)])
        for t, rows in _panels(meta, _constructs_of(meta))
    ]
    panels = [(t, rows) for t, rows in panels if rows]
    if not panels:
        return style.no_data_figure(title)
    top = max((len(i.get("levels") or []) for i in meta.get("items", []) if i.get("type") == "likert"), default=5)
    likert_title = LIKERT_LABEL.format(noun=likert_noun(meta), k=top)
    slot = len(groups) + 0.8
    # 0.2 in a row, thinner (to 0.15 in: a 7 pt label still fits) where that keeps the figure on a printed page
    rows_total = sum(len(rows) * slot for _, rows in panels)
    pitch = min(0.2, max(0.15, (PAGE_HEIGHT - 1.2 - 0.6 * len(panels)) / rows_total))
    heights = [len(rows) * slot * pitch + 0.6 for _, rows in panels]
    fig = Figure(figsize=(style.FIGURE_WIDTH, sum(heights) + 1.2), layout="constrained")
    axes = fig.subplots(len(panels), 1, squeeze=False, gridspec_kw={"height_ratios": heights})[:, 0]
    for ax, (panel_title, rows) in zip(axes, panels):
        ticks, ticklabels = [], []
        lows: list[float] = []
        highs: list[float] = []
        for r, (target, label) in enumerate(rows):
            base = r * slot
            ticks.append(base + (len(groups) - 1) / 2)
            ticklabels.append(style.wrap(label, WRAP))
            for j, group in enumerate(groups):
                a, b = pre.get((target, group)), post.get((target, group))
                y = base + j
                if a is None or b is None:
                    continue
                if not (style.is_shown(a) and style.is_shown(b)):  # marked, not silently dropped
                    hidden = b if bool(b["suppressed"]) else a
                    ax.text(
                        1.01,
                        y,
                        f"{labels[group]}: hidden ({display_count(hidden, meta)})",
                        transform=ax.get_yaxis_transform(),
                        va="center",
                        fontsize=7,
                        color="#555555",
                    )
                    continue
                x0, x1 = float(a["estimate"]), float(b["estimate"])
                lows.append(min(x0, x1))
                highs.append(max(x0, x1))
                c = colours[group]
                ax.plot([x0, x1], [y, y], color=c, linewidth=2.0, solid_capstyle="butt", zorder=2)
                # before open, after filled; the group's marker shape and a dark outline (WCAG 1.4.1, 1.4.11)
                ax.plot(
                    [x0],
                    [y],
                    marker=markers[group],
                    markersize=6,
                    markerfacecolor="white",
                    markeredgecolor=style.GROUP_EDGE,
                    markeredgewidth=1.2,
                    linestyle="none",
                    zorder=3,
                )
                ax.plot(
                    [x1],
                    [y],
                    marker=markers[group],
                    markersize=6,
                    markerfacecolor=c,
                    markeredgecolor=style.GROUP_EDGE,
                    markeredgewidth=0.8,
                    linestyle="none",
                    zorder=3,
                )
                ax.text(1.01, y, "n=" + fmt_int(b["n"]), transform=ax.get_yaxis_transform(), va="center", fontsize=7)
        ax.set_yticks(ticks, ticklabels, fontsize=8)
        ax.set_ylim(len(rows) * slot - 0.8 + 0.2, -0.8)
        ax.tick_params(axis="y", length=0)
        ax.set_title(style.wrap(panel_title, 60), fontsize=9, loc="left")  # clear of the "n after" header
        ax.text(1.01, -0.8, "n after", transform=ax.get_yaxis_transform(), va="bottom", fontsize=7, fontweight="bold")
        if panel_title == likert_title:
            ax.set_xlim(0.8, top + 0.2)
            ax.set_xticks(list(range(1, top + 1)))
        elif lows:
            span = max(highs) - min(lows)
            pad = max(span * 0.15, 1.0)
            ax.set_xlim(min(lows) - pad, max(highs) + pad)
        ax.grid(axis="x", color="#E5E5E5", linewidth=0.6, zorder=0)
    handles = [
        Line2D(
            [],
            [],
            color=colours[g],
            linewidth=2.0,
            marker=markers[g],
            markerfacecolor=colours[g],
            markeredgecolor=style.GROUP_EDGE,
            label=labels[g],
        )
        for g in groups
    ]
    handles += [
        Line2D(
            [], [], marker="o", markerfacecolor="white", markeredgecolor="#333333", linestyle="none", label="Before"
        ),
        Line2D([], [], marker="o", color="#333333", linestyle="none", label="After"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 5), frameon=False, fontsize=8)
    fig.suptitle(title)
    return fig


#: Characters a line of a forest plot's heading holds (the label column, 7 pt bold).
FOREST_WRAP = 44


def _lines(label: str) -> int:
    """The lines a forest plot heading takes once wrapped."""
    return style.wrap(label, FOREST_WRAP).count("\n") + 1


def _random_effects_row(
    ax: Any,
    row: pd.Series | None,
    prediction: pd.Series | None,
    y: float,
    ticks: list[float],
    ticklabels: list[str],
    values: list[float],
) -> float:
    """One forest row: the random-effects pooled change as an open diamond (95 % CI) and its prediction interval
    as a dashed line; the row's label says k. Returns the next row's y."""
    ticks.append(y)
    k = "" if row is None else f" (k={fmt_int(row['denominator'])})"
    ticklabels.append(f"    Random effects{k}")
    if row is not None and style.is_shown(row):
        est, low, high = float(row["estimate"]), float(row["ci_low"]), float(row["ci_high"])
        values += [est, low, high]
        half = 0.32
        ax.fill([low, est, high, est], [y, y - half, y, y + half], facecolor="white", edgecolor="#333333", zorder=3)
        text = f"{est:.2f} ({low:.2f} to {high:.2f})"
        if prediction is not None and not pd.isna(prediction["ci_low"]):
            p_low, p_high = float(prediction["ci_low"]), float(prediction["ci_high"])
            values += [p_low, p_high]
            ax.plot([p_low, p_high], [y, y], color="#333333", linewidth=0.8, linestyle="--", zorder=2)
            text += f"; PI {p_low:.2f} to {p_high:.2f}"
        ax.text(1.01, y, text, transform=ax.get_yaxis_transform(), va="center", fontsize=7)
    return y + 1


def forest_figure(stats: pd.DataFrame, meta: Mapping[str, Any]) -> Figure:
    """Forest plot: each cohort's mean change (95 % CI), the pooled change per construct and item (group all) and,
    where the programme register has them, the random-effects pooled change (open diamond) with its 95 %
    prediction interval (dashed)."""
    title = "Change from before to after the programme, by cohort"
    rows_all = register.select(stats, PRE_POST, MEAN_CHANGE, group="all")
    if rows_all.empty:
        return style.no_data_figure(title)
    by_key = {(str(r["item"]), str(r["cohort"])): r for _, r in rows_all.iterrows()}
    cohorts = [(str(c["cohort_id"]), str(c["cohort"])) for c in meta.get("cohorts", [])]
    cohorts.append(("all", "All cohorts (pooled)"))
    panels = [
        (t, [(i, lab) for i, lab in rows if any((i, c) in by_key for c, _ in cohorts)])
        for t, rows in _panels(meta, list(meta.get("constructs", [])))
    ]
    panels = [(t, rows) for t, rows in panels if rows]
    if not panels:
        return style.no_data_figure(title)
    random = {str(r["item"]): r for _, r in register.select(stats, PRE_POST, RE_MEAN_CHANGE, group="all").iterrows()}
    predicted = {
        str(r["item"]): r for _, r in register.select(stats, PRE_POST, PREDICTION_INTERVAL, group="all").iterrows()
    }
    per_target = len(cohorts) + 1 + (1 if random else 0)
    # a heading of several lines takes as many rows; 0.2 in a row, thinner (to 0.105 in: a 7 pt line still fits)
    # where that keeps the plot on a printed page
    panel_rows = [sum(per_target + _lines(label) - 1 for _, label in rows) for _, rows in panels]
    pitch = min(0.2, max(0.105, (PAGE_HEIGHT - 1.0 - 0.5 * len(panels)) / sum(panel_rows)))
    heights = [n * pitch + 0.5 for n in panel_rows]
    fig = Figure(figsize=(style.FIGURE_WIDTH, sum(heights) + 1.0), layout="constrained")
    axes = fig.subplots(len(panels), 1, squeeze=False, gridspec_kw={"height_ratios": heights})[:, 0]
    colour = "#0072B2"
    for ax, (panel_title, rows) in zip(axes, panels):
        ticks: list[float] = []
        ticklabels: list[str] = []
        bold: list[bool] = []
        values: list[float] = []
        y = 0.0
        for target, label in rows:
            lines = _lines(label)
            ticks.append(y + (lines - 1) / 2)  # a heading of n lines centred on its n rows
            ticklabels.append(style.wrap(label, FOREST_WRAP))  # wrapped, never cut; "(reversed)" kept
            bold.append(True)
            y += lines
            for cid, clabel in cohorts:
                row = by_key.get((target, cid))
                ticks.append(y)
                n = "" if row is None else f" (n={fmt_int(row['n'])})"
                ticklabels.append(f"    {clabel}{n}")
                bold.append(False)
                if row is not None and style.is_shown(row):
                    est = float(row["estimate"])
                    low, high = row["ci_low"], row["ci_high"]
                    has_ci = not (pd.isna(low) or pd.isna(high))
                    values += [est] + ([float(low), float(high)] if has_ci else [])
                    if cid == "all":
                        half = 0.32
                        lo, hi = (float(low), float(high)) if has_ci else (est, est)
                        ax.fill([lo, est, hi, est], [y, y - half, y, y + half], color="#333333", zorder=3)
                    else:
                        if has_ci:
                            ax.plot([float(low), float(high)], [y, y], color=colour, linewidth=1.5, zorder=2)
                        ax.plot([est], [y], marker="s", markersize=5, color=colour, linestyle="none", zorder=3)
                    ci = f"{est:.2f} ({float(low):.2f} to {float(high):.2f})" if has_ci else f"{est:.2f}"
                    ax.text(1.01, y, ci, transform=ax.get_yaxis_transform(), va="center", fontsize=7)
                elif row is not None:  # a hidden cohort is marked, not dropped
                    shown = f"hidden ({display_count(row, meta)})"
                    ax.text(
                        1.01, y, shown, transform=ax.get_yaxis_transform(), va="center", fontsize=7, color="#555555"
                    )
                y += 1
            if random:
                y = _random_effects_row(ax, random.get(target), predicted.get(target), y, ticks, ticklabels, values)
                bold.append(False)
        ax.axvline(0, color="#555555", linewidth=0.8, linestyle="--", zorder=1)
        ax.set_yticks(ticks, ticklabels, fontsize=7)
        for tick, is_bold in zip(ax.get_yticklabels(), bold):
            if is_bold:
                tick.set_fontweight("bold")
        ax.set_ylim(y - 0.4, -0.6)
        ax.tick_params(axis="y", length=0)
        ax.text(
            1.01,
            -0.6,
            "Change (95 % CI)",
            transform=ax.get_yaxis_transform(),
            va="bottom",
            fontsize=7,
            fontweight="bold",
        )
        if values:
            lo, hi = min(values + [0.0]), max(values + [0.0])
            pad = (hi - lo) * 0.08 or 1.0
            ax.set_xlim(lo - pad, hi + pad)
        noun = likert_noun(meta)
        likert_panel = panel_title.startswith(LIKERT_LABEL.format(noun=noun, k=0).split(" (")[0])
        shown_title = CHANGE_LABEL.format(noun=noun) if likert_panel else panel_title
        ax.set_title(style.wrap(shown_title, 60), fontsize=9, loc="left")  # clear of the value header
        ax.set_xlabel("Mean change, after minus before (95 % CI)", fontsize=8)
        ax.grid(axis="x", color="#E5E5E5", linewidth=0.6, zorder=0)
    fig.suptitle(title)
    return fig


def make_programme(
    statistics_csv: Path, programme_json: Path, out_dir: Path, formats: tuple[str, ...] = style.FORMATS
) -> list[Path]:
    """Write the programme's forest plot into `out_dir` in `formats` (the config's `figure_formats`)."""
    style.configure_matplotlib()
    stats = programme_file.read(statistics_csv)
    meta = json.loads(Path(programme_json).read_text(encoding="utf-8"))
    return style.save(forest_figure(stats, meta), Path(out_dir) / "forest", formats)
