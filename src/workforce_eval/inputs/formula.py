"""The model-formula grammar: the only formulas a cohort may declare, parsed without Python evaluation.

Cohort folders are untrusted, and patsy evaluates every factor of a formula as Python code, so a
formula from `cohort.yaml` never reaches patsy as written. It is parsed here by a small grammar of
our own; the parse is then rendered back into a canonical formula (`Formula.canonical`) whose every
token the grammar produced, and statsmodels builds the design from that text with an evaluation
namespace holding only the whitelisted functions (`namespace`).

Grammar (whitespace between tokens is ignored)::

    formula   := expr "~" expr
    expr      := product (("+" | "-") product)*
    product   := interact ("*" interact)*
    interact  := atom (":" atom)*
    atom      := NAME | "0" | "1" | "(" expr ")" | call
    call      := "C(" NAME ["," "Treatment(" STRING ")"] ")"
               | "np." FUNC "(" NAME ")"            FUNC in log, log1p, sqrt, exp
               | "I(" NAME "**" INT ")"              INT in 2..4
               | "center(" NAME ")" | "standardize(" NAME ")"
    NAME      := [A-Za-z_][A-Za-z0-9_]*  (not a function name)
    STRING    := '...' or "..." of letters, digits, spaces and . , / + - _ ( ) (a reference level)

Anything else (attribute chains, other calls, subscripts, strings elsewhere, operators patsy knows
but we do not use) is a `FormulaError`, which cleaning turns into an `InputError` at the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType, SimpleNamespace
from typing import Any

import numpy as np

#: numpy transforms a formula may apply to one name.
NP_FUNCTIONS: tuple[str, ...] = ("log", "log1p", "sqrt", "exp")
#: patsy stateful transforms a formula may apply to one name.
TRANSFORMS: tuple[str, ...] = ("center", "standardize")
#: Powers `I(name ** k)` may use.
POWERS: tuple[int, ...] = (2, 3, 4)
#: Words that are functions of the grammar, never names of variables.
RESERVED: frozenset[str] = frozenset({"C", "I", "np", "Treatment", *TRANSFORMS})
#: Longest formula accepted (characters).
MAX_LENGTH = 2000

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<number>[0-9]+)
      | (?P<string>'[\w .,/+()-]*'|"[\w .,/+()-]*")
      | (?P<op>\*\*|[~+\-*:(),.])
    )""",
    re.VERBOSE,
)


class FormulaError(ValueError):
    """A formula outside the grammar (the reason in the message)."""


@dataclass(frozen=True)
class Name:
    """A variable: an item, construct or survey column."""

    name: str

    def render(self) -> str:
        return self.name


@dataclass(frozen=True)
class Constant:
    """`0` or `1` (the intercept)."""

    value: int

    def render(self) -> str:
        return str(self.value)


@dataclass(frozen=True)
class Call:
    """A whitelisted function of one name: `C`, `np.<f>`, `I(x ** k)`, `center`, `standardize`."""

    function: str
    name: str
    reference: str | None = None
    power: int | None = None

    def render(self) -> str:
        if self.function == "C":
            return f"C({self.name}, Treatment({self.reference!r}))" if self.reference is not None else f"C({self.name})"
        if self.function == "I":
            return f"I({self.name} ** {self.power})"
        return f"{self.function}({self.name})"


@dataclass(frozen=True)
class Group:
    """A parenthesised expression."""

    inner: Node

    def render(self) -> str:
        return f"({self.inner.render()})"


@dataclass(frozen=True)
class BinOp:
    """`left op right` with op one of + - * :."""

    op: str
    left: Node
    right: Node

    def render(self) -> str:
        return (
            f"{self.left.render()} {self.op} {self.right.render()}"
            if self.op in "+-*"
            else (f"{self.left.render()}:{self.right.render()}")
        )


Node = Name | Constant | Call | Group | BinOp


