# Provenance of a run (workforce_eval.provenance, workforce_eval.runcrate): made after every other output.


# Hashing files takes seconds: on a cluster these run in the main Snakemake process, not as submitted jobs.
localrules:
    provenance_cohort,
    manifest,
    ro_crate,


rule provenance_cohort:
    """Hash every input and output file of a cohort and name the rule that wrote each output."""
    input:
        inputs=cohort_inputs,
        outputs=cohort_targets,
    output:
        report(
            str(COHORT.provenance_table),
            caption="../report/provenance_cohort.rst",
            category="Cohort {cohort}",
            subcategory="Provenance",
            labels={"cohort": "{cohort}", "table": "provenance"},
        ),
    log:
        log_of("provenance"),
    conda:
        "../envs/pipeline.yaml"
    params:
        data_dir=str(DATA),
        lineage=rule_lineage,
    script:
        "../scripts/provenance_cohort.py"


rule manifest:
    """The run manifest: every cohort's files, the configuration, the code, git state and software."""
    input:
        tables=expand(str(COHORT.provenance_table), cohort=COHORTS),
        programmes=programme_targets(),
        disclosure_audit=str(RUN.disclosure_audit),
        code=code_files(),
        config=[f for f in workflow.configfiles if Path(f).is_file()],
    output:
        report(
            str(RUN.manifest),
            caption="../report/manifest.rst",
            category="Whole run",
            subcategory="Provenance",
            labels={"cohort": "all cohorts", "file": "manifest.json"},
        ),
    log:
        str(RUN.log("manifest")),
    conda:
        "../envs/pipeline.yaml"
    params:
        root=".",
        programme_lineage=programme_lineage,
    script:
        "../scripts/manifest.py"


rule ro_crate:
    """The run as a Workflow Run RO-Crate rooted at the results folder, with a snapshot of its code."""
    input:
        manifest=str(RUN.manifest),
        tables=expand(str(COHORT.provenance_table), cohort=COHORTS),
    output:
        metadata=report(
            str(RUN.crate_metadata),
            caption="../report/ro_crate.rst",
            category="Whole run",
            subcategory="Provenance",
            labels={"cohort": "all cohorts", "file": "ro-crate-metadata.json"},
        ),
        code=directory(str(RUN.code_dir)),
    log:
        str(RUN.log("ro_crate")),
    conda:
        "../envs/pipeline.yaml"
    params:
        root=".",
    script:
        "../scripts/ro_crate.py"
