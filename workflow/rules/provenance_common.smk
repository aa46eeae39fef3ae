# Helpers of rules/provenance.smk: which outputs a cohort has, which rule writes each, which files are code.
from types import SimpleNamespace

from snakemake.exceptions import WildcardError
from snakemake.io import apply_wildcards

PROVENANCE_RULES = ("all", "provenance_cohort", "manifest", "ro_crate")


def cohort_targets(wildcards):
    """The final outputs of one cohort (its part of `all_targets()`)."""
    prefix = str(RUN.cohort(wildcards.cohort).base) + os.sep
    return [t for t in all_targets() if t.startswith(prefix)]


def lineage_for(values):
    """Output path -> the rule that writes it and that rule's inputs, for these wildcard values.

    Rules whose paths need wildcards other than the given ones are left out.
    """
    lineage = {}
    for r in workflow.rules:
        if r.name in PROVENANCE_RULES:
            continue
        try:
            inputs = []
            for item in r.input:
                function = item
                if hasattr(item, "is_callable") and item.is_callable():
                    # an input function, possibly flagged (unpack(f)): Snakemake keeps it in _file
                    function = getattr(item._file, "callable", None) or item._file
                if callable(function):
                    found = function(SimpleNamespace(**values))
                    if isinstance(found, dict):
                        found = [
                            f
                            for v in found.values()
                            for f in ([v] if isinstance(v, str) else v)
                        ]
                    inputs += [found] if isinstance(found, str) else list(found)
                else:
                    inputs.append(apply_wildcards(str(item), values))
            outputs = [apply_wildcards(str(item), values) for item in r.output]
        except (WildcardError, AttributeError, KeyError, TypeError):
            continue
        for path in outputs:
            lineage[path] = {"rule": r.name, "inputs": [str(i) for i in inputs]}
    return lineage


def rule_lineage(wildcards):
    """Lineage of one cohort's outputs, read from the rules themselves."""
    lineage = lineage_for({"cohort": wildcards.cohort})
    for figure in cohort_figures(wildcards.cohort):  # one figures job per figure
        lineage.update(lineage_for({"cohort": wildcards.cohort, "figure": figure}))
    # each unit's report files (rules/organisations_common.smk)
    lineage.update(unit_report_lineage(wildcards.cohort, lineage))
    return lineage


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
