"""What the report notebooks read, and its loading: one `Results` type per kind of report on one base.

Every report reads the same three things: a statistics register (`stats`), the metadata that labels its
rows (`meta`) and the folder its figures are in (`figures`); `ReportResults` holds them and finds a figure.
The kinds differ only in what they add and where they read it from:

- `Results` (the cohort report): `<results_dir>/<cohort>/statistics.csv`, `clean/cohort.json`, `figures/`,
  plus the quote table `quotes.csv`;
- `OrganisationResults` (organisation reports and their overview): the organisation register
  `<cohort>/organisations/statistics.csv`, the cohort's cohort.json, `organisations/figures/`, plus the
  reported units (`units.json`);
- `ProgrammeResults` (the programme report): the programme register (a `cohort` column more),
  `programme.json` (a different shape from cohort.json: the programme's cohorts, its threshold) and
  `programmes/<slug>/figures/`.

`Results` and `OrganisationResults` are `CohortReportResults`: their metadata is a cohort.json, and `cohort` is
its typed view (`inputs.metadata.Cohort`), which their builders read. `meta` stays for the builders not yet
moved onto the view.

The programme step's own reading of a cohort (`analyses.programme.CohortResults`) stays apart: it needs the
cleaned survey (to pool linked participants) and neither quotes nor figures, and the analyses layer may not
import the report layer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from workforce_eval import layout, register
from workforce_eval.analyses import groups as groups_
from workforce_eval.analyses.quotes import QUOTE_COLUMNS
from workforce_eval.inputs import metadata
from workforce_eval.register import programme_file, spreadsheet


@dataclass(frozen=True)
class ReportResults:
    """A register, the metadata that labels it and its figure folder: what every report reads."""

    stats: pd.DataFrame
    meta: dict[str, Any]
    figures: Path

    def figure_path(self, name: str) -> Path | None:
        """The PNG of figure `name`, or None when it was not produced."""
        path = self.figures / f"{name}.png"
        return path if path.is_file() else None


@dataclass(frozen=True)
class CohortReportResults(ReportResults):
    """Results whose metadata is a cohort's cohort.json (`meta`); `cohort` is its typed view."""

    @cached_property
    def cohort(self) -> metadata.Cohort:
        """The typed view of `meta` (cohort.json), built once; section builders read this, not `meta`."""
        return metadata.from_document(self.meta)


@dataclass(frozen=True)
class Results(CohortReportResults):
    """One cohort's results as the cohort report reads them: register, cohort.json, figures and quotes."""

    quotes: pd.DataFrame


@dataclass(frozen=True)
class OrganisationResults(CohortReportResults):
    """A cohort's organisation register, its cohort.json, the organisation figures and the reported units."""

    units: list[dict[str, str]]


@dataclass(frozen=True)
class ProgrammeResults(ReportResults):
    """A programme's register (with its `cohort` column), programme.json and figure folder."""


def _cohort_meta(cohort_json: Path) -> dict[str, Any]:
    """A cohort's `clean/cohort.json`, read through its typed view (`CohortReportResults.cohort` views it again)."""
    return metadata.load(cohort_json).to_document()


def load_results(results_dir: Path, cohort_id: str) -> Results:
    """Read a cohort's register, cohort.json and quotes.csv from `<results_dir>/<cohort_id>/`."""
    here = layout.cohort(results_dir, cohort_id)
    stats = register.read(here.statistics)
    if here.quotes.exists():
        quotes = spreadsheet.restore_frame(pd.read_csv(here.quotes, dtype=str, keep_default_na=False, encoding="utf-8"))
    else:
        quotes = pd.DataFrame({c: pd.Series(dtype=str) for c in QUOTE_COLUMNS})
    # the groups below the minimum group base are presented nowhere (`analyses.groups`)
    meta = groups_.presented(_cohort_meta(here.cohort_json), stats)
    return Results(stats=stats, meta=meta, figures=here.figures_dir, quotes=quotes)


def load_organisations(results_dir: Path, cohort_id: str) -> OrganisationResults:
    """Read `<results_dir>/<cohort_id>/organisations/` and the cohort's cohort.json."""
    here = layout.cohort(results_dir, cohort_id)
    folder = here.organisations
    units = json.loads(folder.units_json.read_text(encoding="utf-8"))["units"]
    return OrganisationResults(
        stats=register.read(folder.statistics),
        meta=_cohort_meta(here.cohort_json),
        figures=folder.figures_dir,
        units=units,
    )


def load_programme(results_dir: Path, slug: str) -> ProgrammeResults:
    """Read `<results_dir>/programmes/<slug>/statistics.csv` and `programme.json`."""
    here = layout.programme(results_dir, slug)
    meta = json.loads(here.programme_json.read_text(encoding="utf-8"))
    return ProgrammeResults(stats=programme_file.read(here.statistics), meta=meta, figures=here.figures_dir)
