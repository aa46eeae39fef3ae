"""Statistics derived from a hidden count are hidden with it (issue 14: an odds ratio of a hidden item)."""

from __future__ import annotations

from pathlib import Path

from workforce_eval import register
from workforce_eval.register import disclosure
from workforce_eval.register.rows import Row
from workforce_eval.report import prepost as report_prepost
from workforce_eval.report.results import Results


def rows(yes_b: int) -> list[Row]:
    out = []
    for group, yes, answered in (("A", 12, 20), ("B", yes_b, 9)):
        out.append(
            Row(
                "item",
                "pct_yes",
                100 * yes / answered,
                item="ok",
                group=group,
                n=yes,
                denominator=answered,
                method="wilson",
                source="survey",
            )
        )
    out.append(
        Row(
            "between_groups",
            "odds_ratio",
            2.5,
            item="ok",
            group="A",
            level="B",
            n=29,
            ci_low=0.5,
            ci_high=9.0,
            p_value=0.03,
            method="fisher",
            source="survey",
        )
    )
    return out


def test_odds_ratio_is_hidden_when_the_item_is_hidden_in_either_group() -> None:
    meta = {
        "groups": [{"code": "A", "label": "A"}, {"code": "B", "label": "B"}],
        "items": [{"id": "ok", "type": "yesno", "levels": ["No", "Yes"]}],
        "disclosure_threshold": 5,
    }
    shown = disclosure.apply(register.to_frame(rows(yes_b=6)), meta, 5)
    assert not bool(register.one(shown, "between_groups", "odds_ratio", item="ok", group="A", level="B").suppressed)
    hidden = disclosure.apply(register.to_frame(rows(yes_b=3)), meta, 5)  # 3 of 9 said yes in B: below 5
    assert bool(register.one(hidden, "item", "pct_yes", item="ok", group="B").suppressed)
    assert bool(register.one(hidden, "between_groups", "odds_ratio", item="ok", group="A", level="B").suppressed)
    res = Results(stats=hidden, meta=meta, quotes=None, figures=Path("figures"))  # type: ignore[arg-type]
    table = report_prepost.between_groups_table(res)
    assert list(table.iloc[0, 2:]) == ["[c]", "–", "–", "–"]  # n, odds ratio, p, adjusted p: all hidden


def model_register(agency: int) -> list[Row]:
    """A model with a dummy for employment=agency, and the breakdown that counts agency staff."""
    rows = [
        Row("breakdown", "responses", agency, n=agency, group="all", subgroup="employment=agency", source="survey"),
        Row("breakdown", "responses", 40, n=40, group="all", subgroup="employment=direct", source="survey"),
    ]
    for term in ("Intercept", "C(employment)[T.agency]", "C(employment, Treatment('direct'))[T.agency]:pos"):
        for measure in ("coefficient", "std_error"):
            rows.append(Row("model", measure, 0.3, item=f"wellbeing:{term}", group="all", n=40 + agency, method="ols"))
    return rows


def test_model_terms_of_a_hidden_level_are_hidden_with_it() -> None:
    """3 agency staff (below 5): their dummy's coefficient compares those 3 people with the rest."""
    meta = {"groups": [], "items": [], "disclosure_threshold": 5}
    hidden = disclosure.apply(register.to_frame(model_register(agency=3)), meta, 5)
    model = hidden[hidden["analysis"] == "model"]
    flagged = dict(zip(model["item"] + "/" + model["measure"], model["suppressed"], strict=True))
    assert flagged == {
        "wellbeing:Intercept/coefficient": False,
        "wellbeing:Intercept/std_error": False,
        "wellbeing:C(employment)[T.agency]/coefficient": True,
        "wellbeing:C(employment)[T.agency]/std_error": True,
        "wellbeing:C(employment, Treatment('direct'))[T.agency]:pos/coefficient": True,
        "wellbeing:C(employment, Treatment('direct'))[T.agency]:pos/std_error": True,
    }
    shown = disclosure.apply(register.to_frame(model_register(agency=12)), meta, 5)
    assert not shown["suppressed"].any()


def test_model_term_levels_are_read_from_patsy_names() -> None:
    assert disclosure.model_term_levels("y:C(pay_band)[T.Band 8a and above]") == [("pay_band", "Band 8a and above")]
    assert disclosure.model_term_levels("y:C(a)[T.x]:C(b)[T.y]") == [("a", "x"), ("b", "y")]
    assert disclosure.model_term_levels("y:pos") == []


def test_change_rows_whose_n_is_the_hidden_linked_count_are_hidden() -> None:
    """Paired t, Wilcoxon and Holm rows of an item rest on its linked n: when that n equals a hidden linked
    count, it states that count, so it is hidden with it; an item with fewer pairs (14) does not."""
    values = {("linked", "all"): 15.0, ("paired", "q1", "all"): 15.0, ("paired", "q2", "all"): 14.0}
    hidden = {("linked", "all")}
    assert disclosure._linked(hidden, values)
    assert hidden == {("linked", "all"), ("paired", "q1", "all")}


def test_a_small_only_before_hides_neither_before_nor_the_change_rows() -> None:
    """17 before, 15 linked, 2 only before: only before is a participation flow, shown (not hidden for
    being small), so neither responses before nor the change rows with n = 15 are hidden for it."""

    def count(measure: str, value: int) -> Row:
        return Row("pre_post", measure, value, n=value, group="all", source="survey", method="count")

    rows = [count("responses_pre", 17), count("linked", 15), count("pre_only", 2)]
    rows += [count("responses_post", 30), count("post_only", 15)]
    for measure in ("mean_change", "paired_t", "p_holm", "p_holm_t", "hl_shift"):
        rows.append(Row("pre_post", measure, 0.5, item="q1", group="all", n=15, p_value=0.01, source="survey"))
    out = disclosure.apply(register.to_frame(rows), {"groups": [], "items": []}, 5)
    hidden = set(out.loc[out["suppressed"], "measure"])
    assert hidden == set()
