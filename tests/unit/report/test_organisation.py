"""The organisation report's builders, on a hand-made register of two organisations and one withheld."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd

from workforce_eval import register
from workforce_eval.register.rows import Row, to_frame
from workforce_eval.report import organisation as org
from workforce_eval.report.results import OrganisationResults, load_organisations

META = {
    "programme": "Survey",
    "cohort": "2024",
    "disclosure_threshold": 5,
    "reports_by": "organisation",
    "items": [{"id": "recommend", "text": "Would you recommend it?", "type": "yesno", "levels": ["No", "Yes"]}],
}


def results(tmp_path: Path) -> OrganisationResults:
    u = "organisation"
    rows = [
        Row("benchmark", "units", 2, method="count", subgroup=u, source="survey"),
        Row("benchmark", "units_withheld", 1, method="count", subgroup=u, source="survey"),
        Row("benchmark", "responses", 12, n=12, method="count", subgroup=f"{u}=Trust <X>", source="survey"),
        Row("benchmark", "responses", 30, n=30, method="count", subgroup=f"{u}=Trust Y", source="survey"),
        Row("benchmark", "survey_value", 55.0, item="recommend", n=44, subgroup=u, level="pct_yes", source="survey"),
        Row("benchmark", "pct_yes", 75.0, item="recommend", n=12, ci_low=46.8, ci_high=91.1,
            subgroup=f"{u}=Trust <X>", source="survey"),
        Row("benchmark", "difference_peers", 27.5, item="recommend", n=12, denominator=32, ci_low=-2.04,
            ci_high=49.96, level="similar", subgroup=f"{u}=Trust <X>", source="survey"),
        Row("benchmark", "difference_survey", 20.0, item="recommend", n=12, denominator=44, ci_low=-1.5,
            ci_high=36.3, level="similar", subgroup=f"{u}=Trust <X>", source="survey"),
        Row("benchmark", "p_adjusted", 0.0812, item="recommend", n=12, denominator=1, p_value=0.0812,
            method="holm; family benchmark-flags (1 tests); difference_peers", level="similar",
            subgroup=f"{u}=Trust <X>", source="survey"),
    ]  # fmt: skip
    folder = tmp_path / "c" / "organisations"
    folder.mkdir(parents=True, exist_ok=True)
    register.write(to_frame(rows), folder / "statistics.csv")
    units = [{"value": "Trust <X>", "slug": "trust-x"}, {"value": "Trust Y", "slug": "trust-y"}]
    (folder / "units.json").write_text(json.dumps({"units": units}), encoding="utf-8")
    (tmp_path / "c" / "clean").mkdir(exist_ok=True)
    (tmp_path / "c" / "clean" / "cohort.json").write_text(json.dumps(META), encoding="utf-8")
    return load_organisations(tmp_path, "c")


def test_comparison_table_rounds_the_register_and_says_the_flag(tmp_path: Path) -> None:
    res = results(tmp_path)
    table = org.comparison_table(res, "Trust <X>")
    assert isinstance(table, pd.DataFrame)
    row = table.iloc[0].tolist()
    assert row == [
        "Would you recommend it?",
        "% yes",
        "75.0 % (46.8 to 91.1)",
        "55.0 %",
        "27.5 (-2.0 to 50.0)",
        "20.0 (-1.5 to 36.3)",  # issue 21: the difference from the whole survey had no interval
        "Similar",
        "0.081",
    ]  # two organisations: no rank column (issue 21: "Rank 1 of 2" on every row)
    assert list(table.columns)[5:] == [
        "Difference from whole survey (95 % CI)",
        "Compared with the others",
        "p (Holm, over the organisation's items)",
    ]
    # an organisation without rows for the item shows dashes, not someone else's numbers
    other = org.comparison_table(res, "Trust Y").iloc[0].tolist()
    assert other[2] == "–" and other[6] == "–"


def test_overview_counts_withheld_organisations_without_naming_them(tmp_path: Path) -> None:
    res = results(tmp_path)
    assert org.overview_intro(res).startswith(
        "2 organisations have a report of their own. 1 organisation had fewer than 5"
    )
    html = org.units_table_html(res)
    assert "Trust &lt;X&gt;" in html and "<X>" not in html  # names are escaped
    assert 'href="reports/trust-x.html"' in html
    assert html.count("<tr>") == 3  # header and the two reported organisations, nothing for the withheld one


def test_reverse_coded_item_is_marked_and_its_measure_named(tmp_path: Path) -> None:
    """Issue 21: "My organisation would take little notice if I raised a concern. 64.5 %" (the share who
    *disagree*) was printed with no mark and no measure; the row now names both."""
    meta = {
        **META,
        "items": [
            *META["items"],
            {"id": "notice", "text": "My organisation would take little notice if I raised a concern.",
             "type": "likert", "levels": list("12345"), "reverse": True},
            {"id": "valued", "text": "I feel valued.", "type": "likert", "levels": list("12345"), "reverse": False},
        ],
    }  # fmt: skip
    res = results(tmp_path)
    u = "organisation"
    extra = [
        Row("benchmark", "survey_value", 60.0, item=it, n=44, subgroup=u, level="pct_agree", source="survey")
        for it in ("notice", "valued")
    ]
    extra += [
        Row("benchmark", "pct_agree", 64.5, item=it, n=12, ci_low=35.0, ci_high=85.0,
            subgroup=f"{u}=Trust <X>", source="survey")
        for it in ("notice", "valued")
    ]  # fmt: skip
    extra += [
        Row("benchmark", m, 4.5, item=it, n=12, denominator=32, ci_low=-20.0, ci_high=29.0, level="similar",
            subgroup=f"{u}=Trust <X>", source="survey")
        for it in ("notice", "valued")
        for m in ("difference_peers", "difference_survey")
    ]  # fmt: skip
    res = dataclasses.replace(res, stats=register.concat([res.stats, to_frame(extra)]), meta=meta)
    table = org.comparison_table(res, "Trust <X>").set_index("Item")
    notice = "My organisation would take little notice if I raised a concern. (reversed)"
    assert table.loc[notice, "Measure"] == "% disagree (favourable; reversed item)"
    assert table.loc[notice, "Trust <X> (95 % CI)"] == "64.5 % (35.0 to 85.0)"
    assert table.loc["I feel valued.", "Measure"] == "% agree"  # not reversed: neither marked nor relabelled
    assert table.loc["Would you recommend it?", "Measure"] == "% yes"


def test_rank_column_only_where_the_register_ranks_and_the_adjusted_flag_beside_the_flag(tmp_path: Path) -> None:
    res = results(tmp_path)
    u = "organisation"
    extra = [
        Row("benchmark", "rank", 2, item="recommend", denominator=6, subgroup=f"{u}=Trust <X>", source="survey"),
    ]
    stats = register.read(tmp_path / "c" / "organisations" / "statistics.csv")
    stats.loc[register.select(stats, "benchmark", "difference_peers").index, "level"] = "above"
    res = dataclasses.replace(res, stats=pd.concat([stats, to_frame(extra)], ignore_index=True))
    table = org.comparison_table(res, "Trust <X>")
    assert table.columns[-1] == "Rank (1 = most favourable)" and table.iloc[0, -1] == "2 of 6"
    assert org.comparison_caption(res).endswith(", and the rank.")
    assert "rank" not in org.comparison_caption(results(tmp_path / "two"))
    assert table.iloc[0]["Compared with the others"] == "Above; similar after Holm"


def test_the_unit_report_opens_with_a_summary_of_its_comparisons(tmp_path: Path) -> None:
    res = results(tmp_path)
    intro = org.unit_intro(res, "Trust <X>")
    assert (
        "Summary: of the one item compared, Trust <X> is above the other organisations pooled on 0, "
        "similar on 1 and below on 0" in intro
    )
    assert "After Holm adjustment over its one comparison no difference remains." in intro
    stats = res.stats.copy()
    stats.loc[register.select(stats, "benchmark", "p_adjusted").index, "level"] = "below"
    intro = org.unit_intro(dataclasses.replace(res, stats=stats), "Trust <X>")
    assert "it remains below on 1 (Would you recommend it?)." in intro


def test_the_summary_says_nothing_of_adjustment_without_adjusted_p_values(tmp_path: Path) -> None:
    """A register without `p_adjusted` rows: "After Holm adjustment ... no difference remains" would be false."""
    res = results(tmp_path)
    stats = res.stats[res.stats["measure"] != "p_adjusted"].reset_index(drop=True)
    intro = org.unit_intro(dataclasses.replace(res, stats=stats), "Trust <X>")
    assert "Summary: of the one item compared" in intro and "adjustment" not in intro
