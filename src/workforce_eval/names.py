"""Names shared by the workflow and the package, defined once (standard library only, so the Snakefile can
import it before anything else): a cohort's input files, the figures and the
programme slug. Where outputs lie under `results_dir` is `workforce_eval.layout`'s."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

#: The data contract's input files of a cohort, in the order validation checks them.
CONTRACT_INPUT_FILES: tuple[str, ...] = (
    "cohort.yaml",
    "participants.csv",
    "instrument.yaml",
    "survey.csv",
    "codebook.yaml",
    "segments.csv",
)
#: The columns of segments.csv the contract names, in its order (the importers and the synthetic generator write them).
SEGMENT_COLUMNS: tuple[str, ...] = (
    "segment_id",
    "source",
    "document_id",
    "participant_id",
    "group",
    "code",
    "coder",
    "text",
    "quote_ok",
)
#: segments.csv as the importers write it: the contract's columns and `passage`, a key shared by every coding of
#: one passage within a document (so agreement and co-occurrence still find it once unconsented text is dropped).
IMPORTED_SEGMENT_COLUMNS: tuple[str, ...] = (*SEGMENT_COLUMNS, "passage")
#: The privacy guard's optional lists in a cohort folder: names never to publish, segments cleared of a finding.
DENY_LIST = "deny_list.txt"
ALLOW_LIST = "pii_allow.csv"
#: Files the privacy guard reads from a cohort folder; never copied to results.
PRIVACY_INPUT_FILES: tuple[str, ...] = (DENY_LIST, ALLOW_LIST)
#: Optional data files of a cohort folder beyond the contract's: counts behind the equality indicators declared
#: under `indicators:` in cohort.yaml (docs/data-contract.md).
INDICATORS_FILE = "indicators.csv"
OPTIONAL_INPUT_FILES: tuple[str, ...] = (INDICATORS_FILE,)
#: Every file of a cohort folder the pipeline reads (the clean rule's inputs, hashed in the provenance).
INPUT_FILES: tuple[str, ...] = CONTRACT_INPUT_FILES + OPTIONAL_INPUT_FILES + PRIVACY_INPUT_FILES


#: The study designs a cohort may declare (`design:` in cohort.yaml); the cohort schema's enum and the reports'
#: wording of each design are checked against this list (tests/unit/test_names.py).
POST_ONLY, PRE_POST, CROSS_SECTIONAL = "post_only", "pre_post", "cross_sectional"
DESIGNS: tuple[str, ...] = (POST_ONLY, PRE_POST, CROSS_SECTIONAL)


@dataclass(frozen=True)
class FigureSpec:
    """One figure of a cohort: its file stem under `figures/`, its caption and the designs that have it."""

    name: str
    caption: str
    designs: tuple[str, ...] = DESIGNS


#: The cohort figures, in the order they are made; the caption is the report's (the Snakemake report's
#: longer captions are `workflow/report/figure_<name>.rst`).
FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec("composition", "Survey respondents by group."),
    FigureSpec("likert", "Answers to the survey items by group."),
    FigureSpec("themes", "Participants with coded data by theme and group."),
    FigureSpec(
        "coefficients", "Model coefficients with 95 % confidence intervals (intercepts and cut-points left out)."
    ),
    FigureSpec(
        "prepost",
        "Mean answers before (open circles) and after (filled circles) the programme, linked participants, by group.",
        (PRE_POST,),
    ),
    FigureSpec(
        "equality",
        "Relative likelihoods of the equality indicators with 95 % intervals (1 = equal likelihood; log scale).",
    ),
)
FIGURE_NAMES: tuple[str, ...] = tuple(f.name for f in FIGURES)
#: A cohort figure's file stem (the figures rule's wildcard): one of FIGURES or a further Likert chart.
COHORT_FIGURE_PATTERN = "|".join(f.name for f in FIGURES if f.name != "likert") + "|likert(-[1-9][0-9]*)?"
#: The qualitative figures (issue 12; drawn by the `figures` rule with the cohort figures), kept apart from FIGURES.
QUALITATIVE_FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec(
        "cooccurrence",
        "Participants with both codes, subthemes or themes in one interview or answer, in codebook order "
        "(small counts hidden).",
    ),
    FigureSpec("saturation", "New codes per interview and the codes found so far, in interview order."),
)
QUALITATIVE_FIGURE_NAMES: tuple[str, ...] = tuple(f.name for f in QUALITATIVE_FIGURES)
#: The programme figures.
PROGRAMME_FIGURES: tuple[str, ...] = ("forest",)
#: Formats every figure is written in.
FIGURE_FORMATS: tuple[str, ...] = ("pdf", "png", "svg")

#: A cohort id (DATA_CONTRACT.md section 1).
COHORT_ID_PATTERN = "[a-z0-9][a-z0-9_-]*"

#: Organisation reports (`reports_by:`): the pattern of a unit's file name (`unit_slugs`) and the overview's
#: figure (their folders: `workforce_eval.layout`).
UNIT_SLUG_PATTERN = "[a-z0-9][a-z0-9-]*"
CATERPILLAR = "caterpillar"


def slug(name: str) -> str:
    """A programme name as a folder name: lower case, runs of other characters as one `-`."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "programme"


def unit_slug(value: str) -> str:
    """The file name of one reporting unit: its name NFKC-normalised, case-folded, runs of other characters `-`."""
    folded = unicodedata.normalize("NFKC", value).casefold()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:60].strip("-") or "unit"


