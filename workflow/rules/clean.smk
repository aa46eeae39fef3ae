rule clean:
    """Validate a cohort's input files against the data contract and write the cleaned tables."""
    input:
        clean_inputs,
    output:
        cohort_json=out("clean/cohort.json"),
        participants=out("clean/participants.parquet"),
        survey=out("clean/survey.parquet"),
        segments=out("clean/segments.parquet"),
    log:
        log_of("clean"),
    conda:
        "../envs/pipeline.yaml"
    params:
        cohort_dir=cohort_dir,
        imported_dir=imported_dir,
        disclosure_threshold=config["disclosure_threshold"],
        input_limits=config.get("input_limits", {}),
    script:
        "../scripts/clean.py"
