"""The measure catalogue: every (analysis, measure) the statistics register may hold.

Each entry says what kind of number the row's `estimate` is, in what unit, and, for the counts
disclosure control models, which *cells* the row shows or rests on: its numerator cell (the
count the row states or is a share of) and its denominator cell (the base of a share, or the
number who answered for a median or mean), and from which row column each cell's count is read.
The additive relations between cells that disclosure control needs (a total = the sum of its
parts) are listed in `RELATION_FAMILIES` and built for a register by `relations`.

Plain data (frozen dataclasses and tuples); no pandas. Other modules name measures through the
constants below (e.g. `PCT_AGREE`) rather than string literals. `markdown_table()` renders the
catalogue for `docs/data-contract.md` (a test keeps the two equal); `python -m
workforce_eval.register.measures` prints it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

Cell = tuple[Hashable, ...]
Relation = tuple[Cell, tuple[Cell, ...]]


class Field(Enum):
    """A part of a cell taken from the row (or, for TOP_LEVEL, from the row's item in cohort.json)."""

    ITEM = "item"
    GROUP = "group"
    SOURCE = "source"
    LEVEL = "level"
    SUBGROUP = "subgroup"
    TOP_LEVEL = "top level"  # the item's last answer level (e.g. Yes); the row is unmapped without one


#: A cell template: literal parts and row fields, e.g. ("answered", Field.ITEM, Field.GROUP).
Template = tuple[str | Field, ...]
#: The row column a cell's count is read from (None: the row states no count for it).
Column = Literal["n", "denominator"] | None

Kind = Literal[
    "count",
    "share",
    "mean",
    "median",
    "difference",
    "effect size",
    "test",
    "model term",
    "model fit",
    "reliability",
    "flag",
]


@dataclass(frozen=True)
class Measure:
    """One (analysis, measure) of the register."""

    analysis: str
    measure: str
    kind: Kind
    unit: str
    description: str
    numerator: Template | None = None
    denominator: Template | None = None
    numerator_column: Column = "n"
    denominator_column: Column = "denominator"
    #: Detail rather than a headline number: costs less when choosing secondary suppressions.
    detail: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.analysis, self.measure)

    @property
    def modelled(self) -> bool:
        """True when disclosure control models the row's counts as cells."""
        return self.numerator is not None or self.denominator is not None


# -- analysis names (the register's `analysis` column) --------------------------------------------
RESPONSE = "response"
COMPOSITION = "composition"
ITEM = "item"
RELIABILITY = "reliability"
BREAKDOWN = "breakdown"
#: The analysis of the organisation benchmark rows (`analyses.benchmarking`, read by `report.organisation`).
BENCHMARK = "benchmark"
THEME = "theme"
AGREEMENT = "agreement"
COOCCURRENCE = "cooccurrence"
MATRIX = "matrix"
SATURATION = "saturation"
PRE_POST = "pre_post"
BETWEEN_GROUPS = "between_groups"
MODEL = "model"

