rule prepost:
    """Pre/post designs: linked change per item and construct, attrition, reliability per time point, groups at post."""
    input:
        **CLEAN,
    output:
        str(COHORT.table("prepost")),
    log:
        log_of("prepost"),
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/prepost.py"
