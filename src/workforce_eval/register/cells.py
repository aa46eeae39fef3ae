"""The cells disclosure control models and the additive relations between them.

A register row shows or rests on at most two *cells* (counts): its numerator and its denominator, as the
measure catalogue (`register.measures`) says for each (analysis, measure) with cell templates filled from
the row (`row_cells`, `row_values`). Cells are linked by additive relations, total = sum of parts: each
shape of relation is a `RelationFamily`, built for a register by `relations` from cohort.json's groups
and items. Some cells no row shows can be computed from shown ones (`COMPLEMENTS`); the participation
flows are cells too but not hidden for being small (`PARTICIPATION_FLOWS`).

The relations are written once, as the code below; their description (docs/data-contract.md, the
relations section) is generated from it: `markdown_table()` runs the same code on an example cohort
(`EXAMPLE_META`, `EXAMPLE_CELLS`) and shows one relation of each family beside its meaning, and a test keeps
the document equal to it (`python -m workforce_eval.register.cells` prints it).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from workforce_eval.register import measures

#: A cell: its name, then the parts that tell it apart (e.g. ("answered", item, group)).
Cell = tuple[Hashable, ...]
#: An additive relation: (total, parts), total = the sum of the parts.
Relation = tuple[Cell, tuple[Cell, ...]]


# -- cells of a row ----------------------------------------------------------------------------
def _top_level(item: str, items: Mapping[str, Mapping[str, Any]]) -> str | None:
    levels = items.get(item, {}).get("levels") if item in items else None
    return str(levels[-1]) if levels else None


def _fill(
    template: measures.Template | None, row: Mapping[str, Any], items: Mapping[str, Mapping[str, Any]]
) -> Cell | None:
    if template is None:
        return None
    parts: list[Hashable] = []
    for part in template:
        if part is measures.Field.TOP_LEVEL:
            top = _top_level(str(row["item"]), items)
            if top is None:
                raise LookupError("no top level")
            parts.append(top)
        elif isinstance(part, measures.Field):
            parts.append(str(row[part.value]))
        else:
            parts.append(part)
    return tuple(parts)


def row_cells(row: Mapping[str, Any], items: Mapping[str, Mapping[str, Any]]) -> tuple[Cell | None, Cell | None]:
    """(numerator cell, denominator cell) a register row shows or rests on; None where it has none.

    `items`: cohort.json's items by id (for the top level of a yes/no item).
    """
    entry = measures.lookup(row["analysis"], row["measure"])
    if entry is None or not entry.modelled:
        return None, None
    try:
        return _fill(entry.numerator, row, items), _fill(entry.denominator, row, items)
    except LookupError:
        return None, None


def row_values(row: Mapping[str, Any]) -> tuple[object, object]:
    """The counts a row states for its (numerator, denominator) cells (None where it states none)."""
    entry = measures.lookup(row["analysis"], row["measure"])
    if entry is None:
        return row["n"], row["denominator"]
    num = row[entry.numerator_column] if entry.numerator_column else None
    den = row[entry.denominator_column] if entry.denominator_column else None
    return num, den


# -- relations ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class RelationFamily:
    """Additive relations of one shape (total = sum of parts): its name and what it means. Which cells it
    relates is the code's (`_family_relations`); `markdown_table` shows an example of each."""

    name: str
    description: str


