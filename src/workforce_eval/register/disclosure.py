"""Disclosure control of the statistics register: small counts, and what could reveal them, are flagged.

A register row is `suppressed` when a count it shows or rests on is hidden. k is the cohort's
threshold (`disclosure_threshold` in cohort.json: the project default of config/config.yaml
unless cohort.yaml sets its own). Numbers stay unrounded in statistics.csv (the auditor's file);
reports and figures show "[c]" for every hidden number, small or hidden only to protect another
(`notation.display_count`: one symbol, so that it bounds nothing).

Counts are modelled as *cells* (a row's numerator and denominator: the n of a share, the number
who answered an item, the base of a theme percentage), linked by additive relations (total = sum of
parts): which cells each measure has is the measure catalogue's (`register.measures`), the cells of a
row and the relations are in `register.cells`, whose table of the relations, generated from that code
(`cells.markdown_table`), is in docs/data-contract.md. Complements no row shows (`cells.COMPLEMENTS`,
e.g. invited = those who responded + `nonresponse`) are protected but never hidden to protect another
cell (hiding what no row shows protects nothing).

Participation flows (`cells.PARTICIPATION_FLOWS`: only before, only after, not responding) are
not hidden for being small: they tell who took part when, not what anyone answered. They are cells
of the relations like any other, so a small linked count is still protected from
"before - only before", and they are hidden when that protects another cell.

Primary suppression hides cells from 1 to k-1. Zeros are not disclosive (an empty cell says
nobody) and are never hidden for being small. Then, to a fixed point:

- linked: a hidden group response count hides that group's numbers who answered each item, and a
  hidden interview count its interview theme base (and back): they count the same people; a
  hidden linked count hides the change rows (`paired` n) equal to it;
- whole distributions: an answer distribution (`level_pct` rows of one item and group) with a
  hidden level is hidden whole, so no figure draws part of one; % agree, % yes and the median are
  coarser numbers and stay where safe;
- secondary: while a hidden cell is determined exactly by the published ones through the
  relations (tested with linear algebra, so chains of relations count), one more cell is hidden:
  the cheapest (fewest report rows lost, weighting full distributions lightly; non-zero before
  zero; then smallest) among the cells of its relations and those that alone would free it.
  Structural zeros (a group with no data) protect nothing and are never chosen.

Collapsed likert distributions (`collapsed_pct`: disagree / neutral / agree as worded, each the
sum of its levels, answered = the sum of the categories) are decided after that fixed point, which
runs without them (`_collapsed`): a distribution published in full keeps its collapsed rows (they
follow from its levels); for one not published, a collapsed category from 1 to k-1 is hidden, and
then, while a cell hidden for being small (primary) is determined by the published cells through
all the relations (levels, groups and categories), one more collapsed category is hidden (one whose
row is lost anyway first, then one that alone frees it, a group's before all respondents', then
the smallest, a zero too, so that the chart keeps the larger sides). Only collapsed cells are
chosen, so the full distributions and every other row stay as the fixed point left them; the
levels hidden only to keep a distribution whole are not protected themselves (the middle level of
a distribution whose smallest level is hidden is shown as `neutral`). So an item x group shows
either its full distribution or, where single levels are hidden, its three categories, less those
still small or revealing.

Then the disclosure audit (`register.audit`, `_audited`): while a hidden count from 1 to k-1 has a feasible
range short of 0 and k given the published counts, the relations, non-negativity, bases, sources,
passages and published medians (linear programming), one more cell is hidden, the cheapest by the same cost
among the published cells in a constraint with it (`audit.repair`). An item's median and mean in a group are
hidden when its favourable count or a level is hidden there (`ORDER_STATISTICS`).

Rows whose count is not modelled (e.g. model rows) are suppressed when their `n` is from 1 to k-1.

Statistics derived from a hidden count are hidden with it (`_derived`, `_derived_model_terms`): a
between-groups odds ratio of an item hidden in either group; a model term of a categorical level
whose count is hidden (`breakdown / responses` of column=level, or a group's responses); the tests
and p values of a change (paired t, Wilcoxon, Holm) through their `paired` n; an interval is in
the row of its estimate. `recoverable` is the intruder's check (tests/e2e/test_intruder.py); the bounds an
intruder derives from non-negativity and the inequalities are the audit's (docs/threat-model.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy.linalg import null_space

from workforce_eval.register import audit, measures
from workforce_eval.register import cells as register_cells
from workforce_eval.register.cells import Cell, Relation
from workforce_eval.register.measures import BREAKDOWN, ITEM, MODEL, RESPONSE
from workforce_eval.register.notation import disclosure_threshold
from workforce_eval.register.rows import select


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The register's rows as dicts of the columns disclosure control reads."""
    return audit.records(frame)


