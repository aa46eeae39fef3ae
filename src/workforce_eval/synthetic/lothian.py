"""Seeded generator of three synthetic "Paired Learning" cohorts (doctors paired with managers, pre and post).

Shaped after the design of the NHS Lothian Paired Learning evaluation (no numbers were published):
a pilot of 6 doctors + 6 managers, then two larger cohorts; questionnaires before and after the
programme on preparedness to lead and understanding of the other group's role, and a few coded
post-programme interviews. Every answer, name and sentence is invented. The files are byte-stable
for a given seed: `python -m workforce_eval.synthetic --out data/raw`.

By construction each cohort has participants who answered only before (dropped out) and only
after (missed the first questionnaire), ties and zero changes in the Likert items (so the
Wilcoxon test takes R's normal approximation), and distinct, non-zero changes in the 0-100
readiness rating (so it takes R's exact test).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from workforce_eval.synthetic import texts
from workforce_eval.synthetic.writers import YAML_HEADER, write_csv, write_yaml

PROGRAMME = "Paired Learning"
GROUPS: dict[str, str] = {"doctors": "Doctors", "managers": "Managers"}
AGREE5: list[str] = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
DEFAULT_SEED = 2016


@dataclass(frozen=True)
class CohortSpec:
    """How one cohort is generated."""

    cohort_id: str
    label: str
    prefix: str
    pairs: int
    pre_only: tuple[str, ...]  # groups of the participants who answered only before
    post_only: tuple[str, ...]  # groups of the participants who answered only after
    anonymous_post: int  # post responses without a participant_id (cannot be linked)
    interviews_per_group: int
    effect_prep: float  # mean latent change in preparedness to lead
    effect_und: float  # mean latent change in understanding of the other group
    extra_managers: str  # description used in cohort.yaml


COHORTS: tuple[CohortSpec, ...] = (
    CohortSpec("lothian-pilot", "Pilot", "LP1", 6, ("doctors",), ("managers",), 0, 3, 0.8, 1.1, "general managers"),
    CohortSpec(
        "lothian-2",
        "Cohort 2",
        "LP2",
        9,
        ("doctors", "managers"),
        ("managers",),
        0,
        3,
        0.7,
        1.0,
        "general managers and other senior managers",
    ),
    CohortSpec(
        "lothian-3",
        "Cohort 3",
        "LP3",
        12,
        ("doctors", "managers"),
        ("doctors", "managers"),
        1,
        4,
        0.5,
        0.9,
        "general managers and other senior managers",
    ),
)
COHORT_IDS: tuple[str, ...] = tuple(c.cohort_id for c in COHORTS)


@dataclass(frozen=True)
class LikertItem:
    """A Likert item: text, construct, whether reverse-coded, and its offset on the latent scale."""

    id: str
    text: str
    construct: str
    reverse: bool
    offset: float


LIKERT: tuple[LikertItem, ...] = (
    LikertItem(
        "prep_lead_role", "I feel prepared to take on a leadership role in my service.", "preparedness", False, 0.0
    ),
    LikertItem(
        "prep_decisions",
        "I feel confident making decisions that affect the whole service.",
        "preparedness",
        False,
        -0.3,
    ),
    LikertItem("prep_out_of_depth", "I feel out of my depth when asked to lead a change.", "preparedness", True, 0.2),
    LikertItem(
        "und_pressures",
        "I understand the day-to-day pressures of the other group's role.",
        "understanding",
        False,
        -0.2,
    ),
    LikertItem(
        "und_values", "I understand what the other group values most in their work.", "understanding", False, -0.4
    ),
    LikertItem(
        "und_work_together",
        "I know how to work with colleagues in the other group to solve a problem.",
        "understanding",
        False,
        0.1,
    ),
)

#: The codebook and the invented passages, from package data (see `texts`).
CODEBOOK: dict[str, Any] = texts.codebook("lothian")
_PASSAGES: dict[str, Any] = texts.passages("lothian")
#: Invented interview passages: (text, codes), by the speaker's group.
PASSAGES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    g: tuple((e["text"], tuple(e["codes"])) for e in ps) for g, ps in _PASSAGES["interviews"].items()
}
#: Invented free-text answers to `learned` (post only): (text, codes); uncoded answers have no codes.
LEARNED: tuple[tuple[str, tuple[str, ...]], ...] = tuple((e["text"], tuple(e["codes"])) for e in _PASSAGES["learned"])


def cohort_yaml(spec: CohortSpec) -> dict[str, Any]:
    """Content of cohort.yaml."""
    return {
        "programme": PROGRAMME,
        "cohort": spec.label,
        "organisation": "A synthetic NHS health board",
        "description": (
            f"Invented example cohort of {spec.pairs} doctor-manager pairs ({spec.extra_managers}) "
            "answering the same questionnaire before and after the programme; no real person's "
            "answers or words are included."
        ),
        "design": "pre_post",
        "synthetic": True,
        "groups": dict(GROUPS),
    }


def instrument_yaml() -> dict[str, Any]:
    """Content of instrument.yaml (the same for every cohort)."""
    items: list[dict[str, Any]] = [
        {
            "id": it.id,
            "text": it.text,
            "type": "likert",
            "scale": "agree5",
            "construct": it.construct,
            "reverse": it.reverse,
        }
        for it in LIKERT
    ]
    items += [
        {
            "id": "readiness",
            "text": "How ready do you feel to lead a service, from 0 (not at all) to 100 (completely)?",
            "type": "numeric",
        },
        {
            "id": "new_responsibility",
            "text": "In the last six months, have you taken on a new leadership responsibility?",
            "type": "yesno",
            "scale": "yesno",
        },
        {
            "id": "recommend",
            "text": "Would you recommend Paired Learning to a colleague? (after the programme only)",
            "type": "yesno",
            "scale": "yesno",
        },
        {
            "id": "learned",
            "text": "What is the most useful thing you learned from your partner? (after the programme only)",
            "type": "free_text",
        },
    ]
    return {
        "scales": {
            "agree5": {"levels": list(AGREE5), "missing": ["Prefer not to say"]},
            "yesno": {"levels": ["No", "Yes"], "missing": ["Prefer not to say"]},
        },
        "items": items,
    }


def _likert_label(rng: np.random.Generator, latent: float, item: LikertItem) -> str:
    """An answer label for a latent level (favourable direction), reversed for reverse-coded items."""
    code = int(np.clip(np.rint(3.2 + 1.0 * (latent + item.offset) + rng.normal(0.0, 0.4)), 1, 5))
    return AGREE5[(5 - code) if item.reverse else (code - 1)]


def _distinct_changes(pre: list[int], post: list[int], linked: list[int]) -> list[int]:
    """Nudge post ratings so the linked participants' changes are non-zero with distinct absolute values."""
    out = list(post)
    seen: set[int] = set()
    for k in linked:
        change = out[k] - pre[k]
        steps = [change] + [change + s * d for d in range(1, 101) for s in (1, -1)]
        change = next(c for c in steps if c != 0 and abs(c) not in seen and 0 <= pre[k] + c <= 100)
        seen.add(abs(change))
        out[k] = pre[k] + change
    return out


