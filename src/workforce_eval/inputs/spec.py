"""Typed view of a cohort's YAML files: cohort.yaml, instrument.yaml and codebook.yaml."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from workforce_eval.inputs.readers import YamlDoc, load_yaml_text
from workforce_eval.names import CROSS_SECTIONAL

ITEM_TYPES = ("likert", "yesno", "choice", "numeric", "free_text")
SCALED_TYPES = ("likert", "yesno", "choice")


@cache
def _schema(name: str) -> dict[str, Any]:
    """A JSON schema shipped with the package, by file stem."""
    text = resources.files("workforce_eval.inputs").joinpath("schemas", f"{name}.schema.yaml").read_text("utf-8")
    schema: dict[str, Any] = load_yaml_text(text)
    return schema


def check_schema(doc: YamlDoc, name: str) -> None:
    """Validate a YAML document against a shipped schema; the first error becomes an InputError."""
    validator = jsonschema.Draft202012Validator(_schema(name))
    errors = sorted(validator.iter_errors(doc.data), key=lambda e: (doc.line(*e.absolute_path) or 0, str(e.path)))
    if not errors:
        return
    err = errors[0]
    keys = tuple(err.absolute_path)
    if err.validator == "required":
        missing = [r for r in err.validator_value if isinstance(err.instance, dict) and r not in err.instance]
        raise doc.error(keys + tuple(missing[:1]), expected=f"a value for required key {missing[0]!r}", found="nothing")
    if err.validator == "enum":
        raise doc.error(keys, expected="one of " + ", ".join(map(str, err.validator_value)), found=err.instance)
    if err.validator == "type":
        raise doc.error(keys, expected=f"a value of type {err.validator_value}", found=err.instance)
    if err.validator == "pattern":
        raise doc.error(keys, expected=f"an id matching {err.validator_value}", found=err.instance)
    if err.validator == "additionalProperties" and err.validator_value is False:
        known = set(err.schema.get("properties") or {})
        extra = [k for k in (err.instance if isinstance(err.instance, dict) else {}) if k not in known]
        documented = ", ".join(sorted(known)) if known else "none"
        raise doc.error(keys + tuple(extra[:1]), expected=f"only the documented keys ({documented})",
                        found=f"the key {extra[0]!r}" if extra else "an undocumented key")  # fmt: skip
    # the other JSON-Schema words, in the project's expected/found words
    value, instance = err.validator_value, err.instance
    size = len(instance) if isinstance(instance, list | dict | str) else None
    words = {
        "minItems": (f"at least {value} items", f"{size} item(s)"),
        "maxItems": (f"at most {value} items", f"{size} items"),
        "minLength": (f"a text of at least {value} characters", instance),
        "maxLength": (f"a text of at most {value} characters", f"{size} characters"),
        "minProperties": (f"at least {value} entries", f"{size} entries"),
        "minimum": (f"a number of at least {value}", instance),
        "maximum": (f"a number of at most {value}", instance),
        "uniqueItems": ("each item once", instance),
        "const": (f"the value {value!r}", instance),
    }
    if err.validator in words:
        expected, found = words[str(err.validator)]
        raise doc.error(keys, expected=expected, found=found)
    raise doc.error(keys, expected=str(err.schema.get("description") or err.validator), found=instance)


def _text(value: object) -> str:
    """YAML scalars as text (numbers in scales become labels)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass(frozen=True)
class Source:
    """One raw export declared under `sources:` in cohort.yaml (what it produces, its format, its file, the mapping)."""

    kind: str  # "segments" | "survey"
    format: str
    file: str
    options: dict[str, Any] = field(default_factory=dict)

    def key(self, name: str) -> str:
        """The cohort.yaml key path of one of this source's mapping keys, for messages."""
        return f"sources.{self.kind}.{name}"


#: The one group of a cohort whose cohort.yaml declares no `groups:` (and its label in reports).
DEFAULT_GROUP = "cohort"
DEFAULT_GROUP_LABEL = "Whole cohort"

#: Formats that produce segments.csv (and codebook.yaml) and those that produce survey.csv.
SEGMENT_FORMATS = ("refi_qda", "taguette", "qualcoder_csv")
SURVEY_FORMATS = ("qualtrics", "redcap", "msforms")