def _is_count(value: object) -> bool:
    return isinstance(value, int | float) and not pd.isna(value)


def primary(value: object, k: int) -> bool:
    """True for a count from 1 to k-1."""
    return _is_count(value) and 0 < float(value) < k  # type: ignore[arg-type]


def _items(meta: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(i["id"]): i for i in meta.get("items", [])}


def row_cells(row: Mapping[str, Any], items: Mapping[str, Mapping[str, Any]]) -> tuple[Cell | None, Cell | None]:
    """(numerator cell, denominator cell) a register row shows or rests on; None where it has none."""
    return register_cells.row_cells(row, items)


def cell_values(register: pd.DataFrame, items: Mapping[str, Mapping[str, Any]]) -> dict[Cell, float | None]:
    """Every cell the register shows, with its count (None when no row states it), in order of first appearance."""
    values: dict[Cell, float | None] = {}
    for row in _records(register):
        for cell, value in zip(row_cells(row, items), register_cells.row_values(row), strict=True):
            if cell is None:
                continue
            if values.get(cell) is None:
                values[cell] = float(value) if _is_count(value) else None  # type: ignore[arg-type]
    return values


def relations(cells: Iterable[Cell], meta: Mapping[str, Any]) -> list[Relation]:
    """The additive relations (total, parts) among the given cells; only those whose cells all exist."""
    return register_cells.relations(cells, meta)


def _determined(hidden: list[Cell], rels: list[Relation]) -> list[Cell]:
    """Hidden cells whose value follows from the published cells through the relations."""
    if not hidden or not rels:
        return []
    col = {c: j for j, c in enumerate(hidden)}
    rows = []
    for total, parts in rels:
        coeffs = np.zeros(len(hidden))
        for cell, sign in [(total, 1.0)] + [(p, -1.0) for p in parts]:
            if cell in col:
                coeffs[col[cell]] += sign
        if coeffs.any():
            rows.append(coeffs)
    if not rows:
        return []
    basis = null_space(np.vstack(rows))
    free = np.abs(basis).max(axis=1) > 1e-9 if basis.size else np.zeros(len(hidden), dtype=bool)
    return [c for c, is_free in zip(hidden, free, strict=True) if not is_free]


def _components(cells: list[Cell], rels: list[Relation]) -> list[tuple[list[Cell], list[Relation]]]:
    """Cells linked by relations, as (cells, relations) groups, in order of first appearance."""
    parent = {c: c for c in cells}

    def find(c: Cell) -> Cell:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for total, parts in rels:
        for p in parts:
            a, b = find(total), find(p)
            if a != b:
                parent[b] = a
    members: dict[Cell, list[Cell]] = {}
    for c in cells:
        members.setdefault(find(c), []).append(c)
    by_root: dict[Cell, list[Relation]] = {}
    for rel in rels:
        by_root.setdefault(find(rel[0]), []).append(rel)
    return [(members[root], by_root[root]) for root in members if root in by_root]


