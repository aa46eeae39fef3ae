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
FIGURES = ("composition", "likert", "themes", "coefficients", "prepost")
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
    # run-level provenance (rules/provenance.smk), made after every cohort's outputs
    targets += [
        str(RESULTS / "provenance" / "manifest.json"),
        str(RESULTS / "ro-crate-metadata.json"),
    ]
    targets += programme_targets()
    return targets


FIGURE_CAPTIONS = {
    "composition": "../report/figure_composition.rst",
    "likert": "../report/figure_likert.rst",
    "themes": "../report/figure_themes.rst",
    "coefficients": "../report/figure_coefficients.rst",
    "prepost": "../report/figure_prepost.rst",
}


def figure_outputs():
    """Named outputs of the figures rule: each figure's PNG (shown in the Snakemake report), PDF and SVG."""
    outputs = {}
    for name in FIGURES:
        outputs[f"{name}_png"] = report(
            out(f"figures/{name}.png"),
            caption=FIGURE_CAPTIONS[name],
            category="Cohort {cohort}",
            subcategory="Figures",
            labels={"cohort": "{cohort}", "figure": name},
        )
        outputs[f"{name}_pdf"] = out(f"figures/{name}.pdf")
        outputs[f"{name}_svg"] = out(f"figures/{name}.svg")
    return outputs


# --- programmes: cohorts whose cohort.yaml name the same `programme` ---------------------------------

#: A programme gets its own register and report when at least this many configured cohorts share it.
MIN_PROGRAMME_COHORTS = 2


def programme_of(cohort):
    """The `programme` key of a cohort's cohort.yaml, or None (bad input is reported by the clean step)."""
    import yaml

    try:
        data = yaml.safe_load(
            (DATA / cohort / "cohort.yaml").read_text(encoding="utf-8")
        )
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    name = data.get("programme") if isinstance(data, dict) else None
    return name.strip() if isinstance(name, str) and name.strip() else None


def programme_slug(name):
    """A programme name as a folder name (as workforce_eval.programme.slug)."""
    import re

    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "programme"


def find_programmes():
    """Programme slug -> (name, its configured cohorts in config order), for shared programmes."""
    found = {}
    for cohort in COHORTS:
        name = programme_of(cohort)
        if name:
            found.setdefault(programme_slug(name), (name, []))[1].append(cohort)
    return {k: v for k, v in found.items() if len(v[1]) >= MIN_PROGRAMME_COHORTS}


PROGRAMMES = find_programmes()


def programme_out(path):
    """A path under the programme's results folder, with the {programme} wildcard."""
    return str(RESULTS / "programmes" / "{programme}" / path)


def programme_log(rule_name):
    """The log of a programme rule."""
    return str(RESULTS / "logs" / "programmes" / "{programme}" / f"{rule_name}.log")


def programme_inputs(wildcards):
    """The results of the programme's cohorts that the programme rule reads."""
    cohorts = PROGRAMMES[wildcards.programme][1]
    return {
        "statistics": [str(RESULTS / c / "statistics.csv") for c in cohorts],
        "cohort_json": [str(RESULTS / c / "clean" / "cohort.json") for c in cohorts],
        "survey": [str(RESULTS / c / "clean" / "survey.parquet") for c in cohorts],
    }


def programme_targets():
    """Every final output of every programme."""
    targets = []
    for slug in PROGRAMMES:
        base = RESULTS / "programmes" / slug
        targets += [str(base / "statistics.csv"), str(base / "report.html")]
        targets += [str(base / "figures" / f"forest.{ext}") for ext in FIGURE_FORMATS]
    return targets
