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
            str(PROVENANCE / "{cohort}.csv"),
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
        results_dir=lambda wildcards, output: str(Path(output[0]).parents[1]),
        lineage=rule_lineage,
    script:
        "../scripts/provenance_cohort.py"


rule manifest:
    """The run manifest: every cohort's files, the configuration, the code, git state and software."""
    input:
        tables=expand(str(PROVENANCE / "{cohort}.csv"), cohort=COHORTS),
        programmes=programme_targets(),
        code=code_files(),
        config=[f for f in workflow.configfiles if Path(f).is_file()],
    output:
        report(
            str(PROVENANCE / "manifest.json"),
            caption="../report/manifest.rst",
            category="Whole run",
            subcategory="Provenance",
            labels={"cohort": "all cohorts", "file": "manifest.json"},
        ),
    log:
        str(RESULTS / "logs" / "provenance" / "manifest.log"),
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
        manifest=str(PROVENANCE / "manifest.json"),
        tables=expand(str(PROVENANCE / "{cohort}.csv"), cohort=COHORTS),
    output:
        metadata=report(
            str(RESULTS / "ro-crate-metadata.json"),
            caption="../report/ro_crate.rst",
            category="Whole run",
            subcategory="Provenance",
            labels={"cohort": "all cohorts", "file": "ro-crate-metadata.json"},
        ),
        code=directory(str(PROVENANCE / "code")),
    log:
        str(RESULTS / "logs" / "provenance" / "ro_crate.log"),
    conda:
        "../envs/pipeline.yaml"
    params:
        root=".",
        results_dir=lambda wildcards, output: str(Path(output.metadata).parent),
    script:
        "../scripts/ro_crate.py"
