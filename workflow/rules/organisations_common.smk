# Helpers of rules/organisations.smk: which cohorts have organisation reports, their units and targets.
from types import SimpleNamespace

from workforce_eval.errors import InputError
from workforce_eval.inputs.spec import load_cohort_meta
from workforce_eval.steps.organisations import read_units


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


def org_out(path):
    """A path under the cohort's organisation-reports folder, with the {cohort} wildcard."""
    return str(RESULTS / "{cohort}" / names.ORGANISATIONS_DIR / path)


def organisation_targets():
    """The overview report (which needs every unit's report) of every cohort with organisation reports."""
    return [
        str(RESULTS / c / names.ORGANISATIONS_DIR / "report.html")
        for c in ORGANISATION_COHORTS
    ]


def unit_reports(wildcards):
    """Every reported unit's HTML report (known once the benchmark checkpoint has run).

    Provenance lineage (`lineage_for`, which passes a SimpleNamespace) reads units.json instead of asking the
    checkpoint, so that no rule parameter depends on the checkpoint (Snakemake would then replan the run-level
    provenance on every run).
    """
    slugs = (
        lineage_unit_slugs(wildcards.cohort)
        if isinstance(wildcards, SimpleNamespace)
        else unit_slugs(wildcards.cohort)
    )
    return [
        org_out(f"{names.UNIT_REPORTS_DIR}/{slug}.html").format(cohort=wildcards.cohort)
        for slug in slugs
    ]


def unit_slugs(cohort):
    """The file names of the cohort's reported units (none unless it has organisation reports)."""
    if cohort not in ORGANISATION_COHORTS:
        return []
    units = read_units(checkpoints.benchmark.get(cohort=cohort).output.units)
    return [u["slug"] for u in units]


def lineage_unit_slugs(cohort):
    """The file names of the cohort's reported units for provenance lineage, read from units.json when it exists.

    Not through the checkpoint: a rule parameter that depends on a checkpoint makes Snakemake plan the run-level
    provenance again on every run (no no-op rerun). The provenance rules list units.json as an input, so it exists
    when their parameters are evaluated for a job that runs.
    """
    path = RESULTS / cohort / names.ORGANISATIONS_DIR / "units.json"
    if cohort not in ORGANISATION_COHORTS or not path.is_file():
        return []
    return [u["slug"] for u in read_units(path)]


ORGANISATION_NOTEBOOK = config.get(
    "organisation_notebook", "notebooks/organisation_report.ipynb"
)
