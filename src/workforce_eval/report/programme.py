"""Presentation helpers for the programme report notebook (`notebooks/programme_report.ipynb`).

Reads only `<results_dir>/programmes/<slug>/`: the programme register (`statistics.csv`, with a
`cohort` column; `all` = pooled), `programme.json` and the forest plot. Numbers are only rounded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from workforce_eval import layout, register
from workforce_eval.analyses import programme
from workforce_eval.register.measures import MEAN_CHANGE, PAIRED_T, PCT_PARTICIPANTS
from workforce_eval.register.notation import DEFAULT_DISCLOSURE_THRESHOLD, MISSING, fmt_int, is_missing
from workforce_eval.report.cohort import disclosure_note
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
from workforce_eval.report.prepost import targets
from workforce_eval.report.structure import (
    SYNTHETIC_FACT,
    design_label,
    facts_table,
    scales_sentences,
    sections_html,
    software_sentence,
)

POOLED_LABEL = "All cohorts"


@dataclass(frozen=True)
class ProgrammeResults:
    """A programme's register, metadata and figure folder."""

    stats: pd.DataFrame
    meta: dict[str, Any]
    figures: Path


def load(results_dir: Path, slug: str) -> ProgrammeResults:
    """Read `<results_dir>/programmes/<slug>/statistics.csv` and `programme.json`."""
    here = layout.programme(results_dir, slug)
    meta = json.loads(here.programme_json.read_text(encoding="utf-8"))
    return ProgrammeResults(programme.read(here.statistics), meta, here.figures_dir)


def title(meta: dict[str, Any]) -> str:
    """`<programme> — programme report`."""
    return f"{meta.get('programme', '')} — programme report"


#: The programme report's sections, in order (Markdown `##` headings of notebooks/programme_report.ipynb).
SECTIONS = (
    "Key findings",
    "Response and linkage by cohort",
    "Change by cohort",
    "Did later cohorts do as well as the first?",
    "Themes across cohorts",
    "Methods",
    "Limitations",
    "Appendix",
)


def threshold(res: ProgrammeResults) -> int:
    """The programme register's disclosure threshold (programme.json), for the hidden-cell notes."""
    return int(res.meta.get("disclosure_threshold") or DEFAULT_DISCLOSURE_THRESHOLD)


def contents_html(res: ProgrammeResults) -> str:
    """The contents list: a link to each section's heading (nbconvert's anchor: the text, spaces as hyphens)."""
    present = [s for s in SECTIONS if s != "Themes across cohorts" or "theme" in set(res.stats["analysis"])]
    links = "".join(f"<li><a href='#{html_text('-'.join(s.split()))}'>{html_text(s)}</a></li>" for s in present)
    return f"<nav aria-label='Contents'><p><strong>Contents</strong></p><ol>{links}</ol></nav>"


def title_block(res: ProgrammeResults) -> str:
    """The facts under the title (HTML): programme, its cohorts, their designs, dates where known, synthetic data."""
    meta = res.meta
    entries = list(meta.get("cohorts", []))
    designs = list(dict.fromkeys(design_label(c) for c in entries if c.get("design")))
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
        "(`programmes/<programme>/statistics.csv`), which holds every cohort's rows and the pooled rows."
    )