def _secondary(
    hidden: set[Cell],
    values: Mapping[Cell, float | None],
    rels: list[Relation],
    cost: Mapping[Cell, tuple[int, ...]],
    unshown: frozenset[Cell] = frozenset(),
    known: frozenset[Cell] = frozenset(),
) -> bool:
    """Hide further cells until no hidden cell is determined by published ones; True if any was added.

    For the first determined cell, the cell hidden next is the cheapest published one (fewest report
    rows lost, then non-zero before zero, then one that alone makes it undetermined, then smallest)
    in a relation holding it or among those that alone would make it undetermined; else in its
    component. Structural zeros (in a group with no data at all) protect nothing and are never chosen.
    `unshown` cells (complements no row shows) are unknowns to the intruder: they are protected only
    when hidden themselves, and never chosen (hiding them would protect nothing). `known` cells are
    published elsewhere (e.g. a programme's pooled count whose every cohort count is shown): never
    chosen either, since hiding them here would hide nothing.
    """
    added = False
    for cells, comp_rels in _components(list(values), rels):
        while True:
            shut = [c for c in cells if c in hidden or c in unshown]
            determined = [c for c in _determined(shut, comp_rels) if c in hidden]
            if not determined:
                break
            target = determined[0]
            published = [c for c in cells if c not in shut and c not in known and not _structural_zero(c, values)]
            if not published:
                break
            freeing = {c for c in published if target not in _determined([*shut, c], comp_rels)}
            near = {c for total, parts in comp_rels if target == total or target in parts for c in (total, *parts)}
            pool = [c for c in published if c in near or c in freeing] or published
            hidden.add(min(pool, key=lambda c: (*cost[c][:2], c not in freeing, *cost[c][2:])))
            added = True
    return added


def _structural_zero(cell: Cell, values: Mapping[Cell, float | None]) -> bool:
    """A zero in a group and source with no data at all (everyone can tell it is zero)."""
    if values.get(cell) != 0:
        return False
    if cell[0] == "units":
        return not values.get(("base", cell[2], cell[3]))
    if cell[0] in ("level", "agree", "collapsed"):
        return not values.get(("answered", cell[1], cell[-1]))
    return False


def _linked(hidden: set[Cell], values: Mapping[Cell, float | None]) -> bool:
    """Hide counts of the same people as a hidden group total; True if any was added."""
    before = len(hidden)
    linked = {c[1]: values.get(c) for c in hidden if c[0] == "linked"}
    for cell, value in values.items():  # a change row's n equal to a hidden linked count states it
        if cell[0] == "paired" and cell[2] in linked and value == linked[cell[2]]:
            hidden.add(cell)
    responses = {c[1] for c in hidden if c[0] == "responses"}
    interviews = {c[1] for c in hidden if c[0] == "interviews"}
    bases = {c[1] for c in hidden if c[0] == "base" and c[2] == "interview"}
    for cell in values:
        if cell[0] == "answered" and cell[2] in responses:
            hidden.add(cell)
        if cell[0] == "base" and cell[2] == "interview" and cell[1] in interviews:
            hidden.add(cell)
        if cell[0] == "interviews" and cell[1] in bases:
            hidden.add(cell)
    return len(hidden) > before


def _whole_distributions(hidden: set[Cell], values: Mapping[Cell, float | None]) -> bool:
    """An answer distribution with a hidden level is hidden whole (its non-zero levels); True if any was added."""
    rows = {(c[1], c[3]) for c in hidden if c[0] == "level"}
    new = {c for c, v in values.items() if c[0] == "level" and (c[1], c[3]) in rows and v and c not in hidden}
    hidden.update(new)
    return bool(new)


def _unshown(hidden: set[Cell], rows: list[tuple[Cell | None, Cell | None]]) -> bool:
    """Hide cells every row of which is suppressed anyway (e.g. levels of a hidden base); True if any was added."""
    shown: set[Cell] = set()
    seen: set[Cell] = set()
    for num, den in rows:
        for cell in (num, den):
            if cell is not None:
                seen.add(cell)
        if (num is None or num not in hidden) and (den is None or den not in hidden):
            shown.update(c for c in (num, den) if c is not None)
    new = seen - shown - hidden
    hidden.update(new)
    return bool(new)


def hidden_cells(
    register: pd.DataFrame, meta: Mapping[str, Any], k: int, known: frozenset[Cell] = frozenset()
) -> set[Cell]:
    """The cells disclosure control hides: primary (1..k-1), then linked and secondary ones, to a fixed point;
    then the collapsed likert categories that must be hidden (`_collapsed`).

    `known`: cells an intruder reads elsewhere (never chosen as secondary suppressions, see `_secondary`).
    """
    is_collapsed = register["measure"] == measures.COLLAPSED_PCT
    hidden = _hidden_cells(register[~is_collapsed], meta, k, known)
    if is_collapsed.any():
        hidden |= _collapsed(register, meta, k, hidden)
    return _audited(register, meta, k, hidden, known)


