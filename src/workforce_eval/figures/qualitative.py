"""Figures of the qualitative analyses, drawn from the register only: co-occurrence heatmap, saturation curve.

- cooccurrence: codes, subthemes or themes (`analyses.cooccurrence.shown_level`: the finest level
  with few enough nodes) in codebook order, lines between the themes' blocks; each cell the
  `cooccurrence/document_participants` count (participants with both in one document; group `all`,
  source `all`), written in the cell as `display_count` shows it (`[c]` for hidden counts,
  drawn grey, explained in a note); zeros and pairs the register lacks (they never co-occur) are
  drawn empty. The diagonal is left blank.
- saturation: bars of `saturation/new_codes` per interview in order, the line of
  `cumulative_codes`, and a dashed line after `saturation_point` interviews when the rule found one.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from workforce_eval import register
from workforce_eval.figures.style import (
    FIGURE_WIDTH,
    FORMATS,
    OKABE_ITO,
    configure_matplotlib,
    index_rows,
    is_shown,
    no_data_figure,
    save,
    wrap,
)
from workforce_eval.inputs import metadata
from workforce_eval.inputs.metadata import Cohort
from workforce_eval.names import QUALITATIVE_FIGURE_NAMES
from workforce_eval.register import measures as m
from workforce_eval.register.measures import COOCCURRENCE, SATURATION
from workforce_eval.register.notation import disclosure_threshold, display_count

HIDDEN_COLOUR = "#D9D9D9"
#: The saturation curve's x axis by how the interviews were ordered (the rows' `method`).
ORDER_LABELS = {"order: order": "interview, in the given order", "order: date": "interview, by interview date"}


def nodes_at(cohort: Cohort, level: str) -> list[tuple[str, str, str]]:
    """(id, label, theme id) of the codebook's themes, subthemes or codes, in codebook order."""
    out: list[tuple[str, str, str]] = []
    for t in cohort.codebook.themes:
        if level == "theme":
            out.append((t.id, t.label or t.id, t.id))
            continue
        for s in t.subthemes:
            if level == "subtheme":
                out.append((s.id, s.label or s.id, t.id))
                continue
            out += [(c.id, c.label or c.id, t.id) for c in s.codes]
    return out


PLURAL = {"code": "Codes", "subtheme": "Subthemes", "theme": "Themes"}


def cooccurrence_figure(stats: pd.DataFrame, cohort: Cohort) -> Figure:
    """Heatmap of participants with both nodes in one document, at `cooccurrence.shown_level` (disclosure applied)."""
    from workforce_eval.analyses import cooccurrence  # here: the analyses bring scipy, the figures job need not

    meta = cohort.document
    level = cooccurrence.shown_level(meta)
    title = f"{PLURAL[level]} occurring together in an interview or answer: participants"
    nodes = nodes_at(cohort, level)
    rows = register.select(stats, COOCCURRENCE, m.COOC_DOCUMENT_PARTICIPANTS, group="all", source="all")
    by_pair = index_rows(rows, "item", "level")
    ids = [c for c, _, _ in nodes]
    if len(ids) < 2 or not any(a in ids and b in ids for a, b in by_pair):
        return no_data_figure(title)
    n = len(ids)
    values = np.full((n, n), np.nan)
    texts: dict[tuple[int, int], tuple[str, bool]] = {}
    for (a, b), row in by_pair.items():
        if a not in ids or b not in ids:
            continue
        i, j = ids.index(a), ids.index(b)
        shown = is_shown(row)
        text = display_count(row, meta)
        for x, y in ((i, j), (j, i)):
            texts[(x, y)] = (text, shown)
            if shown and float(row["estimate"]) > 0:
                values[x, y] = float(row["estimate"])
    size = min(FIGURE_WIDTH - 1.0, max(5.0, 0.38 * n + 2.5))  # printed at most 180 mm wide: never scaled down
    fig = Figure(figsize=(size + 1.0, size + 0.4), layout="constrained")
    ax = fig.add_subplot()
    top = float(np.nanmax(values)) if np.isfinite(values).any() else 1.0
    image = ax.imshow(np.ma.masked_invalid(values), cmap=colormaps["Blues"], vmin=0, vmax=max(top, 1.0))
    for (x, y), (text, shown) in sorted(texts.items()):
        if not shown:
            ax.add_patch(_cell(x, y))
        if text and text != "0":
            dark = shown and float(np.nan_to_num(values[x, y])) > 0.6 * top
            ax.text(y, x, text, ha="center", va="center", fontsize=7, color="white" if dark else "black")
    # Lines between the themes' blocks: codes and subthemes stay grouped as the codebook groups them.
    themes = [t for _, _, t in nodes]
    for k in range(1, n):
        if themes[k] != themes[k - 1]:
            ax.axhline(k - 0.5, color="black", linewidth=0.6)
            ax.axvline(k - 0.5, color="black", linewidth=0.6)
    labels = [wrap(label, 28) for _, label, _ in nodes]
    ax.set_xticks(range(n), labels, rotation=90, fontsize=7)
    ax.set_yticks(range(n), labels, fontsize=7)
    ax.set_title(wrap(title, 50))
    note = "In codebook order" + (", lines between themes" if level != "theme" else "")
    k = disclosure_threshold(meta)
    if any(not shown for _, shown in texts.values()):
        note += f"; grey, [c]: hidden by disclosure control (a count below {k}, or one that would reveal it)"
    ax.set_xlabel(wrap(note + ".", 80), fontsize=7, labelpad=6)
    fig.colorbar(image, ax=ax, shrink=0.6, label="participants")
    return fig