RELATION_FAMILIES: tuple[RelationFamily, ...] = (
    RelationFamily("responses", "all responses = sum of the groups"),
    RelationFamily("combined group", "a combined group = sum of its member groups"),
    RelationFamily(
        "counted responses", "all responses = those the response rate counts + those from people not invited"
    ),
    RelationFamily(
        "invited = responded + not",
        "invited people = those who responded + those who did not (both derived, never shown: `COMPLEMENTS`)",
    ),
    RelationFamily(
        "counted = invited responded + anonymous",
        "the responses the rate counts = those from invited participants + anonymous ones",
    ),
    RelationFamily(
        "pre = linked + pre only", "responses before = linked participants + those who answered only before"
    ),
    RelationFamily(
        "post = linked + post only", "responses after = linked participants + those who answered only after"
    ),
    RelationFamily("post = responses", "responses after (pre_post) count the same responses as response / responses"),
    RelationFamily("pre/post across groups", "each attrition count for all = sum over the groups"),
    RelationFamily("interviews", "all interviews = sum of the groups"),
    RelationFamily("answered across groups", "those answering an item = sum over the groups"),
    RelationFamily("answered = levels", "within a group, those answering = sum of the answer levels"),
    RelationFamily(
        "agree = top two", "% agree counts the top two levels of a likert item (the first two when reverse-coded)"
    ),
    RelationFamily(
        "collapsed = its levels", "a collapsed category (disagree, neutral, agree) = sum of its answer levels"
    ),
    RelationFamily("answered = collapsed", "within a group, those answering = sum of the collapsed categories"),
    RelationFamily("collapsed across groups", "each collapsed category for all = sum over the groups"),
    RelationFamily("level across groups", "each answer level for all = sum over the groups"),
    RelationFamily(
        "theme units across groups", "participants with a theme, subtheme or code, per source, = sum over the groups"
    ),
    RelationFamily("theme base across groups", "participants with any coded data, per source, = sum over the groups"),
    RelationFamily(
        "co-occurrence across groups", "participants with a passage coded under both, per source, = sum over the groups"
    ),
    RelationFamily(
        "document co-occurrence across groups",
        "participants with both in one document, per source, = sum over the groups",
    ),
    RelationFamily(
        "matrix values = theme",
        "where attribute a's values partition source p's participants (matrix `level` = p): "
        "participants with t over the values = the theme's participants",
    ),
    RelationFamily(
        "matrix bases = theme base", "likewise, the values' participants with coded data = the theme's base of source p"
    ),
)


def top_levels(item: Mapping[str, Any]) -> tuple[str, str] | None:
    """Raw labels of the two favourable levels of a likert item (the first two when reverse-coded)."""
    levels = [str(x) for x in item.get("levels") or []]
    if len(levels) < 2:
        return None
    return (levels[0], levels[1]) if item.get("reverse") else (levels[-1], levels[-2])


def _family_relations(present: set[Cell], meta: Mapping[str, Any]) -> Iterator[tuple[str, Cell, Sequence[Cell]]]:
    """(family name, total, parts) of every relation shape over the present cells, in a fixed order."""
    groups = [str(g["code"]) for g in meta.get("groups", [])]
    yield "responses", ("responses", "all"), [("responses", g) for g in groups]
    for combo in meta.get("combined_groups", []):
        members = [("responses", str(m)) for m in combo.get("groups", [])]
        yield "combined group", ("responses", str(combo["code"])), members
    yield "counted responses", ("responses", "all"), [("counted",), ("uninvited",)]
    yield "invited = responded + not", ("invited",), [("invited_responded",), ("nonresponse",)]
    yield "counted = invited responded + anonymous", ("counted",), [("invited_responded",), ("anonymous",)]
    for group in ["all", *groups]:
        yield "pre = linked + pre only", ("pre", group), [("linked", group), ("pre_only", group)]
        yield "post = linked + post only", ("post", group), [("linked", group), ("post_only", group)]
        yield "post = responses", ("responses", group), [("post", group)]
    for name in ("pre", "post", "linked", "pre_only", "post_only"):
        yield "pre/post across groups", (name, "all"), [(name, g) for g in groups]
    yield "interviews", ("interviews", "all"), [("interviews", g) for g in groups]
    items = {str(i["id"]): i for i in meta.get("items", [])}
    level_cells = sorted({c for c in present if c[0] == "level"}, key=str)
    answered_items = sorted({str(c[1]) for c in present if c[0] == "answered"})
    for item in answered_items:
        yield "answered across groups", ("answered", item, "all"), [("answered", item, g) for g in groups]
        spec = items.get(item, {})
        levels = [str(x) for x in (spec.get("levels") or [])]
        if not levels:
            levels = sorted({str(c[2]) for c in level_cells if c[1] == item})
        for group in ["all", *groups]:
            yield "answered = levels", ("answered", item, group), [("level", item, lv, group) for lv in levels]
            top = top_levels(spec) if spec.get("type") == "likert" else None
            if top:
                yield "agree = top two", ("agree", item, group), [("level", item, lv, group) for lv in top]
        for lv in levels:
            yield "level across groups", ("level", item, lv, "all"), [("level", item, lv, g) for g in groups]
        categories = measures.collapsed_levels(spec) if spec.get("type") == "likert" else {}
        for group in ["all", *groups]:
            for cat, worded in categories.items():
                category: Cell = ("collapsed", item, cat, group)
                yield "collapsed = its levels", category, [("level", item, lv, group) for lv in worded]
            if categories:
                in_three: list[Cell] = [("collapsed", item, cat, group) for cat in categories]
                yield "answered = collapsed", ("answered", item, group), in_three
        for cat in categories:
            by_group: list[Cell] = [("collapsed", item, cat, g) for g in groups]
            yield "collapsed across groups", ("collapsed", item, cat, "all"), by_group
    for node, source in sorted({(c[1], c[3]) for c in present if c[0] == "units"}, key=str):
        yield "theme units across groups", ("units", node, "all", source), [("units", node, g, source) for g in groups]
    for source in sorted({str(c[2]) for c in present if c[0] == "base"}):
        yield "theme base across groups", ("base", "all", source), [("base", g, source) for g in groups]
    cooc = (
        ("cooccurrence", "co-occurrence across groups"),
        ("cooccurrence_document", "document co-occurrence across groups"),
    )
    for name, family in cooc:
        for a, b, source in sorted({(c[1], c[2], c[4]) for c in present if c[0] == name}, key=str):
            yield family, (name, a, b, "all", source), [(name, a, b, g, source) for g in groups]
    yield from _matrix_relations(present)


