rule import:
    """Convert the raw exports declared under `sources:` in cohort.yaml into the contract's files."""
    input:
        cohort_inputs,
    output:
        directory(str(COHORT.imported_dir)),
    log:
        log_of("import"),
    conda:
        "../envs/pipeline.yaml"
    params:
        cohort_dir=cohort_dir,
    script:
        "../scripts/import.py"
