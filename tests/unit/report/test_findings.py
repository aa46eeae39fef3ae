"""Key findings (report.findings) on hand-made registers: each rule, the order, and no suppressed value."""

from __future__ import annotations

import math
from typing import Any

from workforce_eval import register
from workforce_eval.inputs import metadata
from workforce_eval.register.rows import Row
from workforce_eval.report import findings


def wilson(k: int, n: int) -> tuple[float, float]:
    """Wilson 95 % interval in percent (Wilson 1927; as R's prop.test(k, n, correct = FALSE)$conf.int)."""
    z = 1.959963984540054
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return 100 * (centre - half), 100 * (centre + half)


def share(analysis: str, measure: str, k: int, n: int, *, suppressed: bool = False, **kw: Any) -> Row:
    low, high = wilson(k, n)
    return Row(
        analysis,
        measure,
        100 * k / n,
        n=k,
        denominator=n,
        ci_low=low,
        ci_high=high,
        method="wilson",
        suppressed=suppressed,
        **kw,
    )


META: dict[str, Any] = {
    "design": "post_only",
    "groups": [{"code": "A", "label": "Doctors"}, {"code": "B", "label": "Managers"}],
    "items": [
        {"id": "rec", "text": "Would you recommend it?", "type": "yesno", "levels": ["No", "Yes"]},
        {"id": "trust", "text": "I trusted my partner.", "type": "likert", "levels": list("12345")},
        {"id": "depth", "text": "I felt out of my depth.", "type": "likert", "levels": list("12345"), "reverse": True},
        {"id": "note", "text": "Anything else?", "type": "free_text"},
    ],
    "codebook": [
        {"id": "t1", "label": "Relationships", "subthemes": []},
        {"id": "t2", "label": "Learning", "subthemes": []},
        {"id": "t3", "label": "Time", "subthemes": []},
    ],
}


def rows() -> list[Row]:
    return [
        share("response", "response_rate", 26, 53, source="survey"),
        Row("response", "responses", 26, n=26, method="count", source="survey"),
        share("composition", "share", 9, 26, group="A", source="survey"),
        share("composition", "share", 17, 26, group="B", source="survey"),
        share("item", "pct_yes", 23, 26, item="rec", source="survey"),
        share("item", "pct_agree", 20, 25, item="trust", source="survey"),
        share("item", "pct_agree", 10, 25, item="depth", source="survey"),
        share("theme", "pct_participants", 6, 9, item="t1", source="all"),
        share("theme", "pct_participants", 2, 9, item="t2", source="all", suppressed=True),
        share("theme", "pct_participants", 4, 9, item="t3", source="all"),
    ]


def test_post_only_findings_in_rule_order_with_numbers_n_and_intervals() -> None:
    out = findings.key_findings(register.to_frame(rows()), metadata.from_document(META))
    # R: prop.test(26, 53, correct = FALSE)$conf.int = 0.3613 0.6212
    assert out[0] == ("26 of 53 invited people answered the survey, a response rate of 49.1 % (95 % CI 36.1–62.1 %).")
    lo, hi = wilson(17, 26)
    assert (
        out[1] == f"The largest group among respondents was Managers (65.4 %, 17 of 26; 95 % CI {lo:.1f}–{hi:.1f} %)."
    )
    lo, hi = wilson(23, 26)  # 88.5 % is the highest item share
    assert out[2] == (
        "The most favourable answers were given to “Would you recommend it?”: 88.5 % answered yes "
        f"(23 of 26; 95 % CI {lo:.1f}–{hi:.1f} %)."
    )
    assert out[3].startswith("The least favourable answers were given to “I felt out of my depth.” (reversed): 40.0 %")
    # themes: t1 (6 of 9) then t3 (4 of 9); t2 is suppressed and never used, even though 2 < 4
    lo, hi = wilson(6, 9)
    assert out[4] == (
        "The theme raised by most participants was “Relationships”: 6 of 9 participants with coded data "
        f"(66.7 %; 95 % CI {lo:.1f}–{hi:.1f} %)."
    )
    assert out[5].startswith("It was followed by “Time”: 4 of 9 participants")
    assert len(out) == 6
    assert not any("Learning" in s or "22.2" in s for s in out)


def test_no_rate_without_invited_count_and_suppressed_rows_give_no_sentence() -> None:
    kept = [r for r in rows() if r.measure != "response_rate"]
    kept = [Row(**{**r.__dict__, "suppressed": True}) if r.measure == "share" else r for r in kept]
    out = findings.key_findings(register.to_frame(kept), metadata.from_document(META))
    assert out[0].startswith("The survey received 26 responses; the number of people invited is not known")
    assert not any("largest group" in s for s in out)


def test_change_findings_for_pre_post() -> None:
    meta = {**META, "design": "pre_post"}
    meta["items"] = [
        {"id": "x1", "text": "I lead.", "type": "likert", "levels": list("12345"), "construct": "prep"},
        {"id": "x2", "text": "I decide.", "type": "likert", "levels": list("12345"), "construct": "prep"},
    ]
    reg = rows() + [
        Row("pre_post", "paired_t", 0.8, item="x1", n=15, ci_low=0.43, ci_high=1.17, source="survey"),
        Row("pre_post", "paired_t", -0.1, item="x2", n=14, ci_low=-0.5, ci_high=0.3, source="survey"),
        Row("pre_post", "paired_t", 0.35, item="prep", n=15, ci_low=0.1, ci_high=0.6, source="survey"),
        Row("pre_post", "p_holm_t", 0.012, item="prep", source="survey"),
    ]
    out = findings.change_findings(register.to_frame(reg), metadata.from_document(meta))
    # the scale comes first when there is one (rule 5), whatever the items' changes
    assert out[0] == (
        "The largest change from before to after the programme was in Prep (scale score): the mean rose by 0.35 "
        "points (n = 15 linked participants; 95 % CI 0.10–0.60; Holm-adjusted paired t p = 0.012)."
    )
    # x1's interval lies above zero, x2's spans it; neither has an adjusted p, so neither is called a change
    # (the adjusted rule itself: test_findings_truth.py)
    assert out[1].startswith("Of the 2 items tested, 0 improved and 0 worsened with a Holm-adjusted paired t p")
    assert (
        findings.change_findings(register.to_frame(reg), metadata.from_document(META)) == []
    )  # post-only: no change rule
