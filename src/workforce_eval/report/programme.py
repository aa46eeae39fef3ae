"""Presentation helpers for the programme report notebook (`notebooks/programme_report.ipynb`).

Reads only `<results_dir>/programmes/<slug>/`: the programme register (`statistics.csv`, with a
`cohort` column; `all` = pooled), `programme.json` and the forest plot. Numbers are only rounded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from workforce_eval import register
from workforce_eval.analyses import families
from workforce_eval.inputs import metadata
from workforce_eval.layout import PROGRAMMES_DIR
from workforce_eval.register.measures import (
    CHANGE_VS_FIRST,
    HETEROGENEITY,
    I2,
    INVITED,
    LINKED,
    MEAN_CHANGE,
    P_ADJUSTED,
    PAIRED_T,
    PARTICIPANTS,
    PCT_PARTICIPANTS,
    POST_ONLY,
    PRE_ONLY,
    PRE_POST,
    PREDICTION_INTERVAL,
    Q_HETEROGENEITY,
    RE_MEAN_CHANGE,
    RESPONSE,
    RESPONSE_RATE,
    RESPONSES,
    RESPONSES_PRE,
    RETENTION,
    TAU2,
    THEME,
)
from workforce_eval.register.notation import DEFAULT_DISCLOSURE_THRESHOLD, MISSING, fmt_int, is_missing
from workforce_eval.report import multiplicity
from workforce_eval.report.format import (
    INDENT,
    code,
    count_text,
    fmt_est_ci,
    fmt_num,
    fmt_p,
    fmt_pct,
    html_text,
    md_text,
)
from workforce_eval.report.prepost import target_label, targets
from workforce_eval.report.results import ProgrammeResults
from workforce_eval.report.structure import (
    PUBLISHED_FILES_NOTE,
    SYNTHETIC_FACT,
    design_label,
    facts_table,
    published_register,
    scales_sentences,
    sections_html,
    software_sentence,
)
from workforce_eval.report.text import disclosure_note

POOLED_LABEL = "All cohorts"


def title(meta: Mapping[str, Any]) -> str:
    """`<programme> — programme report`: the notebook's heading and the HTML page's title."""
    return f"{meta.get('programme', '')} — programme report"


def synthetic(res: ProgrammeResults) -> bool:
    """Whether programme.json marks the programme's data synthetic (any of its cohorts is): the banner's condition."""
    return bool(res.meta.get("synthetic"))


def threshold(res: ProgrammeResults) -> int:
    """The programme register's disclosure threshold (programme.json), for the hidden-cell notes."""
    return int(res.meta.get("disclosure_threshold") or DEFAULT_DISCLOSURE_THRESHOLD)


def title_block(res: ProgrammeResults) -> str:
    """The facts under the title (HTML): programme, its cohorts, their designs, dates where known, synthetic data."""
    meta = res.meta
    entries = list(meta.get("cohorts", []))
    designs = list(dict.fromkeys(design_label(str(c["design"])) for c in entries if c.get("design")))
    dates = [
        f"{c.get('cohort', c.get('cohort_id', ''))}: {str(c['dates']).strip()}"
        for c in entries
        if str(c.get("dates") or "").strip()
    ]
    synthetic = meta.get("synthetic") or any(c.get("synthetic") for c in entries)
    facts = [
        ("Programme", str(meta.get("programme", ""))),
        ("Cohorts", f"{len(entries)}: " + ", ".join(str(c.get("cohort", c.get("cohort_id", ""))) for c in entries)),
        ("Design" if len(designs) == 1 else "Designs", ", ".join(designs)),
        ("Dates", "; ".join(dates)),
        ("Data", SYNTHETIC_FACT if synthetic else ""),
    ]
    return facts_table([(k, v) for k, v in facts if entries or k != "Cohorts"])


def cohorts(res: ProgrammeResults) -> list[tuple[str, str]]:
    """(cohort id, label) in configured order, then (`all`, `All cohorts`)."""
    return [(str(c["cohort_id"]), str(c["cohort"])) for c in res.meta.get("cohorts", [])] + [("all", POOLED_LABEL)]


def intro(res: ProgrammeResults) -> str:
    """Which cohorts the report compares."""
    names = [f"{md_text(label)} ({code(cid)})" for cid, label in cohorts(res)[:-1]]
    listed = ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1] if names else "none"
    return (
        f"This report compares the {len(names)} cohorts of the programme found in the configuration: {listed}. "
        "Each cohort also has its own report; the figures here are read from the programme register "
        f"(published as `programmes/{res.meta.get('slug', '')}/statistics.csv`), which holds every cohort's rows "
        "and the pooled rows."
    )


