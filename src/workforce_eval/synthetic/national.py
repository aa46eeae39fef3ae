"""A synthetic national staff survey: many organisations, one report each (`reports_by: organisation`).

Invented data for the organisation-report benchmark (`scripts/benchmark.py --organisations`), not a
bundled cohort: `write_national_survey(folder, responses=200_000, organisations=200)` writes a
cross-sectional cohort of the given size. Organisation sizes follow a seeded log-normal spread (a few
large trusts, many small ones) and the last `small` organisations have fewer responses than the
disclosure threshold (k = 5), so that the overview has organisations to withhold. Each organisation has
its own seeded shift on the two constructs, so that some are above and some below the others.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from workforce_eval.synthetic.writers import write_yaml

HEADER = "# SYNTHETIC DATA: an invented national staff survey for benchmarking; no real person is described.\n"
LIKERT = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
GROUPS = {
    "clinical": "Nursing, midwifery and allied health staff",
    "medical": "Medical and dental staff",
    "non_clinical": "Administrative, estates and support staff",
}
CONSTRUCTS = {
    "engagement": (
        "I look forward to going to work.",
        "I am enthusiastic about my job.",
        "Time passes quickly when I am working.",
        "I feel little connection with my work.",
    ),
    "support": (
        "My immediate manager gives me clear feedback on my work.",
        "My immediate manager asks for my opinion before making decisions that affect my work.",
        "My immediate manager takes a positive interest in my health and wellbeing.",
        "My immediate manager rarely values my work.",
    ),
}
YESNO = (
    ("harassment", "In the last 12 months have you experienced harassment, bullying or abuse at work?"),
    ("appraisal", "In the last 12 months, have you had an appraisal or performance review?"),
)
THRESHOLD = 5


def organisation_sizes(responses: int, organisations: int, small: int, rng: np.random.Generator) -> np.ndarray:
    """Responses per organisation: `small` organisations with 1..k-1, the rest log-normal, summing to `responses`."""
    small = min(small, max(organisations - 1, 0))
    tiny = rng.integers(1, THRESHOLD, small)
    rest = organisations - small
    weights = rng.lognormal(0.0, 0.6, rest)
    left = responses - int(tiny.sum())
    sizes = np.maximum(THRESHOLD, np.floor(weights / weights.sum() * left)).astype(int)
    sizes[np.argmax(sizes)] += left - int(sizes.sum())  # the largest takes the rounding
    return np.concatenate([sizes, tiny])


def write_national_survey(
    folder: Path, responses: int = 200_000, organisations: int = 200, small: int = 3, seed: int = 2024
) -> Path:
    """Write cohort.yaml, instrument.yaml and survey.csv of an invented national survey into `folder`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    sizes = organisation_sizes(responses, organisations, small, rng)
    names = [f"Trust {i + 1:03d}" for i in range(len(sizes))]
    org = np.repeat(np.arange(len(sizes)), sizes)
    n = len(org)
    shift = {c: rng.normal(0.0, 0.25, len(sizes)) for c in CONSTRUCTS}
    cohort = {
        "programme": "National staff survey (synthetic)",
        "cohort": str(organisations),
        "design": "cross_sectional",
        "synthetic": True,
        "groups": GROUPS,
        "disclosure_threshold": THRESHOLD,
        "reports_by": "organisation",
    }
    items: list[dict[str, object]] = []
    for construct, texts in CONSTRUCTS.items():
        for j, text in enumerate(texts):
            items.append(
                {
                    "id": f"{construct}_{j + 1}",
                    "text": text,
                    "type": "likert",
                    "scale": "agree5",
                    "construct": construct,
                    **({"reverse": True} if j == len(texts) - 1 else {}),
                }
            )
    items += [{"id": i, "text": t, "type": "yesno", "scale": "yesno"} for i, t in YESNO]
    instrument = {
        "scales": {
            "agree5": {"levels": LIKERT, "missing": ["Prefer not to say"]},
            "yesno": {"levels": ["No", "Yes"], "missing": ["Prefer not to say"]},
        },
        "items": items,
    }
    write_yaml(folder / "cohort.yaml", cohort, HEADER)
    write_yaml(folder / "instrument.yaml", instrument, HEADER)
    group_codes = np.array(list(GROUPS))[rng.integers(0, len(GROUPS), n)]
    columns: dict[str, np.ndarray] = {}
    levels = np.array(LIKERT + ["Prefer not to say", ""], dtype=object)
    for construct, texts in CONSTRUCTS.items():
        latent = rng.normal(0.0, 1.0, n) + shift[construct][org]
        for j in range(len(texts)):
            score = latent + rng.normal(0.0, 0.8, n)
            code = np.searchsorted([-1.5, -0.6, 0.0, 0.9], score)
            if j == len(texts) - 1:
                code = 4 - code  # a reverse-worded item
            code = np.where(rng.random(n) < 0.02, 5 + (rng.random(n) < 0.5), code)
            columns[f"{construct}_{j + 1}"] = levels[code]
    for item, _text in YESNO:
        yes = rng.random(n) < 0.35
        columns[item] = np.where(rng.random(n) < 0.01, "", np.where(yes, "Yes", "No"))
    path = folder / "survey.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["response_id", "group", "organisation", *columns])
        ids = [f"N{i:07d}" for i in range(1, n + 1)]
        org_names = np.array(names, dtype=object)[org]
        writer.writerows(zip(ids, group_codes, org_names, *columns.values()))
    return path
