"""A typed, read-only view of `clean/cohort.json` (docs/architecture.md, "cohort.json").

`clean` writes cohort.json (`inputs.clean.metadata`); every later step reads it once with `load` and
passes the `Cohort` on. The queries the analyses, figures and reports need live here, so that no
caller filters the raw item list itself: `cohort.likert_items`, `cohort.items_of("likert", "numeric")`,
`cohort.constructs`, `cohort.group_labels()`, `cohort.reversed_items`, `cohort.scales`, ...

The view never changes the file: `document` is the parsed JSON as written (read-only), for the
layers below `inputs` (register, stats) whose helpers take a plain mapping.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from workforce_eval import layout
from workforce_eval.inputs.spec import ITEM_TYPES, SCALED_TYPES
from workforce_eval.names import DESIGNS, PRE_POST

#: The file name `clean` writes under a cohort's `clean/` folder (`layout.COHORT_JSON`).
FILE_NAME = layout.COHORT_JSON


@dataclass(frozen=True)
class Group:
    """A respondent group: its code (the survey's `group` value) and label."""

    code: str
    label: str


@dataclass(frozen=True)
class CombinedGroup:
    """A reporting group made of several groups (cohort.yaml `combined_groups`)."""

    code: str
    label: str
    groups: tuple[str, ...]


@dataclass(frozen=True)
class Scale:
    """An answer scale: its id and ordered levels (lowest first, as the instrument declares them)."""

    id: str
    levels: tuple[str, ...]


@dataclass(frozen=True)
class Item:
    """One survey item as cohort.json records it."""

    id: str
    text: str
    type: str
    scale: str | None = None
    levels: tuple[str, ...] = ()
    construct: str | None = None
    reverse: bool = False
    #: Which end of the item's codes is favourable (instrument.yaml `favourable`, the item's or its scale's):
    #: `high` (the default, and always for a reverse-coded item, whose codes are turned) or `low`.
    favourable: str = "high"
    #: The scale's declared `meaning` (instrument.yaml), "" when it declares none (`meaning` infers one).
    declared_meaning: str = ""

    @property
    def label(self) -> str:
        """The item's text, or its id when it has none."""
        return self.text or self.id

    @property
    def scaled(self) -> bool:
        """True for items answered on a scale of levels (likert, yesno, choice)."""
        return self.type in SCALED_TYPES

    @property
    def top_level(self) -> str | None:
        """The last answer level (e.g. `Yes`, `Strongly agree`), or None for an item without levels."""
        return self.levels[-1] if self.levels else None

    @property
    def favourable_high(self) -> bool:
        """Whether high codes (`Yes`, the top levels after reverse coding, a rise) are the favourable answers."""
        return self.favourable != "low"

    @property
    def meaning(self) -> str:
        """What the item's answers mean (`SCALE_MEANINGS`): the scale's declared `meaning`, else inferred."""
        return self.declared_meaning or infer_meaning(self.type, self.levels)

    @property
    def top_box_label(self) -> str:
        """The label of the item's headline percentage (its top two levels; `Yes` for a yes/no item), from its
        scale's meaning: `% agree`, `% satisfied`, `% Often or Always`, `% Yes`."""
        if self.type == "yesno":
            return f"% {self.top_level or 'Yes'}"
        if self.reverse:
            return "% in top two levels (reverse-coded item)"
        if self.meaning in MEANING_TOP_BOX:
            return MEANING_TOP_BOX[self.meaning]
        if len(self.levels) >= 2:
            return f"% {self.levels[-2]} or {self.levels[-1]}"
        return "% in top two levels"


#: What a scale's answers can mean (instrument.yaml `meaning`); `rating` is any other ordered scale.
SCALE_MEANINGS = ("agreement", "frequency", "satisfaction", "yes_no", "rating")

#: Words in a scale's levels that make its inferred meaning (the first that matches, in this order).
_MEANING_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("agreement", ("agree",)),
    ("satisfaction", ("satisfied",)),
    ("frequency", ("never", "always", "often", "sometimes", "rarely", "times a", "daily", "weekly", "monthly")),
)


