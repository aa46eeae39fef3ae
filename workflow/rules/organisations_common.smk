# Helpers of rules/organisations.smk: which cohorts have organisation reports, their units and targets.
from workforce_eval.errors import InputError
from workforce_eval.inputs.spec import load_cohort_meta


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
    """The overview's input of units' reports: their folder (the `organisation_report` job's output)."""
    return str(RUN.cohort(wildcards.cohort).organisations.unit_reports_dir)


#: Worker processes of the `organisation_report` job (each with one kept kernel): its threads.
REPORT_WORKERS = 2

ORGANISATION_NOTEBOOK = config.get(
    "organisation_notebook", "notebooks/organisation_report.ipynb"
)
