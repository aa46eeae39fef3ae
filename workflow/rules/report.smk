rule report:
    """Execute the parameterised report notebook with papermill and render report.html."""
    input:
        notebook=config.get("report_notebook", "notebooks/cohort_report.ipynb"),
        statistics=str(COHORT.statistics),
        quotes=str(COHORT.quotes),
        cohort_json=str(COHORT.cohort_json),
        figures=str(COHORT.figures_dir),
    output:
        ipynb=str(COHORT.report.ipynb),
        html=report(
            str(COHORT.report.html),
            caption="../report/report.rst",
            category="Cohort {cohort}",
            subcategory="Evaluation reports",
            labels={"cohort": "{cohort}", "document": "report.html"},
        ),
    log:
        log_of("report"),
    conda:
        "../envs/pipeline.yaml"
    params:
        figures=lambda wildcards: all_cohort_figures(wildcards.cohort),
    script:
        "../scripts/report.py"


onsuccess:
    # where each report is, once the run has made them all (one line per report)
    for target in all_targets():
        if target.endswith("report.html") and Path(target).exists():
            print(f"Report: {Path(target).resolve()}")
