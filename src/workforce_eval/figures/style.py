"""Shared style of every figure: palette, rcParams, deterministic saving and label helpers.

Figures are bare `matplotlib.figure.Figure` objects (no pyplot state), written by `save` as PDF,
PNG and SVG with fixed metadata, so the same input gives the same bytes. For print: PNG at 300 dpi,
SVG with real text (`svg.fonttype: none`, DejaVu Sans named, ids salted by `svg.hashsalt`, no date),
PDF with the font embedded as TrueType (Type 42); saved with a tight bounding box so no text is cut.
"""

from __future__ import annotations

import math
import os
import sys
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeGuard

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from workforce_eval import atomic

#: Okabe-Ito (2008) colour-blind safe palette, in its usual order.
OKABE_ITO: tuple[str, ...] = (
    "#000000",  # black
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
)
#: Colours given to groups in order (Okabe-Ito without black). Some are light (orange, sky blue, yellow: under
#: 3:1 against white), so a bar filled with one is drawn with the GROUP_EDGE outline, and groups are told apart by
#: direct labels or GROUP_HATCHES, never by colour alone (WCAG 2.2, 1.4.1 and 1.4.11).
GROUP_PALETTE: tuple[str, ...] = OKABE_ITO[1:]
#: Colour of the whole cohort (`all`).
ALL_COLOUR = "#888888"
#: Outline of a filled shape whose fill may be light (12.6:1 against white).
GROUP_EDGE = "#333333"
#: Hatching of each group's bars where groups share an axis without a direct label (`all` plain).
GROUP_HATCHES: tuple[str, ...] = ("///", "...", "\\\\\\", "xx", "--", "oo", "++")
#: Marker of each group's points (`all` first, then the groups in order), so that groups differ by shape too.
GROUP_MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X")
#: Diverging Likert colours (ColorBrewer BrBG's darker half, every one at least 3:1 against white), per side of
#: the centre by how many levels a side has, outermost (darkest) first.
LIKERT_LOW: dict[int, tuple[str, ...]] = {
    1: ("#BF812D",),
    2: ("#8C510A", "#BF812D"),
    3: ("#543005", "#8C510A", "#BF812D"),
}
LIKERT_HIGH: dict[int, tuple[str, ...]] = {
    1: ("#35978F",),
    2: ("#01665E", "#35978F"),
    3: ("#003C30", "#01665E", "#35978F"),
}
#: Neutral level of a Likert scale (3.4:1 against white).
NEUTRAL_COLOUR = "#8C8C8C"
#: rcParams fixed by `configure_matplotlib`.
RC_PARAMS: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9,
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "none",  # real, editable text (journals); the font is named, DejaVu Sans ships with matplotlib
    "svg.hashsalt": "workforce-eval",
    "figure.dpi": 100,
    "savefig.dpi": 300,  # print resolution
    "savefig.facecolor": "white",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "text.parse_math": False,  # labels come from cohort folders: `$...$` is literal text, never mathtext
}

FORMATS: tuple[str, ...] = ("pdf", "png", "svg")
#: Width of a full-width figure (inches): under the 180 mm (7.09 in) a report prints a figure at (A4 less the
#: margins of report/print.css), so no text prints smaller than it is drawn (7 pt the smallest drawn).
FIGURE_WIDTH = 7.0
_METADATA: dict[str, dict[str, str | None]] = {
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": "workforce_eval"},
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": "workforce_eval"},
}
WRAP = 40


def configure_matplotlib() -> None:
    """Reset rcParams to matplotlib's defaults, then fix backend, fonts, hash salt and dpi."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    matplotlib.rcdefaults()
    matplotlib.use("Agg")
    matplotlib.rcParams.update(RC_PARAMS)  # type: ignore[arg-type]  # keys are typed as literals


def save(fig: Figure, stem: Path, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write `<stem>.pdf`, `<stem>.png` and `<stem>.svg` (or only `formats`) without dates, then close the figure."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = stem.with_name(f"{stem.name}.{fmt}")
        with atomic.replacing(path) as tmp:
            # tight: long wrapped labels, the n column and footnotes are never cut
            fig.savefig(tmp, format=fmt, metadata=_METADATA[fmt], bbox_inches="tight", pad_inches=0.1)
        paths.append(path)
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(fig)  # no-op for figures not managed by pyplot
    return paths


def group_hatches(cohort_meta: Mapping[str, Any]) -> dict[str, str]:
    """Group code -> hatch pattern, in the order of `group_colours`; `all` plain."""
    codes = [g["code"] for g in cohort_meta.get("groups", [])]
    codes += [g["code"] for g in cohort_meta.get("combined_groups", [])]
    hatches = {code: GROUP_HATCHES[i % len(GROUP_HATCHES)] for i, code in enumerate(codes)}
    hatches["all"] = ""
    return hatches


def group_colours(cohort_meta: Mapping[str, Any]) -> dict[str, str]:
    """Group code -> colour: groups then combined groups take Okabe-Ito in order; `all` is grey."""
    codes = [g["code"] for g in cohort_meta.get("groups", [])]
    codes += [g["code"] for g in cohort_meta.get("combined_groups", [])]
    colours = {code: GROUP_PALETTE[i % len(GROUP_PALETTE)] for i, code in enumerate(codes)}
    colours["all"] = ALL_COLOUR
    return colours


def is_shown(row: pd.Series | None) -> TypeGuard[pd.Series]:
    """True when a row exists, is not suppressed and has a finite estimate."""
    return row is not None and not bool(row["suppressed"]) and math.isfinite(row["estimate"])


def wrap(text: str, width: int = WRAP) -> str:
    """Wrap a label onto lines of at most `width` characters."""
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def index_rows(rows: pd.DataFrame, *keys: str) -> dict[tuple[str, ...], pd.Series]:
    """Register rows keyed by the given text columns; ValueError when two rows share a key."""
    out: dict[tuple[str, ...], pd.Series] = {}
    for _, row in rows.iterrows():
        key = tuple(str(row[k]) for k in keys)
        if key in out:
            raise ValueError(f"two register rows of {row['analysis']}/{row['measure']} share {dict(zip(keys, key))}")
        out[key] = row
    return out


def no_data_figure(title: str) -> Figure:
    """A small figure that says 'No data' (keeps the workflow's outputs fixed)."""
    fig = Figure(figsize=(6.0, 2.0), layout="constrained")
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(title)
    ax.text(0.5, 0.5, "No data", ha="center", va="center", fontsize=12, transform=ax.transAxes)
    return fig


#: What a figure that applies but has nothing to draw says (every count of it hidden, or absent).
NOTHING_SHOWN = "Nothing to show: every number of this figure is hidden by disclosure control or absent."


def unavailable_figure(title: str, reason: str) -> Figure:
    """A small figure for one that applies but has nothing to draw, saying why (never a bare "No data")."""
    fig = Figure(figsize=(6.0, 1.6), layout="constrained")
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(title)
    ax.text(0.5, 0.5, wrap(reason, 70), ha="center", va="center", fontsize=9, transform=ax.transAxes)
    return fig
