# Helpers that turn the configuration into paths; nothing else knows the config's shape.
# Where every output lies is `workforce_eval.layout` (the package uses the same module); shared names (input
# files, figures, the programme slug) come from `workforce_eval.names`. Both are standard library only, so the
# workflow and the package cannot drift apart. The package is installed (editable) in the environment that
# runs Snakemake: `pip install -e .` (the Makefile's venv, workflow/envs/pipeline.yaml).
import os
from pathlib import Path

from workforce_eval import layout, names
from workforce_eval.inputs.limits import folders_problem

# Deterministic outputs: fixed timestamps for matplotlib and friends.
os.environ.setdefault("SOURCE_DATE_EPOCH", "0")

DATA = Path(config["data_dir"])
RESULTS = Path(config["results_dir"])
RUN = layout.run(RESULTS)
#: Path patterns of one cohort's outputs (the {cohort} wildcard in place of its id).
COHORT = RUN.cohort("{cohort}")
#: Path patterns of one programme's outputs (the {programme} wildcard).
PROGRAMME = RUN.programme("{programme}")
COHORTS = list(config["cohorts"])
INPUT_FILES = names.INPUT_FILES
FIGURES = names.FIGURE_NAMES
FIGURE_FORMATS = tuple(config.get("figure_formats", names.FIGURE_FORMATS))
REPORT_PDF = bool(config.get("report_pdf", False))  # rules/report_pdf.smk


wildcard_constraints:
    cohort=names.COHORT_ID_PATTERN,


def cohort_dir(wildcards):
    """The cohort's input folder."""
    return str(DATA / wildcards.cohort)


def cohort_inputs(wildcards):
    """The cohort's input files that exist (a missing required one is reported by the clean step), and the
    exports declared under `sources:` in its cohort.yaml."""
    folder = DATA / wildcards.cohort
    present = [str(folder / name) for name in INPUT_FILES if (folder / name).is_file()]
    return present + [str(folder / name) for name in source_files(wildcards.cohort)]


def cohort_yaml(cohort):
    """A cohort's cohort.yaml as data, or None, read when the workflow is parsed (bad input is reported by
    the clean step). The package's reader: regular files only, depth/alias limits, duplicate keys refused,
    so one bad cohort.yaml cannot stop the DAG."""
    from workforce_eval.inputs.readers import yaml_or_none

    return yaml_or_none(DATA / cohort / "cohort.yaml")


def source_files(cohort):
    """The export files named under `sources:` in a cohort's cohort.yaml that exist ([] without sources);
    only plain file names inside the cohort folder count."""
    data = cohort_yaml(cohort)
    sources = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(sources, dict):
        return []
    found = []
    for spec in sources.values():
        for key in ("file", "dictionary", "documents"):
            name = spec.get(key) if isinstance(spec, dict) else None
            if (
                isinstance(name, str)
                and name
                and Path(name).name == name
                and name not in (".", "..")
                and (DATA / cohort / name).is_file()
            ):
                found.append(name)
    return found


def imported_dir(wildcards):
    """The folder the import step writes for a cohort whose cohort.yaml declares sources, else ''."""
    if has_sources(wildcards.cohort):
        return str(RUN.cohort(wildcards.cohort).imported_dir)
    return ""


def has_sources(cohort):
    """Whether a cohort's cohort.yaml declares a `sources:` section."""
    data = cohort_yaml(cohort)
    return isinstance(data, dict) and bool(data.get("sources"))


def clean_inputs(wildcards):
    """What cleaning reads; the imported folder (and privacy lists) for a cohort with sources,
    else the cohort's own input files."""
    if not has_sources(wildcards.cohort):
        return cohort_inputs(wildcards)
    folder = DATA / wildcards.cohort
    lists = [
        str(folder / n)
        for n in names.OPTIONAL_INPUT_FILES + names.PRIVACY_INPUT_FILES
        if (folder / n).is_file()
    ]
    return [imported_dir(wildcards)] + lists


def log_of(rule_name):
    """The log of a rule for a cohort (outside the cohort's results folder)."""
    return str(COHORT.log(rule_name))


