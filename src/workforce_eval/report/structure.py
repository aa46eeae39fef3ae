"""The frame of every cohort report: title block, methods, design limitations and appendix text.

The sections themselves (keys, headings, when present) and the contents list are declared in `report.sections`.

Like the other section builders these only read `Results` (register, cohort.json, quotes); all text they
return is escaped HTML (through `report.format.html_text`) or plain sentences the notebook escapes.
"""

from __future__ import annotations

import platform
from importlib import metadata

from workforce_eval import register
from workforce_eval.analyses.groups import withheld_sentence
from workforce_eval.inputs.metadata import Cohort
from workforce_eval.register.labels import construct_label
from workforce_eval.register.measures import INVITED, MODEL, PRE_POST, RESPONSE, RESPONSE_RATE, RESPONSES, THEME
from workforce_eval.report.format import html_text
from workforce_eval.report.results import Results
from workforce_eval.report.text import disclosure_note, limitations

#: How each design is described in the title block and the methods.
DESIGNS = {
    "post_only": (
        "Survey after the programme",
        "Participants answered one survey after the programme (a cross-sectional design: one time point, "
        "no measure before the programme).",
    ),
    "pre_post": (
        "Before-and-after survey",
        "Participants answered the same questionnaire before and after the programme; answers are linked "
        "by participant, so change is measured within the same people.",
    ),
    "cross_sectional": (
        "Cross-sectional staff survey",
        "Staff answered one survey at one point in time (a cross-sectional design).",
    ),
}

#: A scale's meaning (`Item.meaning`) in the methods' words.
MEANING_WORDS = {
    "agreement": "agreement",
    "frequency": "how often",
    "satisfaction": "satisfaction",
    "yes_no": "yes or no",
    "rating": "an ordered rating",
}

#: Packages whose versions the methods name.
SOFTWARE = ("pandas", "numpy", "scipy", "statsmodels", "matplotlib", "papermill", "nbconvert")


def design_label(design: str) -> str:
    """A design (cohort.json `design`) in words, e.g. `Before-and-after survey`."""
    return DESIGNS.get(design, (design.replace("_", " ").capitalize(), ""))[0]


def _extra(cohort: Cohort, key: str) -> str:
    value = cohort.extra.get(key)
    return "" if value is None else str(value).strip()


def title_block(cohort: Cohort) -> str:
    """The facts under the title as an HTML table: programme, cohort, design, organisation, dates where known."""
    facts = [
        ("Programme", cohort.programme),
        ("Cohort", cohort.cohort or cohort.cohort_id),
        ("Design", design_label(cohort.design)),
        ("Organisation", _extra(cohort, "organisation")),
        ("Dates", _extra(cohort, "dates")),
        ("Data", SYNTHETIC_FACT if cohort.synthetic else ""),
    ]
    return facts_table(facts)


#: The title block's "Data" fact for synthetic inputs.
SYNTHETIC_FACT = "synthetic (invented for demonstration)"


def facts_table(facts: list[tuple[str, str]]) -> str:
    """(label, value) facts as the title block's HTML table; facts without a value are left out."""
    rows = "".join(
        f"<tr><th scope='row'>{html_text(k)}</th><td>{html_text(v)}</td></tr>" for k, v in facts if v and v != "None"
    )
    return f"<table class='title-block'><caption class='visually-hidden'>{FACTS_CAPTION}</caption>{rows}</table>"


#: The title block's caption, read by screen readers only (the table sits under the report's title).
FACTS_CAPTION = "About this evaluation"


def _scales(cohort: Cohort) -> list[str]:
    """One sentence per answer scale the instrument uses, with its levels' range."""
    seen: dict[str, tuple[str, ...]] = {}
    meanings: dict[str, str] = {}
    for item in cohort.items_of("likert", "yesno", "choice"):
        if item.levels:
            seen.setdefault(item.scale or item.id, item.levels)
            meanings.setdefault(item.scale or item.id, MEANING_WORDS.get(item.meaning, item.meaning))
    out = []
    for name, levels in seen.items():
        out.append(
            f"Scale {name} ({meanings[name]}): {len(levels)} answer levels, coded 1 ({levels[0]}) to {len(levels)} "
            f"({levels[-1]})."
        )
    numeric = cohort.items_of("numeric")
    if numeric:
        out.append(f"{len(numeric)} numeric rating item(s), analysed on their own scale.")
    for construct in sorted(cohort.constructs, key=lambda c: c.id):
        k = max((len(i.levels) for i in construct.items), default=0)
        rng = f", range 1 to {k}" if k else ""
        out.append(
            f"{construct_label(construct.id, cohort.document)}: the mean of its {len(construct.items)} items' codes "
            f"(after reverse coding){rng}, for responses that answered at least half of them."
        )
    return out


