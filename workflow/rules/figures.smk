rule figures:
    """One cohort figure that applies (`cohort_figures` in common.smk), in the configured formats."""
    input:
        statistics=str(COHORT.statistics),
        cohort_json=str(COHORT.cohort_json),
    output:
        png=report(
            str(COHORT.figure("{figure}", "png")),
            caption="../report/figure_cohort.rst",
            category="Cohort {cohort}",
            subcategory="Figures",
            labels={"cohort": "{cohort}", "figure": "{figure}"},
        ),
        others=[
            str(COHORT.figure("{figure}", ext))
            for ext in FIGURE_FORMATS
            if ext != "png"
        ],
    log:
        log_of("figures_{figure}"),
    wildcard_constraints:
        figure=names.COHORT_FIGURE_PATTERN,
    conda:
        "../envs/pipeline.yaml"
    params:
        formats=list(FIGURE_FORMATS),
    script:
        "../scripts/figures.py"
