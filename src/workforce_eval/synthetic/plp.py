"""Seeded generator of the bundled synthetic example cohorts (invented data only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from workforce_eval.synthetic import qualitative, texts
from workforce_eval.synthetic.writers import (
    YAML_HEADER,
    CalibrationError,
    write_csv,
    write_yaml,
)

#: Cohorts this module can generate, by cohort id.
COHORTS: tuple[str, ...] = ("plp-2021",)

GROUPS: dict[str, str] = {
    "SLT": "Executive and senior leaders",
    "BME": "Black and minority ethnic colleagues",
    "both": "Both groups (senior leader and BME)",
}

AGREE5: list[str] = [
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
]
FREQUENCY: list[str] = ["Weekly", "Monthly", "Every two to three months", "Less often"]

# Published PLP 2021 figures the example reproduces by construction.
N_PAIRS = 27
N_SENIOR_BOTH = 4
RESP_SLT, RESP_BME, RESP_BOTH = 9, 14, 3
N_COMPLETE_PAIRS = 8
N_RECOMMEND_YES = 23
N_CHECKIN_YES = 17
N_PROMOTED_YES = 6
N_INTERVIEW_PAIRS = 5
# Second coder and interview dates (issue 12): coder_b recodes every passage of 4 of the 12
# interviews, changing the primary code of a fifth of them and dropping a secondary code from a
# third of the passages with two codes; interviews fall in the programme's last two months.
N_CODER_B_INTERVIEWS = 4
CODER_B_RECODED = 0.2
CODER_B_DROPPED = 0.34
QUALITATIVE_SEED_OFFSET = 12
#: Share of the second coder's passages coded with a span one sentence shorter; their own seed stream.
CODER_B_SHIFTED = 0.3
OFFSETS_SEED_OFFSET = 14
INTERVIEW_START = dt.date(2022, 6, 6)
INTERVIEW_SPAN_DAYS = 56
QUOTE_SHARE = 0.6
MIN_QUOTES_PER_THEME = 3


@dataclass(frozen=True)
class Passage:
    """An invented passage with the code(s) a coder applies; first code is primary."""

    text: str
    codes: tuple[str, ...]
    promotion: bool = False


@dataclass(frozen=True)
class Likert:
    """A Likert item and its fixed answer quota (counts per level, then missing answers)."""

    id: str
    text: str
    construct: str
    reverse: bool
    counts: tuple[int, int, int, int, int]
    missing: tuple[tuple[str, int], ...]


LIKERT_ITEMS: tuple[Likert, ...] = (
    Likert(
        "rel_trust",
        "My partner and I built a relationship of trust.",
        "relationship",
        False,
        (0, 1, 2, 9, 13),
        (("Prefer not to say", 1),),
    ),
    Likert(
        "learn_world",
        "I learned a lot about my partner's world of work.",
        "learning",
        False,
        (0, 1, 3, 11, 10),
        (("", 1),),
    ),
    Likert("speak_up", "I feel more confident to speak up at work.", "impact", False, (1, 2, 6, 10, 7), ()),
    Likert(
        "inclusion_understanding",
        "I understand better what inclusion means in practice.",
        "learning",
        False,
        (0, 1, 4, 12, 9),
        (),
    ),
    Likert(
        "org_culture",
        "The programme is helping to make the organisation's culture more inclusive.",
        "impact",
        False,
        (1, 4, 9, 9, 2),
        (("Prefer not to say", 1),),
    ),
    Likert("match_poor", "My partner and I were poorly matched.", "relationship", True, (9, 10, 3, 3, 1), ()),
)

#: The codebook and the invented passages, from package data (see `texts`).
CODEBOOK: dict[str, Any] = texts.codebook("plp")
_PASSAGES: dict[str, Any] = texts.passages("plp")


def _passages(entries: list[dict[str, Any]]) -> tuple[Passage, ...]:
    """Passage records from a passages-file list."""
    return tuple(Passage(e["text"], tuple(e["codes"]), bool(e.get("promotion", False))) for e in entries)


SLT_PASSAGES: tuple[Passage, ...] = _passages(_PASSAGES["interviews"]["SLT"])
BME_PASSAGES: tuple[Passage, ...] = _passages(_PASSAGES["interviews"]["BME"])
#: Free-text answers to `gained`, senior-leader side (SLT or both); no codes = left uncoded.
SENIOR_GAINED: tuple[Passage, ...] = _passages(_PASSAGES["gained"]["senior"])
#: Free-text answers to `gained`, BME side.
BME_GAINED: tuple[Passage, ...] = _passages(_PASSAGES["gained"]["BME"])

#: A few answer labels written with other case / surrounding spaces: (item, level, as written).
LABEL_VARIANTS: tuple[tuple[str, str, str], ...] = (
    ("recommend", "Yes", "YES"),
    ("attended_checkins", "No", "no"),
    ("learn_world", "Agree", " agree"),
    ("org_culture", "Neither agree nor disagree", "Neither Agree nor Disagree "),
    ("meeting_frequency", "Monthly", " monthly"),
)


@dataclass
class Member:
    """One roster row plus where the person sits in the pair."""

    participant_id: str
    group: str
    pair: int
    side: str
    invited: bool = True


def _pick(rng: np.random.Generator, items: Sequence[Any], k: int) -> list[Any]:
    """k distinct elements of items in a random order."""
    return [items[int(j)] for j in rng.permutation(len(items))[:k]]


def _shuffled(rng: np.random.Generator, items: Sequence[Any]) -> list[Any]:
    """All elements of items in a random order."""
    return _pick(rng, items, len(items))


def _check(condition: bool, what: str) -> None:
    """Raise if a quota used while drawing the cohort does not add up (the output is checked by `check`)."""
    if not condition:
        raise CalibrationError(f"synthetic plp-2021 calibration failed: {what}")


def _quota_column(
    rng: np.random.Generator,
    latent: np.ndarray,
    levels: Sequence[tuple[str, int]],
    missing: Sequence[tuple[str, int]],
    noise: float,
) -> list[str]:
    """Answers with exact counts per label; levels go low to high along latent + noise."""
    n = len(latent)
    _check(sum(c for _, c in levels) + sum(c for _, c in missing) == n, "quota size")
    out = [""] * n
    order = [int(j) for j in rng.permutation(n)]
    n_missing = sum(c for _, c in missing)
    missing_labels = [lab for lab, c in missing for _ in range(c)]
    for idx, lab in zip(order[:n_missing], missing_labels):
        out[idx] = lab
    rest = sorted(order[n_missing:])
    score = latent[rest] + rng.normal(0.0, noise, size=len(rest))
    ranked = [rest[int(j)] for j in np.argsort(score, kind="stable")]
    labels = [lab for lab, c in levels for _ in range(c)]
    for idx, lab in zip(ranked, labels):
        out[idx] = lab
    return out


def _code_index() -> dict[str, tuple[str, str]]:
    """code id -> (subtheme id, theme id)."""
    return texts.code_index(CODEBOOK)


def _cohort_yaml() -> dict[str, Any]:
    """Content of cohort.yaml."""
    return {
        "programme": "Parallel Learning Partnerships",
        "cohort": "2021",
        "organisation": "A synthetic NHS mental-health trust",
        "description": (
            "Invented example cohort of reciprocal mentoring pairs, shaped to match "
            "the published headline figures of the 2021 cohort; no real person's "
            "answers or words are included."
        ),
        "design": "post_only",
        "synthetic": True,
        "groups": dict(GROUPS),
        "combined_groups": {
            "bme_any": {
                "label": "BME colleagues, including those in both groups",
                "groups": ["BME", "both"],
            },
        },
        # Disclosure control: the project default of 5 would hide the published count of three
        # respondents in both groups, so this example lowers it to 3 and says why.
        "disclosure_threshold": 3,
        "disclosure_threshold_reason": (
            "so that the published figures this synthetic example "
            "reproduces, such as the three respondents in both groups, "
            "stay visible"
        ),
        # The small-group rule would leave that group out too (its default base is twice the threshold): the
        # example breaks out every group of three or more, for the same reason.
        "minimum_group_base": 3,
    }


def _instrument_yaml() -> dict[str, Any]:
    """Content of instrument.yaml."""
    items: list[dict[str, Any]] = [
        {
            "id": "meeting_frequency",
            "text": "How often did you and your partner usually meet?",
            "type": "choice",
            "scale": "frequency",
        },
        {
            "id": "attended_checkins",
            "text": "Did you attend any of the optional quarterly check-in sessions?",
            "type": "yesno",
            "scale": "yesno",
        },
    ]
    for it in LIKERT_ITEMS:
        items.append(
            {
                "id": it.id,
                "text": it.text,
                "type": "likert",
                "scale": "agree5",
                "construct": it.construct,
                "reverse": it.reverse,
            }
        )
    items += [
        {
            "id": "promoted",
            "text": "Have you been promoted since the programme began?",
            "type": "yesno",
            "scale": "yesno",
        },
        {
            "id": "recommend",
            "text": "Would you recommend taking part to a colleague?",
            "type": "yesno",
            "scale": "yesno",
        },
        {"id": "gained", "text": "What, if anything, have you gained from taking part?", "type": "free_text"},
    ]
    return {
        "scales": {
            "agree5": {"levels": list(AGREE5), "missing": ["Prefer not to say", "N/A"]},
            "yesno": {"levels": ["No", "Yes"], "missing": ["Prefer not to say", "N/A"]},
            "frequency": {"levels": list(FREQUENCY), "missing": ["Prefer not to say"]},
        },
        "items": items,
    }


def _roster(rng: np.random.Generator) -> tuple[list[Member], list[Member]]:
    """Senior-side and BME-side members of the 27 pairs (index = pair number - 1)."""
    both_pairs = {int(j) for j in rng.choice(N_PAIRS, size=N_SENIOR_BOTH, replace=False)}
    numbers = [int(j) + 1 for j in rng.permutation(2 * N_PAIRS)]
    senior = [
        Member(f"PLP-{numbers[2 * i]:03d}", "both" if i in both_pairs else "SLT", i, "senior") for i in range(N_PAIRS)
    ]
    bme = [Member(f"PLP-{numbers[2 * i + 1]:03d}", "BME", i, "bme") for i in range(N_PAIRS)]
    return senior, bme


#: Participant attributes (extra participants.csv columns) for matrix coding.
ATTRIBUTES: tuple[str, ...] = ("directorate", "pay_band")
DIRECTORATES: tuple[str, ...] = ("Adult community", "Inpatient and acute", "Corporate services")
SENIOR_BANDS: tuple[str, ...] = ("8d", "9", "VSM")
COLLEAGUE_BANDS: tuple[str, ...] = ("5", "6", "7", "8a-8c")


def attributes(rng: np.random.Generator, m: Member) -> list[str]:
    """An invented directorate and pay band for a roster member (senior bands for SLT members)."""
    bands = COLLEAGUE_BANDS if m.side == "bme" else SENIOR_BANDS
    return [DIRECTORATES[int(rng.integers(len(DIRECTORATES)))], bands[int(rng.integers(len(bands)))]]


def write_plp_2021(out_dir: Path, seed: int = 2021) -> None:
    """Write the synthetic PLP 2021 cohort files into the cohort folder out_dir."""
    rng = np.random.default_rng(seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    senior, bme = _roster(rng)

    # Which pairs respond: 8 complete, 4 senior-only, 6 BME-only, 9 neither.
    both_idx = [m.pair for m in senior if m.group == "both"]
    slt_idx = [m.pair for m in senior if m.group == "SLT"]
    senior_resp = _shuffled(rng, _pick(rng, both_idx, RESP_BOTH) + _pick(rng, slt_idx, RESP_SLT))
    complete, senior_only = senior_resp[:N_COMPLETE_PAIRS], senior_resp[N_COMPLETE_PAIRS:]
    others = _shuffled(rng, [i for i in range(N_PAIRS) if i not in senior_resp])
    n_bme_only = RESP_BME - N_COMPLETE_PAIRS
    bme_only = others[:n_bme_only]
    # The one withdrawal: an SLT senior leader (partner BME) who did not respond.
    withdrawn_pair = _pick(rng, [i for i in others if senior[i].group == "SLT"], 1)[0]
    senior[withdrawn_pair].invited = False

    # Interviews: 5 complete pairs (SLT + BME), one more SLT and one more BME, not partners.
    slt_ok = [i for i in slt_idx if i != withdrawn_pair]
    chosen = _pick(rng, slt_ok, N_INTERVIEW_PAIRS + 1)
    int_pairs, extra_slt = chosen[:N_INTERVIEW_PAIRS], chosen[N_INTERVIEW_PAIRS]
    extra_bme = _pick(rng, [i for i in range(N_PAIRS) if i not in chosen and i != withdrawn_pair], 1)[0]
    interviewees = [senior[i] for i in int_pairs] + [senior[extra_slt]] + [bme[i] for i in int_pairs] + [bme[extra_bme]]
    interviewees = _shuffled(rng, interviewees)
    doc_of = {m.participant_id: f"INT{k + 1:02d}" for k, m in enumerate(interviewees)}

    # Survey respondents in submission order.
    respondents = _shuffled(rng, [senior[i] for i in complete + senior_only] + [bme[i] for i in complete + bme_only])
    n = len(respondents)
    latent = rng.normal(0.0, 1.0, size=n)
    answers: dict[str, list[str]] = {}
    answers["meeting_frequency"] = _quota_column(
        rng,
        latent,
        [("Less often", 3), ("Every two to three months", 8), ("Monthly", 12), ("Weekly", 2)],
        [("", 1)],
        1.0,
    )
    answers["attended_checkins"] = _quota_column(
        rng, latent, [("No", n - N_CHECKIN_YES), ("Yes", N_CHECKIN_YES)], [], 1.5
    )
    for it in LIKERT_ITEMS:
        levels = list(zip(AGREE5, it.counts))
        if it.reverse:
            levels = levels[::-1]
        answers[it.id] = _quota_column(rng, latent, levels, list(it.missing), 0.8)

    # Interview passages, dealt so every interview has 6-12 coded segments.
    passages: list[tuple[str, Member, Passage]] = []  # (document_id, speaker, passage)
    for pool, group in ((SLT_PASSAGES, "SLT"), (BME_PASSAGES, "BME")):
        docs = sorted((m for m in interviewees if m.group == group), key=lambda m: doc_of[m.participant_id])
        base, extra = divmod(len(pool), len(docs))
        sizes = _shuffled(rng, [base + 1] * extra + [base] * (len(docs) - extra))
        dealt: list[list[Passage]] = [[] for _ in docs]
        doubles = _shuffled(rng, [p for p in pool if len(p.codes) > 1])
        singles = _shuffled(rng, [p for p in pool if len(p.codes) == 1])
        for k, p in enumerate(doubles):
            dealt[k % len(docs)].append(p)
        for k in range(len(docs)):
            while len(dealt[k]) < sizes[k]:
                dealt[k].append(singles.pop())
        _check(not singles, "all passages dealt")
        for m, ps in zip(docs, dealt):
            passages += [(doc_of[m.participant_id], m, p) for p in _shuffled(rng, ps)]
    passages.sort(key=lambda t: t[0])

    # promoted: BME side answers (interviewed respondents who describe a promotion say Yes).
    promoted_people = [m.participant_id for _, m, p in passages if p.promotion]
    bme_resp = [k for k, m in enumerate(respondents) if m.side == "bme"]
    sen_resp = [k for k, m in enumerate(respondents) if m.side == "senior"]
    forced = [k for k in bme_resp if respondents[k].participant_id in promoted_people]
    yes = forced + _pick(rng, [k for k in bme_resp if k not in forced], N_PROMOTED_YES - len(forced))
    promoted = [""] * n
    for k in bme_resp:
        promoted[k] = "Yes" if k in yes else "No"
    for j, k in enumerate(_shuffled(rng, sen_resp)):
        promoted[k] = "" if j < 2 else "N/A"
    answers["promoted"] = promoted
    answers["recommend"] = _quota_column(rng, latent, [("No", n - N_RECOMMEND_YES), ("Yes", N_RECOMMEND_YES)], [], 0.5)

    # gained: free text from each side's pool; the rest blank.
    gained = [""] * n
    gained_of: dict[int, Passage] = {}
    for pool, idx in ((SENIOR_GAINED, sen_resp), (BME_GAINED, bme_resp)):
        for k, p in zip(_pick(rng, idx, len(pool)), _shuffled(rng, pool)):
            gained[k] = p.text
            gained_of[k] = p
    answers["gained"] = gained

    for item, level, written in LABEL_VARIANTS:
        col = answers[item]
        k = _pick(rng, [j for j, v in enumerate(col) if v == level], 1)[0]
        col[k] = written

    # Survey passages (coded free-text answers), in response order.
    survey_passages = [(f"R{k + 1:03d}", respondents[k], gained_of[k]) for k in sorted(gained_of) if gained_of[k].codes]

    # quote_ok per passage: one interviewee withheld consent; ~60 % of passages quotable.
    all_passages = passages + survey_passages
    refuser = _pick(rng, interviewees, 1)[0].participant_id
    code_index = _code_index()
    eligible = [j for j, (_, m, _) in enumerate(all_passages) if m.participant_id != refuser]
    quotable: list[int] = []
    for theme in CODEBOOK["themes"]:
        pool_t = [
            j for j in eligible if j < len(passages) and code_index[all_passages[j][2].codes[0]][1] == theme["id"]
        ]
        quotable += _pick(rng, pool_t, MIN_QUOTES_PER_THEME)
    target = round(QUOTE_SHARE * len(all_passages))
    quotable += _pick(rng, [j for j in eligible if j not in quotable], target - len(quotable))

    seg_rows: list[list[str]] = []
    for j, (doc, m, p) in enumerate(all_passages):
        source = "interview" if doc.startswith("INT") else "survey"
        ok = "true" if j in quotable else "false"
        codings = [("coder_a", c) for c in p.codes]
        for coder, code in codings:
            seg_rows.append(
                [f"SEG{len(seg_rows) + 1:03d}", source, doc, m.participant_id, m.group, code, coder, p.text, ok]
            )

    # A second coder recodes every passage of a few interviews; interview dates (a separate
    # stream, so the published figures above keep their draws).
    rng12 = np.random.default_rng(seed + QUALITATIVE_SEED_OFFSET)
    seg_rows = qualitative.second_coder(
        seg_rows, CODEBOOK, rng12, N_CODER_B_INTERVIEWS, CODER_B_RECODED, CODER_B_DROPPED, id_width=3
    )
    seg_rows = qualitative.with_dates(seg_rows, rng12, INTERVIEW_START, INTERVIEW_SPAN_DAYS)
    # Character offsets into each transcript; the second coder's spans differ on some passages (a
    # stream of its own, so the second coder, dates and attributes keep their draws).
    seg_rows = qualitative.with_offsets(seg_rows, np.random.default_rng(seed + OFFSETS_SEED_OFFSET), CODER_B_SHIFTED)

    # Roster rows sorted by pseudonym.
    members = sorted(senior + bme, key=lambda m: m.participant_id)
    part_rows = [
        [m.participant_id, m.group, f"PR{m.pair + 1:02d}", "true" if m.invited else "false", *attributes(rng12, m)]
        for m in members
    ]

    item_ids = [it["id"] for it in _instrument_yaml()["items"]]
    survey_rows = [
        [f"R{k + 1:03d}", m.participant_id, m.group, "post"] + [answers[i][k] for i in item_ids]
        for k, m in enumerate(respondents)
    ]

    write_yaml(out_dir / "cohort.yaml", _cohort_yaml(), YAML_HEADER)
    write_csv(out_dir / "participants.csv", ["participant_id", "group", "pair_id", "invited", *ATTRIBUTES], part_rows)
    write_yaml(out_dir / "instrument.yaml", _instrument_yaml(), YAML_HEADER)
    write_csv(out_dir / "survey.csv", ["response_id", "participant_id", "group", "timepoint"] + item_ids, survey_rows)
    write_yaml(out_dir / "codebook.yaml", CODEBOOK, YAML_HEADER)
    write_csv(out_dir / "segments.csv", qualitative.OFFSET_COLUMNS, seg_rows)
