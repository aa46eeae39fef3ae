"""Saturation: new codes per interview in interview order, and a statement by Guest, Namey and Chen's rule.

Guest G, Namey E, Chen M (2020). A simple method to assess and report thematic saturation in
qualitative research. PLoS ONE 15(5): e0232076. Their rule, as applied here: the *base* is the
codes of the first `base` interviews; a *run* is the next `run` interviews; the new information of
a run is the number of codes it holds that no earlier interview held, as a percent of the base's
codes. Runs start after base, base + 1, ... interviews; saturation is reached after the number of
interviews preceding the first run whose new information is at or below `threshold` percent.

Interview order: the segments' `order` (an interview's position; unnumbered interviews after the
numbered ones, by document id), else their `date` (ties and undated interviews after the dated
ones, by document id), else the order in which documents first appear in segments.csv; the
`method` column says which. Rows (`source` = `interview`, `group` = `all`, `level` = position):
`new_codes` and `cumulative_codes` per interview, `new_information` per run start,
`saturation_point` (when reached) and `saturation_reached` (1/0); `n` is the number of interviews
ordered (the counts are of codes, not people: disclosure control hides the rows only when the
interviews themselves are fewer than the threshold).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from workforce_eval.register import measures as m
from workforce_eval.register.rows import Row, to_frame

ANALYSIS = "saturation"


@dataclass(frozen=True)
class Rule:
    """Parameters of Guest, Namey and Chen's (2020) rule (their defaults: base 4, run 2, threshold 5 %)."""

    base: int = 4
    run: int = 2
    threshold: float = 5.0

    @property
    def text(self) -> str:
        return f"Guest, Namey and Chen 2020: base {self.base}, run {self.run}, threshold {self.threshold:g}%"


def interview_order(segments: pd.DataFrame) -> tuple[list[str], str]:
    """(interview document ids in order, how the order was found: `order`, `date` or `document order`)."""
    interviews = segments[segments["source"] == "interview"]
    first_seen = list(dict.fromkeys(interviews["document_id"].astype(str)))
    if "order" in interviews and interviews["order"].notna().any():
        position = interviews.groupby("document_id")["order"].first()
        return sorted(first_seen, key=lambda d: (pd.isna(position.get(d)), _number(position.get(d)), d)), "order"
    if "date" not in interviews or interviews["date"].isna().all():
        return first_seen, "document order"
    dates = interviews.groupby("document_id")["date"].first()
    keyed = sorted(first_seen, key=lambda d: (pd.isna(dates.get(d)), str(dates.get(d) or ""), d))
    return keyed, "date"


def _number(value: object) -> int:
    return 0 if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


def new_information(code_sets: list[set[str]], rule: Rule) -> list[tuple[int, float]]:
    """(interviews before the run, new information in percent) for every complete run after the base."""
    base_codes = set().union(*code_sets[: rule.base]) if code_sets else set()
    if len(code_sets) < rule.base + rule.run or not base_codes:
        return []
    out = []
    for start in range(rule.base, len(code_sets) - rule.run + 1):
        seen = set().union(*code_sets[:start])
        new = set().union(*code_sets[start : start + rule.run]) - seen
        out.append((start, 100.0 * len(new) / len(base_codes)))
    return out


def saturation_rows(meta: dict[str, Any], segments: pd.DataFrame, rule: Rule) -> pd.DataFrame:
    """Register rows of the saturation family; none without interviews."""
    order, how = interview_order(segments)
    if not order:
        return to_frame([])
    interviews = segments[segments["source"] == "interview"]
    codes_of: dict[str, set[str]] = {}
    for doc, code in interviews[["document_id", "code"]].itertuples(index=False):
        codes_of.setdefault(str(doc), set()).add(str(code))
    code_sets = [codes_of[d] for d in order]
    method = f"order: {how}"
    rows: list[Row] = []
    seen: set[str] = set()
    for position, codes in enumerate(code_sets, start=1):
        new = codes - seen
        seen |= codes
        rows.append(_row(m.NEW_CODES, len(new), position, len(order), method))
        rows.append(_row(m.CUMULATIVE_CODES, len(seen), position, len(order), method))
    runs = new_information(code_sets, rule)
    for start, pct in runs:
        rows.append(_row(m.NEW_INFORMATION, pct, start, len(order), f"{method}; {rule.text}"))
    reached = next((start for start, pct in runs if pct <= rule.threshold), None)
    if reached is not None:
        rows.append(_row(m.SATURATION_POINT, reached, None, len(order), f"{method}; {rule.text}"))
    rows.append(_row(m.SATURATION_REACHED, int(reached is not None), None, len(order), f"{method}; {rule.text}"))
    return to_frame(rows)


def _row(measure: str, estimate: float, position: int | None, interviews: int, method: str) -> Row:
    """A saturation row; `n` is the number of interviews ordered (the counts are of codes, not people)."""
    level = "" if position is None else str(position)
    return Row(ANALYSIS, measure, estimate, group="all", source="interview", level=level, n=interviews, method=method)