#: The clean rule's outputs, which most cohort rules read.
CLEAN = dict(
    cohort_json=str(COHORT.cohort_json),
    participants=str(COHORT.participants),
    survey=str(COHORT.survey),
    segments=str(COHORT.segments),
)


def all_targets():
    """Every final output of every configured cohort."""
    targets = []
    for cohort in COHORTS:
        here = RUN.cohort(cohort)
        targets += [
            str(here.statistics),
            str(here.quotes),
            str(here.report.html),
            str(here.case_code_table),
            str(here.restricted_note),
        ]
        targets.append(str(here.figures_dir))  # rules/figures.smk: all_cohort_figures
        if REPORT_PDF:
            targets += pdf_targets(cohort)  # the rules: rules/report_pdf.smk
    # run-level provenance (rules/provenance.smk), made after every cohort's outputs
    targets += [str(RUN.manifest), str(RUN.crate_metadata)]
    targets += programme_targets()
    targets += organisation_targets()  # rules/organisations.smk
    targets.append(str(RUN.published_crate_metadata))  # rules/publish.smk
    targets.append(
        str(RUN.disclosure_audit)
    )  # rules/disclosure.smk, after every register
    return targets


def published_inputs():
    """What the publication bundle is made of (rules/publish.smk): each cohort's report, figures, register and
    quotes, its organisation reports and register, each programme's report, figures and register.
    """
    files = []
    for cohort in COHORTS:
        here = RUN.cohort(cohort)
        files += [
            str(here.report.html),
            str(here.figures_dir),
            str(here.statistics),
            str(here.quotes),
        ]
        if REPORT_PDF:
            files.append(str(here.report.pdf))
        if cohort in ORGANISATION_COHORTS:
            org = here.organisations
            files += [
                str(org.statistics),
                str(org.overview.html),
                str(org.unit_reports_dir),
            ]
            files += [
                str(org.figure(names.CATERPILLAR, ext))
                for ext in sorted({"png", *FIGURE_FORMATS})
            ]
            if REPORT_PDF:
                files += [str(org.overview.pdf), str(org.unit_reports_pdf_dir)]
    for slug in PROGRAMMES:
        here = RUN.programme(slug)
        files += [str(here.statistics), str(here.report.html)]
        files += [
            str(here.figure(fig, ext))
            for fig in programme_figures(slug)
            for ext in FIGURE_FORMATS
        ]
        if REPORT_PDF:
            files.append(str(here.report.pdf))
    return files


def publish_thresholds():
    """The files the publish step reads each register's disclosure threshold from (not published)."""
    files = [str(RUN.cohort(c).cohort_json) for c in COHORTS]
    return files + [str(RUN.programme(slug).programme_json) for slug in PROGRAMMES]


def cohort_figures(cohort):
    """The cohort figures that apply (`names.cohort_figures`: a figure that does not apply is not made, not
    listed in the Snakemake report, not in the notebook), decided when the workflow is parsed from cohort.yaml,
    instrument.yaml and the files present (guarded readers; a bad file is reported by the clean step).
    """
    from workforce_eval.inputs.readers import yaml_or_none

    folder = DATA / cohort
    data = cohort_yaml(cohort)
    data = data if isinstance(data, dict) else {}
    sources = data.get("sources") if isinstance(data.get("sources"), dict) else {}
    instrument = yaml_or_none(folder / "instrument.yaml")
    items = instrument.get("items") if isinstance(instrument, dict) else None
    likert = [
        i
        for i in (items if isinstance(items, list) else [])
        if isinstance(i, dict) and i.get("type") == "likert"
    ]
    scales = instrument.get("scales") if isinstance(instrument, dict) else None
    scales = scales if isinstance(scales, dict) else {}
    groups = data.get("groups")
    design = data.get("design")
    return names.cohort_figures(
        design=design if isinstance(design, str) else None,
        likert_items=[scale_levels(scales, i.get("scale")) for i in likert],
        groups=(
            len(groups) if isinstance(groups, (dict, list)) and groups else 1
        ),  # none declared: one group
        survey=(folder / "survey.csv").is_file() or "survey" in sources,
        segments=(folder / "segments.csv").is_file() or "segments" in sources,
        models=bool(data.get("models")),
        indicators=bool(data.get("indicators")),
    )


