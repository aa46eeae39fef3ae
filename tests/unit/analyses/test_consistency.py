"""A table and a chart read one decision (`analyses.consistency.align`): the issue's case of a group of 8, whose
table printed "62.5 % agree, 5/8" while its chart hid the same item and group."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workforce_eval import register
from workforce_eval.analyses import consistency
from workforce_eval.figures import cohort as figures
from workforce_eval.inputs.metadata import from_document
from workforce_eval.register import Row
from workforce_eval.register.measures import COLLAPSED_PCT, ITEM, LEVEL_PCT, PCT_AGREE, RESPONSE, RESPONSES
from workforce_eval.report import tables
from workforce_eval.report.results import Results

LEVELS = ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]
META = {
    "cohort_id": "cut",
    "design": "post_only",
    "disclosure_threshold": 5,
    "minimum_group_base": 1,
    "groups": [{"code": "doctors", "label": "Doctors"}, {"code": "managers", "label": "Managers"}],
    "items": [
        {"id": "q1", "type": "likert", "text": "I can lead", "levels": LEVELS},
        {"id": "q2", "type": "likert", "text": "I feel lost", "levels": LEVELS, "reverse": True},
    ],
}


def _register() -> pd.DataFrame:
    """8 respondents per group; doctors' q1: 5 agree (published 5/8 before), 3 disagree or neutral, whose levels
    are hidden, so the distribution (and with it the collapsed agree bar) is hidden whole."""
    rows = [Row(RESPONSE, RESPONSES, 16, n=16, source="survey")]
    rows += [Row(RESPONSE, RESPONSES, 8, n=8, group=g, source="survey") for g in ("doctors", "managers")]
    for item, fav in (("q1", "agree"), ("q2", "disagree")):
        rows.append(Row(ITEM, PCT_AGREE, 62.5, item=item, group="doctors", n=5, denominator=8))
        for cat, n in (("disagree", 2), ("neutral", 1), ("agree", 5)):
            count = n if fav == "agree" else {"disagree": 5, "agree": 2}.get(cat, n)
            rows.append(
                Row(
                    ITEM,
                    COLLAPSED_PCT,
                    100 * count / 8,
                    item=item,
                    group="doctors",
                    level=cat,
                    n=count,
                    denominator=8,
                    suppressed=True,
                )
            )
        for level, n in zip(LEVELS, (1, 1, 1, 3, 2), strict=True):
            rows.append(
                Row(
                    ITEM,
                    LEVEL_PCT,
                    100 * n / 8,
                    item=item,
                    group="doctors",
                    level=level,
                    n=n,
                    denominator=8,
                    suppressed=True,
                )
            )
    return register.to_frame(rows)


def test_percent_agree_and_the_favourable_bar_are_hidden_together() -> None:
    before = _register()
    after = consistency.align(before, META)
    for item in ("q1", "q2"):
        row = register.one(after, ITEM, PCT_AGREE, item=item, group="doctors")
        assert row is not None and bool(row["suppressed"])
        assert not bool(register.one(before, ITEM, PCT_AGREE, item=item, group="doctors")["suppressed"])
    # nothing else changes, and nothing is un-hidden
    changed = (after["suppressed"] != before["suppressed"]).sum()
    assert changed == 2 and (after["suppressed"] >= before["suppressed"]).all()


def test_the_table_and_the_chart_agree_on_the_group_of_eight(tmp_path: Path) -> None:
    stats = consistency.align(_register(), META)
    res = Results(stats=stats, meta=META, figures=tmp_path, quotes=pd.DataFrame())
    table = tables.items_table(res)
    text = " ".join(map(str, table.to_numpy().ravel()))
    assert "62.5" not in text and "5/8" not in text
    page = figures.likert_figures(stats, from_document(META))[0]
    (ax,) = page.axes
    doctors = [y for y, t in zip(ax.get_yticks(), ax.get_yticklabels(), strict=True) if t.get_text() == "Doctors"]
    assert doctors
    for y in doctors:  # no coloured bar: hidden in the chart as in the table
        bar = [p for p in ax.patches if abs(p.get_y() + p.get_height() / 2 - y) < 1e-9 and p.get_width() > 0]
        assert all(p.get_facecolor()[:3] == (1.0, 1.0, 1.0) for p in bar)
        shown = [t.get_text() for t in ax.texts if abs(t.get_position()[1] - y) < 1e-9]
        assert not any("62" in t or "5/8" in t for t in shown)