# -- measure names used by other modules -------------------------------------------------------
INVITED = "invited"
RESPONSES = "responses"
RESPONSE_RATE = "response_rate"
COUNTED_RESPONSES = "counted_responses"
UNINVITED_RESPONSES = "uninvited_responses"
ANONYMOUS_RESPONSES = "anonymous_responses"
COMPLETE_PAIRS = "complete_pairs"
INTERVIEWS = "interviews"
INTERVIEW_PAIRS = "interview_pairs"
SHARE = "share"
PCT_YES = "pct_yes"
PCT_AGREE = "pct_agree"
MEDIAN = "median"
MEAN = "mean"
LEVEL_PCT = "level_pct"
COLLAPSED_PCT = "collapsed_pct"
#: The categories of a collapsed likert distribution (`level` of `collapsed_pct` rows), as the item is worded
#: (`collapsed_levels`); a reverse-coded item's favourable side is `disagree`.
COLLAPSED_DISAGREE, COLLAPSED_NEUTRAL, COLLAPSED_AGREE = "disagree", "neutral", "agree"
CRONBACH_ALPHA = "cronbach_alpha"
PARTICIPANTS = "participants"
PCT_PARTICIPANTS = "pct_participants"
SEGMENTS = "segments"
CODED_SEGMENTS = "coded_segments"
RESPONSES_PRE = "responses_pre"
RESPONSES_POST = "responses_post"
LINKED = "linked"
PRE_ONLY = "pre_only"
POST_ONLY = "post_only"
RETENTION = "retention"
MEAN_CHANGE = "mean_change"
P_HOLM = "p_holm"
EFFECT_SIZE = "effect_size"
MEAN_PRE = "mean_pre"
MEAN_POST = "mean_post"
PAIRED_T = "paired_t"
P_HOLM_T = "p_holm_t"
HL_SHIFT = "hl_shift"
HETEROGENEITY = "heterogeneity"
CHANGE_VS_FIRST = "change_vs_first"
RANK_BISERIAL = "rank_biserial"
ODDS_RATIO = "odds_ratio"
COEFFICIENT = "coefficient"
THRESHOLD = "threshold"
STD_ERROR = "std_error"
NOT_ESTIMATED = "not_estimated"
OBSERVATIONS = "observations"
DROPPED = "dropped"
DROPPED_MISSING = "dropped_missing"
CLUSTERS = "clusters"
DF_RESID = "df_resid"
R_SQUARED = "r_squared"
ADJ_R_SQUARED = "adj_r_squared"
F_STATISTIC = "f_statistic"
PSEUDO_R_SQUARED = "pseudo_r_squared"
LR_CHI2 = "lr_chi2"
LOG_LIKELIHOOD = "log_likelihood"
AIC = "aic"
BIC = "bic"
CODERS = "coders"
DOUBLE_CODED = "double_coded"
AGREEMENT_UNITS = "units"
PERCENT_AGREEMENT = "percent_agreement"
COHEN_KAPPA = "cohen_kappa"
KAPPA_STD_ERROR = "kappa_std_error"
FLEISS_KAPPA = "fleiss_kappa"
KRIPPENDORFF_ALPHA = "krippendorff_alpha"
LOW_AGREEMENT = "low_agreement"
COOC_PARTICIPANTS = "participants"
COOC_PASSAGES = "passages"
COOC_DOCUMENT_PARTICIPANTS = "document_participants"
NEW_CODES = "new_codes"
CUMULATIVE_CODES = "cumulative_codes"
NEW_INFORMATION = "new_information"
SATURATION_POINT = "saturation_point"
SATURATION_REACHED = "saturation_reached"
UNITS = "units"
UNITS_WITHHELD = "units_withheld"
SURVEY_VALUE = "survey_value"
DIFFERENCE_PEERS = "difference_peers"
DIFFERENCE_SURVEY = "difference_survey"
RANK = "rank"

# -- cells -------------------------------------------------------------------------------------
_I, _G, _S, _L = Field.ITEM, Field.GROUP, Field.SOURCE, Field.LEVEL
_RESPONSES: Template = ("responses", _G)
_ANSWERED: Template = ("answered", _I, _G)
_UNITS: Template = ("units", _I, _G, _S)
_COOC: Template = ("cooccurrence", _I, _L, _G, _S)
_COOC_DOC: Template = ("cooccurrence_document", _I, _L, _G, _S)
_MATRIX: Template = ("matrix", _I, Field.SUBGROUP, _S, _L)
_MATRIX_BASE: Template = ("matrix_base", Field.SUBGROUP, _S, _L)
_PRE: Template = ("pre", _G)
_LINKED: Template = ("linked", _G)
#: Linked participants who answered an item (or construct) at both time points: the n of its change rows.
_PAIRED: Template = ("paired", _I, _G)

_SCALE = "scale points (numeric items: the item's own unit)"
_TERM = "outcome units (ols) or log-odds (logit, ordinal logit)"

