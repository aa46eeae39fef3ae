"""Seeded generator of the bundled synthetic Leeds-like staff survey (invented data only).

A cross-sectional survey of ethnic-minority staff in two synthetic NHS trusts, shaped after
the published design of the Leeds study of HRM practices and staff wellbeing (see
docs/data-contract.md): 700+ responses, staff employed directly and through agencies, pay
bands, a perceived-organisational-support construct and a wellbeing construct, declared
regression models, and 60 coded interviews across three areas of need. Every answer and
every passage is invented; nothing comes from the study's participants or its papers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from workforce_eval.synthetic import qualitative, texts
from workforce_eval.synthetic.plp import AGREE5
from workforce_eval.synthetic.writers import YAML_HEADER, write_csv, write_yaml

COHORT_ID = "leeds-2022"
SEED = 2022

GROUPS: dict[str, str] = {
    "clinical": "Nursing, midwifery and allied health staff",
    "medical": "Medical and dental staff",
    "non_clinical": "Administrative, estates and support staff",
}
ORGANISATIONS: tuple[str, ...] = ("Trust A", "Trust B")
#: Responses per organisation (703+ in all, as the study's "700+").
RESPONSES: dict[str, int] = {"Trust A": 418, "Trust B": 316}
PAY_BANDS: tuple[str, ...] = ("Band 2-4", "Band 5", "Band 6", "Band 7", "Band 8a and above", "Medical and dental")
#: Pay-band probabilities by staff group (non-medical groups are on Agenda for Change bands).
BAND_P: dict[str, tuple[float, ...]] = {
    "clinical": (0.10, 0.40, 0.28, 0.15, 0.07, 0.0),
    "medical": (0.0, 0.0, 0.0, 0.0, 0.0, 1.0),
    "non_clinical": (0.52, 0.16, 0.13, 0.11, 0.08, 0.0),
}
GROUP_P: dict[str, float] = {"clinical": 0.52, "medical": 0.14, "non_clinical": 0.34}
AGENCY_P: dict[str, float] = {"clinical": 0.24, "medical": 0.12, "non_clinical": 0.10}
N_INTERVIEWS = 60
N_CODED_FREE_TEXT = 36
QUOTES_PER_THEME = 4


@dataclass(frozen=True)
class LikertItem:
    """A likert item: id, text, construct, reverse coding, and how strongly it follows each latent trait."""

    id: str
    text: str
    construct: str | None
    reverse: bool
    pos: float
    wellbeing: float


LIKERT: tuple[LikertItem, ...] = (
    LikertItem("pos_values", "My organisation values the contribution I make.", "pos", False, 1.0, 0.0),
    LikertItem("pos_cares", "My organisation genuinely cares about my wellbeing.", "pos", False, 1.1, 0.1),
    LikertItem("pos_pride", "My organisation is proud of what I achieve at work.", "pos", False, 0.9, 0.0),
    LikertItem("pos_help", "If I had a problem, my organisation would help me.", "pos", False, 1.0, 0.0),
    LikertItem("pos_ignore", "My organisation would take little notice if I raised a concern.", "pos", True, 0.9, 0.0),
    LikertItem(
        "pos_opinions", "My views are taken into account when decisions affect my work.", "pos", False, 0.9, 0.0
    ),
    LikertItem(
        "wb_cheerful", "In the last two weeks I have felt in good spirits at work.", "wellbeing", False, 0.0, 1.0
    ),
    LikertItem("wb_calm", "In the last two weeks I have felt calm at work.", "wellbeing", False, 0.0, 0.9),
    LikertItem("wb_energy", "I have enough energy for my work.", "wellbeing", False, 0.0, 1.0),
    LikertItem("wb_exhausted", "My work leaves me feeling drained.", "wellbeing", True, 0.0, 0.9),
    LikertItem("wb_interest", "My work has been interesting to me lately.", "wellbeing", False, 0.1, 0.8),
    LikertItem(
        "career_fair",
        "Everyone here has a fair chance of career progression, whatever their ethnicity.",
        None,
        False,
        0.7,
        0.0,
    ),
    LikertItem("race_talk", "I can talk openly about race with my line manager.", None, False, 0.6, 0.1),
    LikertItem(
        "leaders_visible",
        "I can see people from ethnic minority backgrounds in senior roles here.",
        None,
        False,
        0.4,
        0.0,
    ),
    LikertItem("recommend_employer", "I would recommend my organisation as a place to work.", None, False, 0.9, 0.3),
)

MODELS: list[dict[str, Any]] = [
    {
        "id": "wellbeing",
        "formula": "wellbeing ~ pos + C(employment) + C(pay_band)",
        "family": "ols",
        "cluster": "organisation",
    },
    {"id": "leaving", "formula": "intend_leave ~ wellbeing + pos + C(employment)", "family": "logit"},
    {
        "id": "recommend",
        "formula": "recommend_employer ~ pos + C(employment) + C(organisation)",
        "family": "ordinal_logit",
    },
]

#: Areas of need (themes) > subthemes > codes, and the invented passages, from package data (see `texts`).
CODEBOOK: dict[str, Any] = texts.codebook("leeds")
_PASSAGES: dict[str, Any] = texts.passages("leeds")
#: Invented interview passages, two or three per code.
PASSAGES: dict[str, tuple[str, ...]] = {code: tuple(ps) for code, ps in _PASSAGES["interviews"].items()}
#: Free-text survey answers to `improve`, each with the code it gets (None: left uncoded).
FREE_TEXT: tuple[tuple[str, str | None], ...] = tuple((e["text"], e["code"]) for e in _PASSAGES["improve"])


#: Equality indicators (WRES style). The first four are invented staff-record counts for the two trusts together
#: (indicators.csv: indicator, group, numerator, denominator), fixed numbers, no random draws; the last is counted
#: from the survey's `discrimination` item by `employment`.
INDICATORS: tuple[dict[str, str], ...] = (
    {"id": "appointed_from_shortlisting", "label": "Appointed from shortlisting", "by": "ethnicity",
     "compared": "White", "reference": "BME", "outcome": "favourable"},
    {"id": "formal_disciplinary", "label": "Entered a formal disciplinary process", "by": "ethnicity",
     "compared": "BME", "reference": "White", "outcome": "adverse"},
    {"id": "formal_capability", "label": "Entered a formal capability process", "by": "ethnicity",
     "compared": "BME", "reference": "White", "outcome": "adverse"},
    {"id": "non_mandatory_training", "label": "Accessed non-mandatory training", "by": "ethnicity",
     "compared": "White", "reference": "BME", "outcome": "favourable"},
    {"id": "discrimination_agency", "label": "Experienced discrimination at work (survey)", "by": "employment",
     "compared": "agency", "reference": "direct", "outcome": "adverse", "item": "discrimination"},
)  # fmt: skip
INDICATOR_COUNTS: tuple[tuple[str, str, int, int], ...] = (
    ("appointed_from_shortlisting", "White", 138, 412),
    ("appointed_from_shortlisting", "BME", 96, 468),
    ("appointed_from_shortlisting", "Not stated", 12, 40),
    ("formal_disciplinary", "White", 24, 3610),
    ("formal_disciplinary", "BME", 21, 1890),
    ("formal_capability", "White", 3, 3610),
    ("formal_capability", "BME", 4, 1890),
    ("non_mandatory_training", "White", 1210, 3610),
    ("non_mandatory_training", "BME", 598, 1890),
)


def cohort_yaml() -> dict[str, Any]:
    """Content of cohort.yaml."""
    return {
        "programme": "HRM practices and the wellbeing of ethnic-minority staff",
        "cohort": "2022",
        "organisation": "Two synthetic NHS hospital trusts",
        "description": (
            "Invented cross-sectional staff survey and interview study shaped after a published "
            "design (700+ survey responses, 60 interviews, two trusts); no real person's answers "
            "or words are included."
        ),
        "design": "cross_sectional",
        "synthetic": True,
        "groups": dict(GROUPS),
        "breakdowns": ["employment", "pay_band"],
        "reports_by": "organisation",
        "models": [dict(m) for m in MODELS],
        "indicators": [dict(i) for i in INDICATORS],
    }


def instrument_yaml() -> dict[str, Any]:
    """Content of instrument.yaml."""
    items: list[dict[str, Any]] = []
    for it in LIKERT:
        entry: dict[str, Any] = {"id": it.id, "text": it.text, "type": "likert", "scale": "agree5"}
        if it.construct:
            entry["construct"] = it.construct
        if it.reverse:
            entry["reverse"] = True
        items.append(entry)
    items += [
        {
            "id": "intend_leave",
            "text": "Are you thinking about leaving your organisation in the next 12 months?",
            "type": "yesno",
            "scale": "yesno",
            "favourable": "low",  # a yes is the unfavourable answer
        },
        {
            "id": "discrimination",
            "text": "In the last 12 months, have you experienced discrimination at work from a manager or colleague?",
            "type": "yesno",
            "scale": "yesno",
            "favourable": "low",  # a yes is the unfavourable answer
        },
        {"id": "years_service", "text": "How many years have you worked for this organisation?", "type": "numeric"},
        {"id": "improve", "text": "What one change would most improve your working life?", "type": "free_text"},
    ]
    return {
        "scales": {
            "agree5": {"levels": list(AGREE5), "missing": ["Prefer not to say"]},
            "yesno": {"levels": ["No", "Yes"], "missing": ["Prefer not to say"]},
        },
        "items": items,
    }


def _likert_answer(latent: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Level positions 0..4 from a latent score plus noise, cut at fixed thresholds."""
    noisy = latent + rng.normal(0.0, 0.75, size=len(latent))
    return np.searchsorted(np.array([-1.6, -0.7, -0.1, 1.0]), noisy)


