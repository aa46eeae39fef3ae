rule clean:
    """Validate a cohort's input files against the data contract and write the cleaned tables."""
    input:
        cohort_inputs,
    output:
        cohort_json=out("clean/cohort.json"),
        participants=out("clean/participants.parquet"),
        survey=out("clean/survey.parquet"),
        segments=out("clean/segments.parquet"),
    params:
        cohort_dir=cohort_dir,
    log:
        log_of("clean"),
    script:
        "../scripts/clean.py"