CATALOGUE: tuple[Measure, ...] = (
    # response (describe)
    Measure(RESPONSE, INVITED, "count", "count", "people invited (roster `invited`)", ("invited",)),
    Measure(RESPONSE, RESPONSES, "count", "count", "survey responses at post, all and per group", _RESPONSES),
    Measure(
        RESPONSE,
        RESPONSE_RATE,
        "share",
        "percent",
        "counted responses as a percent of invited (Wilson); absent where they exceed the invited count",
        ("counted",),
        ("invited",),
    ),
    Measure(
        RESPONSE,
        COUNTED_RESPONSES,
        "count",
        "count",
        "post responses the rate counts: from invited participants or anonymous",
        ("counted",),
    ),
    Measure(
        RESPONSE,
        UNINVITED_RESPONSES,
        "count",
        "count",
        "post responses from participants marked `invited: false` (left out of the rate)",
        ("uninvited",),
    ),
    Measure(
        RESPONSE,
        ANONYMOUS_RESPONSES,
        "count",
        "count",
        "post responses without a participant id (counted in the rate)",
        ("anonymous",),
    ),
    Measure(
        RESPONSE,
        COMPLETE_PAIRS,
        "count",
        "count",
        "pairs all of whose members responded (of the roster's pairs)",
        ("complete_pairs",),
        ("pairs",),
    ),
    Measure(RESPONSE, INTERVIEWS, "count", "count", "interview documents, all and per group", ("interviews", _G)),
    Measure(
        RESPONSE,
        INTERVIEW_PAIRS,
        "count",
        "count",
        "pairs all of whose members were interviewed",
        ("interview_pairs",),
        ("pairs",),
    ),
    # composition (describe)
    Measure(
        COMPOSITION,
        SHARE,
        "share",
        "percent",
        "a group's or combined group's share of responses (Wilson)",
        _RESPONSES,
        ("responses", "all"),
    ),
    # item (describe): items, and construct scores for `mean`
    Measure(
        ITEM,
        PCT_YES,
        "share",
        "percent",
        "percent answering the top level of a yes/no item (Wilson)",
        ("level", _I, Field.TOP_LEVEL, _G),
        _ANSWERED,
    ),
    Measure(
        ITEM,
        PCT_AGREE,
        "share",
        "percent",
        "percent in the two favourable levels of a likert item (Wilson)",
        ("agree", _I, _G),
        _ANSWERED,
    ),
    Measure(
        ITEM,
        MEDIAN,
        "median",
        "answer level code (numeric items: their unit)",
        "median answer",
        None,
        _ANSWERED,
        None,
        "n",
    ),
    Measure(
        ITEM,
        MEAN,
        "mean",
        _SCALE,
        "mean of a numeric item or construct score (t interval)",
        None,
        _ANSWERED,
        None,
        "n",
    ),
    Measure(
        ITEM,
        LEVEL_PCT,
        "share",
        "percent",
        "percent giving one answer level (`level`) (Wilson)",
        ("level", _I, _L, _G),
        _ANSWERED,
        detail=True,
    ),
    Measure(
        ITEM,
        COLLAPSED_PCT,
        "share",
        "percent",
        "percent of a likert item's answers in one of three categories as worded (`level`: disagree = the levels "
        "below the middle, neutral = the middle one, agree = those above) (Wilson)",
        ("collapsed", _I, _L, _G),
        _ANSWERED,
    ),
    # reliability (describe; prepost per time point in `level`)
    Measure(
        RELIABILITY,
        CRONBACH_ALPHA,
        "reliability",
        "alpha",
        "Cronbach's alpha of a construct (Feldt interval)",
        ("alpha", _I),
    ),
    # breakdown (describe): by a respondent column, `subgroup` = column=value
    Measure(BREAKDOWN, RESPONSES, "count", "count", "responses in a subgroup"),
    Measure(BREAKDOWN, SHARE, "share", "percent", "a subgroup's share of responses (Wilson)"),
    Measure(BREAKDOWN, PCT_YES, "share", "percent", "percent yes within a subgroup (Wilson)"),
    Measure(BREAKDOWN, PCT_AGREE, "share", "percent", "percent agree within a subgroup (Wilson)"),
    Measure(BREAKDOWN, MEDIAN, "median", "answer level code", "median answer within a subgroup"),
    Measure(BREAKDOWN, MEAN, "mean", _SCALE, "mean within a subgroup (t interval)"),
    Measure(BREAKDOWN, CRONBACH_ALPHA, "reliability", "alpha", "Cronbach's alpha within a subgroup (Feldt)"),
    # benchmark (organisation reports, `reports_by:`): a unit against its peers and the whole survey
    Measure(BENCHMARK, UNITS, "count", "count", "reporting units (e.g. organisations) with a report"),
    Measure(BENCHMARK, UNITS_WITHHELD, "count", "count", "units with fewer responses than the threshold"),
    Measure(BENCHMARK, RESPONSES, "count", "count", "responses of a reported unit"),
    Measure(BENCHMARK, SURVEY_VALUE, "share", "percent or scale", "whole survey's % or mean (`level`: which)"),
    Measure(BENCHMARK, PCT_YES, "share", "percent", "percent yes in a unit (Wilson)"),
    Measure(BENCHMARK, PCT_AGREE, "share", "percent", "percent agree in a unit (Wilson)"),
    Measure(BENCHMARK, MEAN, "mean", _SCALE, "mean in a unit (t interval)"),
    Measure(
        BENCHMARK,
        DIFFERENCE_PEERS,
        "difference",
        "points or scale",
        "unit minus the other units (Newcombe or Welch); `level`: above / similar / below",
    ),
    Measure(
        BENCHMARK,
        DIFFERENCE_SURVEY,
        "difference",
        "points or scale",
        "unit minus the whole survey ((1 - w) x difference_peers); `level`: the flag",
    ),
    Measure(BENCHMARK, RANK, "flag", "place", "rank among reported units (1 = highest; `denominator` units)"),
    # theme (themes; programme sums)
    Measure(
        THEME, PARTICIPANTS, "count", "count", "participants (or documents) with a theme, subtheme or code", _UNITS
    ),
    Measure(
        THEME,
        PCT_PARTICIPANTS,
        "share",
        "percent",
        "participants with it as a percent of those with coded data",
        _UNITS,
        ("base", _G, _S),
    ),
    Measure(
        THEME,
        SEGMENTS,
        "count",
        "count (passages)",
        "coded passages under a theme, subtheme or code",
        _UNITS,
        None,
        None,
        None,
    ),
    Measure(
        THEME,
        CODED_SEGMENTS,
        "count",
        "count (passages)",
        "all coded passages of a group and source (item `all`): the base of `segments`",
        ("base", _G, _S),
        None,
        None,
        None,
    ),
    # agreement (qualitative): document x code presence units of documents two or more coders coded
    Measure(AGREEMENT, CODERS, "count", "count (coders)", "coders named in segments.csv"),
    Measure(AGREEMENT, DOUBLE_CODED, "count", "count (documents)", "documents coded by two or more coders"),
    Measure(AGREEMENT, AGREEMENT_UNITS, "count", "count (units)", "document x code units compared (item blank: all)"),
    Measure(AGREEMENT, PERCENT_AGREEMENT, "share", "percent", "percent of agreeing coder pairs over the units"),
    Measure(AGREEMENT, COHEN_KAPPA, "reliability", "kappa", "Cohen's kappa of two coders (asymptotic interval)"),
    Measure(AGREEMENT, KAPPA_STD_ERROR, "reliability", "kappa", "asymptotic standard error of Cohen's kappa"),
    Measure(AGREEMENT, FLEISS_KAPPA, "reliability", "kappa", "Fleiss' kappa over units every coder coded"),
    Measure(
        AGREEMENT,
        KRIPPENDORFF_ALPHA,
        "reliability",
        "alpha",
        "Krippendorff's alpha, nominal (percentile bootstrap interval over units, fixed seed)",
    ),
    Measure(
        AGREEMENT,
        LOW_AGREEMENT,
        "flag",
        "1",
        "1 when alpha is below the configured minimum (or undefined while coders disagree): counts not to be trusted",
    ),
    # cooccurrence (qualitative): pairs of codes, subthemes or themes (`item`, `level`) in codebook order
    Measure(
        COOCCURRENCE,
        COOC_PARTICIPANTS,
        "count",
        "count",
        "participants (or documents) with a passage coded under both",
        _COOC,
    ),
    Measure(
        COOCCURRENCE,
        COOC_PASSAGES,
        "count",
        "count (passages)",
        "passages (same document and text) coded under both",
        _COOC,
        None,
        None,
        None,
    ),
    Measure(
        COOCCURRENCE,
        COOC_DOCUMENT_PARTICIPANTS,
        "count",
        "count",
        "participants (or documents) with both anywhere in the same document",
        _COOC_DOC,
    ),
    # matrix (qualitative): by participant attribute, `subgroup` = attribute=value; `level`: the theme source
    # the attribute's values partition (blank if none), linking the cells to the theme counts
    Measure(
        MATRIX,
        PARTICIPANTS,
        "count",
        "count",
        "participants with a theme, subtheme or code among those of an attribute value with coded data",
        _MATRIX,
        _MATRIX_BASE,
    ),
    Measure(
        MATRIX,
        PCT_PARTICIPANTS,
        "share",
        "percent",
        "that count as a percent of the attribute value's participants with coded data (Wilson)",
        _MATRIX,
        _MATRIX_BASE,
    ),
    Measure(
        MATRIX,
        SEGMENTS,
        "count",
        "count (passages)",
        "coded segments under it from participants of the attribute value",
        _MATRIX,
        None,
        None,
        None,
    ),
    # saturation (qualitative): interviews in order (`level` = position)
    Measure(SATURATION, NEW_CODES, "count", "count (codes)", "codes first seen in the interview at `level`"),
    Measure(SATURATION, CUMULATIVE_CODES, "count", "count (codes)", "distinct codes up to the interview at `level`"),
    Measure(
        SATURATION,
        NEW_INFORMATION,
        "share",
        "percent",
        "new codes in the run starting after `level` interviews, as a percent of the base's codes",
    ),
    Measure(
        SATURATION,
        SATURATION_POINT,
        "count",
        "count (interviews)",
        "interviews after which the run added no more than the threshold (Guest, Namey and Chen 2020)",
    ),
    Measure(SATURATION, SATURATION_REACHED, "flag", "1", "1 when the rule found saturation, 0 otherwise"),
    # pre_post (prepost; programme sums and pooled change)
    Measure(PRE_POST, RESPONSES_PRE, "count", "count", "responses before", _PRE),
    Measure(PRE_POST, RESPONSES_POST, "count", "count", "responses after", ("post", _G)),
    Measure(PRE_POST, LINKED, "count", "count", "participants who responded before and after", _LINKED),
    Measure(PRE_POST, PRE_ONLY, "count", "count", "responses before without one after", ("pre_only", _G)),
    Measure(PRE_POST, POST_ONLY, "count", "count", "responses after without one before", ("post_only", _G)),
    Measure(PRE_POST, RETENTION, "share", "percent", "linked as a percent of responses before (Wilson)", _LINKED, _PRE),
    Measure(
        PRE_POST,
        MEAN_CHANGE,
        "difference",
        _SCALE,
        "mean of post minus pre over linked participants (t interval; Wilcoxon signed-rank p)",
        None,
        _PAIRED,
        None,
        "n",
    ),
    Measure(
        PRE_POST,
        P_HOLM,
        "test",
        "p",
        "Holm-adjusted p of mean_change (items and constructs apart)",
        None,
        _PAIRED,
        None,
        "n",
    ),
    Measure(
        PRE_POST,
        EFFECT_SIZE,
        "effect size",
        "standard deviations (d_z)",
        "Cohen's d_z of the change",
        None,
        _PAIRED,
        None,
        "n",
    ),
    Measure(
        PRE_POST,
        MEAN_PRE,
        "mean",
        _SCALE,
        "mean before over linked participants (t interval)",
        None,
        _PAIRED,
        None,
        "n",
    ),
    Measure(
        PRE_POST,
        MEAN_POST,
        "mean",
        _SCALE,
        "mean after over linked participants (t interval)",
        None,
        _PAIRED,
        None,
        "n",
    ),
    Measure(
        PRE_POST,
        PAIRED_T,
        "difference",
        _SCALE,
        "mean change with its t interval and paired t test p",
        None,
        _PAIRED,
        None,
        "n",
    ),
    Measure(
        PRE_POST,
        P_HOLM_T,
        "test",
        "p",
        "Holm-adjusted p of paired_t (items and constructs apart)",
        None,
        _PAIRED,
        None,
        "n",
    ),
    Measure(
        PRE_POST,
        HL_SHIFT,
        "difference",
        _SCALE,
        "Hodges-Lehmann shift of the change, its interval and Wilcoxon signed-rank p (R wilcox.test conf.int)",
        None,
        _PAIRED,
        None,
        "n",
    ),
    Measure(PRE_POST, HETEROGENEITY, "test", "H statistic", "Kruskal-Wallis of changes across cohorts (programme)"),
    Measure(
        PRE_POST,
        CHANGE_VS_FIRST,
        "difference",
        _SCALE,
        "a later cohort's mean change minus the first cohort's (Welch; programme)",
    ),
    # between_groups (prepost, at post)
    Measure(
        BETWEEN_GROUPS, RANK_BISERIAL, "effect size", "r (-1 to 1)", "rank-biserial of two groups (Mann-Whitney p)"
    ),
    Measure(BETWEEN_GROUPS, ODDS_RATIO, "effect size", "odds ratio", "odds ratio of yes in two groups (Fisher exact)"),
    # model (models)
    Measure(MODEL, COEFFICIENT, "model term", _TERM, "a model term's estimate (interval, p)"),
    Measure(MODEL, THRESHOLD, "model term", "log-odds", "an ordinal model's cut-point (delta-method interval)"),
    Measure(MODEL, STD_ERROR, "model term", _TERM, "standard error of a coefficient or cut-point"),
    Measure(
        MODEL,
        ODDS_RATIO,
        "model term",
        "odds ratio",
        "exp(coefficient) of a logit or ordinal logit term, exp of its interval, same p (no intercept)",
    ),
    Measure(MODEL, OBSERVATIONS, "count", "count", "complete cases the model used (of responses)"),
    Measure(MODEL, DROPPED, "count", "count", "responses dropped for missing values"),
    Measure(MODEL, DROPPED_MISSING, "count", "count", "responses missing one model variable"),
    Measure(MODEL, CLUSTERS, "count", "count", "clusters of a cluster-robust model"),
    Measure(
        MODEL,
        DF_RESID,
        "model fit",
        "degrees of freedom",
        "residual degrees of freedom (clusters - 1 if clustered)",
    ),
    Measure(MODEL, R_SQUARED, "model fit", "proportion", "R squared (ols)"),
    Measure(MODEL, ADJ_R_SQUARED, "model fit", "proportion", "adjusted R squared (ols)"),
    Measure(MODEL, F_STATISTIC, "test", "F statistic", "overall F test (ols; p)"),
    Measure(MODEL, PSEUDO_R_SQUARED, "model fit", "proportion", "McFadden pseudo R squared (logit, ordinal logit)"),
    Measure(MODEL, LR_CHI2, "test", "chi-square", "likelihood-ratio test against the null model (p)"),
    Measure(MODEL, LOG_LIKELIHOOD, "model fit", "log-likelihood", "log-likelihood"),
    Measure(MODEL, AIC, "model fit", "information criterion", "Akaike information criterion"),
    Measure(MODEL, BIC, "model fit", "information criterion", "Bayesian information criterion"),
    Measure(MODEL, NOT_ESTIMATED, "flag", "1", "the model was not estimated; `method` gives the reason"),
)