@dataclass(frozen=True)
class Formula:
    """A parsed formula: outcome and predictors."""

    lhs: Node
    rhs: Node

    @property
    def outcome(self) -> str:
        """The outcome's variable name (the left side must be one name)."""
        assert isinstance(self.lhs, Name)
        return self.lhs.name

    @property
    def canonical(self) -> str:
        """The formula rendered from the parse: the only text statsmodels is given."""
        return f"{self.lhs.render()} ~ {self.rhs.render()}"

    def transformed(self) -> list[str]:
        """Names under a numeric transform (`np.log`, `I(x ** k)`, `center`, `standardize`; not `C`)."""
        out: list[str] = []

        def walk(node: Node) -> None:
            if isinstance(node, Call) and node.function != "C" and node.name not in out:
                out.append(node.name)
            elif isinstance(node, Group):
                walk(node.inner)
            elif isinstance(node, BinOp):
                walk(node.left)
                walk(node.right)

        walk(self.rhs)
        return out

    def names(self) -> list[str]:
        """Every variable name, in order of appearance, without repeats."""
        out: list[str] = []

        def walk(node: Node) -> None:
            if isinstance(node, Name | Call):
                if node.name not in out:
                    out.append(node.name)
            elif isinstance(node, Group):
                walk(node.inner)
            elif isinstance(node, BinOp):
                walk(node.left)
                walk(node.right)

        walk(self.lhs)
        walk(self.rhs)
        return out


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise FormulaError(f"character {text[pos].strip() or 'space'!r} at position {pos + 1} is not allowed")
        kind = m.lastgroup
        assert kind is not None
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, kind: str, value: str | None = None) -> str:
        tok = self.peek()
        if tok is None or tok[0] != kind or (value is not None and tok[1] != value):
            want = repr(value) if value is not None else f"a {kind}"
            got = repr(tok[1]) if tok else "the end"
            raise FormulaError(f"{want} expected, {got} found")
        self.i += 1
        return tok[1]

    def at(self, value: str) -> bool:
        tok = self.peek()
        return tok is not None and tok[0] in ("op", "name") and tok[1] == value

    def formula(self) -> Formula:
        lhs = self.atom()
        if not isinstance(lhs, Name):
            raise FormulaError("the outcome (left of ~) must be one item or construct name")
        self.take("op", "~")
        rhs = self.expr(0)
        if self.peek() is not None:
            raise FormulaError(f"{self.peek()[1]!r} is not allowed here")  # type: ignore[index]
        return Formula(lhs, rhs)

    def expr(self, depth: int) -> Node:
        if depth > 20:
            raise FormulaError("parentheses nested too deeply")
        node = self.product(depth)
        while self.at("+") or self.at("-"):
            op = self.take("op")
            node = BinOp(op, node, self.product(depth))
        return node

    def product(self, depth: int) -> Node:
        node = self.interact(depth)
        while self.at("*"):
            self.take("op")
            node = BinOp("*", node, self.interact(depth))
        return node

    def interact(self, depth: int) -> Node:
        node = self.atom(depth)
        while self.at(":"):
            self.take("op")
            node = BinOp(":", node, self.atom(depth))
        return node

    def name(self) -> str:
        word = self.take("name")
        if word in RESERVED:
            raise FormulaError(f"{word!r} is a function, not a variable")
        return word

    def atom(self, depth: int = 0) -> Node:
        tok = self.peek()
        if tok is None:
            raise FormulaError("a term expected, the end found")
        kind, value = tok
        if kind == "number":
            self.i += 1
            if value not in ("0", "1"):
                raise FormulaError(f"the constant {value!r} (only 0 and 1 may stand alone)")
            return Constant(int(value))
        if kind == "op" and value == "(":
            self.i += 1
            inner = self.expr(depth + 1)
            self.take("op", ")")
            return Group(inner)
        if kind != "name":
            raise FormulaError(f"{value!r} is not allowed here")
        if value == "C":
            self.i += 1
            self.take("op", "(")
            name = self.name()
            reference = None
            if self.at(","):
                self.take("op")
                self.take("name", "Treatment")
                self.take("op", "(")
                reference = self.take("string")[1:-1]
                self.take("op", ")")
            self.take("op", ")")
            return Call("C", name, reference)
        if value == "np":
            self.i += 1
            self.take("op", ".")
            function = self.take("name")
            if function not in NP_FUNCTIONS:
                raise FormulaError(
                    f"np.{function} is not allowed (allowed: {', '.join('np.' + f for f in NP_FUNCTIONS)})"
                )
            self.take("op", "(")
            name = self.name()
            self.take("op", ")")
            return Call(f"np.{function}", name)
        if value == "I":
            self.i += 1
            self.take("op", "(")
            name = self.name()
            self.take("op", "**")
            power = int(self.take("number"))
            if power not in POWERS:
                raise FormulaError(f"the power {power} (allowed: {', '.join(map(str, POWERS))})")
            self.take("op", ")")
            return Call("I", name, power=power)
        if value in TRANSFORMS:
            self.i += 1
            self.take("op", "(")
            name = self.name()
            self.take("op", ")")
            return Call(value, name)
        name = self.name()
        if self.at("(") or self.at("."):
            raise FormulaError(f"{name!r} is not a function of the formula grammar")
        return Name(name)


def parse(text: str) -> Formula:
    """Parse a model formula; FormulaError (with the reason) when it is outside the grammar."""
    if not isinstance(text, str):
        raise FormulaError("a formula must be text")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"longer than {MAX_LENGTH} characters")
    if text.count("~") != 1:
        raise FormulaError("one '~' between the outcome and the predictors")
    return _Parser(text).formula()


def namespace(categorical: Any) -> dict[str, Any]:
    """The evaluation namespace of a canonical formula: `C` (given), a numpy with only the allowed transforms.

    patsy adds its own builtins (`I`, `center`, `standardize`, `Treatment`, ...) as the outer namespace.
    """
    np_subset = SimpleNamespace(**{f: getattr(np, f) for f in NP_FUNCTIONS})
    return dict(MappingProxyType({"C": categorical, "np": np_subset}))
