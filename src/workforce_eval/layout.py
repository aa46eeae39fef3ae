"""Where every output of a run lies under `results_dir`: the one module that knows the results' shape.

Standard library only, so the workflow (`workflow/rules/common.smk`) imports it when it plans a run and the
package's steps, reports and provenance use the same paths. A path is built from a results root and a cohort
id (or a programme slug); the workflow passes its wildcards (`"{cohort}"`, `"{programme}"`) in their place
and gets the rules' path patterns.

    <results_dir>/
      <cohort>/                      CohortLayout
        imported/                    the import rule's contract files (cohorts with `sources:`)
        clean/                       cohort.json and the cleaned tables
        tables/<analysis>.csv        the partial registers
        statistics.csv, quotes.csv   the register (full: restricted) and the quote table
        RESTRICTED.txt               says so, and where the published copy is
        figures/<figure>.<format>
        restricted/case_code.csv     participant level, analysts only
        organisations/               organisation reports (`reports_by:`)
        report.ipynb, report.html, report.pdf
      programmes/<programme>/        ProgrammeLayout
      provenance/<cohort>.csv, provenance/manifest.json, provenance/code/
      ro-crate-metadata.json         the analyst's crate (the whole run; restricted)
      published/                     the publication bundle: the only folder a trust may publish
        <cohort>/statistics.csv      the masked register (hidden values blank), the reports, figures, quotes
        programmes/<programme>/ ...  the same for a programme; ro-crate-metadata.json of the bundle
      restricted/                    run-level files for analysts only (the disclosure audit)
      logs/<cohort>/<rule>.log, logs/programmes/<programme>/<rule>.log, logs/provenance/<rule>.log
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: Folder under a cohort's results where the import rule writes the contract files made from the exports
#: declared under `sources:` in cohort.yaml, and the record of what it read (with SHA-256).
IMPORTED_DIR = "imported"
IMPORT_RECORD = "sources.json"
#: Folder under a cohort's results holding cohort.json and the cleaned tables.
CLEAN_DIR = "clean"
#: The files of the clean folder.
COHORT_JSON = "cohort.json"
PARTICIPANTS = "participants.parquet"
SURVEY = "survey.parquet"
SEGMENTS = "segments.parquet"
#: Folder under a cohort's results holding the partial registers (`tables/<analysis>.csv`).
TABLES_DIR = "tables"
#: The register and the quote table of a cohort (or of a programme, an organisation register).
STATISTICS = "statistics.csv"
QUOTES = "quotes.csv"
#: Folder of the figures (a cohort's, a programme's, an organisation overview's).
FIGURES_DIR = "figures"
#: Folder under a cohort's results holding participant-level outputs for analysts only: never in the
#: report, never published (e.g. the case x code table).
RESTRICTED_DIR = "restricted"
#: The case x code table (one row per participant, one column per code) under RESTRICTED_DIR.
CASE_CODE_TABLE = "case_code.csv"
#: Organisation reports (`reports_by:`): the folder under a cohort's results, its reported units, the units'
#: reports' folder and the folder of their PDFs.
ORGANISATIONS_DIR = "organisations"
UNITS_JSON = "units.json"
UNIT_REPORTS_DIR = "reports"
UNIT_REPORTS_PDF_DIR = f"{UNIT_REPORTS_DIR}_pdf"
#: Folder under `results_dir` holding the programme results, and a programme's record.
PROGRAMMES_DIR = "programmes"
PROGRAMME_JSON = "programme.json"
#: Run-level folders and files under `results_dir`.
LOGS_DIR = "logs"
PROVENANCE_DIR = "provenance"
MANIFEST = "manifest.json"
CODE_DIR = "code"
CRATE_METADATA = "ro-crate-metadata.json"
#: The publication bundle under `results_dir`: a copy of exactly what may be published (masked registers,
#: reports, figures, selected quotes, the bundle's own RO-Crate), laid out as under `results_dir`. Everything
#: else under `results_dir` stays with the analyst.
PUBLISHED_DIR = "published"
#: The note beside a cohort's (or a programme's) full register saying that its folder is restricted and where
#: the published copy lies.
RESTRICTED_NOTE = "RESTRICTED.txt"
#: The disclosure audit's result (restricted: it names the hidden cells and their feasible ranges).
DISCLOSURE_AUDIT = "disclosure-audit.csv"
#: Folder names under `results_dir` that are not cohorts, so no cohort may take them as its id.
RESERVED_NAMES: tuple[str, ...] = (LOGS_DIR, PROVENANCE_DIR, PROGRAMMES_DIR, PUBLISHED_DIR, RESTRICTED_DIR)


@dataclass(frozen=True)
class ReportFiles:
    """A report's files: the executed notebook, its HTML and its optional PDF."""

    ipynb: Path
    html: Path
    pdf: Path


def _report(folder: Path, stem: str = "report") -> ReportFiles:
    return ReportFiles(folder / f"{stem}.ipynb", folder / f"{stem}.html", folder / f"{stem}.pdf")