BY_KEY: dict[tuple[str, str], Measure] = {m.key: m for m in CATALOGUE}
assert len(BY_KEY) == len(CATALOGUE), "duplicate (analysis, measure) in the catalogue"

#: Measures costing less when choosing secondary suppressions (by measure name, as disclosure weighs them).
DETAIL_MEASURES: frozenset[str] = frozenset(m.measure for m in CATALOGUE if m.detail)


def lookup(analysis: str, measure: str) -> Measure | None:
    """The catalogue entry of (analysis, measure), or None when the catalogue has none."""
    return BY_KEY.get((str(analysis), str(measure)))


# -- cells of a row ----------------------------------------------------------------------------
def _top_level(item: str, items: Mapping[str, Mapping[str, Any]]) -> str | None:
    levels = items.get(item, {}).get("levels") if item in items else None
    return str(levels[-1]) if levels else None


def _fill(template: Template | None, row: Mapping[str, Any], items: Mapping[str, Mapping[str, Any]]) -> Cell | None:
    if template is None:
        return None
    parts: list[Hashable] = []
    for part in template:
        if part is Field.TOP_LEVEL:
            top = _top_level(str(row["item"]), items)
            if top is None:
                raise LookupError("no top level")
            parts.append(top)
        elif isinstance(part, Field):
            parts.append(str(row[part.value]))
        else:
            parts.append(part)
    return tuple(parts)