#: The scope of a register's counts in the disclosure audit when disclosure control audits one register alone.
SCOPE = "register"


def _audited(
    register: pd.DataFrame, meta: Mapping[str, Any], k: int, hidden: set[Cell], known: frozenset[Cell]
) -> set[Cell]:
    """Secondary suppression by the disclosure audit (`register.audit`): while a hidden count can be bounded
    more narrowly than the protection rule allows (by the relations, non-negativity, the bases, the
    sources, the passages, published medians), hide one more cell: the cheapest by the same cost as
    `_secondary` (fewest report rows lost, non-zero before zero, then smallest) among the published cells
    in a constraint with it. Counts of the same people and whole distributions follow as in the fixed point.
    """
    items = _items(meta)
    values = cell_values(register, items)
    extra = register_cells.complements(values)
    values.update(extra)
    rows = [row_cells(r, items) for r in _records(register)]
    weights = [1 if m in DETAIL_MEASURES else HEADLINE_WEIGHT for m in register["measure"]]
    cost = _costs(values, rows, weights)
    cells = set(hidden)

    def cell_of(var: audit.Var) -> Cell:
        return counted_cell(var[1])

    def make(hidden_vars: set[audit.Var]) -> audit.Problem:
        cells.update(cell_of(v) for v in hidden_vars)
        while _linked(cells, values) | _whole_distributions(cells, values) | _unshown(cells, rows):
            pass
        hidden_vars.update((SCOPE, c) for c in cells)
        flagged = register.assign(suppressed=_flags(register, items, cells, k))
        return audit.build([audit.Table("register", SCOPE, flagged, meta, k)])

    def choice(var: audit.Var) -> tuple[int, ...] | None:
        cell = cell_of(var)
        if var[0] != SCOPE or cell in extra or cell in known or cell not in cost or _structural_zero(cell, values):
            return None
        return cost[cell]

    audit.repair(make, {(SCOPE, c) for c in cells}, choice)
    return cells


def counted_cell(cell: Cell) -> Cell:
    """The cell whose hiding hides an audit count: a passages count (`segments`) is hidden with the
    participants of its row (or, for all passages, the base); any other count is its own cell."""
    if cell[0] == "segments":
        return ("base", cell[2], cell[3]) if cell[1] == "all" else ("units", cell[1], cell[2], cell[3])
    return cell


#: Statistics of an item's answers in a group that would bound its hidden counts: hidden with them when the
#: item's favourable count (% agree, % yes) or any of its answer levels is hidden in that group.
ORDER_STATISTICS: tuple[str, ...] = (measures.MEDIAN, measures.MEAN)


def _flags(register: pd.DataFrame, items: Mapping[str, Mapping[str, Any]], hidden: set[Cell], k: int) -> pd.Series:
    """Each row's `suppressed`: a row showing or resting on a hidden cell (unmapped rows: 1 <= n < k), and an
    item's median or mean in a group where its favourable count or a level is hidden."""
    hidden_answers = {(c[1], c[-1]) for c in hidden if c[0] in ("agree", "level")}
    flags = []
    for row in audit.records(register):
        num, den = row_cells(row, items)
        flag = primary(row["n"], k) if num is None and den is None else num in hidden or den in hidden
        if row["analysis"] == ITEM and row["measure"] in ORDER_STATISTICS:
            flag = flag or (str(row["item"]), str(row["group"])) in hidden_answers
        flags.append(bool(flag) or bool(row["suppressed"]))
    return pd.Series(flags, index=register.index, dtype=bool)


def _collapsed_cell(cell: Cell) -> bool:
    return cell[0] == "collapsed"


