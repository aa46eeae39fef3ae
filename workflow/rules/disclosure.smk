# The disclosure audit of everything the run publishes (workforce_eval.register.audit), run by every build.


rule disclosure_audit:
    """Bound every hidden count by linear programming over all published registers; fail if one is pinned."""
    input:
        statistics=expand(str(COHORT.statistics), cohort=COHORTS),
        cohort_json=expand(str(COHORT.cohort_json), cohort=COHORTS),
        programmes=[str(RUN.programme(slug).statistics) for slug in PROGRAMMES],
    output:
        str(RUN.disclosure_audit),
    log:
        str(RUN.log("disclosure_audit")),
    conda:
        "../envs/pipeline.yaml"
    params:
        # the run's results folder, above restricted/ (names the published files in messages)
        results_dir=lambda wildcards, output: str(Path(output[0]).parents[1]),
        enforce=config.get("disclosure_audit", "fail") == "fail",
    script:
        "../scripts/disclosure_audit.py"