def survey_rows(rng: np.random.Generator) -> tuple[list[str], list[list[str]]]:
    """Header and rows of survey.csv."""
    n = sum(RESPONSES.values())
    org = np.array([o for o in ORGANISATIONS for _ in range(RESPONSES[o])])
    codes = list(GROUPS)
    group = rng.choice(len(codes), size=n, p=[GROUP_P[c] for c in codes])
    agency = np.array([rng.random() < AGENCY_P[codes[g]] for g in group])
    band = np.array([rng.choice(len(PAY_BANDS), p=BAND_P[codes[g]]) for g in group])
    trust_b = org == "Trust B"
    pos = rng.normal(0.0, 1.0, n) - 0.25 * trust_b - 0.45 * agency + 0.08 * np.clip(band, 0, 4)
    wellbeing = 0.55 * pos + rng.normal(0.0, 0.85, n) - 0.2 * agency - 0.1 * (band == 1)
    answers: dict[str, list[str]] = {}
    for it in LIKERT:
        latent = it.pos * pos + it.wellbeing * wellbeing + 0.3
        pos_index = _likert_answer(latent, rng)
        if it.reverse:
            pos_index = 4 - pos_index
        labels = [AGREE5[int(i)] for i in pos_index]
        for j in range(n):
            r = rng.random()
            if r < 0.015:
                labels[j] = "Prefer not to say"
            elif r < 0.03:
                labels[j] = ""
        answers[it.id] = labels
    leave_p = 1 / (1 + np.exp(-(-0.4 - 0.9 * wellbeing - 0.35 * pos + 0.6 * agency)))
    answers["intend_leave"] = ["Yes" if rng.random() < p else "No" for p in leave_p]
    answers["discrimination"] = ["Yes" if rng.random() < 0.22 + 0.08 * a else "No" for a in agency]
    for key in ("intend_leave", "discrimination"):
        for j in range(n):
            if rng.random() < 0.02:
                answers[key][j] = "Prefer not to say"
    years = np.round(rng.gamma(2.0, 3.5 - 2.0 * agency)).astype(int)
    answers["years_service"] = [str(int(y)) if rng.random() > 0.02 else "" for y in years]
    answers["improve"] = [""] * n
    writers = [int(j) for j in rng.permutation(n)[: N_CODED_FREE_TEXT + 12]]
    for k, j in enumerate(sorted(writers)):
        answers["improve"][j] = FREE_TEXT[k % len(FREE_TEXT)][0]
    # A few labels written with other case or surrounding spaces, as real exports have.
    for item, j, style in (("pos_values", 5, "lower"), ("wb_energy", 17, "upper"), ("intend_leave", 23, "trail")):
        label = answers[item][j]
        if label and label != "Prefer not to say":
            styled = {"lower": " " + label.lower(), "upper": label.upper(), "trail": label.lower() + " "}
            answers[item][j] = styled[style]
    # Some respondents leave pay band blank (they are dropped from models that use it).
    pay = [PAY_BANDS[int(b)] for b in band]
    for j in rng.permutation(n)[:19]:
        pay[int(j)] = ""
    item_ids = [it["id"] for it in instrument_yaml()["items"]]
    header = ["response_id", "group", "organisation", "employment", "pay_band"] + item_ids
    rows = []
    for j in range(n):
        rows.append(
            [f"S{j + 1:04d}", codes[group[j]], str(org[j]), "agency" if agency[j] else "direct", pay[j]]
            + [answers[i][j] for i in item_ids]
        )
    return header, rows


