# Qualitative analyses beyond theme frequencies (issue 12): inter-coder agreement, co-occurrence,
# matrix coding by participant attribute, saturation; and the restricted case x code table.


rule qualitative:
    """Agreement, co-occurrence, matrix coding and saturation rows; the restricted case x code table."""
    input:
        **CLEAN,
    output:
        table=out("tables/qualitative.csv"),
        case_table=out(f"{names.RESTRICTED_DIR}/{names.CASE_CODE_TABLE}"),
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
        statistics=out("statistics.csv"),
        cohort_json=out("clean/cohort.json"),
    output:
        **figure_outputs(names.QUALITATIVE_FIGURE_NAMES),
    log:
        log_of("qualitative_figures"),
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/qualitative_figures.py"
