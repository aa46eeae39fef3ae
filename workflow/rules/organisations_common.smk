# Helpers of rules/organisations.smk: which cohorts have organisation reports, their units and targets.
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
    """The organisation register, units and overview report (which needs every unit's report) of every cohort
    with organisation reports; the checkpoint's outputs are named so that rules whose parameters follow the
    checkpoint (provenance lineage) may depend on it."""
    return [
        str(RESULTS / c / names.ORGANISATIONS_DIR / f)
        for c in ORGANISATION_COHORTS
        for f in ("statistics.csv", "units.json", "report.html")
    ]


def unit_reports(wildcards):
    """Every reported unit's HTML report (known once the benchmark checkpoint has run)."""
    return [
        org_out(f"{names.UNIT_REPORTS_DIR}/{slug}.html").format(cohort=wildcards.cohort)
        for slug in unit_slugs(wildcards.cohort)
    ]


def unit_slugs(cohort):
    """The file names of the cohort's reported units (none unless it has organisation reports)."""
    if cohort not in ORGANISATION_COHORTS:
        return []
    units = read_units(checkpoints.benchmark.get(cohort=cohort).output.units)
    return [u["slug"] for u in units]


ORGANISATION_NOTEBOOK = config.get(
    "organisation_notebook", "notebooks/organisation_report.ipynb"
)