def segment_rows(rng: np.random.Generator, survey: list[list[str]], header: list[str]) -> list[list[str]]:
    """Rows of segments.csv: 60 interviews across the three themes, plus coded free-text answers."""
    codes = list(PASSAGES)
    theme_of = {c: t for c, (_s, t) in texts.code_index(CODEBOOK).items()}
    groups = list(GROUPS)
    doc_groups = [groups[int(g)] for g in rng.choice(len(groups), size=N_INTERVIEWS, p=[0.5, 0.2, 0.3])]
    used: set[tuple[str, str]] = set()
    passages: list[tuple[str, str, str, str]] = []  # (document, group, code, text)
    for d in range(N_INTERVIEWS):
        doc = f"INT{d + 1:02d}"
        k = int(rng.integers(3, 7))
        picked = [codes[int(j)] for j in rng.permutation(len(codes))[:k]]
        if doc_groups[d] != "non_clinical" and rng.random() < 0.5 and "agency_exclusion" not in picked:
            picked[-1] = "agency_exclusion"
        for code in picked:
            options = PASSAGES[code]
            text = options[int(rng.integers(len(options)))]
            used.add((code, text))
            passages.append((doc, doc_groups[d], code, text))
    # Consent to quote: QUOTES_PER_THEME distinct passages per theme, first come first served.
    quotable: set[int] = set()
    seen_text: set[str] = set()
    per_theme: dict[str, int] = {}
    for j in [int(x) for x in rng.permutation(len(passages))]:
        _doc, _g, code, text = passages[j]
        theme = theme_of[code]
        if per_theme.get(theme, 0) < QUOTES_PER_THEME and text not in seen_text:
            quotable.add(j)
            seen_text.add(text)
            per_theme[theme] = per_theme.get(theme, 0) + 1
    rows: list[list[str]] = []
    for j, (doc, group, code, text) in enumerate(passages):
        rows.append(
            [
                f"SEG{len(rows) + 1:04d}",
                "interview",
                doc,
                "",
                group,
                code,
                "coder_a",
                text,
                "true" if j in quotable else "false",
            ]
        )
    col = {name: i for i, name in enumerate(header)}
    coded = dict(FREE_TEXT)
    for r in survey:
        text = r[col["improve"]]
        if text and coded.get(text):
            rows.append(
                [
                    f"SEG{len(rows) + 1:04d}",
                    "survey",
                    r[0],
                    "",
                    r[col["group"]],
                    str(coded[text]),
                    "coder_a",
                    text,
                    "false",
                ]
            )
    return rows


