"""The Likert charts and the figure list of the session's bundled build (`run_a`): collapsed categories,
diverging bars, and no figure that does not apply."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workforce_eval import register
from workforce_eval.figures import cohort as figures
from workforce_eval.inputs.metadata import from_document
from workforce_eval.register import measures
from workforce_eval.register.labels import group_labels

pytestmark = pytest.mark.e2e

COHORTS = ("plp-2021", "lothian-pilot", "leeds-2022")


def _load(run_a: Path, cohort: str) -> tuple[object, dict]:
    base = run_a / "results" / cohort
    return register.read(base / "statistics.csv"), json.loads((base / "clean" / "cohort.json").read_text("utf-8"))


@pytest.mark.parametrize("cohort", COHORTS)
def test_collapsed_categories_add_up_and_are_shown_where_the_full_distribution_is_hidden(
    run_a: Path, cohort: str
) -> None:
    stats, meta = _load(run_a, cohort)
    likert = {i["id"] for i in meta["items"] if i["type"] == "likert"}
    items = stats[stats["analysis"] == "item"]
    shown_collapsed = 0
    for (item, group), rows in items[items["item"].isin(likert)].groupby(["item", "group"]):
        levels = rows[rows["measure"] == measures.LEVEL_PCT]
        collapsed = rows[rows["measure"] == measures.COLLAPSED_PCT]
        # disagree + neutral + agree = those who answered = the sum of the levels (unrounded counts)
        assert collapsed["n"].sum() == levels["n"].sum() == collapsed["denominator"].iloc[0], (item, group)
        if not levels["suppressed"].any():
            assert not collapsed["suppressed"].any(), (item, group)  # a full distribution keeps its categories
        elif not collapsed["suppressed"].any():
            shown_collapsed += 1
    # the pilot (n = 11, k = 5) has no such item; nor has plp-2021 (k = 3, groups of 3 to 6) since issue 20's audit:
    # where its full distribution is hidden, its categories are hidden too (measured on the bundled run)
    assert shown_collapsed > 0 or cohort in {"lothian-pilot", "plp-2021"}


@pytest.mark.parametrize("cohort", COHORTS)
def test_likert_bars_diverge_wherever_the_three_categories_are_shown(run_a: Path, cohort: str) -> None:
    stats, meta = _load(run_a, cohort)
    pages = figures.likert_figures(stats, from_document(meta))
    collapsed = register.select(stats, "item", measures.COLLAPSED_PCT)
    assert pages
    # every item x group whose three categories are shown (with non-zero sides) is drawn either side of zero
    shown = collapsed[~collapsed["suppressed"].astype(bool)]
    complete = shown.groupby(["item", "group"]).filter(
        lambda g: len(g) == 3 and (g.set_index("level")["n"][["disagree", "agree"]] > 0).all()
    )
    labels = group_labels(meta, all_label="All respondents", combined=True)
    texts = {item.id: item for item in from_document(meta).items}
    slots = {}  # (item heading, group label) -> (axes, y of that bar)
    for fig in pages:
        (ax,) = fig.axes
        headings = sorted((t.get_position()[1], t.get_text()) for t in ax.texts if t.get_fontweight() == "bold")
        for y, label in zip(ax.get_yticks(), [t.get_text() for t in ax.get_yticklabels()], strict=True):
            above = max((h for h in headings if h[0] < y), key=lambda h: h[0])
            slots[(above[1].replace("\n", " "), label)] = (ax, float(y))
    for (item, group), _rows in complete.groupby(["item", "group"]):
        ax, y = slots[(figures._marked(texts[item]), labels[group])]
        row = [p for p in ax.patches if abs(p.get_y() + p.get_height() / 2 - y) < 1e-6 and p.get_width() > 0]
        assert min(p.get_x() for p in row) < 0 < max(p.get_x() + p.get_width() for p in row), (cohort, item, group)


def test_leeds_full_distributions_are_hidden_only_where_a_level_is_small_or_revealing_and_the_chart_says_so(
    run_a: Path,
) -> None:
    stats, meta = _load(run_a, "leeds-2022")
    levels = register.select(stats, "item", measures.LEVEL_PCT)
    hidden = levels[levels["suppressed"].astype(bool)]
    # n = 377 answers: most distributions are shown in full; the hidden ones each have a level below 5 in the
    # item x group or one that would give such a level back (all = the sum of the groups)
    assert 0 < hidden.groupby(["item", "group"]).ngroups < levels.groupby(["item", "group"]).ngroups / 2
    for (item, group), _rows in hidden.groupby(["item", "group"]):
        same_item = levels[levels["item"] == item]
        assert ((same_item["n"] > 0) & (same_item["n"] < 5)).any(), (item, group)
    notes = " ".join(
        t.get_text() for fig in figures.likert_figures(stats, from_document(meta)) for t in fig.texts
    ).replace("\n", " ")
    assert "three categories" in notes and "fewer than 5 answers" in notes


def test_figures_that_do_not_apply_are_not_made(run_a: Path) -> None:
    made = {c: sorted(p.stem for p in (run_a / "results" / c / "figures").glob("*.png")) for c in COHORTS}
    # plp-2021: post only, no models; lothian-pilot: pre/post, no models; leeds-2022: cross-sectional with models
    assert "coefficients" not in made["plp-2021"] and "prepost" not in made["plp-2021"]
    assert "prepost" in made["lothian-pilot"] and "coefficients" not in made["lothian-pilot"]
    assert "coefficients" in made["leeds-2022"] and "prepost" not in made["leeds-2022"]
    for cohort in COHORTS:
        for svg in (run_a / "results" / cohort / "figures").glob("*.svg"):
            text = svg.read_text("utf-8")
            assert "No data" not in text, svg
            assert "<text" in text, svg  # real text, not outlines
