"""Families of tests, declared once per report section, and their adjusted p-values as register rows.

A family is every test one report section shows: its p-values are adjusted together by the configured method
(`multiplicity:` in config/config.yaml; Holm by default, Benjamini-Hochberg with `fdr_bh`; `stats.multiplicity`).
A family may be split by a register column (e.g. `group`: each group's table is a family of its own).

Each adjusted p is a `p_adjusted` row of the tested row's analysis, beside it: the tested row's keys (item,
group, source, level, subgroup; in a programme register the same cohort), `estimate` and `p_value` the adjusted p,
`n` the tested row's n, `denominator` the number of tests in the family, and `method` naming the adjustment, the
family and the tested measure, e.g. `holm; family later-cohorts (24 tests); change_vs_first`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal, TypeVar

from workforce_eval.register.measures import (
    BENCHMARK,
    BETWEEN_GROUPS,
    CHANGE_VS_FIRST,
    DIFFERENCE_PEERS,
    HETEROGENEITY,
    ODDS_RATIO,
    P_ADJUSTED,
    PRE_POST,
    Q_HETEROGENEITY,
    RANK_BISERIAL,
)
from workforce_eval.register.rows import Row
from workforce_eval.stats import multiplicity

Report = Literal["cohort", "programme", "organisation"]
T = TypeVar("T")


@dataclass(frozen=True)
class Family:
    """The tests of one report section that are adjusted together."""

    key: str
    report: Report
    section: str  # the section's key in `report.sections`
    analysis: str
    measures: tuple[str, ...]
    split_by: Literal["group", "subgroup"] | None
    description: str


#: The keys of the declared families.
GROUP_COMPARISONS, LATER_COHORTS, BENCHMARK_FLAGS = "group-comparisons", "later-cohorts", "benchmark-flags"

FAMILIES: tuple[Family, ...] = (
    Family(
        GROUP_COMPARISONS,
        "cohort",
        "change",
        BETWEEN_GROUPS,
        (RANK_BISERIAL, ODDS_RATIO),
        None,
        "every comparison of two groups after the programme (Mann-Whitney and Fisher's exact tests)",
    ),
    Family(
        LATER_COHORTS,
        "programme",
        "later-cohorts",
        PRE_POST,
        (CHANGE_VS_FIRST, HETEROGENEITY, Q_HETEROGENEITY),
        "group",
        "the comparisons of cohorts in each group (each later cohort against the first: Welch t tests; whether "
        "the changes differ across cohorts: Kruskal-Wallis and Cochran's Q tests)",
    ),
    Family(
        BENCHMARK_FLAGS,
        "organisation",
        "comparison",
        BENCHMARK,
        (DIFFERENCE_PEERS,),
        "subgroup",
        "an organisation's differences from the other organisations on every item (Welch t tests for means, "
        "score tests for percentages)",
    ),
)


def family(key: str) -> Family:
    """The declared family of that key."""
    for f in FAMILIES:
        if f.key == key:
            return f
    raise KeyError(f"no family of tests {key!r}; declared: {', '.join(f.key for f in FAMILIES)}")


def method_text(fam: Family, method: str, size: int, measure: str) -> str:
    """The `method` of a `p_adjusted` row."""
    return f"{method}; family {fam.key} ({size} tests); {measure}"


def adjusted(fam: Family, tested: Sequence[tuple[T, Row]], method: str) -> list[tuple[T, Row]]:
    """The `p_adjusted` rows of the family's tests among `tested` ((tag, row) pairs, e.g. the cohort of a programme
    row), in the order of the tested rows; tests without a p-value are not counted."""
    multiplicity.check(method)
    members = [
        (tag, row)
        for tag, row in tested
        if row.analysis == fam.analysis and row.measure in fam.measures and row.p_value is not None
    ]
    parts: dict[str, list[tuple[T, Row]]] = {}
    for tag, row in members:
        parts.setdefault(getattr(row, fam.split_by) if fam.split_by else "", []).append((tag, row))
    done: dict[int, tuple[T, Row]] = {}
    for part in parts.values():
        values = multiplicity.adjust([row.p_value for _, row in part], method)
        size = sum(p is not None for p in values)
        for (tag, row), p in zip(part, values, strict=True):
            if p is None:
                continue
            done[id(row)] = (
                tag,
                Row(
                    row.analysis,
                    P_ADJUSTED,
                    p,
                    item=row.item,
                    group=row.group,
                    source=row.source,
                    n=row.n,
                    denominator=size,
                    p_value=p,
                    method=method_text(fam, method, size, row.measure),
                    level=row.level,
                    subgroup=row.subgroup,
                ),
            )
    return [done[id(row)] for _, row in members if id(row) in done]


def adjusted_rows(fam: Family, tested: Sequence[Row], method: str) -> list[Row]:
    """`adjusted` for plain rows."""
    return [row for _, row in adjusted(fam, [(None, r) for r in tested], method)]


def with_flag(row: Row, flag: str) -> Row:
    """A `p_adjusted` row carrying a flag in `level` (the benchmark's flag after adjustment)."""
    return replace(row, level=flag)
