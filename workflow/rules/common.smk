# Helpers that turn the configuration into paths; nothing else knows the config's shape.
import os
from pathlib import Path

# Deterministic outputs: fixed timestamps for matplotlib and friends.
os.environ.setdefault("SOURCE_DATE_EPOCH", "0")

DATA = Path(config["data_dir"])
RESULTS = Path(config["results_dir"])
COHORTS = list(config["cohorts"])
INPUT_FILES = (
    "cohort.yaml",
    "participants.csv",
    "instrument.yaml",
    "survey.csv",
    "codebook.yaml",
    "segments.csv",
    "deny_list.txt",  # privacy guard: read by clean, never copied
    "pii_allow.csv",
)
FIGURES = ("composition", "likert", "themes")
FIGURE_FORMATS = ("pdf", "png", "svg")


wildcard_constraints:
    cohort="[a-z0-9][a-z0-9_-]*",


def cohort_dir(wildcards):
    """The cohort's input folder."""
    return str(DATA / wildcards.cohort)


def cohort_inputs(wildcards):
    """The cohort's input files that exist (a missing required one is reported by the clean step)."""
    folder = DATA / wildcards.cohort
    return [str(folder / name) for name in INPUT_FILES if (folder / name).is_file()]


def out(path):
    """A path under the cohort's results folder, with the {cohort} wildcard."""
    return str(RESULTS / "{cohort}" / path)


def log_of(rule_name):
    """The log of a rule for a cohort (outside the cohort's results folder)."""
    return str(RESULTS / "logs" / "{cohort}" / f"{rule_name}.log")


def all_targets():
    """Every final output of every configured cohort."""
    targets = []
    for cohort in COHORTS:
        base = RESULTS / cohort
        targets += [
            str(base / "statistics.csv"),
            str(base / "quotes.csv"),
            str(base / "report.html"),
        ]
        targets += [
            str(base / "figures" / f"{f}.{ext}")
            for f in FIGURES
            for ext in FIGURE_FORMATS
        ]
    return targets


FIGURE_CAPTIONS = {
    "composition": "../report/figure_composition.rst",
    "likert": "../report/figure_likert.rst",
    "themes": "../report/figure_themes.rst",
}


def figure_outputs():
    """Named outputs of the figures rule: each figure's PNG (shown in the Snakemake report), PDF and SVG."""
    outputs = {}
    for name in FIGURES:
        outputs[f"{name}_png"] = report(
            out(f"figures/{name}.png"),
            caption=FIGURE_CAPTIONS[name],
            category="Figures",
            labels={"cohort": "{cohort}", "figure": name},
        )
        outputs[f"{name}_pdf"] = out(f"figures/{name}.pdf")
        outputs[f"{name}_svg"] = out(f"figures/{name}.svg")
    return outputs