def unit_slugs(values: list[str]) -> list[str]:
    """Distinct file names for reporting units (e.g. organisations), one per value, whatever the values' order.

    Each is `unit_slug(value)`; values whose slugs collide (validation refuses such organisations, so only
    names the slug cannot tell apart, e.g. beyond 60 characters or without a letter, get here) are numbered
    -2, -3 in the sorted order of the values themselves, so the same value always gets the same name.
    """
    taken: dict[str, str] = {}
    for value in sorted(set(values)):
        base = unit_slug(value)
        name, i = base, 1
        while name in taken.values():
            i += 1
            name = f"{base}-{i}"
        taken[value] = name
    return [taken[v] for v in values]


#: Characters removed from any text a report publishes: C0 and C1 controls but tab and newline (ESC starts
#: terminal escape sequences), and the bidirectional marks, embeddings, overrides and isolates that can make
#: a passage read differently from what it holds.
_CONTROL = re.compile(
    "\x1b\\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def printable(text: str) -> str:
    """Text without control or bidirectional-formatting characters (ESC and CSI sequences removed whole)."""
    return _CONTROL.sub("", text)


def figure(name: str) -> FigureSpec:
    """The cohort figure called `name` (a further Likert chart `likert-2`, ... too); KeyError for an unknown one."""
    for spec in FIGURES + QUALITATIVE_FIGURES:
        if spec.name == name:
            return spec
    page = re.fullmatch(rf"{LIKERT}-([2-9]|[1-9][0-9]+)", name)
    if page:
        first = figure(LIKERT)
        return FigureSpec(name, f"{first.caption[:-1]} (chart {page.group(1)}).", first.designs)
    raise KeyError(name)


#: The Likert figure's name; its further charts are `likert-2`, `likert-3`, ... (`likert_pages`).
LIKERT = "likert"
#: Printable height of a figure page (inches): print.css fits an image into 225 mm (8.86 in) of height, and the
#: figure is saved with 0.1 in of padding around it, so a taller figure would print smaller than drawn.
PAGE_HEIGHT = 8.6
#: Width of the Likert chart (inches): under the 180 mm (7.09 in) a report prints a figure at, so its text prints at
#: least at the size it is drawn.
LIKERT_WIDTH = 7.0
#: Heights in inches of the Likert chart's parts: one bar (a group's answers to an item), an item's heading (up
#: to two lines), the gap after an item's bars, and the frame (title, axis, legend and notes).
LIKERT_BAR = 0.19
LIKERT_HEADING = 0.32
LIKERT_GAP = 0.06
LIKERT_FRAME = 2.3


@dataclass(frozen=True)
class LikertPage:
    """One Likert chart: `count` items of the response scale `levels`, from the `first` (0-based) of that scale's
    items once they are ordered; `part` of `parts` charts of that scale."""

    levels: tuple[str, ...]
    first: int
    count: int
    part: int
    parts: int


def likert_item_height(n_panels: int) -> float:
    """Height in inches of one item of the Likert chart with `n_panels` bars (all respondents, then the groups)."""
    return LIKERT_HEADING + LIKERT_BAR * n_panels + LIKERT_GAP


def likert_pages(scales: Sequence[Sequence[str]], n_panels: int) -> list[LikertPage]:
    """The charts of the Likert figure: one per response scale (the likert items' level lists `scales`, one per
    item, grouped by equal lists in order of first appearance), a scale with more items than fit PAGE_HEIGHT
    split into parts of near-equal size; [] without items. Decided from counts only, so the workflow knows the
    figure names when it is parsed (from cohort.yaml and instrument.yaml) and the package draws the same charts."""
    if not scales or n_panels < 1:
        return []
    counts: dict[tuple[str, ...], int] = {}
    for levels in scales:
        key = tuple(str(lv) for lv in levels)
        counts[key] = counts.get(key, 0) + 1
    per_page = max(1, int((PAGE_HEIGHT - LIKERT_FRAME) // likert_item_height(n_panels)))
    out: list[LikertPage] = []
    for levels, n in counts.items():
        parts = -(-n // per_page)
        sizes = [n // parts + (1 if i < n % parts else 0) for i in range(parts)]
        first = 0
        for part, size in enumerate(sizes, start=1):
            out.append(LikertPage(levels, first, size, part, parts))
            first += size
    return out


def likert_names(scales: Sequence[Sequence[str]], n_panels: int) -> list[str]:
    """File stems of the Likert charts (`likert_pages`): `likert`, `likert-2`, ..."""
    pages = likert_pages(scales, n_panels)
    return [LIKERT if i == 0 else f"{LIKERT}-{i + 1}" for i in range(len(pages))]


def cohort_figures(
    *,
    design: str | None,
    likert_items: Sequence[Sequence[str]],
    groups: int,
    survey: bool,
    segments: bool,
    models: bool,
    indicators: bool = False,
) -> list[str]:
    """The cohort figures that apply, in FIGURES order (a figure that does not apply is not made): composition
    with a survey, the Likert charts with likert items (`likert_items`: the levels of each), themes with coded
    segments, coefficients with declared models, prepost for a pre/post design (`FigureSpec.designs`), equality
    with declared `indicators:`."""
    applies = {
        "composition": survey,
        LIKERT: survey and len(likert_items) > 0,
        "themes": segments,
        "coefficients": models,
        "prepost": survey,
        "equality": indicators,
    }
    out: list[str] = []
    for spec in FIGURES:
        if not applies.get(spec.name, True) or (design is not None and design not in spec.designs):
            continue
        out += likert_names(likert_items, groups + 1) if spec.name == LIKERT else [spec.name]
    return out


def qualitative_figures(*, segments: bool) -> list[str]:
    """The qualitative figures that apply: all of them with coded segments, none without (a survey-only cohort
    would get figures that can only say "No data")."""
    return list(QUALITATIVE_FIGURE_NAMES) if segments else []
