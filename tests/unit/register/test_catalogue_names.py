"""Measure and analysis names are written only as the catalogue's constants (`register.measures`).

An AST scan of src/: a string literal equal to a catalogue analysis or measure name fails the test where it
names a register row, that is
- as the analysis or measure of the register query (`select`, `one`, `find`) or of `Row(...)`;
- as a pair of consecutive literal arguments of any call that form a catalogue key (`_share("composition", "share")`);
- compared with a register column (`stats["measure"] == "..."`, `.eq(...)`, `.ne(...)`, `.isin([...])`, `in (...)`).
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator
from pathlib import Path

from workforce_eval.register import measures

SRC = Path(__file__).resolve().parents[3] / "src" / "workforce_eval"

#: The catalogue itself defines the names.
CATALOGUE_FILE = Path("register/measures.py")

#: Files left out of the scan (none: every module is migrated).
PENDING: frozenset[Path] = frozenset()

ANALYSES = frozenset(m.analysis for m in measures.CATALOGUE)
MEASURES = frozenset(m.measure for m in measures.CATALOGUE)
NAMES = ANALYSES | MEASURES
KEYS = frozenset(measures.BY_KEY)
QUERIES = frozenset({"select", "one", "find"})
KEY_COLUMNS = frozenset({"analysis", "measure"})


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _literal(node: ast.expr | None, names: frozenset[str] = NAMES) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in names:
        return node.value
    return None


def _is_key_column(node: ast.expr) -> bool:
    """`x["analysis"]`, `x["measure"]` or `x.analysis`, `x.measure`."""
    if isinstance(node, ast.Subscript):
        return isinstance(node.slice, ast.Constant) and node.slice.value in KEY_COLUMNS
    return isinstance(node, ast.Attribute) and node.attr in KEY_COLUMNS


def _elements(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return list(node.elts)
    return [node]


def literals(tree: ast.AST) -> Iterator[tuple[int, str, str]]:
    """(line, literal, where) of each catalogue name written as a literal where it names a register row."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name in QUERIES or name == "Row":
                first = 1 if name in QUERIES else 0  # the query's first argument is the register
                for arg in node.args[first : first + 2]:
                    if (hit := _literal(arg)) is not None:
                        yield node.lineno, hit, f"{name}(...)"
                for kw in node.keywords:
                    if kw.arg in KEY_COLUMNS and (hit := _literal(kw.value)) is not None:
                        yield node.lineno, hit, f"{name}({kw.arg}=...)"
            for a, b in itertools.pairwise(node.args):
                pair = (_literal(a, ANALYSES), _literal(b, MEASURES))
                if pair[0] is not None and pair[1] is not None and pair in KEYS:
                    yield node.lineno, f"{pair[0]}/{pair[1]}", f"{name or 'call'}(...)"
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in ("eq", "ne", "isin") and _is_key_column(func.value):
                for arg in node.args:
                    for element in _elements(arg):
                        if (hit := _literal(element)) is not None:
                            yield node.lineno, hit, f".{func.attr}(...) on a register column"
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_is_key_column(s) for s in sides):
                for side in sides:
                    for element in _elements(side):
                        if (hit := _literal(element)) is not None:
                            yield node.lineno, hit, "comparison with a register column"


def offences(root: Path = SRC, pending: frozenset[Path] = PENDING) -> list[str]:
    out = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if rel == CATALOGUE_FILE or rel in pending:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        out.extend(f"{rel}:{line}: {hit!r} in {where}" for line, hit, where in literals(tree))
    return out


def test_no_catalogue_name_as_a_literal() -> None:
    found = offences()
    assert not found, "use the catalogue's constants (register.measures) instead of:\n" + "\n".join(found)


def test_the_scan_finds_each_kind_of_literal() -> None:
    code = """
one(stats, "response", INVITED)
register.select(stats, RESPONSE, measure="pct_agree")
Row("item", PCT_YES, 1.0)
_share("composition", "share", 3, 4)
stats[stats["analysis"] == "model"]
row.measure in ("odds_ratio", COEFFICIENT)
stats["measure"].isin([PCT_YES, "mean"])
"""
    hits = sorted((line, hit) for line, hit, _ in literals(ast.parse(code)))
    assert hits == [
        (2, "response"),
        (3, "pct_agree"),
        (4, "item"),
        (5, "composition/share"),
        (6, "model"),
        (7, "odds_ratio"),
        (8, "mean"),
    ]


def test_constants_and_other_literals_pass() -> None:
    code = """
one(stats, RESPONSE, INVITED, group="all", item="")
Row(ITEM, PCT_YES, 1.0, method="wilson", level="pre")
stats[stats["group"] == "all"]
label = "response rate"
"""
    assert list(literals(ast.parse(code))) == []
