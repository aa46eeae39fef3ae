rule models:
    """Regression models declared under models: in cohort.yaml."""
    input:
        **CLEAN,
    output:
        str(COHORT.table("models")),
    log:
        log_of("models"),
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/models.py"
