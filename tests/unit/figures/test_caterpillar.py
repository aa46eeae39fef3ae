"""The organisation overview's caterpillar plot shows each panel against its whole scale (issue 21: an axis of 3.45
to 3.80 on a 1 to 5 scale made two similar organisations look far apart)."""

from __future__ import annotations

from workforce_eval.figures import benchmarking
from workforce_eval.inputs.metadata import from_document
from workforce_eval.register.rows import Row, to_frame

AGREE = ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]
META = {
    "cohort_id": "x",
    "groups": [],
    "disclosure_threshold": 5,
    "items": [
        {"id": "v1", "text": "I feel valued.", "type": "likert", "levels": AGREE, "construct": "engagement"},
        {"id": "v2", "text": "I am proud.", "type": "likert", "levels": AGREE, "construct": "engagement"},
        {"id": "years", "text": "Years here", "type": "numeric"},
    ],
}


def _rows(item: str, measure: str, values: list[float], half: float) -> list[Row]:
    return [
        Row("benchmark", measure, v, item=item, n=30, ci_low=v - half, ci_high=v + half,
            subgroup=f"organisation=T{i}", source="survey")
        for i, v in enumerate(values)
    ]  # fmt: skip


def test_a_mean_panel_spans_its_scale_and_a_share_panel_0_to_100() -> None:
    cohort = from_document(META)
    rows = _rows("engagement", "mean", [3.45, 3.62, 3.80], 0.1)
    fig = benchmarking.caterpillar_figure(to_frame(rows), cohort)
    low, high = fig.axes[0].get_ylim()
    assert low <= 1.0 and high >= 5.0 and high < 5.2  # the 1-5 scale of the construct's items, little more
    assert benchmarking.value_range(cohort, "v1", "pct_agree", to_frame(rows)) == (0.0, 100.0)
    assert benchmarking.value_range(cohort, "v1", "mean", to_frame(rows)) == (1.0, 5.0)
    years = to_frame(_rows("years", "mean", [4.0, 9.0], 2.5))
    assert benchmarking.value_range(cohort, "years", "mean", years) == (0.0, 11.5)  # from 0 to the top bound
