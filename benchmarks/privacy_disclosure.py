"""Benchmark of the privacy scan and of disclosure control on a large generated cohort (not a test).

    PYTHONPATH=src python benchmarks/privacy_disclosure.py

Prints seconds for scanning 1,500 passages, and for disclosure control of a ~5,500-row register
(6 groups and a combined group, 700 responses to 40 five-level items, 1,500 coded passages under 64
theme nodes), at thresholds 5 and 10.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from workforce_eval import register
from workforce_eval.analyses import describe, themes
from workforce_eval.inputs import privacy
from workforce_eval.register import disclosure

GROUPS = [f"g{i}" for i in range(6)]
LEVELS = ["SD", "D", "N", "A", "SA"]


def cohort(rng: np.random.Generator) -> tuple[dict, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(cohort.json-like meta, participants, survey, segments) of a large generated cohort."""
    items = [
        {
            "id": f"q{i}",
            "text": "t",
            "type": "likert",
            "scale": "a5",
            "levels": LEVELS,
            "construct": None,
            "reverse": i % 7 == 0,
        }
        for i in range(40)
    ]
    n = 700
    survey = pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(n)],
            "participant_id": pd.Series([pd.NA] * n, dtype="string"),
            "group": rng.choice(GROUPS, n, p=[0.4, 0.3, 0.15, 0.1, 0.04, 0.01]),
            "timepoint": "post",
            "organisation": pd.NA,
        }
    )
    for item in items:
        answers = rng.choice([1, 2, 3, 4, 5, None], n, p=[0.03, 0.07, 0.2, 0.4, 0.25, 0.05])
        survey[item["id"]] = pd.array(answers, dtype="Int64")
    codebook = [
        {
            "id": f"t{t}",
            "label": "T",
            "subthemes": [
                {
                    "id": f"s{t}{s}",
                    "label": "S",
                    "codes": [{"id": f"c{t}{s}{c}", "label": "C", "definition": ""} for c in range(4)],
                }
                for s in range(3)
            ],
        }
        for t in range(4)
    ]
    paths = {c["id"]: (s["id"], t["id"]) for t in codebook for s in t["subthemes"] for c in s["codes"]}
    m = 1500
    docs = rng.integers(0, 60, m)
    segments = pd.DataFrame(
        {
            "segment_id": [f"x{i}" for i in range(m)],
            "source": "interview",
            "document_id": [f"i{d}" for d in docs],
            "participant_id": pd.Series([f"p{d}" for d in docs], dtype="string"),
            "group": [GROUPS[d % 6] for d in docs],
            "code": rng.choice(list(paths), m),
        }
    )
    segments["subtheme"] = segments["code"].map(lambda c: paths[c][0])
    segments["theme"] = segments["code"].map(lambda c: paths[c][1])
    meta = {
        "groups": [{"code": g, "label": g} for g in GROUPS],
        "combined_groups": [{"code": "g45", "label": "g4 or g5", "groups": ["g4", "g5"]}],
        "items": items,
        "codebook": codebook,
    }
    participants = pd.DataFrame({c: pd.Series(dtype="string") for c in ("participant_id", "group", "pair_id")})
    participants["invited"] = pd.Series(dtype=bool)
    return meta, participants, survey, segments


def main() -> None:
    """Run both benchmarks and print their timings."""
    rng = np.random.default_rng(1)
    meta, participants, survey, segments = cohort(rng)
    words = np.array("we met often and talked about work at the trust with my partner in 2021".split())  # noqa: SIM905
    text = pd.DataFrame(
        {
            "segment_id": segments["segment_id"],
            "text": [" ".join(rng.choice(words, 25)) for _ in range(len(segments))],
        }
    )
    start = time.perf_counter()
    hits = privacy.scan_frame(text, "segments.csv", ["segment_id", "text"], privacy.deny_pattern(["Amara Okafor"]))
    print(f"privacy scan of {len(text)} passages: {time.perf_counter() - start:.2f} s, {len(hits)} hits")
    reg = register.concat(
        [
            describe.describe(meta, participants, survey, segments),
            themes.theme_frequencies(meta, segments),
        ]
    )
    for k in (5, 10):
        start = time.perf_counter()
        out = disclosure.apply(reg, meta, k)
        print(
            f"disclosure control, k={k}, {len(reg)} rows: {time.perf_counter() - start:.2f} s, "
            f"{int(out['suppressed'].sum())} suppressed"
        )


if __name__ == "__main__":
    main()