def scale_levels(scales, scale):
    """The levels of an instrument.yaml scale as the package reads them (YAML booleans and numbers as text), or
    () for an unknown one (the Likert charts are one per level list: `names.likert_pages`).
    """
    spec = scales.get(scale) if isinstance(scale, str) else None
    levels = spec.get("levels") if isinstance(spec, dict) else None
    return tuple(
        ("true" if v else "false") if isinstance(v, bool) else str(v)
        for v in (levels if isinstance(levels, list) else [])
    )


def all_cohort_figures(cohort):
    """Every figure the `figures` job of a cohort draws: the cohort figures that apply, then the qualitative ones."""
    return cohort_figures(cohort) + names.qualitative_figures(
        segments=has_segments(cohort)
    )


def has_segments(cohort):
    """Whether a cohort has coded segments (segments.csv or a segments source): a survey-only cohort has none,
    so it gets no qualitative figures (they could only say "No data")."""
    data = cohort_yaml(cohort)
    sources = data.get("sources") if isinstance(data, dict) else None
    return (DATA / cohort / "segments.csv").is_file() or (
        isinstance(sources, dict) and "segments" in sources
    )


#: Worker processes of a cohort's `figures` job: its threads.
FIGURE_WORKERS = 2


def programme_has_prepost(slug):
    """Whether any cohort of a programme has a pre/post design (the forest plot applies)."""
    for cohort in PROGRAMMES[slug][1]:
        data = cohort_yaml(cohort)
        if isinstance(data, dict) and data.get("design") == "pre_post":
            return True
    return False


def programme_figures(slug):
    """The programme figures that apply: the forest plot for a programme with pre/post cohorts."""
    return list(names.PROGRAMME_FIGURES) if programme_has_prepost(slug) else []


# --- programmes: cohorts whose cohort.yaml name the same `programme` ---------------------------------

#: A programme gets its own register and report when at least this many configured cohorts share it.
MIN_PROGRAMME_COHORTS = 2


def programme_of(cohort):
    """The `programme` key of a cohort's cohort.yaml, or None."""
    data = cohort_yaml(cohort)
    name = data.get("programme") if isinstance(data, dict) else None
    return name.strip() if isinstance(name, str) and name.strip() else None


def find_programmes():
    """Programme slug -> (name, its configured cohorts in config order), for shared programmes."""
    found = {}
    for cohort in COHORTS:
        name = programme_of(cohort)
        if name:
            found.setdefault(names.slug(name), (name, []))[1].append(cohort)
    return {k: v for k, v in found.items() if len(v[1]) >= MIN_PROGRAMME_COHORTS}


PROGRAMMES = find_programmes()


def programme_log(rule_name):
    """The log of a programme rule."""
    return str(PROGRAMME.log(rule_name))


def programme_inputs(wildcards):
    """The results of the programme's cohorts that the programme rule reads."""
    cohorts = [RUN.cohort(c) for c in PROGRAMMES[wildcards.programme][1]]
    return {
        "statistics": [str(c.statistics) for c in cohorts],
        "cohort_json": [str(c.cohort_json) for c in cohorts],
        "survey": [str(c.survey) for c in cohorts],
    }


def programme_targets():
    """Every final output of every programme."""
    targets = []
    for slug in PROGRAMMES:
        here = RUN.programme(slug)
        targets += [
            str(here.statistics),
            str(here.report.html),
            str(here.restricted_note),
        ]
        targets += [
            str(here.figure(fig, ext))
            for fig in programme_figures(slug)
            for ext in FIGURE_FORMATS
        ]
        if REPORT_PDF:
            targets.append(str(here.report.pdf))  # rules/report_pdf.smk
    return targets


def pdf_targets(cohort):
    """The PDFs of one cohort named before the run: its report and its organisation overview (which waits for
    the folder of every unit's PDF)."""
    here = RUN.cohort(cohort)
    targets = [str(here.report.pdf)]
    if cohort in ORGANISATION_COHORTS:
        targets.append(str(here.organisations.overview.pdf))
    return targets
