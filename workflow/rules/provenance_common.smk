# Helpers of rules/provenance.smk: which outputs a cohort has, which rule writes each, which files are code.
from snakemake.exceptions import WildcardError
from snakemake.iocontainers import Wildcards

PROVENANCE_RULES = ("all", "provenance_cohort", "manifest", "ro_crate")


def cohort_targets(wildcards):
    """The final outputs of one cohort (its part of `all_targets()`)."""
    prefix = str(RUN.cohort(wildcards.cohort).base) + os.sep
    return [t for t in all_targets() if t.startswith(prefix)]


def lineage_for(values):
    """Output path -> the rule that writes it and that rule's inputs, for these wildcard values (a dict).

    Each rule's inputs and outputs as Snakemake itself expands them for a job (`Rule.expand_input`,
    `Rule.expand_output`: input functions, unpack() and wildcards included). Rules with wildcards other than the
    given ones are left out. A directory output (e.g. a cohort's figures) stands for the files in it: the
    provenance table gives each file the entry of the nearest folder it lies in (`provenance.manifest`).
    """
    wildcards = Wildcards(fromdict=values)
    lineage = {}
    for r in workflow.rules:
        if r.name in PROVENANCE_RULES or not set(r.wildcard_names) <= set(values):
            continue
        try:
            inputs = r.expand_input(wildcards)[0]
            outputs = r.expand_output(wildcards)[0]
        except (WildcardError, KeyError):
            continue
        for path in outputs:
            lineage[str(path)] = {"rule": r.name, "inputs": [str(i) for i in inputs]}
    return lineage


def rule_lineage(wildcards):
    """Lineage of one cohort's outputs, read from the rules themselves."""
    return lineage_for({"cohort": wildcards.cohort})


def programme_lineage(wildcards):
    """Lineage of every programme's outputs: output path -> rule and inputs."""
    lineage = {}
    for slug in PROGRAMMES:
        lineage.update(lineage_for({"programme": slug}))
    return lineage


def code_files():
    """The pipeline's code: workflow, package and report notebook (a change to any of them reruns the manifest)."""
    found = [
        config.get("report_notebook", "notebooks/cohort_report.ipynb"),
        config.get("programme_notebook", "notebooks/programme_report.ipynb"),
    ]
    for folder in ("workflow", "src/workforce_eval"):
        found += [
            p.as_posix()
            for p in Path(folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
        ]
    return sorted(set(f for f in found if Path(f).is_file()))
