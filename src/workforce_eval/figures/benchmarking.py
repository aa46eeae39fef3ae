"""The overview figure of the organisation reports: a caterpillar plot per key item.

Per key item (the construct scores; without constructs, the first survey items), every reported unit's
value with its 95 % interval, units sorted from lowest to highest, coloured by the benchmark flag
(above / similar / below the other units), and the whole survey's value as a line. Every number is a
`benchmark` row of the organisation register; drawn and saved like the other figures (`figures.style`).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from workforce_eval import names, register
from workforce_eval.figures import style
from workforce_eval.inputs import metadata
from workforce_eval.inputs.metadata import Cohort
from workforce_eval.names import PAGE_HEIGHT
from workforce_eval.register.labels import construct_label
from workforce_eval.register.measures import DIFFERENCE_PEERS, MEAN, PCT_AGREE, PCT_YES, SURVEY_VALUE
from workforce_eval.register.notation import REVERSED_SHARE, reversed_text

ANALYSIS = "benchmark"  # the rows of analyses.benchmarking

FLAG_COLOURS = {"above": style.OKABE_ITO[5], "similar": style.ALL_COLOUR, "below": style.OKABE_ITO[6]}
#: The flags' marker shapes: a flag is never told by colour alone (WCAG 2.2, 1.4.1).
FLAG_MARKERS = {"above": "^", "similar": "o", "below": "v"}
#: Without constructs, at most this many survey items get a panel.
MAX_ITEMS = 6
#: Units are named on the axis only when there are at most this many.
MAX_NAMED = 30


def key_items(cohort: Cohort, stats: pd.DataFrame) -> list[tuple[str, str]]:
    """(item id, label) of the key items that have benchmark rows: constructs, else the first survey items (a
    reverse-coded item's label marked "(reversed)")."""
    values = register.select(stats, ANALYSIS, (PCT_YES, PCT_AGREE, MEAN))
    have = set(values["item"])
    constructs = [c for c in cohort.construct_ids if c in have]
    if constructs:
        return [(c, construct_label(c, cohort.document)) for c in constructs]
    items = [i for i in cohort.items_of("yesno", "likert") if i.id in have]
    return [(i.id, reversed_text(i.label, i.reverse)) for i in items[:MAX_ITEMS]]


def unit_values(stats: pd.DataFrame, item: str) -> pd.DataFrame:
    """Per unit: label, value, interval and flag for one item, sorted by value (then by label)."""
    values = register.select(stats, ANALYSIS, (PCT_YES, PCT_AGREE, MEAN), item=item)
    diff = register.select(stats, ANALYSIS, DIFFERENCE_PEERS, item=item)
    flags = dict(zip(diff["subgroup"], diff["level"]))
    out = pd.DataFrame(
        {
            "unit": [s.split("=", 1)[1] for s in values["subgroup"]],
            "estimate": values["estimate"].astype(float).to_numpy(),
            "ci_low": values["ci_low"].astype(float).to_numpy(),
            "ci_high": values["ci_high"].astype(float).to_numpy(),
            "flag": [flags.get(s, "similar") for s in values["subgroup"]],
            "measure": values["measure"].to_numpy(),
        }
    )
    return out.sort_values(["estimate", "unit"], kind="mergesort").reset_index(drop=True)


def value_range(cohort: Cohort, item: str, measure: str, frame: pd.DataFrame) -> tuple[float, float]:
    """The axis of a panel: the whole scale, so that the spread of the units is seen against it (issue 21: an axis
    of 3.45 to 3.80 on a 1 to 5 scale). Shares 0 to 100 %; a likert item's or construct's mean 1 to its number of
    levels; a numeric item's mean from 0 (or below, if an interval reaches below) to its highest upper bound."""
    if measure != MEAN:
        return 0.0, 100.0
    members = [i for i in cohort.items if i.id == item and i.type != "numeric"]
    if not members and item in cohort.construct_ids:
        members = list(cohort.construct(item).items)
    levels = max((len(i.levels) for i in members), default=0)
    if levels >= 2:
        return 1.0, float(levels)
    bounds = pd.concat([frame["ci_low"], frame["ci_high"], frame["estimate"]]).astype(float)
    bounds = bounds[bounds.map(math.isfinite)]
    if bounds.empty:
        return 0.0, 1.0
    low, high = min(0.0, float(bounds.min())), float(bounds.max())
    return low, high if high > low else low + 1.0


def caterpillar_figure(stats: pd.DataFrame, cohort: Cohort) -> Figure:
    """One panel per key item: units' values with 95 % intervals, sorted, flagged, with the survey's value."""
    title = "Organisations compared: value and 95 % interval, lowest to highest"
    panels = key_items(cohort, stats)
    if not panels:
        return style.no_data_figure(title)
    survey = register.select(stats, ANALYSIS, SURVEY_VALUE)
    whole = dict(zip(survey["item"], survey["estimate"].astype(float)))
    # printed at most 180 mm wide and 225 mm high: a larger figure's text would print smaller
    panel_h = max(1.3, min(2.6, (PAGE_HEIGHT - 0.8) / len(panels)))
    fig = Figure(figsize=(style.FIGURE_WIDTH, panel_h * len(panels) + 0.8), layout="constrained")
    axes = fig.subplots(len(panels), 1, squeeze=False)[:, 0]
    for ax, (item, label) in zip(axes, panels):
        frame = unit_values(stats, item)
        x = list(range(len(frame)))
        for flag, colour in FLAG_COLOURS.items():
            part = frame[frame["flag"] == flag]
            if part.empty:
                continue
            idx = part.index.to_list()
            ax.vlines(idx, part["ci_low"], part["ci_high"], colors=colour, linewidth=1.2)
            ax.plot(idx, part["estimate"], FLAG_MARKERS[flag], color=colour, markersize=5)
        if item in whole and math.isfinite(whole[item]):
            ax.axhline(whole[item], color="#000000", linewidth=0.8, linestyle="--")
        measure = str(frame["measure"].iloc[0]) if not frame.empty else MEAN
        reverse = any(i.id == item and i.reverse for i in cohort.items)
        unit = "mean" if measure == MEAN else (REVERSED_SHARE if measure == PCT_AGREE and reverse else "%")
        ax.set_title(style.wrap(label, 90), loc="left")
        ax.set_ylabel(style.wrap(unit, 24))
        if len(frame) <= MAX_NAMED:
            ax.set_xticks(x, [style.wrap(u, 14) for u in frame["unit"]], fontsize=7)
        else:
            ax.set_xticks([])
            ax.set_xlabel(f"{len(frame)} organisations, sorted by value")
        ax.set_xlim(-0.7, max(len(frame), 1) - 0.3)
        low, high = value_range(cohort, item, measure, frame)
        pad = 0.02 * (high - low)
        ax.set_ylim(low - pad, high + pad)
    handles = [Line2D([], [], color=c, marker=FLAG_MARKERS[f], linestyle="-", label=f) for f, c in FLAG_COLOURS.items()]
    handles.append(Line2D([], [], color="#000000", linestyle="--", label="whole survey"))
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False)
    fig.suptitle(title)
    return fig


def make_caterpillar(
    statistics: Path, cohort_json: Path, out_dir: Path, formats: tuple[str, ...] = style.FORMATS
) -> list[Path]:
    """Draw the caterpillar plot from the organisation register and save it under `out_dir`."""
    style.configure_matplotlib()
    fig = caterpillar_figure(register.read(statistics), metadata.load(cohort_json))
    return style.save(fig, Path(out_dir) / names.CATERPILLAR, formats)
