# A cohort's figures in one job (steps/figures.py): the cohort figures that apply (`cohort_figures` in
# common.smk) and the qualitative figures, each drawn once, in the configured formats, shared among the
# job's threads. Which figures apply differs by cohort, so the rule's output is the figures folder.


rule figures:
    """Every figure of a cohort that applies, in the configured `figure_formats`."""
    input:
        statistics=str(COHORT.statistics),
        cohort_json=str(COHORT.cohort_json),
    output:
        figures=report(
            directory(str(COHORT.figures_dir)),
            patterns=["{figure}.png"],
            caption="../report/figure_cohort.rst",
            category="Cohort {cohort}",
            subcategory="Figures",
            labels={"cohort": "{cohort}", "figure": "{figure}"},
        ),
    log:
        log_of("figures"),
    conda:
        "../envs/pipeline.yaml"
    threads: FIGURE_WORKERS
    params:
        figures=lambda wildcards: all_cohort_figures(wildcards.cohort),
        formats=list(FIGURE_FORMATS),
    script:
        "../scripts/figures.py"