@dataclass(frozen=True)
class OrganisationLayout:
    """A cohort's organisation reports (`<cohort>/organisations/`)."""

    base: Path

    @property
    def statistics(self) -> Path:
        return self.base / STATISTICS

    @property
    def units_json(self) -> Path:
        return self.base / UNITS_JSON

    @property
    def figures_dir(self) -> Path:
        return self.base / FIGURES_DIR

    def figure(self, name: str, ext: str) -> Path:
        return self.figures_dir / f"{name}.{ext}"

    @property
    def unit_reports_dir(self) -> Path:
        return self.base / UNIT_REPORTS_DIR

    @property
    def unit_reports_pdf_dir(self) -> Path:
        return self.base / UNIT_REPORTS_PDF_DIR

    def unit_report(self, slug: str) -> ReportFiles:
        """A reported unit's report files, by the unit's file name."""
        return _report(self.unit_reports_dir, slug)

    @property
    def overview(self) -> ReportFiles:
        return _report(self.base)


@dataclass(frozen=True)
class CohortLayout:
    """The outputs of one cohort under `<results_dir>/<cohort>/` (and its logs and provenance table)."""

    results_dir: Path
    cohort: str

    @property
    def base(self) -> Path:
        return self.results_dir / self.cohort

    @property
    def imported_dir(self) -> Path:
        return self.base / IMPORTED_DIR

    @property
    def clean_dir(self) -> Path:
        return self.base / CLEAN_DIR

    @property
    def cohort_json(self) -> Path:
        return self.clean_dir / COHORT_JSON

    @property
    def participants(self) -> Path:
        return self.clean_dir / PARTICIPANTS

    @property
    def survey(self) -> Path:
        return self.clean_dir / SURVEY

    @property
    def segments(self) -> Path:
        return self.clean_dir / SEGMENTS

    def table(self, analysis: str) -> Path:
        """A partial register, `tables/<analysis>.csv`."""
        return self.base / TABLES_DIR / f"{analysis}.csv"

    @property
    def statistics(self) -> Path:
        return self.base / STATISTICS

    @property
    def quotes(self) -> Path:
        return self.base / QUOTES

    @property
    def figures_dir(self) -> Path:
        return self.base / FIGURES_DIR

    def figure(self, name: str, ext: str) -> Path:
        return self.figures_dir / f"{name}.{ext}"

    @property
    def restricted_dir(self) -> Path:
        return self.base / RESTRICTED_DIR

    @property
    def case_code_table(self) -> Path:
        return self.restricted_dir / CASE_CODE_TABLE

    @property
    def restricted_note(self) -> Path:
        """The note saying this folder (and its full register) is restricted and where the published copy is."""
        return self.base / RESTRICTED_NOTE

    @property
    def report(self) -> ReportFiles:
        return _report(self.base)

    @property
    def organisations(self) -> OrganisationLayout:
        return OrganisationLayout(self.base / ORGANISATIONS_DIR)

    def log(self, rule: str) -> Path:
        """A rule's log for this cohort (outside the cohort's results folder)."""
        return self.results_dir / LOGS_DIR / self.cohort / f"{rule}.log"

    @property
    def provenance_table(self) -> Path:
        return self.results_dir / PROVENANCE_DIR / f"{self.cohort}.csv"

    @classmethod
    def of_cohort_json(cls, path: str | Path) -> CohortLayout:
        """The layout a cohort's `clean/cohort.json` belongs to (a rule passes its declared input; the results
        root is found here, where the layout is defined, not rebuilt by the rule)."""
        path = Path(path)
        if path.name != COHORT_JSON or path.parent.name != CLEAN_DIR:
            raise ValueError(f"{path} is not a cohort's {CLEAN_DIR}/{COHORT_JSON}")
        return cls(path.parents[2], path.parents[1].name)

    @classmethod
    def of_provenance_table(cls, path: str | Path) -> CohortLayout:
        """The layout of the cohort whose provenance table is `path` (`provenance/<cohort>.csv`)."""
        path = Path(path)
        if path.parent.name != PROVENANCE_DIR or path.suffix != ".csv":
            raise ValueError(f"{path} is not a provenance table under {PROVENANCE_DIR}/")
        return cls(path.parents[1], path.stem)


