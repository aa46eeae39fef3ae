# Qualitative analyses beyond theme frequencies (issue 12): inter-coder agreement, co-occurrence,
# matrix coding by participant attribute, saturation; and the restricted case x code table.


rule qualitative:
    """Agreement, co-occurrence, matrix coding and saturation rows; the restricted case x code table."""
    input:
        **CLEAN,
    output:
        table=str(COHORT.table("qualitative")),
        case_table=str(COHORT.case_code_table),
    log:
        log_of("qualitative"),
    conda:
        "../envs/pipeline.yaml"
    params:
        qualitative=config.get("qualitative", {}),
    script:
        "../scripts/qualitative.py"


rule qualitative_figures:
    """Co-occurrence heatmap and saturation curve, as PDF, PNG and SVG."""
    input:
        statistics=str(COHORT.statistics),
        cohort_json=str(COHORT.cohort_json),
    output:
        **figure_outputs(names.QUALITATIVE_FIGURE_NAMES),
    log:
        log_of("qualitative_figures"),
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/qualitative_figures.py"