def response_table(res: ProgrammeResults) -> pd.DataFrame:
    """Per cohort and pooled: invited, answered before / after, response rate after, linked, once only, retention."""
    meta = res.meta
    out = []
    for cid, label in cohorts(res):

        def count(analysis: str, measure: str, cid: str = cid) -> str:
            row = register.one(res.stats, analysis, measure, cohort=cid)
            return MISSING if row is None else count_text(row, meta)

        rate = register.one(res.stats, RESPONSE, RESPONSE_RATE, cohort=cid)
        ret = register.one(res.stats, PRE_POST, RETENTION, cohort=cid)
        out.append(
            [
                label,
                count(RESPONSE, INVITED),
                count(PRE_POST, RESPONSES_PRE),
                count(RESPONSE, RESPONSES),
                _share(rate),
                count(PRE_POST, LINKED),
                count(PRE_POST, PRE_ONLY),
                count(PRE_POST, POST_ONLY),
                _share(ret),
            ]
        )
    columns = [
        "Cohort",
        "Invited",
        "Answered before",
        "Answered after",
        "Response rate after",
        "Linked (both)",
        "Only before",
        "Only after",
        "Retention",
    ]
    return pd.DataFrame(out, columns=columns)


def _share(row: pd.Series | None) -> str:
    """A percentage of the programme register; the dash when absent or suppressed (the register's decision)."""
    return MISSING if row is None or bool(row["suppressed"]) else fmt_pct(row["estimate"])


def _targets(res: ProgrammeResults) -> list[tuple[str, str]]:
    """Constructs and items with a change row in the programme register; reverse-coded items marked "(reversed)"."""
    present = set(register.select(res.stats, PRE_POST, MEAN_CHANGE)["item"])
    return [(t, target_label(res.meta, t, label)) for t, label in targets(res.meta) if t in present]


def change_table(res: ProgrammeResults, group: str = "all") -> pd.DataFrame:
    """Per construct and item, one row per cohort and pooled: mean change (95 % CI), paired t p and n linked,
    each in its own cell (estimate, interval and p from the same method, the paired t)."""
    labels = cohorts(res)
    out = []
    for target, label in _targets(res):
        for position, (cid, cohort_label) in enumerate(labels):
            row = register.one(res.stats, PRE_POST, PAIRED_T, cohort=cid, item=target, group=group)
            cells = [MISSING] * 3 if row is None else [fmt_est_ci(row), _p(row), count_text(row, res.meta)]
            out.append([label if position == 0 else "", cohort_label, *cells])
    columns = ["Scale or item", "Cohort", "Mean change (95 % CI)", "p (paired t)", "n linked"]
    return pd.DataFrame(out, columns=columns)


def meta_table(res: ProgrammeResults) -> pd.DataFrame:
    """Per construct and item: the random-effects pooled change (95 % CI), its p, prediction interval, tau², I² and
    the number of cohorts (no rows when the register has no random-effects rows)."""
    out = []
    for target, label in _targets(res):
        row = register.one(res.stats, PRE_POST, RE_MEAN_CHANGE, cohort="all", item=target)
        if row is None:
            continue
        pi = register.one(res.stats, PRE_POST, PREDICTION_INTERVAL, cohort="all", item=target)
        tau2 = register.one(res.stats, PRE_POST, TAU2, cohort="all", item=target)
        i2 = register.one(res.stats, PRE_POST, I2, cohort="all", item=target)
        out.append(
            [
                label,
                fmt_est_ci(row),
                _p(row),
                MISSING if pi is None else f"{fmt_num(pi['ci_low'], 2)} to {fmt_num(pi['ci_high'], 2)}",
                MISSING if tau2 is None else fmt_num(tau2["estimate"], 3),
                MISSING if i2 is None else f"{fmt_num(i2['estimate'], 0)} %",
                fmt_int(row["denominator"]),
            ]
        )
    columns = [
        "Scale or item",
        "Random-effects mean change (95 % CI)",
        "p",
        "95 % prediction interval",
        "tau²",
        "I²",
        "Cohorts",
    ]
    return pd.DataFrame(out, columns=columns)


