"""Figure text prints at 7 pt or more on A4 (issue 21, part 7): every figure the bundled build draws, as the
figure functions return it, with the smallest text scaled as the report's print stylesheet scales the image."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from workforce_eval import register
from workforce_eval.figures import benchmarking, prepost, qualitative, style
from workforce_eval.figures import cohort as cohort_figures
from workforce_eval.inputs import metadata
from workforce_eval.register import programme_file

pytestmark = pytest.mark.e2e

PRINT_CSS = Path(__file__).resolve().parents[2] / "src" / "workforce_eval" / "report" / "print.css"
A4_WIDTH_MM = 210.0
MINIMUM_PT = 7.0


def print_box_inches() -> tuple[float, float]:
    """The largest a figure prints (inches): A4's width less print.css's left and right page margins, and the
    image's max-height in print.css."""
    css = PRINT_CSS.read_text(encoding="utf-8")
    margins = re.search(r"margin:\s*([\d.]+)mm\s+([\d.]+)mm\s+([\d.]+)mm\s+([\d.]+)mm", css)
    height = re.search(r"max-height:\s*([\d.]+)mm", css)
    assert margins and height, "print.css no longer states the page margins and the image height in mm"
    width_mm = A4_WIDTH_MM - float(margins.group(2)) - float(margins.group(4))
    return width_mm / 25.4, float(height.group(1)) / 25.4


def printed_pt(fig: Figure, size: float) -> float:
    """A text drawn at `size` points in `fig`, printed with the figure fitted to the print box (never enlarged
    beyond it): size x min(box width / figure width, box height / figure height)."""
    box_w, box_h = print_box_inches()
    w, h = fig.get_size_inches()
    return size * min(box_w / w, box_h / h)


def _texts(fig: Figure) -> Iterator[Text]:
    fig.canvas.draw()  # tick labels exist once drawn
    for text in fig.findobj(Text):
        if text.get_visible() and text.get_text().strip():
            yield text


def _bundled_figures(run: Path) -> Iterator[tuple[str, Figure]]:
    style.configure_matplotlib()
    results = run / "results"
    for folder in sorted(
        p for p in results.iterdir() if (p / "clean" / "cohort.json").is_file() and (p / "statistics.csv").is_file()
    ):
        stats = register.read(folder / "statistics.csv")
        cohort = metadata.load(folder / "clean" / "cohort.json")
        names = cohort_figures.applicable(stats, cohort)
        likert = [n for n in names if n.startswith("likert")]
        for name, fig in zip(likert, cohort_figures.likert_figures(stats, cohort), strict=True):
            yield f"{folder.name}/{name}", fig
        for name in names:
            if name in cohort_figures.BUILDERS:
                yield f"{folder.name}/{name}", cohort_figures.BUILDERS[name](stats, cohort)
        if (folder / "segments.csv").exists() or not register.select(stats, "theme").empty:
            yield f"{folder.name}/cooccurrence", qualitative.cooccurrence_figure(stats, cohort)
            yield f"{folder.name}/saturation", qualitative.saturation_figure(stats, cohort)
        org = folder / "organisations" / "statistics.csv"
        if org.is_file():
            yield f"{folder.name}/caterpillar", benchmarking.caterpillar_figure(register.read(org), cohort)
    for folder in sorted((results / "programmes").glob("*/")):
        meta = json.loads((folder / "programme.json").read_text(encoding="utf-8"))
        stats = programme_file.read(folder / "statistics.csv")
        yield f"programmes/{folder.name}/forest", prepost.forest_figure(stats, meta)


def smallest_printed(run: Path) -> dict[str, tuple[float, str]]:
    """Figure -> (its smallest text's printed size in points, that text)."""
    out = {}
    for name, fig in _bundled_figures(run):
        size, text = min((t.get_fontsize(), t.get_text()) for t in _texts(fig))
        out[name] = (round(printed_pt(fig, size), 2), text)
    return out


def test_print_box_is_read_from_the_print_stylesheet() -> None:
    width, height = print_box_inches()
    assert width == pytest.approx(180 / 25.4) and height == pytest.approx(225 / 25.4)


def test_every_bundled_figure_prints_its_text_at_seven_points_or_more(run_a: Path) -> None:
    sizes = smallest_printed(run_a)
    assert len(sizes) >= 20  # every cohort's figures, the caterpillar and the forest plot
    small = {name: v for name, v in sizes.items() if v[0] < MINIMUM_PT}
    assert not small, small
