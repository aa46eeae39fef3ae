"""Every report's sections, declared once: key, heading and when the section is present, in report order.

The notebooks read this declaration: each section's cell asks its `Section` whether it is present for these
results and for its heading, and the contents list links to the sections `present` names. To add a section,
add a `Section` here (in report order) and a cell that reads it (see docs/architecture.md).

Headings are Markdown `##` headings; nbconvert gives each the id `anchor` derives from its text, which the
contents list links to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from workforce_eval.register.measures import AGREEMENT, BREAKDOWN, THEME
from workforce_eval.report import equality, models, prepost, tables
from workforce_eval.report.accessible import STATEMENT_HEADING
from workforce_eval.report.format import html_text
from workforce_eval.report.results import OrganisationResults, ProgrammeResults, ReportResults, Results

R = TypeVar("R", bound=ReportResults)


def always(res: ReportResults) -> bool:
    """The condition of a section every report of its kind has."""
    return True


def anchor(heading_text: str) -> str:
    """The id nbconvert gives a Markdown heading: its text with spaces as hyphens."""
    return "-".join(heading_text.split())


@dataclass(frozen=True)
class Section(Generic[R]):
    """One section of a report: its key, its heading's text and whether these results have it."""

    key: str
    heading: str
    present: Callable[[R], bool] = always

    @property
    def markdown(self) -> str:
        """The section's Markdown heading, e.g. `## Key findings`."""
        return "## " + self.heading

    @property
    def anchor(self) -> str:
        """The id of the section's heading in the HTML, which the contents list links to."""
        return anchor(self.heading)


class Sections(Generic[R]):
    """A report's sections in report order, by key."""

    def __init__(self, *sections: Section[R]) -> None:
        keys = [s.key for s in sections]
        if len(set(keys)) != len(keys):
            raise ValueError(f"section keys must be unique: {keys}")
        self._sections = sections

    def __iter__(self) -> Iterator[Section[R]]:
        return iter(self._sections)

    def __getitem__(self, key: str) -> Section[R]:
        for section in self._sections:
            if section.key == key:
                return section
        raise KeyError(f"no report section {key!r}; declared: {', '.join(s.key for s in self._sections)}")

    def present(self, res: R) -> list[Section[R]]:
        """The sections these results have, in report order."""
        return [s for s in self._sections if s.present(res)]

    def contents(self, res: R) -> str:
        """The contents list as HTML: a link to each present section's heading, in report order."""
        links = "".join(
            f"<li><a href='#{html_text(s.anchor)}'>{html_text(s.heading)}</a></li>" for s in self.present(res)
        )
        return f"<nav aria-label='Contents'><p><strong>Contents</strong></p><ol>{links}</ol></nav>"


# --------------------------------------------------------------------------- the cohort report


def _has_analysis(stats_analysis: str) -> Callable[[ReportResults], bool]:
    def present(res: ReportResults) -> bool:
        return not res.stats.empty and bool((res.stats["analysis"] == stats_analysis).any())

    present.__doc__ = f"Whether the register has `{stats_analysis}` rows."
    return present


def _has_survey_items(res: Results) -> bool:
    return bool(tables.survey_items(res.cohort))


def _has_scales(res: Results) -> bool:
    return bool(res.cohort.constructs)


def _has_qualitative(res: Results) -> bool:
    """A cohort with coded data (a codebook, or theme or agreement rows): a survey-only cohort has no
    qualitative section."""
    analyses = set(res.stats["analysis"]) if not res.stats.empty else set()
    return bool(res.cohort.codebook) or bool(analyses & {THEME, AGREEMENT})


def _has_models(res: Results) -> bool:
    return bool(models.declared_models(res))


COHORT: Sections[Results] = Sections(
    Section("key-findings", "Key findings"),
    Section("methods", "Methods"),
    Section("response", "Response and composition"),
    Section("items", "Survey items", _has_survey_items),
    Section("scales", "Scales", _has_scales),
    Section("breakdowns", "Breakdowns", _has_analysis(BREAKDOWN)),
    Section("equality", "Equality indicators", equality.has_indicators),
    Section("models", "Models", _has_models),
    Section("change", "Change from pre to post", prepost.is_prepost),
    Section("themes", "Themes", tables.has_coded_themes),
    Section("qualitative", "Qualitative analysis", _has_qualitative),
    Section("limitations", "Limitations"),
    Section("appendix", "Appendix"),
    Section("about", "About this report"),
    Section("provenance", "Provenance"),
    Section("accessibility", STATEMENT_HEADING),
)

# --------------------------------------------------------------------------- the programme report

PROGRAMME: Sections[ProgrammeResults] = Sections(
    Section("key-findings", "Key findings"),
    Section("response", "Response and linkage by cohort"),
    Section("change", "Change by cohort"),
    Section("later-cohorts", "Did later cohorts do as well as the first?"),
    Section("themes", "Themes across cohorts", _has_analysis(THEME)),
    Section("methods", "Methods"),
    Section("limitations", "Limitations"),
    Section("appendix", "Appendix"),
    Section("accessibility", STATEMENT_HEADING),
)

# --------------------------------------------------------------------------- the organisation reports

#: An organisation's own report (the notebook with a `unit`).
ORGANISATION_UNIT: Sections[OrganisationResults] = Sections(
    Section("comparison", "Compared with the other organisations and the whole survey"),
    Section("methods", "Methods"),
    Section("accessibility", STATEMENT_HEADING),
)

#: The overview of all organisations (the notebook with an empty `unit`): its figure and table sit under the
#: title, then the methods.
ORGANISATION_OVERVIEW: Sections[OrganisationResults] = Sections(
    Section("methods", "Methods"),
    Section("accessibility", STATEMENT_HEADING),
)


def organisation(unit: str) -> Sections[OrganisationResults]:
    """The sections of an organisation's report (`unit` given) or of the overview (`unit` empty)."""
    return ORGANISATION_UNIT if unit else ORGANISATION_OVERVIEW