def meta_text() -> str:
    """How the random-effects rows were computed (plain text)."""
    return (
        "Random-effects meta-analysis of the cohorts' mean changes: each cohort weighs by the inverse of its "
        "squared standard error plus the between-cohort variance tau², estimated by Paule and Mandel's method; "
        "interval and p from the normal distribution. I² is the share of the variation between cohorts beyond "
        "what chance would give (Higgins and Thompson). The prediction interval is where the mean change of a "
        "new cohort would lie (t with k - 2 degrees of freedom, so with three cohorts it is very wide). Cohorts "
        "whose changes are all equal have no standard error and are left out."
    )


def _adjusted(res: ProgrammeResults, target: str, measure: str) -> pd.Series | None:
    """The `p_adjusted` row of a pooled test (`heterogeneity` or `q_heterogeneity`, group all): its `method` ends
    with the tested measure (`analyses.families.method_text`)."""
    rows = register.select(res.stats, PRE_POST, P_ADJUSTED, cohort="all", item=target, group="all")
    rows = rows[rows["method"].astype(str).str.endswith("; " + measure)]
    return None if rows.empty else rows.iloc[0]


def _p(row: pd.Series) -> str:
    """A row's p value; hidden with the row when it is suppressed (a test on a hidden count is hidden with it)."""
    return MISSING if bool(row["suppressed"]) else fmt_p(row["p_value"])


def comparison_table(res: ProgrammeResults) -> pd.DataFrame:
    """Per construct and item, one row per later cohort: its change minus the first cohort's (Welch 95 % CI), the
    Welch p, and on the first row the test of whether the cohorts' changes differ at all (Kruskal-Wallis p)."""
    labels = dict(cohorts(res))
    first = next(iter(labels))
    later = [cid for cid in labels if cid not in (first, "all")]
    out = []
    adjusted_name = multiplicity.method_name(res.stats, PRE_POST)
    for target, label in _targets(res):
        het = register.one(res.stats, PRE_POST, HETEROGENEITY, cohort="all", item=target)
        het_adjusted = _adjusted(res, target, HETEROGENEITY)
        q = register.one(res.stats, PRE_POST, Q_HETEROGENEITY, cohort="all", item=target)
        q_adjusted = _adjusted(res, target, Q_HETEROGENEITY)
        for position, cid in enumerate(later):
            row = register.one(res.stats, PRE_POST, CHANGE_VS_FIRST, cohort=cid, item=target)
            adjusted = register.one(res.stats, PRE_POST, P_ADJUSTED, cohort=cid, item=target)
            het_cell = MISSING if het is None else fmt_p(het["p_value"])
            if het is not None and het_adjusted is not None:
                het_cell += f"; {adjusted_name} p = {multiplicity.p_text(het_adjusted, het)}"
            q_cell = MISSING if q is None else _p(q)
            if q is not None and q_adjusted is not None:
                q_cell += f"; {adjusted_name} p = {multiplicity.p_text(q_adjusted, q)}"
            out.append(
                [
                    label if position == 0 else "",
                    f"{labels[cid]} minus {labels[first]}",
                    MISSING if row is None else fmt_est_ci(row),
                    MISSING if row is None else _p(row),
                    multiplicity.p_text(adjusted, row),
                    het_cell if position == 0 else "",
                    q_cell if position == 0 else "",
                ]
            )
    columns = [
        "Scale or item",
        "Comparison",
        "Difference in mean change (95 % CI)",
        "p (Welch)",
        f"p ({adjusted_name})",
        "Cohorts differ? (Kruskal-Wallis p)",
        "Cohorts differ? (Cochran's Q p)",
    ]
    return pd.DataFrame(out, columns=columns)


def themes_table(res: ProgrammeResults, source: str = "all") -> pd.DataFrame:
    """Per theme and (indented) subtheme: participants with coded data in each cohort and pooled, `n of base (%)`."""
    meta = res.meta
    labels = cohorts(res)

    def cell(node: str, cid: str) -> str:
        pct = register.one(res.stats, THEME, PCT_PARTICIPANTS, cohort=cid, item=node, source=source)
        if pct is not None and bool(pct["suppressed"]):
            return count_text(pct, meta)  # one notation for a hidden cell: "[c]"
        if pct is not None:
            return f"{fmt_int(pct['n'])} of {fmt_int(pct['denominator'])} ({fmt_num(pct['estimate'], 0)} %)"
        count = register.one(res.stats, THEME, PARTICIPANTS, cohort=cid, item=node, source=source)
        return MISSING if count is None else count_text(count, meta)

    out = []
    for theme in meta.get("codebook", []):
        out.append([str(theme["label"]), *[cell(str(theme["id"]), cid) for cid, _ in labels]])
        for sub in theme.get("subthemes", []):
            out.append([INDENT + str(sub["label"]), *[cell(str(sub["id"]), cid) for cid, _ in labels]])
    return pd.DataFrame(out, columns=["Theme / subtheme", *[lab for _, lab in labels]])