def row_cells(row: Mapping[str, Any], items: Mapping[str, Mapping[str, Any]]) -> tuple[Cell | None, Cell | None]:
    """(numerator cell, denominator cell) a register row shows or rests on; None where it has none.

    `items`: cohort.json's items by id (for the top level of a yes/no item).
    """
    entry = lookup(row["analysis"], row["measure"])
    if entry is None or not entry.modelled:
        return None, None
    try:
        return _fill(entry.numerator, row, items), _fill(entry.denominator, row, items)
    except LookupError:
        return None, None


def row_values(row: Mapping[str, Any]) -> tuple[object, object]:
    """The counts a row states for its (numerator, denominator) cells (None where it states none)."""
    entry = lookup(row["analysis"], row["measure"])
    if entry is None:
        return row["n"], row["denominator"]
    num = row[entry.numerator_column] if entry.numerator_column else None
    den = row[entry.denominator_column] if entry.denominator_column else None
    return num, den


# -- relations ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class RelationFamily:
    """Additive relations of one shape: total = sum of parts."""

    name: str
    total: str
    parts: str
    description: str


RELATION_FAMILIES: tuple[RelationFamily, ...] = (
    RelationFamily("responses", "responses(all)", "responses(g) for each group g", "all responses = sum of the groups"),
    RelationFamily(
        "combined group",
        "responses(c)",
        "responses(m) for each member m of c",
        "a combined group = sum of its member groups",
    ),
    RelationFamily(
        "counted responses",
        "responses(all)",
        "counted + uninvited",
        "all responses = those the response rate counts + those from people not invited",
    ),
    RelationFamily(
        "invited = responded + not",
        "invited",
        "invited_responded + nonresponse",
        "invited people = those who responded + those who did not (both derived, never shown: disclosure.complements)",
    ),
    RelationFamily(
        "counted = invited responded + anonymous",
        "counted",
        "invited_responded + anonymous",
        "the responses the rate counts = those from invited participants + anonymous ones",
    ),
    RelationFamily(
        "pre = linked + pre only",
        "pre(g)",
        "linked(g) + pre_only(g)",
        "responses before = linked participants + those who answered only before",
    ),
    RelationFamily(
        "post = linked + post only",
        "post(g)",
        "linked(g) + post_only(g)",
        "responses after = linked participants + those who answered only after",
    ),
    RelationFamily(
        "post = responses",
        "responses(g)",
        "post(g)",
        "responses after (pre_post) count the same responses as response / responses",
    ),
    RelationFamily(
        "pre/post across groups",
        "pre(all), post(all), linked(all), pre_only(all), post_only(all)",
        "the same count for each group g",
        "each attrition count for all = sum over the groups",
    ),
    RelationFamily(
        "interviews", "interviews(all)", "interviews(g) for each group g", "all interviews = sum of the groups"
    ),
    RelationFamily(
        "answered across groups",
        "answered(i, all)",
        "answered(i, g) for each group g",
        "those answering an item = sum over the groups",
    ),
    RelationFamily(
        "answered = levels",
        "answered(i, g)",
        "level(i, l, g) for each level l",
        "within a group, those answering = sum of the answer levels",
    ),
    RelationFamily(
        "agree = top two",
        "agree(i, g)",
        "level(i, l, g) for the two favourable levels l",
        "% agree counts the top two levels of a likert item (the first two when reverse-coded)",
    ),
    RelationFamily(
        "collapsed = its levels",
        "collapsed(i, c, g)",
        "level(i, l, g) for each level l of category c",
        "a collapsed category (disagree, neutral, agree) = sum of its answer levels",
    ),
    RelationFamily(
        "answered = collapsed",
        "answered(i, g)",
        "collapsed(i, c, g) for each category c",
        "within a group, those answering = sum of the collapsed categories",
    ),
    RelationFamily(
        "collapsed across groups",
        "collapsed(i, c, all)",
        "collapsed(i, c, g) for each group g",
        "each collapsed category for all = sum over the groups",
    ),
    RelationFamily(
        "level across groups",
        "level(i, l, all)",
        "level(i, l, g) for each group g",
        "each answer level for all = sum over the groups",
    ),
    RelationFamily(
        "theme units across groups",
        "units(t, all, s)",
        "units(t, g, s) for each group g",
        "participants with a theme, subtheme or code, per source, = sum over the groups",
    ),
    RelationFamily(
        "theme base across groups",
        "base(all, s)",
        "base(g, s) for each group g",
        "participants with any coded data, per source, = sum over the groups",
    ),
    RelationFamily(
        "co-occurrence across groups",
        "cooccurrence(a, b, all, s)",
        "cooccurrence(a, b, g, s) for each group g",
        "participants with a passage coded under both, per source, = sum over the groups",
    ),
    RelationFamily(
        "document co-occurrence across groups",
        "cooccurrence_document(a, b, all, s)",
        "cooccurrence_document(a, b, g, s) for each group g",
        "participants with both in one document, per source, = sum over the groups",
    ),
    RelationFamily(
        "matrix values = theme",
        "units(t, all, p)",
        "matrix(t, a=v, all, p) for each value v of attribute a",
        "where attribute a's values partition source p's participants (matrix `level` = p): "
        "participants with t over the values = the theme's participants",
    ),
    RelationFamily(
        "matrix bases = theme base",
        "base(all, p)",
        "matrix_base(a=v, all, p) for each value v of attribute a",
        "likewise, the values' participants with coded data = the theme's base of source p",
    ),
)


