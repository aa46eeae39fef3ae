rule models:
    """Regression models declared under models: in cohort.yaml."""
    input:
        **CLEAN,
    output:
        out("tables/models.csv"),
    log:
        log_of("models"),
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/models.py"