#: The headline percentage's label of the meanings that have a word for it (others name their top two levels).
MEANING_TOP_BOX = {"agreement": "% agree", "satisfaction": "% satisfied"}

#: The title of a chart (or table) of items with one meaning; items of several meanings: `MIXED_TITLE`.
MEANING_TITLES = {
    "agreement": "Agreement with survey statements",
    "satisfaction": "Satisfaction, by survey question",
    "frequency": "How often, by survey question",
    "rating": "Answers to survey questions",
    "yes_no": "Yes/no answers to survey questions",
}
MIXED_TITLE = "Answers to survey questions"


def title_for(items: tuple[Item, ...] | list[Item]) -> str:
    """The title of a chart of `items`: their meaning's (`MEANING_TITLES`) when they share one, else `MIXED_TITLE`."""
    meanings = {i.meaning for i in items}
    return MEANING_TITLES.get(meanings.pop(), MIXED_TITLE) if len(meanings) == 1 else MIXED_TITLE


def infer_meaning(item_type: str, levels: tuple[str, ...]) -> str:
    """The meaning of a scale that declares none: `yes_no` for yes/no items, else from words in its levels
    (`agree` -> agreement, `satisfied` -> satisfaction, `never`/`often`/`always`... -> frequency), else `rating`."""
    if item_type == "yesno":
        return "yes_no"
    words = " ".join(levels).casefold()
    for meaning, found in _MEANING_WORDS:
        if any(w in words for w in found):
            return meaning
    return "rating"


@dataclass(frozen=True)
class Construct:
    """A multi-item construct: its id, its label (declared or None) and its items in instrument order."""

    id: str
    label: str | None
    items: tuple[Item, ...]

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)


@dataclass(frozen=True)
class Code:
    """A code of the codebook."""

    id: str
    label: str
    definition: str = ""


@dataclass(frozen=True)
class Subtheme:
    """A subtheme and its codes."""

    id: str
    label: str
    codes: tuple[Code, ...] = ()