def _cell(x: int, y: int) -> Rectangle:
    """A grey cell behind a hidden count."""
    return Rectangle((y - 0.5, x - 0.5), 1, 1, color=HIDDEN_COLOUR, linewidth=0)


def saturation_figure(stats: pd.DataFrame, cohort: Cohort) -> Figure:
    """New codes per interview (bars) and the cumulative number of codes (line), in interview order."""
    title = "Saturation: codes per interview in interview order"
    new = register.select(stats, SATURATION, m.NEW_CODES)
    cumulative = register.select(stats, SATURATION, m.CUMULATIVE_CODES)
    if new.empty or not all(is_shown(r) for _, r in new.iterrows()):
        return no_data_figure(title)
    positions = [int(x) for x in new["level"]]
    fig = Figure(figsize=(FIGURE_WIDTH, 4.0), layout="constrained")
    ax = fig.add_subplot()
    ax.bar(positions, new["estimate"].astype(float), color=OKABE_ITO[1], label="new codes", linewidth=0)
    ax.plot(
        [int(x) for x in cumulative["level"]],
        cumulative["estimate"].astype(float),
        color=OKABE_ITO[0],
        marker="o",
        markersize=3,
        label="codes so far",
    )
    point = register.one(stats, SATURATION, m.SATURATION_POINT)
    if is_shown(point):
        x = float(point["estimate"]) + 0.5
        ax.axvline(x, color=OKABE_ITO[5], linestyle="--", linewidth=1)
        ax.text(x, ax.get_ylim()[1] * 0.95, " saturation", color=OKABE_ITO[5], fontsize=8, va="top")
    how = str(new["method"].iloc[0]).partition("; ")[0]
    ax.set_xlabel(ORDER_LABELS.get(how, "interview, in document order"))
    ax.set_ylabel("codes")
    ax.set_xlim(0.4, max(positions) + 0.6)
    ax.set_title(title)
    ax.legend(frameon=False, fontsize=8, loc="center right")
    return fig


def make_all(statistics_csv: Path, cohort_json: Path, out_dir: Path, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write the co-occurrence and saturation figures into `out_dir` in `formats` (PDF, PNG, SVG by default)."""
    configure_matplotlib()
    stats = register.read(statistics_csv)
    cohort = metadata.load(cohort_json)
    return draw(stats, cohort, Path(out_dir), formats, QUALITATIVE_FIGURE_NAMES)


def draw(
    stats: pd.DataFrame, cohort: Cohort, out_dir: Path, formats: tuple[str, ...], figures: Sequence[str]
) -> list[Path]:
    """Draw the qualitative figures named in `figures`, each once, and save each in `formats`."""
    builders = {"cooccurrence": cooccurrence_figure, "saturation": saturation_figure}
    paths: list[Path] = []
    for name in figures:
        paths += save(builders[name](stats, cohort), Path(out_dir) / name, formats)
    return paths