def methods(res: Results) -> list[tuple[str, list[str]]]:
    """The methods section as (subheading, sentences) pairs; plain text (the notebook escapes it)."""
    stats, cohort = res.stats, res.cohort
    design = cohort.design
    out: list[tuple[str, list[str]]] = []
    groups = ", ".join(cohort.group_labels().values())
    design_text = [DESIGNS.get(design, ("", design))[1], f"Groups: {groups}." if groups else ""]
    withheld = withheld_sentence(cohort.document, stats)  # the groups below the minimum base, said once
    out.append(("Design", [*design_text, withheld] if withheld else design_text))
    out.append(("Instruments and scales", _scales(cohort)))
    counted = ["Percentages are of those who answered the item; non-answers are left out of the denominator."]
    if cohort.pre_post:
        counted.insert(
            0,
            "The response, item and scale sections count post-programme responses only; the change section "
            "counts the participants who answered both before and after (linked pairs).",
        )
    else:
        counted.insert(0, "Every survey response is counted once in the item and scale sections.")
    if register.one(stats, RESPONSE, RESPONSE_RATE) is not None:
        counted.append(
            "The response rate counts responses from invited participants and anonymous responses (only "
            "invited people had the link) over the number invited."
        )
    analyses = set(stats["analysis"])
    if THEME in analyses:
        counted.append(
            "Themes count participants (a person with several coded passages counts once per theme) and "
            "coded segments, from interviews and survey free text."
        )
    out.append(("Who was counted", counted))
    stat = [
        "Percentages carry 95 % Wilson score intervals, which keep good coverage with small numbers and "
        "shares near 0 or 100 %.",
        "Medians describe the typical answer on ordered scales without assuming equal spacing.",
    ]
    if cohort.constructs:
        stat.append("Cronbach's alpha (with Feldt's interval) describes how consistently a scale's items agree.")
    if MODEL in analyses:
        stat.append(
            "Regression models declared in cohort.yaml adjust for the terms they name; logistic and ordinal "
            "models are reported as odds ratios with 95 % intervals."
        )
    if PRE_POST in analyses:
        stat.append(
            "Change is the paired mean difference with its paired t interval and p; as a check that does not "
            "assume normal differences, the Wilcoxon signed-rank test with the Hodges–Lehmann shift and its "
            "interval (as R's wilcox.test with conf.int = TRUE). Each table states which method its interval "
            "and p come from. p values within a family of items are Holm-adjusted."
        )
    out.append(("Statistical methods", stat))
    out.append(("Disclosure control", [disclosure_note(cohort)]))
    out.append(("Software", [software_sentence()]))
    return [(h, [s for s in sentences if s]) for h, sentences in out]


def software_sentence() -> str:
    """`Analysed with Python 3.11.x, workforce-eval x, pandas x, ...` (installed versions)."""
    versions = [f"Python {platform.python_version()}"]
    for package in ("workforce-eval", *SOFTWARE):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            continue
    return "Analysed with " + ", ".join(versions) + "."


def scales_sentences(cohort: Cohort) -> list[str]:
    """One sentence per answer scale and per construct (with its range) of the cohort's items."""
    return _scales(cohort)


def methods_html(res: Results) -> str:
    """The methods section body as escaped HTML."""
    return sections_html(methods(res))


def sections_html(sections: list[tuple[str, list[str]]]) -> str:
    """(subheading, sentences) pairs as escaped HTML: an `<h3>` and a paragraph each."""
    parts = []
    for sub, sentences in sections:
        parts.append(f"<h3>{html_text(sub)}</h3><p>{html_text(' '.join(sentences))}</p>")
    return "".join(parts)


def design_limitations(res: Results) -> list[str]:
    """Limitations that follow from the design and the data (the notebook shows them before the others)."""
    stats, cohort = res.stats, res.cohort
    design = cohort.design
    out = []
    if design in ("post_only", "pre_post"):
        out.append(
            "There is no comparison group of people who did not take part, so differences cannot be "
            "attributed to the programme alone."
        )
    if design == "post_only":
        out.append(
            "The survey was answered at one time point (a cross-sectional design): it describes views after "
            "the programme but cannot show change or cause."
        )
    if design == "cross_sectional":
        out.append(
            "The survey was answered at one time point: it describes staff views at that time but cannot show "
            "change over time or what caused the differences it finds."
        )
    if cohort.pre_post:
        out.append(
            "Change is measured in the participants who answered both surveys; those who answered only once "
            "may differ from them."
        )
    if cohort.items_of("likert", "yesno", "numeric"):
        out.append("All survey measures are self-reported and may be coloured by how people wish to be seen.")
    responses = register.one(stats, RESPONSE, RESPONSES)
    if register.one(stats, RESPONSE, INVITED) is None and responses is not None:
        out.append(
            "The number of people invited is not known, so the response rate and any bias from "
            "non-response cannot be assessed."
        )
    if responses is not None and not bool(responses["suppressed"]) and float(responses["estimate"]) < 50:
        out.append(
            f"The numbers are small ({int(float(responses['estimate']))} survey responses): the intervals are "
            "wide and small differences between groups or items should not be read as real."
        )
    return out


def limitations_html(res: Results) -> str:
    """The limitations (design first, then those from the data) as an escaped HTML bullet list."""
    items = "".join(f"<li>{html_text(s)}</li>" for s in [*design_limitations(res), *limitations(res)])
    return f"<ul>{items}</ul>"


def appendix_text(cohort_id: str) -> str:
    """Where the published register, quotes and file list are (plain text; paths inside the published folder)."""
    return (
        f"Every number in this report is a row of {published_register(cohort_id)} in the published folder (the "
        "published statistics register: estimate, count, denominator, interval, p, method and the rule that made "
        "it, unrounded; a number hidden by disclosure control is blank there, with the notation this report "
        f"prints in its place). The full consented quote table is {cohort_id}/quotes.csv. "
        f"{PUBLISHED_FILES_NOTE}"
    )


#: Where a published report's files are listed (the publication bundle's RO-Crate, at the published folder's root).
PUBLISHED_FILES_NOTE = (
    "Every file published with this report is listed with its SHA-256 in ro-crate-metadata.json at the root of "
    "the published folder; the analysts keep the run's full provenance, which `workforce-eval verify` checks."
)


def published_register(folder: str) -> str:
    """The published register of a cohort (or `programmes/<slug>`, `<cohort>/organisations`), as a path inside
    the published folder."""
    return f"{folder}/statistics.csv"