#: participants.csv of the interviewees: no `invited` column (the survey was anonymous, so the
#: roster is no response-rate denominator); organisation, employment and pay band are attributes.
PARTICIPANT_COLUMNS: tuple[str, ...] = ("participant_id", "group", "organisation", "employment", "pay_band")


def participant_rows(segments: list[list[str]], rng: np.random.Generator) -> list[list[str]]:
    """One roster row per interview, `[participant_id, group, organisation, employment, pay_band, document]`.

    Interview k is participant `LDS-0k`; attributes are drawn as the survey's are (organisation by the
    responses' shares, agency work and pay band by staff group).
    """
    group_of = {r[2]: r[4] for r in segments if r[1] == "interview"}
    total = sum(RESPONSES.values())
    org_p = [RESPONSES[o] / total for o in ORGANISATIONS]
    rows = []
    for k, doc in enumerate(sorted(group_of), start=1):
        group = group_of[doc]
        org = ORGANISATIONS[int(rng.choice(len(ORGANISATIONS), p=org_p))]
        employment = "agency" if rng.random() < AGENCY_P[group] else "direct"
        band = PAY_BANDS[int(rng.choice(len(PAY_BANDS), p=BAND_P[group]))]
        rows.append([f"LDS-{k:03d}", group, org, employment, band, doc])
    return rows


def write_leeds(out_dir: Path, seed: int = SEED) -> None:
    """Write the synthetic Leeds-like study into `out_dir` (created if needed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    header, survey = survey_rows(rng)
    segments = segment_rows(rng, survey, header)
    # A second coder recodes every passage of 8 of the 60 interviews; interview dates over six
    # months (a separate stream, so the survey and the first coder keep their draws).
    extra = np.random.default_rng(seed + 12)
    segments = qualitative.second_coder(segments, CODEBOOK, extra, 8, 0.25, 0.5, id_width=4)
    segments = qualitative.with_dates(segments, extra, dt.date(2022, 2, 7), 180)
    # Interviewees with attributes for matrix coding (a third stream: every earlier draw is kept).
    roster = participant_rows(segments, np.random.default_rng(seed + 13))
    pid_of = {r[5]: r[0] for r in roster}
    segments = [[*r[:3], pid_of[r[2]] if r[1] == "interview" else r[3], *r[4:]] for r in segments]
    write_yaml(out_dir / "cohort.yaml", cohort_yaml(), YAML_HEADER)
    write_yaml(out_dir / "instrument.yaml", instrument_yaml(), YAML_HEADER)
    write_csv(out_dir / "survey.csv", header, survey)
    write_yaml(out_dir / "codebook.yaml", CODEBOOK, YAML_HEADER)
    write_csv(out_dir / "segments.csv", qualitative.DATED_COLUMNS, segments)
    write_csv(out_dir / "participants.csv", PARTICIPANT_COLUMNS, [r[:5] for r in roster])
    write_csv(
        out_dir / "indicators.csv",
        ("indicator", "group", "numerator", "denominator"),
        [[i, g, str(x), str(n)] for i, g, x, n in INDICATOR_COUNTS],
    )