@dataclass(frozen=True)
class Theme:
    """A theme and its subthemes."""

    id: str
    label: str
    subthemes: tuple[Subtheme, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """The codebook: themes > subthemes > codes (empty when the cohort has no qualitative data)."""

    themes: tuple[Theme, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.themes)

    def nodes(self) -> Iterator[Theme | Subtheme | Code]:
        """Every node in codebook order: each theme, then each subtheme followed by its codes."""
        for theme in self.themes:
            yield theme
            for sub in theme.subthemes:
                yield sub
                yield from sub.codes

    def node(self, node_id: str) -> Theme | Subtheme | Code:
        """The theme, subtheme or code with that id; KeyError if there is none."""
        for node in self.nodes():
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def labels(self) -> dict[str, str]:
        """Node id -> label, for every node in codebook order."""
        return {n.id: n.label for n in self.nodes()}

    @property
    def subthemes(self) -> tuple[Subtheme, ...]:
        return tuple(s for t in self.themes for s in t.subthemes)

    @property
    def codes(self) -> tuple[Code, ...]:
        return tuple(c for s in self.subthemes for c in s.codes)

    def code_paths(self) -> dict[str, tuple[str, str]]:
        """Code id -> (subtheme id, theme id)."""
        return {c.id: (s.id, t.id) for t in self.themes for s in t.subthemes for c in s.codes}

    def theme_of(self) -> dict[str, str]:
        """Subtheme or code id -> its theme's id."""
        out: dict[str, str] = {}
        for t in self.themes:
            for s in t.subthemes:
                out[s.id] = t.id
                out.update({c.id: t.id for c in s.codes})
        return out


@dataclass(frozen=True)
class Cohort:
    """cohort.json, typed and read-only. Build it with `load` (a file) or `from_document` (parsed JSON)."""

    cohort_id: str
    programme: str
    cohort: str
    design: str
    synthetic: bool
    groups: tuple[Group, ...]
    combined_groups: tuple[CombinedGroup, ...]
    items: tuple[Item, ...]
    codebook: Codebook
    disclosure_threshold: int | None = None
    disclosure_threshold_source: str = ""
    disclosure_threshold_default: int | None = None
    models: tuple[Mapping[str, Any], ...] = ()
    breakdowns: tuple[str, ...] = ()
    extra_survey_columns: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    reports_by: str | None = None
    quotes_per_subtheme: int | None = None
    minimum_group_base: int | None = None
    construct_labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    column_labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    input_sha256: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: The parsed JSON as written, read-only: for the register and stats layers' helpers, which take a mapping.
    document: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), repr=False, compare=False)

    def to_document(self) -> dict[str, Any]:
        """A plain, mutable copy of the parsed JSON (dicts and lists, keys in file order): what `clean` wrote."""
        thawed: dict[str, Any] = _thawed(self.document)
        return thawed

    # -- the design ---------------------------------------------------------------------------
    @property
    def pre_post(self) -> bool:
        """True for a pre/post design."""
        return self.design == PRE_POST

    # -- items ---------------------------------------------------------------------------------
    def item(self, item_id: str) -> Item:
        """The item with that id; KeyError if the instrument has none."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def items_by_id(self) -> dict[str, Item]:
        return {i.id: i for i in self.items}

    def items_of(self, *types: str) -> tuple[Item, ...]:
        """The items of the given types (`spec.ITEM_TYPES`), in instrument order; ValueError for an unknown type."""
        unknown = [t for t in types if t not in ITEM_TYPES]
        if unknown:
            raise ValueError(f"unknown item type {unknown[0]!r}: one of {', '.join(ITEM_TYPES)}")
        return tuple(i for i in self.items if i.type in types)

    @property
    def likert_items(self) -> tuple[Item, ...]:
        """The likert items, in instrument order."""
        return self.items_of("likert")

    @property
    def reversed_items(self) -> tuple[Item, ...]:
        """The reverse-coded items, in instrument order."""
        return tuple(i for i in self.items if i.reverse)

    # -- scales --------------------------------------------------------------------------------
    @property
    def scales(self) -> tuple[Scale, ...]:
        """The scales the items use, in order of first use."""
        seen: dict[str, Scale] = {}
        for item in self.items:
            if item.scale is not None and item.scale not in seen:
                seen[item.scale] = Scale(item.scale, item.levels)
        return tuple(seen.values())

    def scale(self, scale_id: str) -> Scale:
        """The scale with that id; KeyError if no item uses it."""
        for scale in self.scales:
            if scale.id == scale_id:
                return scale
        raise KeyError(scale_id)

    # -- constructs ----------------------------------------------------------------------------
    @property
    def constructs(self) -> tuple[Construct, ...]:
        """The constructs, in order of their first item, each with its items in instrument order."""
        members: dict[str, list[Item]] = {}
        for item in self.items:
            if item.construct:
                members.setdefault(item.construct, []).append(item)
        return tuple(Construct(c, self.construct_labels.get(c), tuple(its)) for c, its in members.items())

    def construct(self, construct_id: str) -> Construct:
        """The construct with that id; KeyError if no item belongs to it."""
        for construct in self.constructs:
            if construct.id == construct_id:
                return construct
        raise KeyError(construct_id)

    @property
    def construct_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.constructs)

    # -- groups --------------------------------------------------------------------------------
    @property
    def group_codes(self) -> tuple[str, ...]:
        """The groups' codes, in cohort order (combined groups not included)."""
        return tuple(g.code for g in self.groups)

    def group_labels(self, *, all_label: str | None = None, combined: bool = False) -> dict[str, str]:
        """Group code -> label, in cohort order (as `register.labels.group_labels`).

        With `all_label`, `all` comes first with that label; with `combined`, the combined groups follow.
        A group without a label is shown by its code.
        """
        out = {"all": all_label} if all_label is not None else {}
        named: list[Group | CombinedGroup] = [*self.groups, *(self.combined_groups if combined else ())]
        for g in named:
            out[g.code] = g.label or g.code
        return out

    def group_label(self, code: str) -> str:
        """The label of a group or combined group (its code when it has none); KeyError for an unknown code."""
        labels = self.group_labels(combined=True)
        return labels[code]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _item(doc: Mapping[str, Any]) -> Item:
    kind = str(doc["type"])
    if kind not in ITEM_TYPES:
        raise ValueError(f"item {doc.get('id')!r}: unknown type {kind!r} (one of {', '.join(ITEM_TYPES)})")
    return Item(
        id=str(doc["id"]),
        text=_text(doc.get("text")),
        type=kind,
        scale=None if doc.get("scale") is None else str(doc["scale"]),
        levels=tuple(str(v) for v in doc.get("levels") or ()),
        construct=str(doc["construct"]) if doc.get("construct") else None,
        reverse=bool(doc.get("reverse", False)),
        favourable="low" if doc.get("favourable") == "low" and not doc.get("reverse") else "high",
        declared_meaning=_text(doc.get("meaning")),
    )