def write_cohort(spec: CohortSpec, out_dir: Path, seed: int = DEFAULT_SEED) -> None:
    """Write one synthetic Paired Learning cohort folder."""
    rng = np.random.default_rng([seed, COHORT_IDS.index(spec.cohort_id)])
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    # Roster: pair i has one doctor and one manager; pseudonyms are shuffled numbers.
    numbers = [int(j) + 1 for j in rng.permutation(2 * spec.pairs)]
    people: list[tuple[str, str, str]] = []  # (participant_id, group, pair_id)
    for i in range(spec.pairs):
        people.append((f"{spec.prefix}-{numbers[2 * i]:02d}", "doctors", f"PL{i + 1:02d}"))
        people.append((f"{spec.prefix}-{numbers[2 * i + 1]:02d}", "managers", f"PL{i + 1:02d}"))
    people.sort(key=lambda p: p[0])
    ids = [p[0] for p in people]
    group_of = {p[0]: p[1] for p in people}

    # Who answered when: some only before, some only after, the rest both.
    pool = list(ids)
    pre_only: list[str] = []
    post_only: list[str] = []
    for groups, into in ((spec.pre_only, pre_only), (spec.post_only, post_only)):
        for g in groups:
            choices = [p for p in pool if group_of[p] == g]
            pick = choices[int(rng.integers(len(choices)))]
            into.append(pick)
            pool.remove(pick)
    both = pool
    pre_people = sorted(both + pre_only)
    post_people = sorted(both + post_only)

    # Latent preparedness and understanding: doctors start less prepared to lead a service.
    prep0 = {p: rng.normal(-0.5 if group_of[p] == "doctors" else 0.1, 0.8) for p in ids}
    und0 = {p: rng.normal(-0.4, 0.8) for p in ids}
    prep1 = {p: prep0[p] + spec.effect_prep + rng.normal(0.0, 0.5) for p in ids}
    und1 = {p: und0[p] + spec.effect_und + rng.normal(0.0, 0.5) for p in ids}

    responses: list[dict[str, str]] = []
    for tp, members, prep, und in (("pre", pre_people, prep0, und0), ("post", post_people, prep1, und1)):
        order = [members[int(j)] for j in rng.permutation(len(members))]
        for p in order:
            row = {"participant_id": p, "group": group_of[p], "timepoint": tp}
            for it in LIKERT:
                latent = prep[p] if it.construct == "preparedness" else und[p]
                row[it.id] = _likert_label(rng, latent, it)
            row["readiness"] = str(int(np.clip(np.rint(50 + 15 * prep[p] + rng.normal(0, 5)), 0, 100)))
            yes = rng.random() < (0.15 if tp == "pre" else 0.2 + 0.25 * spec.effect_prep)
            row["new_responsibility"] = "Yes" if yes else "No"
            row["recommend"] = ("Yes" if rng.random() < 0.88 else "No") if tp == "post" else ""
            row["learned"] = ""
            responses.append(row)
    for j in range(spec.anonymous_post):
        g = list(GROUPS)[(j + 1) % len(GROUPS)]
        row = {"participant_id": "", "group": g, "timepoint": "post"}
        for it in LIKERT:
            row[it.id] = _likert_label(rng, spec.effect_prep, it)
        row.update({"readiness": "61", "new_responsibility": "No", "recommend": "Yes", "learned": ""})
        responses.append(row)

    # Readiness: distinct non-zero changes for the linked participants (Wilcoxon exact path).
    pre_idx = {r["participant_id"]: k for k, r in enumerate(responses) if r["timepoint"] == "pre"}
    post_idx = {
        r["participant_id"]: k for k, r in enumerate(responses) if r["timepoint"] == "post" and r["participant_id"]
    }
    linked = sorted(set(pre_idx) & set(post_idx))
    ratings = [int(r["readiness"]) for r in responses]
    pre_ratings = list(ratings)
    for p in linked:
        pre_ratings[post_idx[p]] = ratings[pre_idx[p]]
    adjusted = _distinct_changes(pre_ratings, ratings, [post_idx[p] for p in linked])
    for k in range(len(responses)):
        responses[k]["readiness"] = str(adjusted[k])

    # A few missing answers and label variants (case, spaces) that the pipeline must accept.
    for k in [int(j) for j in rng.choice(len(responses), size=2, replace=False)]:
        item = LIKERT[int(rng.integers(len(LIKERT)))].id
        responses[k][item] = "Prefer not to say"
    k = int(rng.integers(len(responses)))
    responses[k]["readiness"] = ""
    responses[0][LIKERT[0].id] = responses[0][LIKERT[0].id].upper()
    responses[-1]["new_responsibility"] = " " + responses[-1]["new_responsibility"].lower()

    # Free-text answers after the programme, some coded.
    post_rows = [k for k, r in enumerate(responses) if r["timepoint"] == "post"]
    answered = sorted(int(j) for j in rng.choice(post_rows, size=min(len(LEARNED), len(post_rows) // 2), replace=False))
    learned_of: dict[int, tuple[str, tuple[str, ...]]] = {}
    for k, j in zip(answered, rng.permutation(len(LEARNED))):
        learned_of[k] = LEARNED[int(j)]
        responses[k]["learned"] = LEARNED[int(j)][0]
    for k, r in enumerate(responses):
        r["response_id"] = f"{spec.prefix}-R{k + 1:03d}"

    # Post-programme interviews with linked participants, three passages each.
    seg_rows: list[list[str]] = []
    refuser = ""
    docs: list[tuple[str, str]] = []
    for g in GROUPS:
        candidates = [p for p in linked if group_of[p] == g]
        chosen = sorted(
            candidates[int(j)] for j in rng.choice(len(candidates), size=spec.interviews_per_group, replace=False)
        )
        passages = [PASSAGES[g][int(j)] for j in rng.permutation(len(PASSAGES[g]))]
        for n, p in enumerate(chosen):
            docs.append((p, g))
            for text, codes in passages[3 * n : 3 * n + 3]:
                seg_rows.append([p, g, text, ",".join(codes)])
    refuser = docs[int(rng.integers(len(docs)))][0]
    doc_id = {p: f"{spec.prefix}-INT{n + 1:02d}" for n, (p, _) in enumerate(sorted(docs))}
    segments: list[list[str]] = []
    for p, g, text, joined in seg_rows:
        ok = "false" if p == refuser or rng.random() < 0.15 else "true"
        for code in joined.split(","):
            segments.append(["", "interview", doc_id[p], p, g, code, "coder_a", text, ok])
    for k in sorted(learned_of):
        text, codes = learned_of[k]
        r = responses[k]
        for code in codes:
            segments.append(
                ["", "survey", r["response_id"], r["participant_id"], r["group"], code, "coder_a", text, "true"]
            )
    segments.sort(key=lambda s: (s[1] != "interview", s[2]))
    for n, s in enumerate(segments):
        s[0] = f"{spec.prefix}-S{n + 1:03d}"

    item_ids = [i["id"] for i in instrument_yaml()["items"]]
    survey_rows = [
        [r["response_id"], r["participant_id"], r["group"], r["timepoint"]] + [r[i] for i in item_ids]
        for r in responses
    ]
    part_rows = [[p, g, pair, "true"] for p, g, pair in people]

    write_yaml(out_dir / "cohort.yaml", cohort_yaml(spec), YAML_HEADER)
    write_csv(out_dir / "participants.csv", ["participant_id", "group", "pair_id", "invited"], part_rows)
    write_yaml(out_dir / "instrument.yaml", instrument_yaml(), YAML_HEADER)
    write_csv(out_dir / "survey.csv", ["response_id", "participant_id", "group", "timepoint"] + item_ids, survey_rows)
    write_yaml(out_dir / "codebook.yaml", CODEBOOK, YAML_HEADER)
    write_csv(
        out_dir / "segments.csv",
        ["segment_id", "source", "document_id", "participant_id", "group", "code", "coder", "text", "quote_ok"],
        segments,
    )


def write_lothian(out: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the three cohorts under `out/<cohort_id>/`."""
    paths = []
    for spec in COHORTS:
        write_cohort(spec, Path(out) / spec.cohort_id, seed=seed)
        paths.append(Path(out) / spec.cohort_id)
    return paths