def _collapsed(register: pd.DataFrame, meta: Mapping[str, Any], k: int, hidden: set[Cell]) -> set[Cell]:
    """The collapsed categories to hide, given the cells the fixed point hid (module docstring)."""
    items = _items(meta)
    values = cell_values(register, items)
    rels = relations(values, meta)
    protected = {c for c, v in values.items() if primary(v, k)}
    shut = set(hidden) | {c for c in values if _collapsed_cell(c) and c in protected}
    order = {c: i for i, c in enumerate(values)}
    for cells, comp_rels in _components(list(values), rels):
        if not any(_collapsed_cell(c) for c in cells):
            continue
        while True:
            closed = [c for c in cells if c in shut]
            determined = [c for c in _determined(closed, comp_rels) if c in protected]
            if not determined:
                break
            target = determined[0]
            pool = [c for c in cells if _collapsed_cell(c) and c not in shut and not _structural_zero(c, values)]
            if not pool:
                break
            keys = {
                c: (
                    ("answered", c[1], c[3]) not in shut,  # first one whose row is suppressed anyway
                    target in _determined([*closed, c], comp_rels),  # then one that alone frees it
                    c[3] == "all",  # then a group's rather than all respondents' (the headline panel)
                    int(values[c] or 0),  # then the smallest (a zero too: the chart keeps the larger sides)
                    order[c],
                )
                for c in pool
            }
            shut.add(min(pool, key=keys.__getitem__))
    return {c for c in shut if _collapsed_cell(c)} - hidden


def _hidden_cells(
    register: pd.DataFrame, meta: Mapping[str, Any], k: int, known: frozenset[Cell] = frozenset()
) -> set[Cell]:
    """Primary, linked and secondary suppression to a fixed point (every row but the collapsed likert ones)."""
    items = _items(meta)
    values = cell_values(register, items)
    extra = register_cells.complements(values)
    values.update(extra)
    rels = relations(values, meta)
    rows = [row_cells(r, items) for r in _records(register)]
    hidden = {c for c, v in values.items() if primary(v, k) and c[0] not in register_cells.PARTICIPATION_FLOWS}
    weights = [1 if m in DETAIL_MEASURES else HEADLINE_WEIGHT for m in register["measure"]]
    cost = _costs(values, rows, weights)
    while (
        _linked(hidden, values)
        | _whole_distributions(hidden, values)
        | _unshown(hidden, rows)
        | _secondary(hidden, values, rels, cost, frozenset(extra), known)
    ):
        pass
    return hidden


#: How much a suppressed row costs when choosing secondary suppressions: a full answer distribution
#: (`level_pct`, marked `detail` in the catalogue) is detail, the other rows are the headline numbers a report shows.
DETAIL_MEASURES = measures.DETAIL_MEASURES
HEADLINE_WEIGHT = 10


def _costs(
    values: Mapping[Cell, float | None], rows: list[tuple[Cell | None, Cell | None]], weights: list[int]
) -> dict[Cell, tuple[int, ...]]:
    """Sort key of each cell as a secondary-suppression choice: (weighted rows lost, zero, count, first appearance)."""
    uses: dict[Cell, int] = {}
    for (num, den), weight in zip(rows, weights, strict=True):
        for cell in {c for c in (num, den) if c is not None}:
            uses[cell] = uses.get(cell, 0) + weight
    linked: dict[Cell, int] = {}
    for cell, n in uses.items():
        if cell[0] == "answered":
            linked[("responses", cell[2])] = linked.get(("responses", cell[2]), 0) + n
        if cell[0] == "base" and cell[2] == "interview":
            linked[("interviews", cell[1])] = linked.get(("interviews", cell[1]), 0) + n
        if cell[0] == "paired" and values.get(cell) == values.get(("linked", cell[2])):
            linked[("linked", cell[2])] = linked.get(("linked", cell[2]), 0) + n
    for cell in values:  # hiding responses after hides the responses: they are one count
        if cell[0] == "post":
            same = ("responses", cell[1])
            linked[cell] = linked.get(cell, 0) + uses.get(same, 0) + linked.get(same, 0)
    out: dict[Cell, tuple[int, ...]] = {}
    for order, (cell, value) in enumerate(values.items()):
        count = int(value) if value is not None else 0
        out[cell] = (uses.get(cell, 0) + linked.get(cell, 0), int(count == 0), count, order)
    return out


