CLEAN = dict(
    cohort_json=out("clean/cohort.json"),
    participants=out("clean/participants.parquet"),
    survey=out("clean/survey.parquet"),
    segments=out("clean/segments.parquet"),
)


rule describe:
    """Response, composition and survey-item statistics."""
    input:
        **CLEAN,
    output:
        out("tables/describe.csv"),
    log:
        log_of("describe"),
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/describe.py"


rule themes:
    """Theme, subtheme and code frequencies by group and source."""
    input:
        **CLEAN,
    output:
        out("tables/themes.csv"),
    log:
        log_of("themes"),
    conda:
        "../envs/pipeline.yaml"
    params:
        qualitative=config.get("qualitative", {}),
    script:
        "../scripts/themes.py"


rule register:
    """The statistics register: every number the reports and figures show."""
    input:
        parts=[
            out("tables/describe.csv"),
            out("tables/themes.csv"),
            out("tables/models.csv"),
            out("tables/prepost.csv"),
            out("tables/qualitative.csv"),
        ],
        cohort_json=out("clean/cohort.json"),
    output:
        report(
            out("statistics.csv"),
            caption="../report/statistics.rst",
            category="Cohort {cohort}",
            subcategory="Statistics register",
            labels={"cohort": "{cohort}", "table": "statistics.csv"},
        ),
    log:
        log_of("register"),
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/register.py"


rule quotes:
    """Consented passages with pseudonymous attribution, for the quote tables."""
    input:
        **CLEAN,
    output:
        report(
            out("quotes.csv"),
            caption="../report/quotes.rst",
            category="Cohort {cohort}",
            subcategory="Quotes",
            labels={"cohort": "{cohort}", "table": "quotes.csv"},
        ),
    log:
        log_of("quotes"),
    conda:
        "../envs/pipeline.yaml"
    params:
        per_subtheme=config.get("quotes_per_subtheme", 2),
    script:
        "../scripts/quotes.py"
