"""Secondary suppression of complements (issue 14): pre/post attrition, invited minus responded.

Hand-worked cases: the issue's own example (17 answered before, 15 linked, "only before" 2 shown
as <5 gives 2 back by subtraction) and a roster of 18 invited with 16 counted responses (2 did not
respond). After disclosure control no hidden cell may follow from the published ones.
"""

from __future__ import annotations

import pandas as pd

from workforce_eval import register
from workforce_eval.register import disclosure, measures
from workforce_eval.register.rows import Row

META = {"groups": [], "items": [], "disclosure_threshold": 5}


def count(analysis: str, measure: str, value: int, group: str = "all") -> Row:
    return Row(analysis, measure, value, n=value, group=group, source="survey", method="count")


def attrition(pre: int, linked: int, post: int) -> list[Row]:
    return [
        count("pre_post", "responses_pre", pre),
        count("pre_post", "responses_post", post),
        count("pre_post", "linked", linked),
        count("pre_post", "pre_only", pre - linked),
        count("pre_post", "post_only", post - linked),
    ]


def shown_and_hidden(reg: pd.DataFrame) -> tuple[set, set]:
    """Cells of the published rows, and cells only suppressed rows state."""
    shown, hidden = set(), set()
    for row in reg.to_dict("records"):
        for cell in measures.row_cells(row, {}):
            if cell is not None:
                (hidden if row["suppressed"] else shown).add(cell)
    return shown, hidden - shown


def test_only_before_cannot_be_recovered_from_before_and_linked() -> None:
    reg = disclosure.apply(register.to_frame(attrition(pre=17, linked=15, post=20)), META, 5)
    flags = dict(zip(reg["measure"], reg["suppressed"], strict=True))
    assert flags["pre_only"]  # 2: primary
    assert flags["responses_pre"] or flags["linked"]  # one more, else 17 - 15 = 2
    shown, hidden = shown_and_hidden(reg)
    rels = measures.relations(shown | hidden, META)
    assert not set(disclosure.recoverable(shown, rels)) & hidden


def test_without_the_complement_relations_the_intruder_recovers_only_before() -> None:
    """The checker can fail: with only the primary suppression, 17 - 15 gives the hidden 2 back."""
    reg = register.to_frame(attrition(pre=17, linked=15, post=20))
    reg["suppressed"] = reg["measure"] == "pre_only"
    shown, hidden = shown_and_hidden(reg)
    assert disclosure.recoverable(shown, measures.relations(shown | hidden, META)) == [("pre_only", "all")]


def test_nothing_is_hidden_when_every_complement_is_large() -> None:
    reg = disclosure.apply(register.to_frame(attrition(pre=30, linked=20, post=28)), META, 5)
    assert not reg["suppressed"].any()


def test_two_who_did_not_respond_are_protected() -> None:
    """18 invited, 16 counted (none anonymous): 18 - 16 = 2 non-respondents, a complement no row shows."""
    rows = [
        count("response", "invited", 18),
        count("response", "responses", 16),
        count("response", "counted_responses", 16),
        count("response", "uninvited_responses", 0),
        count("response", "anonymous_responses", 0),
    ]
    reg = disclosure.apply(register.to_frame(rows), META, 5)
    assert reg["suppressed"].any()
    shown, _ = shown_and_hidden(reg)
    values = disclosure.cell_values(register.to_frame(rows), {})
    assert measures.complements(values)[("nonresponse",)] == 2
    rels = measures.relations(set(values) | {("invited_responded",), ("nonresponse",)}, META)
    assert ("nonresponse",) not in disclosure.recoverable(shown, rels)
    # and with nothing hidden the intruder gets it: 18 - (16 - 0)
    assert ("nonresponse",) in disclosure.recoverable(set(values), rels)


def test_twenty_who_did_not_respond_are_not_protected() -> None:
    rows = [count("response", "invited", 40), count("response", "counted_responses", 20)]
    rows += [count("response", "anonymous_responses", 0), count("response", "responses", 20)]
    rows += [count("response", "uninvited_responses", 0)]
    assert not disclosure.apply(register.to_frame(rows), META, 5)["suppressed"].any()


def test_a_cell_known_elsewhere_is_never_chosen_to_protect_another() -> None:
    """A cell published elsewhere (a programme's pooled count all of whose cohort counts are shown) is
    known: hiding it protects nothing. With "before" known, "only before" is protected by hiding the
    linked count instead (the programme leak the intruder test found: a pooled linked count hidden,
    yet the sum of the cohorts' shown linked counts)."""
    rows = attrition(pre=17, linked=15, post=40)
    plain = disclosure.apply(register.to_frame(rows), META, 5)
    known = disclosure.apply(register.to_frame(rows), META, 5, frozenset({("pre", "all")}))
    flags = dict(zip(known["measure"], known["suppressed"], strict=True))
    assert flags["pre_only"] and flags["linked"] and not flags["responses_pre"]
    assert dict(zip(plain["measure"], plain["suppressed"], strict=True))["responses_pre"]