def top_levels(item: Mapping[str, Any]) -> tuple[str, str] | None:
    """Raw labels of the two favourable levels of a likert item (the first two when reverse-coded)."""
    levels = [str(x) for x in item.get("levels") or []]
    if len(levels) < 2:
        return None
    return (levels[0], levels[1]) if item.get("reverse") else (levels[-1], levels[-2])


def collapsed_levels(item: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """Category -> raw level labels of a likert item collapsed as worded: disagree = the levels below the
    middle, neutral = the middle level (odd scales only), agree = those above; {} for fewer than two levels."""
    levels = tuple(str(x) for x in item.get("levels") or [])
    half = len(levels) // 2
    if half < 1:
        return {}
    out = {COLLAPSED_DISAGREE: levels[:half]}
    if len(levels) % 2:
        out[COLLAPSED_NEUTRAL] = (levels[half],)
    out[COLLAPSED_AGREE] = levels[len(levels) - half :]
    return out


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
        categories = collapsed_levels(spec) if spec.get("type") == "likert" else {}
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


# -- documentation -----------------------------------------------------------------------------
def _cell_text(template: Template | None) -> str:
    if template is None:
        return ""
    name, *args = template
    shown = [a.value if isinstance(a, Field) else repr(a).replace("'", '"') for a in args]
    return f"{name}({', '.join(shown)})" if shown else str(name)


def markdown_table() -> str:
    """The catalogue and the relation families as Markdown (the measures section of docs/data-contract.md)."""
    lines = [
        "| analysis | measure | kind | unit | numerator cell | denominator cell | description |",
        "|---|---|---|---|---|---|---|",
    ]
    for m in CATALOGUE:
        cells = [_cell_text(m.numerator), _cell_text(m.denominator)]
        lines.append(
            f"| {m.analysis} | {m.measure} | {m.kind} | {m.unit} | {cells[0]} | {cells[1]} | {m.description} |"
        )
    lines += ["", "| relation | total | = sum of | meaning |", "|---|---|---|---|"]
    for f in RELATION_FAMILIES:
        lines.append(f"| {f.name} | {f.total} | {f.parts} | {f.description} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