@dataclass(frozen=True)
class Indicator:
    """One equality indicator declared under `indicators:` in cohort.yaml: the likelihood of `outcome` in the
    `compared` group relative to the `reference` group of `by`; from indicators.csv, or from survey `item`."""

    id: str
    label: str
    by: str
    compared: str
    reference: str
    outcome: str  # "favourable" | "adverse"
    item: str | None = None

    @property
    def from_survey(self) -> bool:
        return self.item is not None


@dataclass(frozen=True)
class CohortMeta:
    """cohort.yaml, validated."""

    cohort_id: str
    programme: str
    cohort: str
    design: str
    synthetic: bool
    groups: dict[str, str]
    #: The one group of a cohort that declares none (`groups:` absent): blank or absent group cells are in it.
    default_group: str | None = None
    combined_groups: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    disclosure_threshold: int | None = None
    models: tuple[dict[str, Any], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    breakdowns: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    reports_by: str | None = None
    #: Quotes shown per subtheme for this cohort (cohort.yaml; None: the configuration's `quotes_per_subtheme`).
    quotes_per_subtheme: int | None = None
    #: The smallest response base a group is broken out at (cohort.yaml; None: the configuration's).
    minimum_group_base: int | None = None
    #: Equality indicators (cohort.yaml `indicators:`), in declared order.
    indicators: tuple[Indicator, ...] = ()


def load_cohort_meta(path: Path, cohort_id: str) -> CohortMeta:
    """Read and validate cohort.yaml."""
    doc = YamlDoc(path)
    if not isinstance(doc.data, dict):
        raise doc.error((), expected="a YAML mapping of keys to values", found=type(doc.data).__name__)
    check_schema(doc, "cohort")
    data = doc.data
    declared = data.get("groups")
    groups = {str(k): str(v) for k, v in declared.items()} if declared else {DEFAULT_GROUP: DEFAULT_GROUP_LABEL}
    if "all" in groups:
        raise doc.error(("groups", "all"), expected="a group code other than 'all' (reserved)", found="all")
    combined: dict[str, tuple[str, tuple[str, ...]]] = {}
    for code, spec in (data.get("combined_groups") or {}).items():
        if code in groups or code == "all":
            raise doc.error(("combined_groups", code), expected="a code not already used by a group", found=code)
        for member in spec["groups"]:
            if member not in groups:
                raise doc.error(
                    ("combined_groups", code, "groups"),
                    expected="group codes from groups: " + ", ".join(groups),
                    found=member,
                )
        combined[str(code)] = (str(spec["label"]), tuple(str(g) for g in spec["groups"]))
    known = {
        "programme",
        "cohort",
        "design",
        "synthetic",
        "groups",
        "combined_groups",
        "disclosure_threshold",
        "models",
        "breakdowns",
        "sources",
        "reports_by",
        "quotes_per_subtheme",
        "minimum_group_base",
        "indicators",
    }
    sources: list[Source] = []
    for kind, spec in (data.get("sources") or {}).items():
        allowed = SEGMENT_FORMATS if kind == "segments" else SURVEY_FORMATS
        if spec["format"] not in allowed:
            raise doc.error(
                ("sources", kind, "format"), expected=f"a {kind} format: " + ", ".join(allowed), found=spec["format"]
            )
        options = {k: v for k, v in spec.items() if k not in ("format", "file")}
        sources.append(Source(str(kind), str(spec["format"]), str(spec["file"]), options))
    indicators: list[Indicator] = []
    for position, spec in enumerate(data.get("indicators") or ()):
        if spec["id"] in {i.id for i in indicators}:
            raise doc.error(("indicators", position, "id"), expected="a unique indicator id", found=spec["id"])
        if str(spec["compared"]) == str(spec["reference"]):
            raise doc.error(
                ("indicators", position, "reference"),
                expected="a reference group other than the compared group",
                found=str(spec["reference"]),
            )
        indicators.append(
            Indicator(
                str(spec["id"]),
                str(spec["label"]),
                str(spec["by"]),
                str(spec["compared"]),
                str(spec["reference"]),
                str(spec["outcome"]),
                None if spec.get("item") is None else str(spec["item"]),
            )
        )
    if data.get("reports_by") is not None and data["design"] != CROSS_SECTIONAL:
        raise doc.error(("reports_by",), expected="reports_by only in a cross_sectional cohort", found=data["design"])
    return CohortMeta(
        cohort_id=cohort_id,
        programme=str(data["programme"]),
        cohort=_text(data["cohort"]),
        design=str(data["design"]),
        synthetic=bool(data["synthetic"]),
        groups=groups,
        default_group=None if declared else DEFAULT_GROUP,
        combined_groups=combined,
        disclosure_threshold=data.get("disclosure_threshold"),
        models=tuple(data.get("models") or ()),
        extra={k: v for k, v in data.items() if k not in known},
        breakdowns=tuple(str(b) for b in data.get("breakdowns") or ()),
        sources=tuple(sources),
        reports_by=data.get("reports_by"),
        quotes_per_subtheme=data.get("quotes_per_subtheme"),
        minimum_group_base=data.get("minimum_group_base"),
        indicators=tuple(indicators),
    )


@dataclass(frozen=True)
class Scale:
    """An answer scale: ordered levels and the labels that mean 'no answer'."""

    id: str
    levels: tuple[str, ...]
    missing: tuple[str, ...] = ()
    #: instrument.yaml `favourable` (`high` | `low`), None when the scale does not declare it.
    favourable: str | None = None
    #: instrument.yaml `meaning` (`SCALE_MEANINGS`), None when the scale does not declare it.
    meaning: str | None = None


@dataclass(frozen=True)
class Item:
    """One survey question."""

    id: str
    text: str
    type: str
    scale: Scale | None = None
    construct: str | None = None
    reverse: bool = False
    #: instrument.yaml `favourable` of the item, None when it does not declare one (then its scale's applies).
    favourable: str | None = None

    @property
    def levels(self) -> tuple[str, ...]:
        """The scale's levels (empty for numeric and free-text items)."""
        return self.scale.levels if self.scale else ()

    @property
    def declared_favourable(self) -> str | None:
        """The favourable end the instrument declares for this item (its own, else its scale's), or None."""
        return self.favourable or (self.scale.favourable if self.scale else None)


@dataclass(frozen=True)
class Instrument:
    """instrument.yaml, validated."""

    items: tuple[Item, ...]
    #: Optional labels (instrument.yaml `constructs:` / `columns:`): construct id or survey column -> label.
    construct_labels: Mapping[str, str] = field(default_factory=dict)
    column_labels: Mapping[str, str] = field(default_factory=dict)

    def by_type(self, *types: str) -> tuple[Item, ...]:
        """Items of the given types, in instrument order."""
        return tuple(i for i in self.items if i.type in types)

    @property
    def constructs(self) -> dict[str, tuple[Item, ...]]:
        """Construct id -> its items, in instrument order."""
        out: dict[str, list[Item]] = {}
        for item in self.items:
            if item.construct:
                out.setdefault(item.construct, []).append(item)
        return {k: tuple(v) for k, v in out.items()}


RESERVED_SURVEY_COLUMNS = ("response_id", "participant_id", "group", "timepoint", "organisation")


def load_instrument(path: Path) -> Instrument:
    """Read and validate instrument.yaml."""
    doc = YamlDoc(path)
    if not isinstance(doc.data, dict):
        raise doc.error((), expected="a YAML mapping with 'scales' and 'items'", found=type(doc.data).__name__)
    check_schema(doc, "instrument")
    scales: dict[str, Scale] = {}
    for sid, spec in (doc.data.get("scales") or {}).items():
        levels = tuple(_text(v) for v in spec["levels"])
        missing = tuple(_text(v) for v in spec.get("missing") or ())
        folded = [
            " ".join(unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", x).casefold()).split())
            for x in levels + missing
        ]  # as validate.fold_label matches answers
        dupes = sorted({x for x in folded if folded.count(x) > 1})
        if dupes:
            raise doc.error(("scales", sid), expected="distinct level and missing labels", found=dupes[0])
        scales[str(sid)] = Scale(
            str(sid),
            levels,
            missing,
            None if spec.get("favourable") is None else str(spec["favourable"]),
            None if spec.get("meaning") is None else str(spec["meaning"]),
        )
    items: list[Item] = []
    seen: set[str] = set()
    for i, spec in enumerate(doc.data["items"]):
        iid = str(spec["id"])
        if iid in seen:
            raise doc.error(("items", i, "id"), expected="item ids unique within the instrument", found=iid)
        if iid in RESERVED_SURVEY_COLUMNS:
            raise doc.error(("items", i, "id"), expected="an id that is not a reserved survey column", found=iid)
        seen.add(iid)
        scale = None
        if spec["type"] in SCALED_TYPES:
            sid = spec.get("scale")
            if sid is None:
                raise doc.error(("items", i), expected=f"a 'scale' for a {spec['type']} item", found="none")
            if str(sid) not in scales:
                raise doc.error(
                    ("items", i, "scale"), expected="a scale defined under scales: " + ", ".join(scales), found=sid
                )
            scale = scales[str(sid)]
        elif spec.get("scale") is not None and str(spec["scale"]) in scales:
            scale = scales[str(spec["scale"])]
        if spec.get("reverse") and spec["type"] != "likert":
            raise doc.error(("items", i, "reverse"), expected="reverse coding only on likert items", found=spec["type"])
        if spec.get("construct") and spec["type"] not in ("likert", "numeric"):
            raise doc.error(
                ("items", i, "construct"), expected="constructs made of likert or numeric items", found=spec["type"]
            )
        items.append(
            Item(
                id=iid,
                text=str(spec.get("text") or iid),
                type=str(spec["type"]),
                scale=scale,
                construct=spec.get("construct"),
                reverse=bool(spec.get("reverse", False)),
                favourable=None if spec.get("favourable") is None else str(spec["favourable"]),
            )
        )
        if items[-1].reverse and items[-1].declared_favourable == "low":
            raise doc.error(
                ("items", i, "favourable"),
                expected="no `favourable: low` on a reverse-coded item (reverse coding already makes its high codes "
                "favourable)",
                found="low",
            )
    constructs = {i.construct for i in items if i.construct}
    clash = sorted(constructs & seen)
    if clash:
        raise doc.error(("items",), expected="construct ids different from item ids", found=clash[0])
    construct_labels: dict[str, str] = {}
    for cid, spec in (doc.data.get("constructs") or {}).items():
        if str(cid) not in constructs:
            raise doc.error(("constructs", cid), expected="a construct named by an item's `construct`", found=cid)
        if spec.get("label"):
            construct_labels[str(cid)] = str(spec["label"]).strip()
    column_labels: dict[str, str] = {}
    for column, spec in (doc.data.get("columns") or {}).items():
        if str(column) in seen or str(column) in RESERVED_SURVEY_COLUMNS:
            raise doc.error(("columns", column), expected="an extra survey column (not an item id)", found=column)
        if spec.get("label"):
            column_labels[str(column)] = str(spec["label"]).strip()
    return Instrument(tuple(items), construct_labels, column_labels)


@dataclass(frozen=True)
class Node:
    """A theme, subtheme or code of the codebook."""

    id: str
    label: str
    level: str  # "theme" | "subtheme" | "code"
    definition: str = ""
    children: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """codebook.yaml, validated: themes > subthemes > codes."""

    themes: tuple[Node, ...]

    def walk(self) -> list[Node]:
        """Every node in codebook order: each theme, then each subtheme followed by its codes."""
        out: list[Node] = []
        for theme in self.themes:
            out.append(theme)
            for sub in theme.children:
                out.append(sub)
                out.extend(sub.children)
        return out

    def code_paths(self) -> dict[str, tuple[str, str]]:
        """Code id -> (subtheme id, theme id)."""
        return {c.id: (s.id, t.id) for t in self.themes for s in t.children for c in s.children}


def load_codebook(path: Path) -> Codebook:
    """Read and validate codebook.yaml; ids must be unique across the whole codebook."""
    doc = YamlDoc(path)
    if not isinstance(doc.data, dict):
        raise doc.error((), expected="a YAML mapping with 'themes'", found=type(doc.data).__name__)
    check_schema(doc, "codebook")
    seen: set[str] = set()

    def claim(keys: tuple[Any, ...], value: object) -> str:
        ident = str(value)
        if ident in seen:
            raise doc.error(keys, expected="ids unique across the whole codebook", found=ident)
        seen.add(ident)
        return ident

    themes = []
    for ti, t in enumerate(doc.data["themes"]):
        tid = claim(("themes", ti, "id"), t["id"])
        subs = []
        for si, s in enumerate(t["subthemes"]):
            sid = claim(("themes", ti, "subthemes", si, "id"), s["id"])
            codes = []
            for ci, c in enumerate(s["codes"]):
                cid = claim(("themes", ti, "subthemes", si, "codes", ci, "id"), c["id"])
                codes.append(Node(cid, str(c["label"]), "code", str(c.get("definition") or "")))
            subs.append(Node(sid, str(s["label"]), "subtheme", children=tuple(codes)))
        themes.append(Node(tid, str(t["label"]), "theme", children=tuple(subs)))
    return Codebook(tuple(themes))
