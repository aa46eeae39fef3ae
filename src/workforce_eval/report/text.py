"""The cohort report's prose: title, limitations from the data, synthetic-data banner, disclosure note, about.

Sentences are generated from the register and cohort.json by fixed rules; plain text unless a function says
it returns HTML or Markdown (the notebook escapes plain text).
"""

from __future__ import annotations

from workforce_eval import register
from workforce_eval.inputs.metadata import Cohort
from workforce_eval.register.measures import INTERVIEWS, RESPONSE, RESPONSE_RATE, RESPONSES
from workforce_eval.register.notation import CONCEALED, disclosure_threshold, display_count, fmt_int
from workforce_eval.report.format import fmt_pct, md_escape
from workforce_eval.report.results import Results

#: A group is "notably smaller" when it has fewer than this share of the largest group's respondents.
SMALLER_GROUP_RATIO = 0.75

#: Below this many respondents a group's percentages rest on small numbers.
SMALL_GROUP = 5

#: Response rates below this (percent) get a response-bias limitation.
LOW_RESPONSE_RATE = 60.0


def title(cohort: Cohort) -> str:
    """The report title, `<programme> — <cohort> cohort evaluation report` (no "cohort Cohort 2")."""
    name = cohort.cohort or cohort.cohort_id
    named = name if "cohort" in name.lower() else f"{name} cohort"
    return f"{cohort.programme} — {named} evaluation report"


def _labelled(pairs: list[tuple[str, str]]) -> str:
    """`A (n = 9) and B (n = 3)` from (label, count) pairs."""
    parts = [f"{label} (n = {count})" for label, count in pairs]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def limitations(res: Results) -> list[str]:
    """Limitations sentences generated from the register (response, group sizes, interviews, synthetic data)."""
    stats, meta = res.stats, res.cohort.document
    labels = res.cohort.group_labels()
    out: list[str] = []

    rate = register.one(stats, RESPONSE, RESPONSE_RATE)
    if rate is not None and not bool(rate["suppressed"]) and float(rate["estimate"]) < LOW_RESPONSE_RATE:
        out.append(
            f"The response rate was {fmt_pct(rate['estimate'])} ({fmt_int(rate['n'])} of "
            f"{fmt_int(rate['denominator'])} invited participants). People who chose to answer may differ "
            "from those who did not, so the survey results may not represent the whole cohort."
        )

    counts = {}
    for code in labels:
        row = register.one(stats, RESPONSE, RESPONSES, group=code)
        if row is not None and not bool(row["suppressed"]):  # a hidden count must not show through the wording
            counts[code] = row
    if counts:
        largest = max(counts, key=lambda c: float(counts[c]["estimate"]))
        top = float(counts[largest]["estimate"])
        smaller = [c for c in counts if c != largest and float(counts[c]["estimate"]) < SMALLER_GROUP_RATIO * top]
        if smaller:
            out.append(
                "Fewer respondents came from "
                + _labelled([(labels[c], display_count(counts[c], meta)) for c in smaller])
                + f" than from {_labelled([(labels[largest], display_count(counts[largest], meta))])}, "
                "so figures for all respondents lean towards the views of the larger group."
            )
        none = [c for c in counts if float(counts[c]["estimate"]) == 0]
        if none:
            out.append(f"No survey responses came from {_and([labels[c] for c in none])}.")
        small = [c for c in counts if 0 < float(counts[c]["estimate"]) < SMALL_GROUP]
        if small:
            pairs = _labelled([(labels[c], display_count(counts[c], meta)) for c in small])
            out.append(
                f"Very few people responded in {pairs}: percentages for "
                f"{'this group' if len(small) == 1 else 'these groups'} rest on very small numbers "
                "and their confidence intervals are wide."
            )

    interviews = register.one(stats, RESPONSE, INTERVIEWS)
    if interviews is not None:
        if float(interviews["estimate"]) == 0:
            out.append("No interviews were recorded for this cohort, so the themes rest on survey free text only.")
        else:
            missing = []
            for code in labels:
                row = register.one(stats, RESPONSE, INTERVIEWS, group=code)
                if row is not None and not bool(row["suppressed"]) and float(row["estimate"]) == 0:
                    missing.append(labels[code])
            if missing:
                out.append(
                    f"No interviews were held with {_and(missing)}, so the interview themes do not "
                    f"include {'this group' if len(missing) == 1 else 'these groups'} directly."
                )

    if bool(stats["suppressed"].any()):
        k = disclosure_threshold(meta)
        out.append(
            f"To protect people in small groups, counts below {k}, the numbers resting on them and the numbers "
            f"that would reveal them are shown as “{CONCEALED}”; those results cannot be read from this report."
        )

    if res.cohort.synthetic:
        out.append(
            "The data are synthetic: they were invented by the pipeline's generator and do not come from "
            "real participants. The numbers and quotes illustrate the method only and say nothing about "
            "the programme."
        )
    return out


def _and(items: list[str]) -> str:
    """`a, b and c`."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def synthetic_banner(synthetic: bool) -> str | None:
    """A clearly visible HTML banner for synthetic data (`synthetic`), or None for real data."""
    if not synthetic:
        return None
    return (
        '<div role="alert" style="border: 3px solid #b00020; background: #fde8ea; color: #5f0010; '
        'padding: 0.8em 1em; margin: 0 0 1em 0; font-size: 1.15em;">'
        "<strong>SYNTHETIC DATA</strong> — this report was generated from invented data, "
        "not real participants. The numbers and quotes illustrate the method only."
        "</div>"
    )


def disclosure_note(cohort: Cohort) -> str:
    """One or two sentences on disclosure control and the threshold in force for this cohort."""
    k = disclosure_threshold(cohort.document)
    counts = "a count of 1" if k == 2 else f"counts from 1 to {k - 1}"
    text = (
        f"Disclosure control: {counts}, the percentages, intervals and medians that rest on them, and any "
        "number from which such a count could be worked out (for example from a total and the other groups) "
        f"are shown as “{CONCEALED}” (one symbol for all, so that it does not say which hidden numbers are "
        "small). A zero is never hidden for being small."
    )
    default = cohort.disclosure_threshold_default
    if cohort.disclosure_threshold_source == "cohort.yaml":
        reason = str(cohort.extra.get("disclosure_threshold_reason") or "").strip().rstrip(".")
        text += f" The threshold of {k} is set for this cohort in cohort.yaml"
        if default is not None and default != k:
            text += f" (the project default is {default})"
        text += f", {reason}." if reason else "."
    else:
        text += f" The threshold of {k} is the project default."
    return text


def about_text(res: Results, cohort_id: str) -> str:
    """The 'About this report' paragraph (Markdown)."""
    return (
        f"This report was generated by the `workforce_eval` pipeline for cohort id `{cohort_id}` "
        "from the cohort's statistics register, its cleaned metadata and its quote table. Every number "
        "shown is read from the register, where it is stored unrounded with its count, denominator, interval "
        "and method, so each can be traced back to one row of the published register "
        f"`{cohort_id}/statistics.csv`. Percentages are rounded to one "
        "decimal for display; the group shares in the composition table use largest-remainder "
        "rounding so that they add up to 100.0. Intervals are 95 % confidence intervals. Quotes are "
        "passages whose speakers consented to quotation, attributed by pseudonym and group only. "
        + md_escape(disclosure_note(res.cohort))
    )