def response_table(res: ProgrammeResults) -> pd.DataFrame:
    """Per cohort and pooled: invited, answered before / after, response rate after, linked, once only, retention."""
    meta = res.meta
    out = []
    for cid, label in cohorts(res):

        def count(analysis: str, measure: str, cid: str = cid) -> str:
            row = register.find(res.stats, analysis, measure, cohort=cid)
            return MISSING if row is None else count_text(row, meta)

        rate = register.find(res.stats, "response", "response_rate", cohort=cid)
        ret = register.find(res.stats, "pre_post", "retention", cohort=cid)
        out.append(
            [
                label,
                count("response", "invited"),
                count("pre_post", "responses_pre"),
                count("response", "responses"),
                _share(rate),
                count("pre_post", "linked"),
                count("pre_post", "pre_only"),
                count("pre_post", "post_only"),
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
    """Constructs and items with a change row in the programme register."""
    present = set(res.stats.loc[(res.stats["analysis"] == "pre_post") & (res.stats["measure"] == MEAN_CHANGE), "item"])
    return [(t, label) for t, label in targets(res.meta) if t in present]


def change_table(res: ProgrammeResults, group: str = "all") -> pd.DataFrame:
    """Per construct and item, one row per cohort and pooled: mean change (95 % CI), paired t p and n linked,
    each in its own cell (estimate, interval and p from the same method, the paired t)."""
    labels = cohorts(res)
    out = []
    for target, label in _targets(res):
        for position, (cid, cohort_label) in enumerate(labels):
            row = register.find(res.stats, "pre_post", PAIRED_T, cohort=cid, item=target, group=group)
            cells = [MISSING] * 3 if row is None else [fmt_est_ci(row), _p(row), count_text(row, res.meta)]
            out.append([label if position == 0 else "", cohort_label, *cells])
    columns = ["Scale or item", "Cohort", "Mean change (95 % CI)", "p (paired t)", "n linked"]
    return pd.DataFrame(out, columns=columns)


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
    for target, label in _targets(res):
        het = register.find(res.stats, "pre_post", "heterogeneity", cohort="all", item=target)
        for position, cid in enumerate(later):
            row = register.find(res.stats, "pre_post", "change_vs_first", cohort=cid, item=target)
            out.append(
                [
                    label if position == 0 else "",
                    f"{labels[cid]} minus {labels[first]}",
                    MISSING if row is None else fmt_est_ci(row),
                    MISSING if row is None else _p(row),
                    (MISSING if het is None else fmt_p(het["p_value"])) if position == 0 else "",
                ]
            )
    columns = [
        "Scale or item",
        "Comparison",
        "Difference in mean change (95 % CI)",
        "p (Welch)",
        "Cohorts differ? (Kruskal-Wallis p)",
    ]
    return pd.DataFrame(out, columns=columns)


def themes_table(res: ProgrammeResults, source: str = "all") -> pd.DataFrame:
    """Per theme and (indented) subtheme: participants with coded data in each cohort and pooled, `n of base (%)`."""
    meta = res.meta
    labels = cohorts(res)

    def cell(node: str, cid: str) -> str:
        pct = register.find(res.stats, "theme", PCT_PARTICIPANTS, cohort=cid, item=node, source=source)
        if pct is not None and bool(pct["suppressed"]):
            return count_text(pct, meta)  # one notation for a hidden cell: "<k" (or "[c]")
        if pct is not None:
            return f"{fmt_int(pct['n'])} of {fmt_int(pct['denominator'])} ({fmt_num(pct['estimate'], 0)} %)"
        count = register.find(res.stats, "theme", "participants", cohort=cid, item=node, source=source)
        return MISSING if count is None else count_text(count, meta)

    out = []
    for theme in meta.get("codebook", []):
        out.append([str(theme["label"]), *[cell(str(theme["id"]), cid) for cid, _ in labels]])
        for sub in theme.get("subthemes", []):
            out.append([INDENT + str(sub["label"]), *[cell(str(sub["id"]), cid) for cid, _ in labels]])
    return pd.DataFrame(out, columns=["Theme / subtheme", *[lab for _, lab in labels]])


def figure_path(res: ProgrammeResults, name: str) -> Path | None:
    """A figure's PNG, or None when it was not produced."""
    path = res.figures / f"{name}.png"
    return path if path.exists() else None


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
        "shares are recomputed on the sums; theme counts are summed the same way."
    )


def methods(res: ProgrammeResults) -> list[tuple[str, list[str]]]:
    """The programme report's methods as (subheading, sentences) pairs; plain text (escaped by `methods_html`)."""
    meta = res.meta
    entries = list(meta.get("cohorts", []))
    each = ", ".join(f"{c.get('cohort', c.get('cohort_id', ''))}: {design_label(c).lower()}" for c in entries)
    design = [
        f"The programme report brings together {len(entries)} cohorts, each analysed on its own first ({each}).",
        "Change is measured in the participants who answered the same questionnaire before and after the "
        "programme, linked by participant.",
    ]
    k = threshold(res)
    disclosure = disclosure_note({"disclosure_threshold": k})
    disclosure = disclosure.replace(f" The threshold of {k} is the project default.", "")
    disclosure += (
        f" The threshold of {k} is the highest of the cohorts' thresholds, and pooled counts are checked again "
        "against it."
    )
    return [
        ("Design", design),
        ("Instruments and scales", scales_sentences(meta)),
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
    ids = ", ".join(f"results/{cid}/statistics.csv" for cid, _ in cohorts(res)[:-1])
    return (
        f"Every number in this report is a row of results/programmes/{slug}/statistics.csv (the programme "
        "register: each cohort's rows and the pooled rows, with estimate, count, denominator, interval, p, "
        "method and the rule that made it, unrounded)."
        + (f" Each cohort's own register: {ids}." if ids else "")
        + " Provenance: results/provenance/manifest.json lists every input and output with its SHA-256, the "
        "code, configuration and software; the command workforce-eval verify checks them again."
    )


def limitations(res: ProgrammeResults) -> list[str]:
    """Limitations sentences for the programme report."""
    out = []
    small = []
    for cid, label in cohorts(res)[:-1]:
        row = register.find(res.stats, "pre_post", "linked", cohort=cid)
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
    linked = register.find(stats, "pre_post", "linked", cohort="all")
    if linked is not None and usable(linked):
        parts = []
        for cid, label in per:
            row = register.find(stats, "pre_post", "linked", cohort=cid)
            if row is not None and usable(row):
                parts.append(f"{label} {fmt_int(row['estimate'])}")
        out.append(
            f"{fmt_int(linked['estimate'])} participants answered both before and after the programme across the "
            f"{len(per)} cohorts ({', '.join(parts)})."
        )
    for target, label in [t for t in _targets(res) if t[0] in set(meta.get("constructs", []))][:3]:
        pooled = register.find(stats, "pre_post", PAIRED_T, cohort="all", item=target)
        if pooled is None or not usable(pooled):
            continue
        rows = [(lab, register.find(stats, "pre_post", PAIRED_T, cohort=cid, item=target)) for cid, lab in per]
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
        het = register.find(stats, "pre_post", "heterogeneity", cohort="all", item=target)
        if het is not None and not bool(het["suppressed"]) and not is_missing(het["p_value"]):
            hp = fmt_p(het["p_value"])
            out.append(
                f"Whether the cohorts' changes in {label} differ: Kruskal-Wallis p "
                f"{_p_words(hp)} (n = {fmt_int(het['n'])} linked participants)."
            )
    best = None
    for theme in meta.get("codebook", []):
        row = register.find(stats, "theme", PCT_PARTICIPANTS, cohort="all", item=str(theme["id"]), source="all")
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
