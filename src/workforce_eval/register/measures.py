"""The measure catalogue: every (analysis, measure) the statistics register may hold.

Each entry says what kind of number the row's `estimate` is, in what unit, and, for the counts
disclosure control models, which *cells* the row shows or rests on: its numerator cell (the
count the row states or is a share of) and its denominator cell (the base of a share, or the
number who answered for a median or mean), and from which row column each cell's count is read.
The cells of a row and the additive relations between cells that disclosure control needs are in
`register.cells`.

Plain data (frozen dataclasses and tuples); no pandas. Other modules name measures through the
constants below (e.g. `PCT_AGREE`) rather than string literals. `markdown_table()` renders the
catalogue for `docs/data-contract.md` and `analyses_table()` the analyses and their measures for
`docs/architecture.md` (a test keeps each equal to its doc); `python -m workforce_eval.register.measures`
prints the first, with `--analyses` the second.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal


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
#: Equality indicators (`analyses.equality`): WRES-style relative likelihoods.
EQUALITY = "equality"
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
#: A group below the minimum group base (`analyses.groups`): not broken out; the row says so.
GROUP_WITHHELD = "group_withheld"
ATTRIBUTE_WITHHELD = "attribute_withheld"
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
CONSTANT_CODERS = "constant_coders"
#: The `method` of an agreement `units` row, by unit (the report states the unit from there): document x code
#: presence, or (single-label coding) the document with its code as the category.
PRESENCE_UNIT = "document x code"
DOCUMENT_UNIT = "document, code as category"
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
#: Fewer reported units than this get no `rank` rows: among two to four units a place says nothing that the
#: comparison with the others (above, similar, below) does not, and reads as a league table of a handful.
MIN_RANKED_UNITS = 5
#: The rule of the `rank` rows (analyses.benchmarking), for people (the organisation reports print it).
RANK_RULE = (
    f"ranked only among at least {MIN_RANKED_UNITS} reported units, and only on items with a favourable "
    "direction (1 = the most favourable value: the highest, or the lowest where the instrument declares a low "
    "value favourable; equal values share a place); a numeric item without a declared direction, such as years "
    "of service, is compared but not ranked"
)
#: A p-value adjusted for multiplicity within its declared family of tests (`analyses.families`).
P_ADJUSTED = "p_adjusted"
LIKELIHOOD = "likelihood"
RE_MEAN_CHANGE = "re_mean_change"
TAU2 = "tau2"
I2 = "i2"
Q_HETEROGENEITY = "q_heterogeneity"
PREDICTION_INTERVAL = "prediction_interval"
RELATIVE_LIKELIHOOD = "relative_likelihood"
FOUR_FIFTHS = "four_fifths"

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
        GROUP_WITHHELD,
        "flag",
        "responses",
        "a group below the minimum group base: none of its rows is in the register (its answers count in `all` "
        "only); `estimate` is the minimum base, `method` `minimum_group_base`",
    ),
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
    Measure(
        BENCHMARK,
        RANK,
        "flag",
        "place",
        f"rank among reported units (1 = most favourable; `denominator` units); only among {MIN_RANKED_UNITS} or "
        "more units and on items with a favourable direction",
    ),
    Measure(
        BENCHMARK,
        P_ADJUSTED,
        "test",
        "p",
        "p of difference_peers adjusted within the unit's family (`denominator` tests); `level`: the flag after "
        "adjustment",
    ),
    # equality (describe step; cohort.yaml `indicators:`): `item` the indicator, `subgroup` <by>=<group>
    Measure(
        EQUALITY,
        LIKELIHOOD,
        "share",
        "percent",
        "percent of a group with the indicator's outcome (Wilson); `n` with it, `denominator` who could have it",
        ("indicator", _I, Field.SUBGROUP),
        ("indicator_base", _I, Field.SUBGROUP),
    ),
    Measure(
        EQUALITY,
        RELATIVE_LIKELIHOOD,
        "effect size",
        "ratio",
        "compared group's likelihood over the reference group's (`level`); Katz log interval, score interval for "
        "small counts",
        ("indicator", _I, Field.SUBGROUP),
        ("indicator_base", _I, Field.SUBGROUP),
    ),
    Measure(
        EQUALITY,
        FOUR_FIFTHS,
        "flag",
        "ratio",
        "impact ratio (lower favourable rate over the higher); `level`: adverse impact below 0.8",
        ("indicator", _I, Field.SUBGROUP),
        ("indicator_base", _I, Field.SUBGROUP),
    ),
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
    Measure(
        AGREEMENT,
        AGREEMENT_UNITS,
        "count",
        "count (units)",
        "units compared (item blank: all): document x code, or documents with the code as category (method)",
    ),
    Measure(AGREEMENT, PERCENT_AGREEMENT, "share", "percent", "percent of agreeing coder pairs over the units"),
    Measure(
        AGREEMENT,
        CONSTANT_CODERS,
        "count",
        "count (coders)",
        "coders who made the same call on every unit (Cohen's kappa is then 0 by construction)",
    ),
    Measure(
        AGREEMENT,
        COHEN_KAPPA,
        "reliability",
        "kappa",
        "Cohen's kappa of two coders (asymptotic Wald interval truncated to [-1, 1]; none where its SE is 0)",
    ),
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
    Measure(
        MATRIX,
        ATTRIBUTE_WITHHELD,
        "flag",
        "participants",
        "a participant attribute one of whose values has fewer participants with coded data than the minimum group "
        "base: none of its matrix rows is in the register; `subgroup` is the attribute, `estimate` the minimum base, "
        "`method` `minimum_group_base`",
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
    Measure(
        PRE_POST,
        RE_MEAN_CHANGE,
        "difference",
        _SCALE,
        "random-effects pooled mean change across cohorts (Paule-Mandel tau2, z interval and p; `denominator` "
        "cohorts; programme)",
    ),
    Measure(PRE_POST, TAU2, "model fit", "squared scale points", "between-cohort variance tau2 (Paule-Mandel)"),
    Measure(PRE_POST, I2, "model fit", "percent", "I2: share of the variation between cohorts beyond chance"),
    Measure(
        PRE_POST,
        Q_HETEROGENEITY,
        "test",
        "Q statistic",
        "Cochran's Q test of heterogeneity across cohorts (`denominator` degrees of freedom; programme)",
    ),
    Measure(
        PRE_POST,
        PREDICTION_INTERVAL,
        "difference",
        _SCALE,
        "95 % prediction interval of the change in a new cohort (t with k - 2 df; 3 or more cohorts; programme)",
    ),
    Measure(
        PRE_POST,
        P_ADJUSTED,
        "test",
        "p",
        "p of change_vs_first or heterogeneity adjusted within its group's family (`denominator` tests; programme)",
    ),
    # between_groups (prepost, at post)
    Measure(
        BETWEEN_GROUPS, RANK_BISERIAL, "effect size", "r (-1 to 1)", "rank-biserial of two groups (Mann-Whitney p)"
    ),
    Measure(BETWEEN_GROUPS, ODDS_RATIO, "effect size", "odds ratio", "odds ratio of yes in two groups (Fisher exact)"),
    Measure(
        BETWEEN_GROUPS,
        P_ADJUSTED,
        "test",
        "p",
        "p of a group comparison adjusted within the cohort's family (`denominator` tests)",
    ),
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


# -- documentation -----------------------------------------------------------------------------
def _cell_text(template: Template | None) -> str:
    if template is None:
        return ""
    name, *args = template
    shown = [a.value if isinstance(a, Field) else repr(a).replace("'", '"') for a in args]
    return f"{name}({', '.join(shown)})" if shown else str(name)


def markdown_table() -> str:
    """The catalogue as Markdown (the measures section of docs/data-contract.md; the relations are `cells`')."""
    lines = [
        "| analysis | measure | kind | unit | numerator cell | denominator cell | description |",
        "|---|---|---|---|---|---|---|",
    ]
    for m in CATALOGUE:
        cells = [_cell_text(m.numerator), _cell_text(m.denominator)]
        lines.append(
            f"| {m.analysis} | {m.measure} | {m.kind} | {m.unit} | {cells[0]} | {cells[1]} | {m.description} |"
        )
    return "\n".join(lines) + "\n"


def analyses_table() -> str:
    """Each analysis with its measures, in catalogue order, as Markdown (the register rows of
    docs/architecture.md)."""
    by_analysis: dict[str, list[str]] = {}
    for m in CATALOGUE:
        by_analysis.setdefault(m.analysis, []).append(m.measure)
    lines = ["| analysis | measures |", "|---|---|"]
    lines += [f"| {analysis} | {', '.join(names)} |" for analysis, names in by_analysis.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    print(analyses_table() if sys.argv[1:] == ["--analyses"] else markdown_table(), end="")