@dataclass(frozen=True)
class ProgrammeLayout:
    """The outputs of one programme under `<results_dir>/programmes/<slug>/`."""

    results_dir: Path
    slug: str

    @property
    def base(self) -> Path:
        return self.results_dir / PROGRAMMES_DIR / self.slug

    @property
    def statistics(self) -> Path:
        return self.base / STATISTICS

    @property
    def programme_json(self) -> Path:
        return self.base / PROGRAMME_JSON

    @property
    def restricted_note(self) -> Path:
        """The note saying this folder (and its full register) is restricted and where the published copy is."""
        return self.base / RESTRICTED_NOTE

    @property
    def figures_dir(self) -> Path:
        return self.base / FIGURES_DIR

    def figure(self, name: str, ext: str) -> Path:
        return self.figures_dir / f"{name}.{ext}"

    @property
    def report(self) -> ReportFiles:
        return _report(self.base)

    def log(self, rule: str) -> Path:
        return self.results_dir / LOGS_DIR / PROGRAMMES_DIR / self.slug / f"{rule}.log"

    @classmethod
    def of_programme_json(cls, path: str | Path) -> ProgrammeLayout:
        """The layout a programme's `programme.json` belongs to."""
        path = Path(path)
        if path.name != PROGRAMME_JSON or path.parents[1].name != PROGRAMMES_DIR:
            raise ValueError(f"{path} is not a programme's {PROGRAMME_JSON} under {PROGRAMMES_DIR}/")
        return cls(path.parents[2], path.parent.name)


@dataclass(frozen=True)
class RunLayout:
    """The run-level outputs under `results_dir`, and the layouts of its cohorts and programmes."""

    results_dir: Path

    def cohort(self, cohort: str) -> CohortLayout:
        return CohortLayout(self.results_dir, cohort)

    def programme(self, slug: str) -> ProgrammeLayout:
        return ProgrammeLayout(self.results_dir, slug)

    @property
    def programmes_dir(self) -> Path:
        return self.results_dir / PROGRAMMES_DIR

    @property
    def provenance_dir(self) -> Path:
        return self.results_dir / PROVENANCE_DIR

    @property
    def manifest(self) -> Path:
        return self.provenance_dir / MANIFEST

    @property
    def code_dir(self) -> Path:
        return self.provenance_dir / CODE_DIR

    @property
    def crate_metadata(self) -> Path:
        return self.results_dir / CRATE_METADATA

    @property
    def published_dir(self) -> Path:
        """The publication bundle: the only folder of a run a trust may publish."""
        return self.results_dir / PUBLISHED_DIR

    def published(self, path: str | Path) -> Path:
        """Where the publishable copy of a file under `results_dir` lies in the bundle (same relative path)."""
        relative = Path(path).relative_to(self.results_dir)
        return self.published_dir / relative

    @property
    def published_crate_metadata(self) -> Path:
        return self.published_dir / CRATE_METADATA

    @property
    def restricted_dir(self) -> Path:
        """Run-level restricted files (not a cohort's `restricted/`)."""
        return self.results_dir / RESTRICTED_DIR

    @property
    def disclosure_audit(self) -> Path:
        return self.restricted_dir / DISCLOSURE_AUDIT

    def log(self, rule: str) -> Path:
        """A run-level rule's log (the provenance rules)."""
        return self.results_dir / LOGS_DIR / PROVENANCE_DIR / f"{rule}.log"

    @classmethod
    def of_published_crate_metadata(cls, path: str | Path) -> RunLayout:
        """The run whose publication bundle's RO-Crate metadata file is `path` (`published/ro-crate-metadata.json`)."""
        path = Path(path)
        if path.name != CRATE_METADATA or path.parent.name != PUBLISHED_DIR:
            raise ValueError(f"{path} is not {PUBLISHED_DIR}/{CRATE_METADATA}")
        return cls(path.parents[1])

    @classmethod
    def of_restricted_note(cls, path: str | Path) -> RunLayout:
        """The run of a cohort's (`<cohort>/RESTRICTED.txt`) or a programme's
        (`programmes/<slug>/RESTRICTED.txt`) restricted note."""
        path = Path(path)
        if path.name != RESTRICTED_NOTE:
            raise ValueError(f"{path} is not {RESTRICTED_NOTE}")
        return cls(path.parents[2] if path.parents[1].name == PROGRAMMES_DIR else path.parents[1])

    @classmethod
    def of_crate_metadata(cls, path: str | Path) -> RunLayout:
        """The run whose RO-Crate metadata file is `path` (the crate is rooted at the results folder)."""
        path = Path(path)
        if path.name != CRATE_METADATA:
            raise ValueError(f"{path} is not {CRATE_METADATA}")
        return cls(path.parent)


def cohort(results_dir: str | Path, cohort_id: str) -> CohortLayout:
    """The layout of a cohort's results."""
    return CohortLayout(Path(results_dir), str(cohort_id))


def programme(results_dir: str | Path, slug: str) -> ProgrammeLayout:
    """The layout of a programme's results."""
    return ProgrammeLayout(Path(results_dir), str(slug))


def run(results_dir: str | Path) -> RunLayout:
    """The layout of a run's results."""
    return RunLayout(Path(results_dir))


def clean_files(clean_dir: str | Path) -> tuple[Path, Path, Path, Path]:
    """cohort.json and the three cleaned tables of a clean folder (participants, survey, segments)."""
    folder = Path(clean_dir)
    return folder / COHORT_JSON, folder / PARTICIPANTS, folder / SURVEY, folder / SEGMENTS
