rule clean:
    """Validate a cohort's input files against the data contract and write the cleaned tables."""
    input:
        clean_inputs,
    output:
        cohort_json=str(COHORT.cohort_json),
        participants=str(COHORT.participants),
        survey=str(COHORT.survey),
        segments=str(COHORT.segments),
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
