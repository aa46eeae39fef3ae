"""The disclosure audit: how far can a reader who knows the tables' structure pin each hidden count?

An intruder reads every published register of a run (cohorts, the programme's pooled rows, the organisation
registers: the rows not flagged `suppressed`, as the masked published registers show them) and knows the
structure of the tables: cohort.json's groups, combined groups, items and their answer levels, sources,
attribute values, a programme's cohorts, a cohort's organisations. From that the audit writes linear
constraints over the counts (the cells of `register.cells`), with every published count fixed and every hidden
count an unknown:

- equalities: the additive relations of `register.cells` (groups, levels, collapsed categories, % agree,
  attrition, matrix values and bases, complements); themes over sources (all sources = the sum of the
  sources when the sources' bases add up to the all-sources base, i.e. nobody is in two sources; else each
  source <= all sources <= their sum); theme passages (segments) over sources and over groups; a programme's
  pooled count = the sum of its cohorts' counts; a mean of an item's answer codes times its n = the sum of the
  codes times the level counts;
- inequalities: a theme's participants <= its base and <= its passages; a matrix cell <= its value's base;
  a published median m over n answers: at least (n-1)//2 + 1 answers at or below floor(m) and at most n//2
  below ceil(m) (`stats.intervals.median_from_counts`'s definition);
- bounds: every count is >= 0. A hidden count is shown "[c]" whatever its value (`notation.display_count`: one
  symbol for a count below k and for a number hidden to protect one), so the symbol bounds nothing.

For each hidden count the audit then computes its smallest and largest feasible value by linear programming
(`scipy.optimize.linprog`, HiGHS), on each connected component of the constraints separately. Integrality:
where an LP optimum is not at an integer point, the bound is recomputed as an integer program
(`scipy.optimize.milp`); elsewhere the LP bound is attained by integers and is exact.

The protection rule (`protected`, docs/threat-model.md): a hidden count from 1 to k-1 must have a feasible range
reaching 0 or k, so that a reader cannot tell it from an empty cell or a safe one. (Until December 2026 a count
below k was shown "<k": that bound alone pinned counts whatever else was hidden, e.g. two interview counts "<5"
under a published total of 8 are both 4; the audit then reported 175 such counts it could not protect.)
Participation flows
(`cells.PARTICIPATION_FLOWS`) are published openly and not audited. Hidden counts of 0 or >= k are listed
with their range but need no protection.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, cast

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_array

from workforce_eval.register import cells as register_cells
from workforce_eval.register import measures
from workforce_eval.register.cells import Cell

#: A variable of the audit: (scope, cell); the scope is a cohort id, a programme's pooled rows or an
#: organisation of a cohort, so a cohort's rows read in its own register and in the programme register are
#: one count.
Var = tuple[str, Cell]
#: A linear expression: coefficient by variable.
Expr = dict[Var, float]

#: Sources of the themes: `all` holds every source's participants.
ALL_SOURCES = "all"
#: Feasible points found first in each component, in random directions (seeded): a count seen at two values
#: is not pinned, and needs no program of its own.
WITNESSES = 3
#: Numerical tolerance of the LP bounds.
_EPS = 1e-6


#: The protection rule in words (the manifest records it).
RULE = (
    "a hidden count from 1 to k-1 (shown '[c]', as every hidden number is) must have a feasible range reaching 0 "
    "or k; feasible = consistent with every published count and the structure (linear programming)"
)


@dataclass(frozen=True)
class Table:
    """One published register as the audit reads it.

    `name`: the published file (for messages); `scope`: whose counts its rows are (a cohort id, or a
    programme's pooled scope); `register`: the full register with its `suppressed` flags (the published view
    is its unsuppressed rows: the masked register shows exactly those numbers); `meta`: the structure
    (cohort.json, or the programme's groups); `k`: the threshold of the scope; `scopes`: for a programme
    register, the scope of each row (its `cohort` column: a cohort id, or `all` for the pooled rows, which
    are given the table's own scope).
    """

    name: str
    scope: str
    register: pd.DataFrame
    meta: Mapping[str, Any]
    k: int
    parts: tuple[str, ...] = ()  # scopes whose counts add up to this scope's (a programme's cohorts)


@dataclass
class Problem:
    """The audit's variables and constraints (built by `build`)."""

    true: dict[Var, float | None] = field(default_factory=dict)
    published: dict[Var, float] = field(default_factory=dict)
    stated: set[Var] = field(default_factory=set)  # counts some row states (shown or hidden)
    k: dict[str, int] = field(default_factory=dict)
    table: dict[Var, str] = field(default_factory=dict)
    eq: list[tuple[Expr, float]] = field(default_factory=list)
    le: list[tuple[Expr, float]] = field(default_factory=list)
    statistics: set[int] = field(default_factory=set)  # the `le` rows a published median or mean gives


@dataclass(frozen=True)
class Result:
    """The audit of one hidden count."""

    table: str
    scope: str
    cell: Cell
    true: float | None
    lo: float
    hi: float
    k: int
    audited: bool  # a count from 1 to k-1 the rule protects
    status: str  # "pass"; "fail"; "marker": pinned by counts nothing may hide (the frame, zeros; `repair`)
    component: int = 0  # the connected component of the constraints it is in

    @property
    def passed(self) -> bool:
        return self.status != "fail"

    @property
    def var(self) -> Var:
        return (self.scope, self.cell)

    @property
    def key(self) -> str:
        return register_cells.cell_text(self.cell)


#: The register columns the audit reads of a row.
_READ = ("analysis", "measure", "item", "group", "source", "level", "subgroup", "estimate", "n", "denominator")


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as dicts of the columns the audit and disclosure control read (faster than `to_dict`)."""
    columns = [c for c in (*_READ, "suppressed") if c in frame.columns]
    values = [frame[c].tolist() for c in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return records(frame)


def _count(value: object) -> float | None:
    if isinstance(value, int | float) and not pd.isna(value):
        return float(value)
    return None


def _segments_cell(row: Mapping[str, Any]) -> Cell | None:
    """A theme passages row's own count as a cell ("segments", node, group, source)."""
    if row["analysis"] == measures.THEME and row["measure"] == measures.SEGMENTS:
        return ("segments", str(row["item"]), str(row["group"]), str(row["source"]))
    if row["analysis"] == measures.THEME and row["measure"] == measures.CODED_SEGMENTS:
        return ("segments", "all", str(row["group"]), str(row["source"]))
    return None


def _row_counts(row: Mapping[str, Any], items: Mapping[str, Mapping[str, Any]]) -> list[tuple[Cell, float | None]]:
    """The cells a row states, with the counts it states for them."""
    out: list[tuple[Cell, float | None]] = []
    for cell, value in zip(register_cells.row_cells(row, items), register_cells.row_values(row), strict=True):
        if cell is not None:
            out.append((cell, _count(value)))
    seg = _segments_cell(row)
    if seg is not None:
        out.append((seg, _count(row["estimate"])))
    return out


def _add_scope(problem: Problem, table: Table, frame: pd.DataFrame, scope: str) -> None:
    """Variables and the cohort-level constraints of one scope's rows."""
    items = {str(i["id"]): i for i in table.meta.get("items", [])}
    values: dict[Cell, float | None] = {}
    for row in _records(frame):
        shown = not bool(row["suppressed"])
        for cell, value in _row_counts(row, items):
            var = (scope, cell)
            if values.get(cell) is None:
                values[cell] = value
            if value is not None:
                problem.stated.add(var)
                if shown:
                    problem.published[var] = value
            problem.table.setdefault(var, table.name)
    values.update(register_cells.complements(values))
    for cell, value in values.items():
        var = (scope, cell)
        if problem.true.get(var) is None:
            problem.true[var] = value
        problem.table.setdefault(var, table.name)
    problem.k[scope] = table.k
    for total, parts in register_cells.relations(values, table.meta):
        expr: Expr = {(scope, total): 1.0}
        for p in parts:
            expr[(scope, p)] = expr.get((scope, p), 0.0) - 1.0
        problem.eq.append((expr, 0.0))
    for cell, terms in register_cells.COMPLEMENTS:
        if cell in values:
            expr = {(scope, cell): 1.0}
            for sign, term in terms:
                expr[(scope, term)] = expr.get((scope, term), 0.0) - float(sign)
            problem.eq.append((expr, 0.0))
    _theme_constraints(problem, scope, values, table.meta)
    _order_constraints(problem, scope, frame, items)


def _theme_constraints(
    problem: Problem, scope: str, values: Mapping[Cell, float | None], meta: Mapping[str, Any]
) -> None:
    """Sources, passages and bases of the themes and the matrix."""
    groups = ["all", *(str(g["code"]) for g in meta.get("groups", []))]
    sources = sorted({str(c[2]) for c in values if c[0] == "base" and c[2] != ALL_SOURCES})
    for group in groups:
        whole = values.get(("base", group, ALL_SOURCES))
        bases = [values.get(("base", group, s)) for s in sources]
        present = [s for s, b in zip(sources, bases, strict=True) if ("base", group, s) in values]
        if ("base", group, ALL_SOURCES) not in values or not present:
            continue
        disjoint = whole is not None and all(b is not None for b in bases) and whole == sum(b or 0 for b in bases)
        nodes = sorted({str(c[1]) for c in values if c[0] == "units" and c[2] == group and c[3] == ALL_SOURCES})
        for node in [None, *nodes]:

            def at(source: str, group: str = group, node: str | None = node) -> Cell:
                return ("base", group, source) if node is None else ("units", node, group, source)

            if at(ALL_SOURCES) not in values:
                continue
            parts = [at(s) for s in present if at(s) in values]
            if disjoint and len(parts) == len(present):
                expr: Expr = {(scope, at(ALL_SOURCES)): 1.0}
                expr.update({(scope, p): -1.0 for p in parts})
                problem.eq.append((expr, 0.0))
            else:
                for p in parts:  # each source's are among all sources'
                    problem.le.append(({(scope, p): 1.0, (scope, at(ALL_SOURCES)): -1.0}, 0.0))
                if len(parts) == len(present):
                    expr = {(scope, at(ALL_SOURCES)): 1.0}
                    expr.update({(scope, p): -1.0 for p in parts})
                    problem.le.append((expr, 0.0))
    for cell in values:  # a participant with a theme has a passage of it; a passage is one participant's
        units = ("units", *cell[1:])
        if cell[0] == "segments" and cell[1] != "all" and units in values:
            problem.le.append(({(scope, units): 1.0, (scope, cell): -1.0}, 0.0))
    segment_keys = {(str(c[1]), str(c[3])) for c in values if c[0] == "segments"}
    for node, source in segment_keys:
        total = ("segments", node, "all", source)
        parts = [("segments", node, g, source) for g in groups[1:]]
        if total in values and all(p in values for p in parts) and parts:
            expr = {(scope, total): 1.0}
            expr.update({(scope, p): -1.0 for p in parts})
            problem.eq.append((expr, 0.0))
    for node, group in {(str(c[1]), str(c[2])) for c in values if c[0] == "segments"}:
        total = ("segments", node, group, ALL_SOURCES)
        parts = [("segments", node, group, s) for s in sources]
        if total in values and parts and all(p in values for p in parts):  # a passage is in one source
            expr = {(scope, total): 1.0}
            expr.update({(scope, p): -1.0 for p in parts})
            problem.eq.append((expr, 0.0))
    for cell, value in values.items():
        # counts of the same people (disclosure control hides them together, `disclosure._linked`): a group's
        # interviewees with coded data and its interview documents (equal when each interviewee has one
        # document, which a reader may assume: modelled as equal then), an item's answers and the responses
        if cell[0] == "base" and cell[2] == "interview" and ("interviews", cell[1]) in values:
            docs = ("interviews", cell[1])
            link: Expr = {(scope, cell): 1.0, (scope, docs): -1.0}
            (problem.eq if value is not None and value == values[docs] else problem.le).append((link, 0.0))
        if cell[0] == "answered" and ("responses", cell[2]) in values:
            problem.le.append(({(scope, cell): 1.0, (scope, ("responses", cell[2])): -1.0}, 0.0))
        if cell[0] == "units" and ("base", cell[2], cell[3]) in values:
            problem.le.append(({(scope, cell): 1.0, (scope, ("base", cell[2], cell[3])): -1.0}, 0.0))
        if cell[0] == "matrix":
            base = ("matrix_base", cell[2], cell[3], cell[4])
            if base in values:
                problem.le.append(({(scope, cell): 1.0, (scope, base): -1.0}, 0.0))


def _codes(item: Mapping[str, Any]) -> dict[str, int]:
    """Answer code of each level as worded (`analyses.describe`: reversed for a reverse-coded item)."""
    levels = [str(x) for x in item.get("levels") or []]
    n = len(levels)
    return {lv: (n - i if item.get("reverse") else i + 1) for i, lv in enumerate(levels)}


def _order_constraints(
    problem: Problem, scope: str, frame: pd.DataFrame, items: Mapping[str, Mapping[str, Any]]
) -> None:
    """Published medians and means of an item's answers as constraints on its level counts."""
    for row in _records(frame):
        if (
            row["suppressed"]
            or row["analysis"] != measures.ITEM
            or row["measure"] not in (measures.MEDIAN, measures.MEAN)
        ):
            continue
        item = items.get(str(row["item"]))
        value, n = _count(row["estimate"]), _count(row["n"])
        if item is None or value is None or n is None or not item.get("levels"):
            continue
        codes = _codes(item)
        group = str(row["group"])

        def level(lv: str, group: str = group, item_id: str = str(row["item"])) -> Var:
            return (scope, ("level", item_id, lv, group))

        start = len(problem.le)
        _order_rows(problem, row, codes, level, value, n)
        problem.statistics.update(range(start, len(problem.le)))


def _order_rows(
    problem: Problem,
    row: Mapping[str, Any],
    codes: Mapping[str, int],
    level: Callable[[str], Var],
    value: float,
    n: float,
) -> None:
    """The constraints one published median or mean gives (`_order_constraints`)."""
    if row["measure"] == measures.MEAN:  # the sum of the codes = mean x n
        expr = {level(lv): float(code) for lv, code in codes.items()}
        problem.le.append((expr, value * n + 1e-6 * max(n, 1.0)))
        problem.le.append(({v: -c for v, c in expr.items()}, -value * n + 1e-6 * max(n, 1.0)))
        return
    at_or_below = {level(lv): 1.0 for lv, code in codes.items() if code <= math.floor(value)}
    below = {level(lv): 1.0 for lv, code in codes.items() if code < math.ceil(value)}
    # at least (n-1)//2 + 1 answers at or below floor(m): -sum <= -((n-1)//2 + 1)
    problem.le.append((dict.fromkeys(at_or_below, -1.0), -float((int(n) - 1) // 2 + 1)))
    if below:  # at most n//2 answers below ceil(m)
        problem.le.append((dict(below), float(int(n) // 2)))


def build(tables: Sequence[Table]) -> Problem:
    """The audit's problem over every given published register."""
    problem = Problem()
    for table in sorted(tables, key=lambda t: bool(t.parts)):  # cohorts first: their own structure
        frame = table.register
        if "cohort" in frame.columns and table.parts:
            for scope in dict.fromkeys(str(c) for c in frame["cohort"]):
                own = table.scope if scope == "all" else scope
                if own not in problem.k:
                    _add_scope(problem, table, frame[frame["cohort"].astype(str) == scope], own)
        else:
            _add_scope(problem, table, frame, table.scope)
    for table in tables:
        if not table.parts:
            continue
        pooled = [v for v in problem.true if v[0] == table.scope]
        for var in pooled:
            parts = [(p, var[1]) for p in table.parts if (p, var[1]) in problem.true]
            if parts:
                expr: Expr = {var: 1.0}
                expr.update(dict.fromkeys(parts, -1.0))
                problem.eq.append((expr, 0.0))
    return problem


def _components(problem: Problem, unknown: set[Var]) -> list[tuple[list[Var], list[tuple[Expr, float, bool]]]]:
    """The constraints over unknowns (published counts substituted), split into connected components."""
    parent: dict[Var, Var] = {v: v for v in unknown}

    def find(v: Var) -> Var:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    reduced: list[tuple[Expr, float, bool]] = []
    for rows, is_eq in ((problem.eq, True), (problem.le, False)):
        for expr, rhs in rows:
            left: Expr = {}
            constant = rhs
            for var, coef in expr.items():
                if var in unknown:
                    left[var] = left.get(var, 0.0) + coef
                else:
                    value = problem.published.get(var)
                    if value is None:
                        break  # a count neither published nor modelled as unknown: drop the constraint
                    constant -= coef * value
            else:
                left = {v: c for v, c in left.items() if c != 0.0}
                if not left:
                    continue
                reduced.append((left, constant, is_eq))
                first = find(next(iter(left)))
                for var in left:
                    root = find(var)
                    if root != first:
                        parent[root] = first
    members: dict[Var, list[Var]] = {}
    for var in sorted(unknown, key=str):  # components in a fixed order (a set's order changes between runs)
        members.setdefault(find(var), []).append(var)
    cons: dict[Var, list[tuple[Expr, float, bool]]] = {}
    for left, constant, is_eq in reduced:
        cons.setdefault(find(next(iter(left))), []).append((left, constant, is_eq))
    return [(sorted(members[r], key=str), cons.get(r, [])) for r in members]


def _bounds(problem: Problem, var: Var) -> tuple[float, float]:
    """What the reader knows of a hidden count on its own: that it is >= 0 ("[c]" says nothing more)."""
    return 0.0, math.inf


def _solve(
    c: np.ndarray, a_eq: Any, b_eq: Any, a_ub: Any, b_ub: Any, lo: np.ndarray, hi: np.ndarray
) -> tuple[float | None, np.ndarray | None]:
    """min c.x over the polytope (an integer program where the LP optimum is not integral): (value, a
    minimising point), (None, None) when unbounded."""
    res = linprog(
        c,
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=a_eq,
        b_eq=b_eq,
        bounds=list(zip(lo, [None if math.isinf(h) else h for h in hi], strict=True)),
        method="highs",
    )
    if res.status == 3:
        return None, None
    if res.status != 0:
        raise RuntimeError(f"disclosure audit: the published counts admit no solution ({res.message})")
    x = np.asarray(res.x)
    if np.allclose(x, np.round(x), atol=_EPS):
        return float(res.fun), x
    constraints = []
    if a_eq is not None:
        constraints.append(LinearConstraint(a_eq, b_eq, b_eq))
    if a_ub is not None:
        constraints.append(LinearConstraint(a_ub, -np.inf, b_ub))
    mres = milp(c, constraints=constraints, integrality=np.ones_like(c), bounds=Bounds(lo, hi))
    if mres.status != 0 or mres.fun is None:
        return float(res.fun), x
    return float(mres.fun), np.asarray(mres.x)


def _ranges(
    vars_: list[Var],
    cons: list[tuple[Expr, float, bool]],
    problem: Problem,
    targets: list[Var],
    first: bool = False,
    markers: frozenset[Var] = frozenset(),
) -> dict[Var, tuple[float, float, bool]]:
    """A feasible range of each target of one component: (lo, hi, exact).

    Every solved program gives a feasible point; a target whose values over the points found so far already
    satisfy the protection rule is not solved for (its range is at least that wide: exact = False). The
    others get their exact smallest and largest value.
    """
    if len(cons) == 1 and all(abs(c) == 1.0 for c in cons[0][0].values()):
        return _one_constraint(cons[0], problem, targets)
    col = {v: j for j, v in enumerate(vars_)}
    n = len(vars_)
    # rows in a fixed order: the structure may list them in a set's order, which changes between runs, and
    # the solver's choice among several optimal points (the witnesses' ranges) follows the row order
    cons = sorted(cons, key=lambda c: (c[2], sorted((str(v), a) for v, a in c[0].items()), c[1]))
    eq = [(e, r) for e, r, is_eq in cons if is_eq]
    ub = [(e, r) for e, r, is_eq in cons if not is_eq]

    def matrix(rows: list[tuple[Expr, float]]) -> tuple[Any, Any]:
        if not rows:
            return None, None
        entries = [(i, col[var], coef) for i, (expr, _) in enumerate(rows) for var, coef in expr.items()]
        i, j, v = zip(*entries, strict=True)
        a = csr_array((v, (i, j)), shape=(len(rows), n))
        return a, np.array([r for _, r in rows])

    a_eq, b_eq = matrix(eq)
    a_ub, b_ub = matrix(ub)
    bounds = [_bounds(problem, v) for v in vars_]
    lo = np.array([b[0] for b in bounds])
    hi = np.array([b[1] for b in bounds])
    seen_lo = np.full(n, np.inf)
    seen_hi = np.full(n, -np.inf)

    def saw(x: np.ndarray | None) -> None:
        if x is not None:
            np.minimum(seen_lo, x, out=seen_lo)
            np.maximum(seen_hi, x, out=seen_hi)

    def enough(var: Var) -> bool:
        j = col[var]
        if seen_lo[j] > seen_hi[j]:
            return False
        return protected(problem.true.get(var), seen_lo[j], seen_hi[j], problem.k[var[0]])

    rng = np.random.default_rng(0)
    for _ in range(WITNESSES if len(targets) > WITNESSES else 0):  # a few feasible points in different directions first
        c = np.zeros(n)
        c[[col[v] for v in targets]] = rng.uniform(-1.0, 1.0, len(targets))
        saw(_solve(c, a_eq, b_eq, a_ub, b_ub, lo, hi)[1])
    out: dict[Var, tuple[float, float, bool]] = {}
    for var in targets:
        j = col[var]
        if var in markers and first:  # known pinned by the markers: not solved again while repairing
            out[var] = (float(seen_lo[j]), float(seen_hi[j]), False) if seen_lo[j] <= seen_hi[j] else (0.0, 0.0, False)
            continue
        if enough(var):
            out[var] = (float(seen_lo[j]), float(seen_hi[j]), False)
            continue
        c = np.zeros(n)
        c[j] = 1.0
        low, x = _solve(c, a_eq, b_eq, a_ub, b_ub, lo, hi)
        saw(x)
        high, x = _solve(-c, a_eq, b_eq, a_ub, b_ub, lo, hi)
        saw(x)
        out[var] = (0.0 if low is None else low, math.inf if high is None else -high, True)
    return out


def _one_constraint(
    con: tuple[Expr, float, bool], problem: Problem, targets: list[Var]
) -> dict[Var, tuple[float, float, bool]]:
    """Exact ranges in a component of one constraint with coefficients +-1 (interval arithmetic, no program):
    sum a_i x_i = b (or <= b) over box bounds gives each x_j the range b minus the others' range, within
    its own bounds. The bounds are integers, so the ranges are attained by integers."""
    expr, rhs, is_eq = con
    bounds = {v: _bounds(problem, v) for v in expr}

    def span(v: Var) -> tuple[float, float]:
        lo, hi = bounds[v]
        return (lo, hi) if expr[v] > 0 else (-hi, -lo)

    out: dict[Var, tuple[float, float, bool]] = {}
    for var in targets:
        rest_lo = sum(span(v)[0] for v in expr if v != var)
        rest_hi = sum(span(v)[1] for v in expr if v != var)
        # a x = rhs - rest: rest in [rest_lo, rest_hi] (an inequality: a x <= rhs - rest)
        top = rhs - rest_lo
        bottom = rhs - rest_hi if is_eq else -math.inf
        lo, hi = (bottom, top) if expr[var] > 0 else (-top, -bottom)
        own_lo, own_hi = bounds[var]
        out[var] = (max(lo, own_lo), min(hi, own_hi), True)
    return out


def protected(true: float | None, lo: float, hi: float, k: int) -> bool:
    """The protection rule (module docstring): a count from 1 to k-1 whose feasible range reaches 0 or k."""
    if true is None or not 0 < true < k:
        return True
    low, high = math.ceil(lo - _EPS), math.floor(hi + _EPS) if not math.isinf(hi) else math.inf
    return low <= 0 or high >= k


#: Counts that are not counts of people, so not protected themselves (they bound the people counts, as
#: constraints): the participation flows (module docstring) and the passages of a theme ("segments": a
#: participant may have many; "2 passages" says at most 2 people, which the audit of the people counts
#: already takes into account).
NOT_PEOPLE: frozenset[str] = frozenset({*register_cells.PARTICIPATION_FLOWS, "segments"})


def _audited(problem: Problem, var: Var) -> bool:
    true = problem.true.get(var)
    name = var[1][0]
    return true is not None and 0 < true < problem.k[var[0]] and name not in NOT_PEOPLE


def audit(tables: Sequence[Table], only: Iterable[Var] | None = None) -> list[Result]:
    """Every hidden count of the tables with its feasible range and whether the protection rule holds.

    `only`: audit only the components holding these variables (secondary suppression re-audits one).
    """
    problem = build(tables)
    return solve(problem, only)


def solve(
    problem: Problem, only: Iterable[Var] | None = None, first: bool = False, markers: frozenset[Var] = frozenset()
) -> list[Result]:
    """The audit of a built problem (see `audit`); `markers`: counts pinned by what may not be hidden
    (`repair`), reported but not failed; `first` (while repairing): the markers are not solved for again."""
    unknown = {v for v in problem.true if v not in problem.published}
    wanted = set(only) if only is not None else None
    results: list[Result] = []
    for number, (vars_, cons) in enumerate(_components(problem, unknown)):
        if wanted is not None and not wanted.intersection(vars_):
            continue
        targets = [v for v in vars_ if problem.true.get(v) is not None]
        audited = [v for v in targets if _audited(problem, v)]
        ranges = _ranges(vars_, cons, problem, audited, first, markers) if cons else {}
        for var in targets:
            k = problem.k[var[0]]
            true = problem.true.get(var)
            if var in ranges:
                lo, hi, _exact = ranges[var]
            else:
                lo, hi = _bounds(problem, var)
                if not cons and var not in problem.stated:
                    lo, hi = 0.0, math.inf
            passed = protected(true, lo, hi, k) if var in audited else True
            status = "marker" if var in markers and not passed else ("pass" if passed else "fail")
            results.append(Result(problem.table[var], var[0], var[1], true, lo, hi, k, var in audited, status, number))
    return results


def failures(results: Iterable[Result]) -> list[Result]:
    """The audited counts outside their protection interval."""
    return [r for r in results if not r.passed]


def frame(results: Sequence[Result]) -> pd.DataFrame:
    """The audit as a table (restricted: it holds the hidden values)."""
    return pd.DataFrame(
        {
            "file": [r.table for r in results],
            "scope": [r.scope for r in results],
            "cell": [r.key for r in results],
            "true_value": [r.true for r in results],
            "lo": [r.lo for r in results],
            "hi": [r.hi for r in results],
            "k": [r.k for r in results],
            "audited": [r.audited for r in results],
            "status": [r.status for r in results],
        }
    )


def cell_key(cell: Sequence[Hashable]) -> str:
    """A cell's key as messages and the audit file write it (never its value)."""
    return register_cells.cell_text(tuple(cell))


class AuditFailure(Exception):
    """A hidden count no further suppression can protect: names the published file and the row key, never the value."""

    def __init__(self, table: str, cell: Cell) -> None:
        self.table = table
        self.cell = cell
        super().__init__(
            f"disclosure audit failed: in {table}, the hidden count {cell_key(cell)} can be worked out from the "
            "published counts and no further cell can be hidden to protect it"
        )


def neighbours(problem: Problem, var: Var) -> list[Var]:
    """Published counts in a constraint with `var`, in order of first appearance."""
    out: dict[Var, None] = {}
    for expr, _ in (*problem.eq, *problem.le):
        if var in expr:
            out.update((v, None) for v in expr if v in problem.published)
    return list(out)


#: The frame of a report: who was invited, responded and was interviewed (per group) and the bases of the
#: themes. Secondary suppression never hides them (a frame count is hidden only when it is itself from 1 to
#: k-1): they are the denominators of everything else, the groups shown have at least the minimum group base,
#: and they are mostly sums of one another, so hiding one rarely frees anything and blanks every rate beside
#: it (plp-2021: repair hid the BME interviews, 6, which the total 12 minus the senior leaders' 6 gives back).
#: A hidden count pinned only through them is reported as pinned by the markers (`classify`).
FRAME: frozenset[str] = frozenset(
    {
        "invited",
        "responses",
        "counted",
        "uninvited",
        "anonymous",
        "pairs",
        "complete_pairs",
        "interviews",
        "interview_pairs",
        "base",
    }
)


def _not_frame(cost: Callable[[Var], tuple[int, ...] | None]) -> Callable[[Var], tuple[int, ...] | None]:
    def hideable(var: Var) -> tuple[int, ...] | None:
        return None if var[1][0] in FRAME else cost(var)

    return hideable


def repair(
    make: Callable[[set[Var]], Problem],
    hidden: set[Var],
    cost: Callable[[Var], tuple[int, ...] | None],
    markers: set[Var] | None = None,
    scope: str | None = None,
) -> set[Var]:
    """Secondary suppression by the audit: while a hidden count fails the protection rule, hide one more count.

    `make(hidden)` builds the problem with the given counts hidden (it may hide more, e.g. counts of the same
    people, and adds them to the set); `cost(var)` is the sort key of hiding `var`, or None when it cannot be
    hidden (a structural zero, a count published elsewhere, another scope's). Per round, for each failing
    count (unless a count hidden for another in this round is among its choices), the cheapest hideable
    published count in a constraint with it is hidden; when there is none, the cheapest in a constraint with a
    hidden count of one of its constraints (up to three steps away). Each round re-audits only the components
    of the last failures and of the new hidden counts. A failing count with nothing left to hide near it is
    pinned by what may never be hidden (the frame, zeros, other scopes' counts): it is added to
    `markers` (reported by the audit, docs/threat-model.md) and the next one is taken.
    """
    cost = _not_frame(cost)
    only: set[Var] | None = None
    pinned = markers if markers is not None else set()
    while True:
        before = set(hidden)
        problem = make(hidden)
        if only is not None:  # counts `make` hid with the chosen ones are audited too
            only |= hidden - before
        if only is None and scope is not None:  # the scope's counts and every count in a constraint with one
            only = {v for expr, _ in (*problem.eq, *problem.le) if any(u[0] == scope for u in expr) for v in expr}
        failed = failures(solve(problem, only, first=True, markers=frozenset(pinned)))
        if not failed:
            return hidden
        index = _index(problem)
        new: set[Var] = set()
        hopeless = _pinned_anyway(problem, [r for r in failed if r.var not in pinned], cost)
        for target in failed:
            pool = _pool(problem, index, target.var, cost)
            if not pool or target.var in hopeless:
                pinned.add(target.var)
            elif not new.intersection(pool):  # one more hidden count per failure, shared where it can be
                new.add(min(pool, key=lambda v: cast(tuple[int, ...], cost(v))))
        hidden |= new
        only = {r.var for r in failed} | new


def _pinned_anyway(
    problem: Problem, failed: Sequence[Result], cost: Callable[[Var], tuple[int, ...] | None]
) -> set[Var]:
    """The failing counts still outside their protection interval with every hideable published count hidden:
    pinned by the counts repair may not hide (the frame, zeros, other scopes'), so hiding more cannot
    free them (without this, repair hides count after count near them, up to the bases and totals, in vain)."""
    if not failed:
        return set()
    relaxed = replace(
        problem,
        published={v: x for v, x in problem.published.items() if cost(v) is None},
        le=[c for i, c in enumerate(problem.le) if i not in problem.statistics],  # a median or mean can be hidden
        statistics=set(),
    )
    unknown = {v for v in relaxed.true if v not in relaxed.published}
    wanted = {r.var for r in failed}
    out: set[Var] = set()
    for vars_, cons in _components(relaxed, unknown):
        targets = [v for v in vars_ if v in wanted]
        if not targets or not cons:
            continue
        ranges = _ranges(vars_, cons, relaxed, targets)
        for var in targets:
            lo, hi, _exact = ranges[var]
            if not protected(relaxed.true.get(var), lo, hi, relaxed.k[var[0]]):
                out.add(var)
    return out


def _index(problem: Problem) -> dict[Var, list[Expr]]:
    """The constraints each variable is in."""
    out: dict[Var, list[Expr]] = {}
    for expr, _ in (*problem.eq, *problem.le):
        for var in expr:
            out.setdefault(var, []).append(expr)
    return out


def _pool(
    problem: Problem, index: Mapping[Var, list[Expr]], var: Var, cost: Callable[[Var], tuple[int, ...] | None]
) -> list[Var]:
    """Hideable published counts in a constraint with `var`, else with a hidden count in one with it."""
    seen = {var}
    frontier = [var]
    for _depth in range(3):
        pool: dict[Var, None] = {}
        hidden_next: list[Var] = []
        for v in frontier:
            for expr in index.get(v, []):
                for u in expr:
                    if u in seen:
                        continue
                    seen.add(u)
                    if u in problem.published:
                        if cost(u) is not None:
                            pool[u] = None
                    else:
                        hidden_next.append(u)
        if pool:
            return list(pool)
        frontier = hidden_next
    return []


def classify(problem: Problem, results: Sequence[Result]) -> list[Result]:
    """Failures pinned by what may not be hidden marked `marker`: no published non-zero count in a constraint with
    them (every count beside them is hidden or zero), or still pinned with every published non-zero count but
    the frame freed (`_pinned_anyway`: the markers, the zeros and the frame pin them); the rest unchanged
    (docs/threat-model.md)."""
    index = _index(problem)

    def near(var: Var) -> bool:
        return any(problem.published.get(u) for expr in index.get(var, []) for u in expr if u != var)

    def nonzero(var: Var) -> tuple[int, ...] | None:
        return None if problem.published.get(var) == 0 else (0,)

    anyway = _pinned_anyway(problem, [r for r in results if r.status == "fail"], _not_frame(nonzero))
    out: list[Result] = []
    for r in results:
        if r.status == "fail" and (not near(r.var) or r.var in anyway):
            r = Result(r.table, r.scope, r.cell, r.true, r.lo, r.hi, r.k, r.audited, "marker", r.component)
        out.append(r)
    return out
