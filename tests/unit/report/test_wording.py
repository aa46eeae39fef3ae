"""Wording from the design and the scale (issue 21, part 2): on hand-built cohorts, each sentence, label and
section must be true for every cohort it can be generated for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from matplotlib.text import Text

from workforce_eval import names, register
from workforce_eval.errors import InputError
from workforce_eval.figures import cohort as cohort_figures
from workforce_eval.figures import prepost as prepost_figures
from workforce_eval.inputs import metadata
from workforce_eval.inputs.clean import items_json
from workforce_eval.inputs.spec import load_instrument
from workforce_eval.register.rows import Row
from workforce_eval.report import prepost as prepost_report
from workforce_eval.report import sections, structure, tables
from workforce_eval.report.results import Results
from workforce_eval.synthetic import leeds

AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
OFTEN = ["Never", "Rarely", "Sometimes", "Often", "Always"]
SATISFIED = ["Very dissatisfied", "Dissatisfied", "Neither", "Satisfied", "Very satisfied"]


def item(iid: str, levels: list[str], **kw: Any) -> dict[str, Any]:
    return {"id": iid, "text": f"Item {iid}", "type": "likert", "levels": levels, "scale": iid, **kw}


def results(meta: dict[str, Any], *rows: Row) -> Results:
    stats = register.to_frame([Row("response", "responses", 30, n=30, source="survey"), *rows])
    full = {"groups": [], "codebook": [], **meta}
    return Results(stats=stats, meta=full, figures=Path("."), quotes=pd.DataFrame())


def test_the_top_box_label_and_title_come_from_the_scale() -> None:
    meta = {
        "design": "cross_sectional",
        "items": [item("ag", AGREE), item("fr", OFTEN), item("sa", SATISFIED), item("nr", ["1", "2", "3", "4"])],
    }
    res = results(
        meta, *(Row("item", "pct_agree", 50.0, item=i, n=15, denominator=30) for i in ("ag", "fr", "sa", "nr"))
    )
    measures = list(tables.items_table(res)["Measure"])
    # naive: every likert item "% agree"
    assert measures[::2] == ["% agree", "% Often or Always", "% satisfied", "% 3 or 4"]
    cohort = res.cohort
    assert [i.meaning for i in cohort.items] == ["agreement", "frequency", "satisfaction", "rating"]
    assert metadata.title_for(cohort.items[:1]) == "Agreement with survey statements"
    assert metadata.title_for(cohort.items[1:2]) == "How often, by survey question"
    # a chart of several kinds of scale is not titled "Agreement"
    assert metadata.title_for(cohort.items) == "Answers to survey questions"


def test_a_declared_meaning_wins_over_the_inferred_one() -> None:
    cohort = metadata.from_document({"items": [item("x", ["Low", "Mid", "High"], meaning="frequency")]})
    assert cohort.items[0].meaning == "frequency"
    assert cohort.items[0].top_box_label == "% Mid or High"


@pytest.mark.parametrize("design", ["post_only", "pre_post", "cross_sectional"])
def test_design_limitations_are_true_for_the_design(design: str) -> None:
    text = " ".join(structure.design_limitations(results({"design": design, "items": [item("ag", AGREE)]})))
    # naive: a cross-sectional staff survey was told its results "describe views after the programme"
    assert ("after the programme" in text) == (design == "post_only")
    if design == "cross_sectional":
        assert "no comparison group of people who did not take part" not in text
        assert "describes staff views at that time" in text


def test_a_survey_only_cohort_has_no_qualitative_section_and_no_qualitative_figures() -> None:
    survey_only = results({"design": "cross_sectional", "items": [item("ag", AGREE)]})
    keys = [s.key for s in sections.COHORT.present(survey_only)]
    assert "qualitative" not in keys and "themes" not in keys
    coded = results(
        {"design": "cross_sectional", "items": [item("ag", AGREE)], "codebook": [{"id": "t", "label": "T"}]}
    )
    assert "qualitative" in [s.key for s in sections.COHORT.present(coded)]
    assert names.qualitative_figures(segments=False) == []
    assert names.qualitative_figures(segments=True) == list(names.QUALITATIVE_FIGURE_NAMES)


def _instrument(tmp_path: Path, items: list[dict[str, Any]], scales: dict[str, Any] | None = None) -> Path:
    path = tmp_path / "instrument.yaml"
    doc = {"scales": scales or {"agree5": {"levels": AGREE}, "yesno": {"levels": ["No", "Yes"]}}, "items": items}
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


def test_favourable_and_meaning_are_validated_and_carried_into_cohort_json(tmp_path: Path) -> None:
    path = _instrument(
        tmp_path,
        [
            {"id": "harm", "type": "yesno", "scale": "yesno", "favourable": "low"},
            {"id": "ag", "type": "likert", "scale": "agree5"},
        ],
        {"agree5": {"levels": AGREE, "meaning": "agreement"}, "yesno": {"levels": ["No", "Yes"]}},
    )
    out = items_json(load_instrument(path))
    assert out[0]["favourable"] == "low" and "meaning" not in out[0]
    # nothing declared: no new key, so cohort.json is unchanged for instruments without them
    assert "favourable" not in out[1] and out[1]["meaning"] == "agreement"
    cohort = metadata.from_document({"items": out})
    assert [i.favourable_high for i in cohort.items] == [False, True]


def test_a_scale_may_declare_the_favourable_end_for_its_items(tmp_path: Path) -> None:
    path = _instrument(
        tmp_path,
        [{"id": "tired", "type": "likert", "scale": "often"}],
        {"often": {"levels": OFTEN, "favourable": "low"}},
    )
    assert items_json(load_instrument(path))[0]["favourable"] == "low"


@pytest.mark.parametrize(
    ("spec", "found"),
    [
        ({"id": "x", "type": "yesno", "scale": "yesno", "favourable": "sideways"}, "sideways"),
        ({"id": "x", "type": "likert", "scale": "agree5", "reverse": True, "favourable": "low"}, "low"),
    ],
)
def test_a_bad_favourable_is_one_input_error_naming_the_key(tmp_path: Path, spec: dict[str, Any], found: str) -> None:
    with pytest.raises(InputError) as err:
        load_instrument(_instrument(tmp_path, [spec]))
    assert "favourable" in str(err.value) and found in str(err.value)


def test_the_bundled_leeds_instrument_says_a_yes_to_discrimination_is_unfavourable() -> None:
    by_id = {i["id"]: i for i in leeds.instrument_yaml()["items"]}
    assert by_id["discrimination"]["favourable"] == "low"
    assert by_id["intend_leave"]["favourable"] == "low"
    bundled = Path(__file__).resolve().parents[3] / "data" / "raw" / "leeds-2022" / "instrument.yaml"
    written = {i["id"]: i for i in yaml.safe_load(bundled.read_text(encoding="utf-8"))["items"]}
    assert written["discrimination"]["favourable"] == "low"


def test_methods_and_change_panels_name_the_scale_meaning() -> None:
    frequency = results({"design": "pre_post", "items": [item("fr", OFTEN)]})
    assert structure.scales_sentences(frequency.cohort)[0].startswith("Scale fr (how often): 5 answer levels")
    # the change figures' panel: "Agreement items" only when every likert item is on an agreement scale
    assert prepost_figures.likert_noun(frequency.meta) == "Survey items"
    assert prepost_figures.likert_noun({"items": [item("ag", AGREE)]}) == "Agreement items"


def test_the_likert_figure_of_a_frequency_scale_is_not_worded_as_agreement() -> None:
    often = metadata.from_document({"design": "cross_sectional", "items": [item("fr", OFTEN), item("fr2", OFTEN)]})
    agree = metadata.from_document({"design": "cross_sectional", "items": [item("ag", AGREE)]})
    assert cohort_figures.collapsed_labels(often.likert_items)["agree"].startswith("Upper side")
    assert cohort_figures.collapsed_labels(agree.likert_items)["agree"].startswith("Agree side")
    stats = register.to_frame([Row("response", "responses", 30, n=30, source="survey")])
    (figure,) = cohort_figures.likert_figures(stats, often)
    texts = [t.get_text() for t in figure.findobj(Text)]
    assert any(t.startswith("How often, by survey question") for t in texts)
    assert not any("agree" in t.lower() for t in texts)


def test_the_change_methods_say_which_way_is_better_for_a_favourable_low_item() -> None:
    overtime = {"id": "ot", "text": "Hours of overtime a week", "type": "numeric", "favourable": "low"}
    res = results({"design": "pre_post", "items": [item("ag", AGREE), overtime]})
    text = prepost_report.methods_text(res)
    # naive: "a positive change is an improvement" for every item
    assert "For “Hours of overtime a week”, whose favourable end is low" in text
    assert "a positive change is a worsening" in text
    assert "favourable end is low" not in prepost_report.methods_text(
        results({"design": "pre_post", "items": [item("ag", AGREE)]})
    )
