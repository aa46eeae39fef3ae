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


rule figures:
    """Response composition, Likert items and theme frequencies, as PDF, PNG and SVG."""
    input:
        statistics=out("statistics.csv"),
        cohort_json=out("clean/cohort.json"),
    output:
        **figure_outputs(),
    log:
        log_of("figures"),
    script:
        "../scripts/figures.py"
