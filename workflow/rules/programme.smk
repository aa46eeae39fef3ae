# Programme level: cohorts sharing a `programme` in cohort.yaml (see PROGRAMMES in common.smk).


wildcard_constraints:
    programme="[a-z0-9][a-z0-9-]*",


rule programme:
    """A programme's register: its cohorts' rows plus pooled and cohort-comparison rows."""
    input:
        unpack(programme_inputs),
    output:
        statistics=report(
            str(PROGRAMME.statistics),
            caption="../report/programme_statistics.rst",
            category="Programmes",
            labels={"programme": "{programme}", "table": "statistics.csv"},
        ),
        programme_json=str(PROGRAMME.programme_json),
    log:
        programme_log("programme"),
    conda:
        "../envs/pipeline.yaml"
    params:
        name=lambda wildcards: PROGRAMMES[wildcards.programme][0],
        multiplicity=config.get("multiplicity", "holm"),
    script:
        "../scripts/programme.py"


rule programme_figures:
    """The programme's forest plot of change by cohort, in the configured `figure_formats` (PNG always)."""
    input:
        statistics=str(PROGRAMME.statistics),
        programme_json=str(PROGRAMME.programme_json),
    output:
        forest_png=report(
            str(PROGRAMME.figure("forest", "png")),
            caption="../report/figure_forest.rst",
            category="Programmes",
            labels={"programme": "{programme}", "figure": "forest"},
        ),
        others=[
            str(PROGRAMME.figure("forest", ext))
            for ext in FIGURE_FORMATS
            if ext != "png"
        ],
    log:
        programme_log("programme_figures"),
    conda:
        "../envs/pipeline.yaml"
    params:
        formats=list(FIGURE_FORMATS),
    script:
        "../scripts/programme_figures.py"


rule programme_report:
    """Execute the parameterised programme notebook with papermill and render report.html."""
    input:
        notebook=config.get("programme_notebook", "notebooks/programme_report.ipynb"),
        statistics=str(PROGRAMME.statistics),
        programme_json=str(PROGRAMME.programme_json),
        figures=lambda wildcards: [
            str(RUN.programme(wildcards.programme).figure(f, "png"))
            for f in programme_figures(wildcards.programme)
        ],
    output:
        ipynb=str(PROGRAMME.report.ipynb),
        html=report(
            str(PROGRAMME.report.html),
            caption="../report/programme_report.rst",
            category="Programmes",
            labels={"programme": "{programme}", "document": "report.html"},
        ),
    log:
        programme_log("programme_report"),
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/programme_report.py"
