# Organisation reports (`reports_by:` in a cross-sectional cohort.yaml): the benchmark register, a report per
# reported unit (e.g. organisation) from notebooks/organisation_report.ipynb, and an overview with a caterpillar
# plot. Which units get a report is known only after cleaning, but no rule's inputs depend on it: every unit's
# report is made by one job into one folder (`organisation_report`), so `organisation_benchmark` is a plain rule, not a
# checkpoint (a checkpoint made Snakemake re-plan the DAG mid-run, which broke SLURM job groups). At DAG time
# the workflow reads cohort.yaml only through the package's strict reader and units.json only through
# `steps.units.read_units` (our own output).
rule organisation_benchmark:
    """Each organisation against the others and the whole survey; the reported units (disclosure threshold)."""
    input:
        **CLEAN,
    output:
        statistics=str(ORGANISATIONS.statistics),
        units=str(ORGANISATIONS.units_json),
    log:
        log_of("organisation_benchmark"),
    conda:
        "../envs/pipeline.yaml"
    params:
        minimum_group_base=config.get("minimum_group_base"),
        multiplicity=config.get("multiplicity", "holm"),
    script:
        "../scripts/organisation_benchmark.py"


rule organisation_figures:
    """The caterpillar plot of the overview."""
    input:
        statistics=str(ORGANISATIONS.statistics),
        cohort_json=str(COHORT.cohort_json),
    output:
        png=str(ORGANISATIONS.figure(names.CATERPILLAR, "png")),
        others=[
            str(ORGANISATIONS.figure(names.CATERPILLAR, ext))
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
    """Every reported unit's report in one job: papermill executes the organisation notebook for each unit on a
    kept kernel (imports and kernel start paid once per worker, not once per report), nbconvert renders HTML.
    """
    input:
        notebook=ORGANISATION_NOTEBOOK,
        statistics=str(ORGANISATIONS.statistics),
        units=str(ORGANISATIONS.units_json),
        cohort_json=str(COHORT.cohort_json),
    output:
        reports=directory(str(ORGANISATIONS.unit_reports_dir)),
    log:
        log_of("organisation_report"),
    conda:
        "../envs/pipeline.yaml"
    threads: REPORT_WORKERS
    script:
        "../scripts/organisation_report.py"


rule organisations_overview:
    """The overview: the caterpillar plot and every unit's report (withheld units are not named)."""
    input:
        notebook=ORGANISATION_NOTEBOOK,
        statistics=str(ORGANISATIONS.statistics),
        units=str(ORGANISATIONS.units_json),
        cohort_json=str(COHORT.cohort_json),
        figure=str(ORGANISATIONS.figure(names.CATERPILLAR, "png")),
        reports=unit_reports,
    output:
        ipynb=str(ORGANISATIONS.overview.ipynb),
        html=str(ORGANISATIONS.overview.html),
    log:
        log_of("organisations_overview"),
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/organisations_overview.py"