def methods_text(res: ProgrammeResults) -> str:
    """How pooled and comparison figures were computed."""
    first = cohorts(res)[0][1] if res.meta.get("cohorts") else "the first cohort"
    return (
        "Each cohort's change is computed exactly as in its own report (linked participants, paired t interval "
        "and the paired t test's p, so interval and p come from one method). "
        'The pooled change ("All cohorts") treats the linked '
        "participants of all cohorts as one sample, so larger cohorts weigh more; it is not a meta-analysis of the "
        f'cohort means. The "minus {first}" rows give the difference between a later cohort\'s mean change and the '
        f'first cohort\'s ({first}) with a Welch 95 % interval and p; "Cohorts differ?" is a Kruskal-Wallis test '
        "of the individual changes across cohorts. Counts in the response table are summed over cohorts and "
        "shares are recomputed on the sums; theme counts are summed the same way." + _family(res)
    )


def _family(res: ProgrammeResults) -> str:
    """The sentence on the cohort comparisons' family of tests, with a leading space; empty without one."""
    sentence = multiplicity.family_sentence(res.stats, families.LATER_COHORTS)
    return " " + sentence if sentence else ""


def methods(res: ProgrammeResults) -> list[tuple[str, list[str]]]:
    """The programme report's methods as (subheading, sentences) pairs; plain text (escaped by `methods_html`)."""
    meta = res.meta
    entries = list(meta.get("cohorts", []))
    each = ", ".join(
        f"{c.get('cohort', c.get('cohort_id', ''))}: {design_label(str(c.get('design', ''))).lower()}" for c in entries
    )
    design = [
        f"The programme report brings together {len(entries)} cohorts, each analysed on its own first ({each}).",
        "Change is measured in the participants who answered the same questionnaire before and after the "
        "programme, linked by participant.",
    ]
    k = threshold(res)
    disclosure = disclosure_note(metadata.from_document({"disclosure_threshold": k}))
    disclosure = disclosure.replace(f" The threshold of {k} is the project default.", "")
    disclosure += (
        f" The threshold of {k} is the highest of the cohorts' thresholds, and pooled counts are checked again "
        "against it."
    )
    return [
        ("Design", design),
        ("Instruments and scales", scales_sentences(metadata.from_document(meta))),
        (
            "Who was counted",
            [
                "The change tables count linked participants only (those who answered both surveys); the "
                "response table also counts those who answered once."
            ],
        ),
        ("Statistical methods", [methods_text(res)]),
        ("Disclosure control", [disclosure]),
        ("Software", [software_sentence()]),
    ]


def methods_html(res: ProgrammeResults) -> str:
    """The methods section body as escaped HTML (subheadings and paragraphs)."""
    return sections_html(methods(res))


def appendix_text(res: ProgrammeResults) -> str:
    """Where the programme register, the cohorts' registers and the provenance are (plain text)."""
    slug = str(res.meta.get("slug", ""))
    ids = ", ".join(published_register(cid) for cid, _ in cohorts(res)[:-1])
    return (
        f"Every number in this report is a row of {published_register(f'{PROGRAMMES_DIR}/{slug}')} in the "
        "published folder (the published programme register: each cohort's rows and the pooled rows, with "
        "estimate, count, denominator, interval, p, method and the rule that made it, unrounded; a number hidden "
        "by disclosure control is blank there, with the notation this report prints in its place)."
        + (f" Each cohort's own published register: {ids}." if ids else "")
        + " "
        + PUBLISHED_FILES_NOTE
    )


def limitations(res: ProgrammeResults) -> list[str]:
    """Limitations sentences for the programme report."""
    out = []
    small = []
    for cid, label in cohorts(res)[:-1]:
        row = register.one(res.stats, PRE_POST, LINKED, cohort=cid)
        if row is not None and not is_missing(row["estimate"]) and float(row["estimate"]) < 15:
            small.append(f"{label} (n = {count_text(row, res.meta)})")
    if small:
        which = "this cohort" if len(small) == 1 else "these cohorts"
        out.append(
            "Few participants were linked in " + ", ".join(small) + f": the intervals for {which} are "
            "wide, and a non-significant change is not evidence of no change."
        )
    out.append(
        "There is no comparison group of people who did not take part, so change cannot be attributed to the "
        "programme alone; all measures are self-reported."
    )
    out.append(
        "Participants who answered only once are not part of the change figures; if those who dropped out "
        "differed from those who stayed, change may be over- or under-stated."
    )
    out.append(
        "Cohorts differ in size, timing and who took part (later cohorts included other senior managers), "
        "so differences between cohorts need not be caused by the programme."
    )
    if res.meta.get("synthetic"):
        out.append(
            "The data are synthetic: they were invented by the pipeline's generator and do not come from real "
            "participants. The numbers and quotes illustrate the method only and say nothing about the programme."
        )
    return out