def _matrix_relations(present: set[Cell]) -> Iterator[tuple[str, Cell, Sequence[Cell]]]:
    """Matrix coding: an attribute's values add up to the theme counts of the source they partition."""
    values: dict[tuple[str, str, str], list[str]] = {}  # (attribute, matrix source, partitioned source) -> subgroups
    for cell in sorted((c for c in present if c[0] == "matrix_base" and c[3]), key=str):
        _base, subgroup, source, part = (str(x) for x in cell)
        values.setdefault((subgroup.split("=", 1)[0], source, part), []).append(subgroup)
    for (_attr, source, part), subgroups in values.items():
        yield "matrix bases = theme base", ("base", "all", part), [("matrix_base", v, source, part) for v in subgroups]
        nodes = sorted({str(c[1]) for c in present if c[0] == "matrix" and c[2] in subgroups and c[4] == part})
        for node in nodes:
            parts = [("matrix", node, v, source, part) for v in subgroups]
            yield "matrix values = theme", ("units", node, "all", part), parts


def relations(cells: Iterable[Cell], meta: Mapping[str, Any]) -> list[Relation]:
    """The additive relations (total, parts) among the given cells; only those whose cells all exist.

    `meta`: cohort.json (groups, combined_groups, items). The shapes are `RELATION_FAMILIES`.
    """
    present = set(cells)
    known = {f.name for f in RELATION_FAMILIES}
    out: list[Relation] = []
    for family, total, parts in _family_relations(present, meta):
        assert family in known, family
        if parts and total in present and all(p in present for p in parts):
            out.append((total, tuple(parts)))
    return out


#: Participation flows: who answered only before, only after, and the invited who did not respond.
#: They say who took part when, not what anyone answered or any attribute of theirs, so they are not
#: hidden for being small (primary suppression); they stay cells of the relations, so they are hidden
#: when that protects another cell. Hiding them when small wiped out whole cohorts (lothian-2: one
#: response after without one before made the 16 responses after, and every item result resting on
#: them, the cheapest cell to hide). See docs/threat-model.md.
PARTICIPATION_FLOWS: frozenset[str] = frozenset({"pre_only", "post_only", "nonresponse"})


