# Helpers of rules/organisations.smk: which cohorts have organisation reports, their units and targets.
from types import SimpleNamespace

from workforce_eval.errors import InputError
from workforce_eval.inputs.spec import load_cohort_meta
from workforce_eval.steps.units import read_units


wildcard_constraints:
    unit=names.UNIT_SLUG_PATTERN,


def reports_by_of(cohort):
    """The cohort's `reports_by:` column, or None (bad input is reported by the clean step)."""
    path = DATA / cohort / "cohort.yaml"
    try:
        return load_cohort_meta(path, cohort).reports_by if path.is_file() else None
    except InputError:
        return None


ORGANISATION_COHORTS = [c for c in COHORTS if reports_by_of(c)]


#: Path patterns of a cohort's organisation reports (the {cohort} wildcard).
ORGANISATIONS = COHORT.organisations


def organisation_targets():
    """The overview report (which needs every unit's report) of every cohort with organisation reports."""
    return [
        str(RUN.cohort(c).organisations.overview.html) for c in ORGANISATION_COHORTS
    ]


def unit_reports(wildcards):
    """The overview's input of units' reports: their folder (the `organisation_report` job's output).

    For provenance lineage (`lineage_for`, which passes a SimpleNamespace) the files themselves, read from
    units.json: the manifest names the reports an overview was made from.
    """
    folder = str(ORGANISATIONS.unit_reports_dir).format(cohort=wildcards.cohort)
    if not isinstance(wildcards, SimpleNamespace):
        return folder
    return [
        str(Path(folder) / f"{slug}.html")
        for slug in lineage_unit_slugs(wildcards.cohort)
    ]


def unit_report_lineage(cohort, lineage):
    """Lineage of each reported unit's report: the files of the `organisation_report` job's folder.

    The job writes every unit's report into one folder (its output); the manifest names the rule of each
    file, so each `<slug>.ipynb` / `<slug>.html` gets the folder's entry. Units are read from units.json
    (see `lineage_unit_slugs`).
    """
    folder = str(ORGANISATIONS.unit_reports_dir).format(cohort=cohort)
    made = lineage.get(folder)
    if made is None:
        return {}
    return {
        str(Path(folder) / f"{slug}.{ext}"): made
        for slug in lineage_unit_slugs(cohort)
        for ext in ("ipynb", "html")
    }


def lineage_unit_slugs(cohort):
    """The file names of the cohort's reported units for provenance lineage, read from units.json when it exists.

    Not through a checkpoint: a rule parameter that depends on a checkpoint makes Snakemake plan the run-level
    provenance again on every run (no no-op rerun). The provenance rules list units.json as an input, so it exists
    when their parameters are evaluated for a job that runs.
    """
    path = RUN.cohort(cohort).organisations.units_json
    if cohort not in ORGANISATION_COHORTS or not path.is_file():
        return []
    return [u["slug"] for u in read_units(path)]


#: Worker processes of the `organisation_report` job (each with one kept kernel): its threads.
REPORT_WORKERS = 2

ORGANISATION_NOTEBOOK = config.get(
    "organisation_notebook", "notebooks/organisation_report.ipynb"
)
