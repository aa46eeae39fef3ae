# The publication bundle <results_dir>/published/ (steps/publish.py) and the notes beside the full registers.


localrules:
    restricted_note,
    programme_restricted_note,


rule restricted_note:
    """RESTRICTED.txt in a cohort's results folder: the full register there is restricted; where the published
    copy lies (made once the cohort's register is, so a cohort with bad input has no results folder).
    """
    input:
        str(COHORT.statistics),
    output:
        str(COHORT.restricted_note),
    log:
        log_of("restricted_note"),
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/restricted_note.py"


use rule restricted_note as programme_restricted_note with:
    input:
        str(PROGRAMME.statistics),
    output:
        str(PROGRAMME.restricted_note),
    log:
        programme_log("restricted_note"),


rule publish:
    """Copy what may be published (reports, figures, masked registers, consented quotes) to published/, with
    the bundle's own RO-Crate."""
    input:
        files=published_inputs(),
        meta=publish_thresholds(),
        manifest=str(RUN.manifest),
    output:
        metadata=str(RUN.published_crate_metadata),
    log:
        str(RUN.log("publish")),
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/publish.py"