#: Cells no register row shows but an intruder can compute from shown ones (a complement): each is
#: (cell, [(sign, cell), ...]) = the signed sum of those cells. Disclosure control protects them when
#: small (1..k-1) and never hides them to protect another cell (hiding what is not shown protects nothing).
COMPLEMENTS: tuple[tuple[Cell, tuple[tuple[int, Cell], ...]], ...] = (
    (("invited_responded",), ((1, ("counted",)), (-1, ("anonymous",)))),
    (("nonresponse",), ((1, ("invited",)), (-1, ("counted",)), (1, ("anonymous",)))),
)


def complements(values: Mapping[Cell, float | None]) -> dict[Cell, float]:
    """The complement cells (`COMPLEMENTS`) whose terms all have a count, with their value (negative ones left out)."""
    out: dict[Cell, float] = {}
    for cell, terms in COMPLEMENTS:
        counts = [values.get(c) for _, c in terms]
        known = [float(v) for v in counts if v is not None]
        if len(known) == len(terms):
            value = sum(sign * v for (sign, _), v in zip(terms, known, strict=True))
            if value >= 0:
                out[cell] = value
    return out


# -- documentation: generated from the code above ----------------------------------------------
#: The example cohort the relations table is drawn for: groups g1 and g2, combined group c (g1 + g2), a
#: likert item i with answer levels l1 to l5, and the coded data of the present cells below.
EXAMPLE_META: Mapping[str, Any] = {
    "groups": [{"code": "g1"}, {"code": "g2"}],
    "combined_groups": [{"code": "c", "groups": ["g1", "g2"]}],
    "items": [{"id": "i", "type": "likert", "levels": ["l1", "l2", "l3", "l4", "l5"]}],
}
#: The example's cells that relations are found from (the others follow from cohort.json): item i answered;
#: theme t and co-coded codes a and b in source s; attribute a's values v1 and v2 partitioning source p.
EXAMPLE_CELLS: frozenset[Cell] = frozenset(
    {
        ("answered", "i", "all"),
        ("units", "t", "g1", "s"),
        ("base", "g1", "s"),
        ("cooccurrence", "a", "b", "g1", "s"),
        ("cooccurrence_document", "a", "b", "g1", "s"),
        ("matrix_base", "a=v1", "all", "p"),
        ("matrix_base", "a=v2", "all", "p"),
        ("matrix", "t", "a=v1", "all", "p"),
    }
)


def cell_text(cell: Cell) -> str:
    """A cell as the documentation writes it: `answered(i, g1)`, or the bare name of a cell without parts."""
    name, *parts = (str(x) for x in cell)
    return f"{name}({', '.join(parts)})" if parts else name


def examples() -> dict[str, tuple[Cell, Sequence[Cell]]]:
    """The first relation of each family the code builds for the example cohort, by family name."""
    out: dict[str, tuple[Cell, Sequence[Cell]]] = {}
    for family, total, parts in _family_relations(set(EXAMPLE_CELLS), EXAMPLE_META):
        out.setdefault(family, (total, parts))
    return out


def markdown_table() -> str:
    """The relation families and the complements as Markdown (the relations section of docs/data-contract.md),
    each family with the relation its code builds first for the example cohort (`EXAMPLE_META`)."""
    shown = examples()
    lines = ["| relation | for example | = sum of | meaning |", "|---|---|---|---|"]
    for f in RELATION_FAMILIES:
        total, parts = shown[f.name]
        lines.append(f"| {f.name} | {cell_text(total)} | {' + '.join(cell_text(p) for p in parts)} | {f.description} |")
    lines += ["", "| complement (no row shows it) | = |", "|---|---|"]
    for cell, terms in COMPLEMENTS:
        signed = " ".join(f"{'+' if sign > 0 else '−'} {cell_text(term)}" for sign, term in terms)
        lines.append(f"| {cell_text(cell)} | {signed.removeprefix('+ ')} |")
    flows = ", ".join(sorted(PARTICIPATION_FLOWS))
    lines += ["", f"Participation flows, in the relations but not hidden for being small: {flows}."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
