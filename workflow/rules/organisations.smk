# Organisation reports (`reports_by:` in a cross-sectional cohort.yaml): the benchmark register, a report per
# reported unit (e.g. organisation) from notebooks/organisation_report.ipynb, and an overview with a caterpillar
# plot. Which units get a report is known only after cleaning, so `benchmark` is a checkpoint; at DAG time the
# workflow reads cohort.yaml only through the package's strict reader and units.json only through
# `steps.organisations.read_units` (our own output).
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


checkpoint benchmark:
    """Each organisation against the others and the whole survey; the reported units (disclosure threshold)."""
    input:
        **CLEAN,
    output:
        statistics=org_out("statistics.csv"),
        units=org_out("units.json"),
    log:
        log_of("benchmark"),
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/benchmark.py"


rule organisation_figures:
    """The caterpillar plot of the overview."""
    input:
        statistics=org_out("statistics.csv"),
        cohort_json=out("clean/cohort.json"),
    output:
        png=org_out(f"figures/{names.CATERPILLAR}.png"),
        others=[
            org_out(f"figures/{names.CATERPILLAR}.{ext}")
            for ext in FIGURE_FORMATS
            if ext != "png"
        ],
    log:
        log_of("organisation_figures"),
    conda:
        "../envs/pipeline.yaml"
    params:
        formats=list(FIGURE_FORMATS),
    script:
        "../scripts/organisation_figures.py"


rule organisation_report:
    """One unit's report: papermill executes the organisation notebook, nbconvert renders HTML."""
    input:
        notebook=ORGANISATION_NOTEBOOK,
        statistics=org_out("statistics.csv"),
        units=org_out("units.json"),
        cohort_json=out("clean/cohort.json"),
    output:
        ipynb=org_out(f"{names.UNIT_REPORTS_DIR}/{{unit}}.ipynb"),
        html=org_out(f"{names.UNIT_REPORTS_DIR}/{{unit}}.html"),
    log:
        str(RESULTS / "logs" / "{cohort}" / "organisations" / "{unit}.log"),
    conda:
        "../envs/pipeline.yaml"
    params:
        results_dir=str(RESULTS),
    script:
        "../scripts/organisation_report.py"


rule organisations_overview:
    """The overview: the caterpillar plot and every unit's report (withheld units are not named)."""
    input:
        notebook=ORGANISATION_NOTEBOOK,
        statistics=org_out("statistics.csv"),
        units=org_out("units.json"),
        cohort_json=out("clean/cohort.json"),
        figure=org_out(f"figures/{names.CATERPILLAR}.png"),
        reports=unit_reports,
    output:
        ipynb=org_out("report.ipynb"),
        html=org_out("report.html"),
    log:
        log_of("organisations_overview"),
    conda:
        "../envs/pipeline.yaml"
    params:
        results_dir=str(RESULTS),
    script:
        "../scripts/organisation_report.py"
