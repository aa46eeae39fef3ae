rule figures:
    """One cohort figure that applies (`cohort_figures` in common.smk), in the configured formats."""
    input:
        statistics=out("statistics.csv"),
        cohort_json=out("clean/cohort.json"),
    output:
        png=report(
            out("figures/{figure}.png"),
            caption="../report/figure_cohort.rst",
            category="Cohort {cohort}",
            subcategory="Figures",
            labels={"cohort": "{cohort}", "figure": "{figure}"},
        ),
        others=[
            out(f"figures/{{figure}}.{ext}") for ext in FIGURE_FORMATS if ext != "png"
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
