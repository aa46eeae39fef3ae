# A cohort's analyses in one job (steps/analyses.py): the partial registers of describe, themes, models,
# prepost and qualitative, the restricted case x code table, the register and the quote table. One process
# instead of seven, each of which paid a second of start-up for tenths of a second of work; every output is
# still a declared output of this rule, so provenance names the rule and its inputs for each of them.


rule analyses:
    """Every analysis of a cohort, its statistics register (with disclosure control) and its quote table."""
    input:
        **CLEAN,
    output:
        describe=str(COHORT.table("describe")),
        themes=str(COHORT.table("themes")),
        models=str(COHORT.table("models")),
        prepost=str(COHORT.table("prepost")),
        qualitative=str(COHORT.table("qualitative")),
        case_table=str(COHORT.case_code_table),
        statistics=report(
            str(COHORT.statistics),
            caption="../report/statistics.rst",
            category="Cohort {cohort}",
            subcategory="Statistics register",
            labels={"cohort": "{cohort}", "table": "statistics.csv"},
        ),
        quotes=report(
            str(COHORT.quotes),
            caption="../report/quotes.rst",
            category="Cohort {cohort}",
            subcategory="Quotes",
            labels={"cohort": "{cohort}", "table": "quotes.csv"},
        ),
    log:
        log_of("analyses"),
    conda:
        "../envs/pipeline.yaml"
    params:
        qualitative=config.get("qualitative", {}),
        per_subtheme=config.get("quotes_per_subtheme", 2),
        minimum_group_base=config.get("minimum_group_base"),
        multiplicity=config.get("multiplicity", "holm"),
    script:
        "../scripts/analyses.py"
