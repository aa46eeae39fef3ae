rule describe:
    """Response, composition and survey-item statistics."""
    input:
        **CLEAN,
    output:
        str(COHORT.table("describe")),
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
        str(COHORT.table("themes")),
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
            str(COHORT.table("describe")),
            str(COHORT.table("themes")),
            str(COHORT.table("models")),
            str(COHORT.table("prepost")),
            str(COHORT.table("qualitative")),
        ],
        cohort_json=str(COHORT.cohort_json),
    output:
        report(
            str(COHORT.statistics),
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
            str(COHORT.quotes),
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