def apply(
    register: pd.DataFrame, meta: Mapping[str, Any], k: int | None = None, known: frozenset[Cell] = frozenset()
) -> pd.DataFrame:
    """The register with `suppressed` set where a row shows or rests on a hidden cell (unmapped rows: 1 <= n < k).

    `known`: cells published elsewhere (a programme passes the pooled counts all of whose cohort counts are shown).
    """
    k = disclosure_threshold(meta) if k is None else int(k)
    out = register.copy()
    if out.empty:
        return out
    items = _items(meta)
    hidden = hidden_cells(out, meta, k, known)
    out["suppressed"] = _flags(out.assign(suppressed=out["suppressed"].astype(bool)), items, hidden, k)
    return _derived_model_terms(_derived(out))


#: Statistics computed from the item counts of two groups (`group` and `level` name them) that give
#: those counts back: with both groups' totals, an odds ratio of a 2 x 2 table determines its cells.
#: They are hidden with the counts. (A rank-biserial correlation does not determine any one count.)
DERIVED_FROM_GROUPS: tuple[tuple[str, str], ...] = (("between_groups", "odds_ratio"),)


def _derived(out: pd.DataFrame) -> pd.DataFrame:
    """Flag rows derived from a hidden count: a between-groups odds ratio of an item whose rows are
    suppressed in either group."""
    derived = pd.Series(
        [(a, m) in DERIVED_FROM_GROUPS for a, m in zip(out["analysis"], out["measure"], strict=True)], index=out.index
    )
    if not derived.any():
        return out
    hidden_items = select(out[out["suppressed"].astype(bool)], ITEM)
    hidden = set(zip(hidden_items["item"], hidden_items["group"], strict=True))
    flags = [
        bool(d) and ((item, group) in hidden or (item, level) in hidden)
        for d, item, group, level in zip(derived, out["item"], out["group"], out["level"], strict=True)
    ]
    out["suppressed"] = out["suppressed"].astype(bool) | pd.Series(flags, index=out.index, dtype=bool)
    return out


def recoverable(shown: Iterable[Cell], rels: Iterable[Relation]) -> list[Cell]:
    """Cells of the relations not among `shown` whose count follows exactly from the shown ones.

    The intruder's view (tests/e2e/test_intruder.py): `shown` are the cells whose counts can be read
    from the published outputs; every other cell of a relation is an unknown, and an unknown is
    recovered when the relations fix its value (the same linear algebra as secondary suppression).
    """
    rels = list(rels)
    known = set(shown)
    unknown = list(dict.fromkeys(c for total, parts in rels for c in (total, *parts) if c not in known))
    return _determined(unknown, rels)


#: A categorical model term as patsy names it: `C(column)[T.level]` or `C(column, Treatment("ref"))[T.level]`.
_CATEGORICAL_TERM = re.compile(r"C\(\s*([A-Za-z_][A-Za-z0-9_]*)[^\[]*\)\[T\.([^\]]*)\]")


def model_term_levels(item: str) -> list[tuple[str, str]]:
    """(column, level) of every categorical level a model row's `item` (`outcome:term`) rests on."""
    return [(m.group(1), m.group(2)) for m in _CATEGORICAL_TERM.finditer(str(item))]


def _derived_model_terms(out: pd.DataFrame) -> pd.DataFrame:
    """Flag model terms of a categorical level whose count is hidden (issue 14: derived statistics).

    A dummy's coefficient, standard error, odds ratio and interval compare the few people at that level
    with the reference: when the level's count is hidden (its `breakdown / responses` row with
    `subgroup` column=level, or a group's `response / responses` for `C(group)`), the term is hidden
    with it. A level no register row counts is left as it is (the model's `observations` rule applies).
    """
    is_model = out["analysis"].eq(MODEL)
    if not is_model.any():
        return out
    hidden = out["suppressed"].astype(bool)
    levels: set[tuple[str, str]] = set()
    rows = select(out[hidden], BREAKDOWN, measures.RESPONSES)
    for subgroup in rows["subgroup"].astype(str):
        column, _, level = subgroup.partition("=")
        levels.add((column, level))
    groups = select(out[hidden], RESPONSE, measures.RESPONSES)
    levels |= {("group", str(g)) for g in groups["group"]}
    flags = [
        bool(m) and any(t in levels for t in model_term_levels(item))
        for m, item in zip(is_model, out["item"], strict=True)
    ]
    out["suppressed"] = hidden | pd.Series(flags, index=out.index, dtype=bool)
    return out