def limitations_html(res: ProgrammeResults) -> str:
    """The limitations as an escaped HTML bullet list."""
    return "<ul>" + "".join(f"<li>{html_text(s)}</li>" for s in limitations(res)) + "</ul>"


def key_findings(res: ProgrammeResults) -> list[str]:
    """The programme report's key findings, from the programme register by fixed rules (docs/findings.md):

    1. linked participants over all cohorts, with each cohort's count;
    2. per scale (construct, at most three): the pooled paired-t change with n, interval and p, and the
       smallest and largest cohort change;
    3. per scale: whether the cohorts' changes differ (Kruskal-Wallis p, n);
    4. the theme raised by most participants over all cohorts (pooled participants n of N).
    Suppressed rows are never used.
    """
    stats, meta = res.stats, res.meta
    out: list[str] = []

    def usable(row: pd.Series | None) -> bool:
        return row is not None and not bool(row["suppressed"]) and not is_missing(row["estimate"])

    per = cohorts(res)[:-1]
    linked = register.one(stats, PRE_POST, LINKED, cohort="all")
    if linked is not None and usable(linked):
        parts = []
        for cid, label in per:
            row = register.one(stats, PRE_POST, LINKED, cohort=cid)
            if row is not None and usable(row):
                parts.append(f"{label} {fmt_int(row['estimate'])}")
        out.append(
            f"{fmt_int(linked['estimate'])} participants answered both before and after the programme across the "
            f"{len(per)} cohorts ({', '.join(parts)})."
        )
    for target, label in [t for t in _targets(res) if t[0] in set(meta.get("constructs", []))][:3]:
        pooled = register.one(stats, PRE_POST, PAIRED_T, cohort="all", item=target)
        if pooled is None or not usable(pooled):
            continue
        rows = [(lab, register.one(stats, PRE_POST, PAIRED_T, cohort=cid, item=target)) for cid, lab in per]
        shown = [(lab, r) for lab, r in rows if r is not None and usable(r)]
        spread = ""
        if len(shown) > 1:
            lo = min(shown, key=lambda lr: float(lr[1]["estimate"]))
            hi = max(shown, key=lambda lr: float(lr[1]["estimate"]))
            low, high = fmt_num(lo[1]["estimate"], 2), fmt_num(hi[1]["estimate"], 2)
            spread = f"; by cohort from {low} ({lo[0]}) to {high} ({hi[0]})"
        p = fmt_p(pooled["p_value"])
        out.append(
            f"Pooled over all cohorts, the mean of {label} changed by {fmt_num(pooled['estimate'], 2)} points "
            f"(n = {fmt_int(pooled['n'])}; 95 % CI {fmt_num(pooled['ci_low'], 2)} to {fmt_num(pooled['ci_high'], 2)}; "
            f"paired t p {_p_words(p)}){spread}."
        )
        het = register.one(stats, PRE_POST, HETEROGENEITY, cohort="all", item=target)
        if het is not None and not bool(het["suppressed"]) and not is_missing(het["p_value"]):
            hp = fmt_p(het["p_value"])
            out.append(
                f"Whether the cohorts' changes in {label} differ: Kruskal-Wallis p "
                f"{_p_words(hp)} (n = {fmt_int(het['n'])} linked participants)."
            )
    best = None
    for theme in meta.get("codebook", []):
        row = register.one(stats, THEME, PCT_PARTICIPANTS, cohort="all", item=str(theme["id"]), source="all")
        if row is not None and usable(row) and (best is None or float(row["estimate"]) > float(best[1]["estimate"])):
            best = (str(theme["label"]), row)
    if best is not None:
        label, row = best
        out.append(
            f"Over all cohorts, the theme raised by most participants was “{label}”: {fmt_int(row['n'])} of "
            f"{fmt_int(row['denominator'])} participants with coded data ({fmt_pct(row['estimate'])})."
        )
    return out[:8]


def _p_words(p: str) -> str:
    """`= 0.047` or `< 0.001`, to follow "p" in a sentence."""
    return "< " + p[1:] if p.startswith("<") else "= " + p