def _codebook(themes: list[Mapping[str, Any]]) -> Codebook:
    return Codebook(
        tuple(
            Theme(
                str(t["id"]),
                _text(t.get("label")),
                tuple(
                    Subtheme(
                        str(s["id"]),
                        _text(s.get("label")),
                        tuple(
                            Code(str(c["id"]), _text(c.get("label")), _text(c.get("definition")))
                            for c in s.get("codes") or ()
                        ),
                    )
                    for s in t.get("subthemes") or ()
                ),
            )
            for t in themes
        )
    )


def _frozen(value: Any) -> Any:
    """A read-only copy of parsed JSON: mappings as MappingProxyType, lists as tuples."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


def _thawed(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _thawed(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_thawed(v) for v in value]
    return value


def from_document(doc: Mapping[str, Any]) -> Cohort:
    """The view of a parsed cohort.json. Keys a document lacks take their empty value (tests build partial
    documents); an item of a type outside `spec.ITEM_TYPES` or a design outside `names.DESIGNS` is a ValueError."""
    design = str(doc.get("design") or "")
    if design and design not in DESIGNS:
        raise ValueError(f"unknown design {design!r} (one of {', '.join(DESIGNS)})")
    threshold = doc.get("disclosure_threshold")
    default = doc.get("disclosure_threshold_default")
    quotes = doc.get("quotes_per_subtheme")
    minimum_base = doc.get("minimum_group_base")
    return Cohort(
        cohort_id=_text(doc.get("cohort_id")),
        programme=_text(doc.get("programme")),
        cohort=_text(doc.get("cohort")),
        design=design,
        synthetic=bool(doc.get("synthetic", False)),
        groups=tuple(Group(str(g["code"]), _text(g.get("label"))) for g in doc.get("groups") or ()),
        combined_groups=tuple(
            CombinedGroup(str(g["code"]), _text(g.get("label")), tuple(str(m) for m in g.get("groups") or ()))
            for g in doc.get("combined_groups") or ()
        ),
        items=tuple(_item(i) for i in doc.get("items") or ()),
        codebook=_codebook(list(doc.get("codebook") or ())),
        disclosure_threshold=None if threshold is None else int(threshold),
        disclosure_threshold_source=_text(doc.get("disclosure_threshold_source")),
        disclosure_threshold_default=None if default is None else int(default),
        models=tuple(_frozen(m) for m in doc.get("models") or ()),
        breakdowns=tuple(str(b) for b in doc.get("breakdowns") or ()),
        extra_survey_columns=tuple(str(c) for c in doc.get("extra_survey_columns") or ()),
        files=tuple(str(f) for f in doc.get("files") or ()),
        extra=_frozen(dict(doc.get("extra") or {})),
        reports_by=None if doc.get("reports_by") is None else str(doc["reports_by"]),
        quotes_per_subtheme=None if quotes is None else int(quotes),
        minimum_group_base=None if minimum_base is None else int(minimum_base),
        construct_labels=MappingProxyType({str(k): str(v) for k, v in (doc.get("construct_labels") or {}).items()}),
        column_labels=MappingProxyType({str(k): str(v) for k, v in (doc.get("column_labels") or {}).items()}),
        input_sha256=MappingProxyType({str(k): str(v) for k, v in (doc.get("input_sha256") or {}).items()}),
        document=_frozen(doc),
    )


def load(path: str | Path) -> Cohort:
    """Read a cohort.json (once per step; pass the `Cohort` on rather than reading the file again)."""
    return from_document(json.loads(Path(path).read_text(encoding="utf-8")))
