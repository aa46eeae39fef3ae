rule figures:
    """Response composition, Likert items and theme frequencies, as PDF, PNG and SVG."""
    input:
        statistics=out("statistics.csv"),
        cohort_json=out("clean/cohort.json"),
    output:
        **figure_outputs(),
    log:
        log_of("figures"),
    conda:
        "../envs/pipeline.yaml"
    params:
        formats=list(FIGURE_FORMATS),
    script:
        "../scripts/figures.py"
