"""Secondary suppression of complements (issue 14): pre/post attrition, invited minus responded.

Hand-worked cases: the issue's own example (17 answered before, 15 linked, "only before" 2: a
participation flow, now shown rather than hidden), a small linked count protected from
before - only before, and a roster of 18 invited with 16 counted responses (2 did not respond).
After disclosure control no hidden cell may follow from the published ones.
"""

from __future__ import annotations

import pandas as pd

from workforce_eval import register
from workforce_eval.register import cells as register_cells
from workforce_eval.register import disclosure
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
        for cell in register_cells.row_cells(row, {}):
            if cell is not None:
                (hidden if row["suppressed"] else shown).add(cell)
    return shown, hidden - shown


def test_a_small_only_before_is_shown_as_a_participation_flow() -> None:
    """17 before, 15 linked: the 2 who answered only before are shown, not hidden (a participation flow,
    `register_cells.PARTICIPATION_FLOWS`), so there is no "<5" to recover by 17 - 15 and nothing else is lost."""
    reg = disclosure.apply(register.to_frame(attrition(pre=17, linked=15, post=20)), META, 5)
    assert not reg["suppressed"].any()


def test_a_small_linked_count_cannot_be_recovered_from_before_and_only_before() -> None:
    """3 linked of 17 before and 40 after (k = 5): linked is hidden, and so is one more cell of each of
    before = linked + only before (17 = 3 + 14) and after = linked + only after (40 = 3 + 37)."""
    reg = disclosure.apply(register.to_frame(attrition(pre=17, linked=3, post=40)), META, 5)
    flags = dict(zip(reg["measure"], reg["suppressed"], strict=True))
    assert flags["linked"]
    assert flags["responses_pre"] or flags["pre_only"]
    assert flags["responses_post"] or flags["post_only"]
    shown, hidden = shown_and_hidden(reg)
    rels = register_cells.relations(shown | hidden, META)
    assert not set(disclosure.recoverable(shown, rels)) & hidden


def test_without_the_complement_relations_the_intruder_recovers_only_before() -> None:
    """The checker can fail: with only the primary suppression, 17 - 15 gives the hidden 2 back."""
    reg = register.to_frame(attrition(pre=17, linked=15, post=20))
    reg["suppressed"] = reg["measure"] == "pre_only"
    shown, hidden = shown_and_hidden(reg)
    assert disclosure.recoverable(shown, register_cells.relations(shown | hidden, META)) == [("pre_only", "all")]


def test_nothing_is_hidden_when_every_complement_is_large() -> None:
    reg = disclosure.apply(register.to_frame(attrition(pre=30, linked=20, post=28)), META, 5)
    assert not reg["suppressed"].any()


def test_two_who_did_not_respond_are_a_participation_flow() -> None:
    """18 invited, 16 counted (none anonymous): 18 - 16 = 2 non-respondents, a complement no row shows;
    taking part or not is a participation flow, not hidden for being small, so nothing is suppressed."""
    rows = [
        count("response", "invited", 18),
        count("response", "responses", 16),
        count("response", "counted_responses", 16),
        count("response", "uninvited_responses", 0),
        count("response", "anonymous_responses", 0),
    ]
    reg = disclosure.apply(register.to_frame(rows), META, 5)
    assert not reg["suppressed"].any()
    values = disclosure.cell_values(register.to_frame(rows), {})
    assert register_cells.complements(values)[("nonresponse",)] == 2
    rels = register_cells.relations(set(values) | {("invited_responded",), ("nonresponse",)}, META)
    assert ("nonresponse",) in disclosure.recoverable(set(values), rels)  # the intruder reads it: 18 - 16


def test_twenty_who_did_not_respond_are_not_protected() -> None:
    rows = [count("response", "invited", 40), count("response", "counted_responses", 20)]
    rows += [count("response", "anonymous_responses", 0), count("response", "responses", 20)]
    rows += [count("response", "uninvited_responses", 0)]
    assert not disclosure.apply(register.to_frame(rows), META, 5)["suppressed"].any()


def test_a_cell_known_elsewhere_is_never_chosen_to_protect_another() -> None:
    """A cell published elsewhere (a programme's pooled count all of whose cohort counts are shown) is
    known: hiding it protects nothing. Left alone, the 3 linked are protected by hiding only before and
    only after; with those two known, before and after are hidden instead."""
    rows = attrition(pre=17, linked=3, post=40)
    plain = dict(zip(*[disclosure.apply(register.to_frame(rows), META, 5)[c] for c in ("measure", "suppressed")]))
    known = disclosure.apply(register.to_frame(rows), META, 5, frozenset({("pre_only", "all"), ("post_only", "all")}))
    flags = dict(zip(known["measure"], known["suppressed"], strict=True))
    assert plain["pre_only"] and plain["post_only"] and not plain["responses_pre"]
    assert flags["linked"] and flags["responses_pre"] and flags["responses_post"]
    assert not flags["pre_only"] and not flags["post_only"]
