"""One self-check for every bundled synthetic cohort, run on the files as written.

Each generator builds its cohort to reproduce published figures or a published design by
construction; `check_cohort` reads the cohort folder back (participants, survey, segments,
codebook) and asserts those targets, so a hand-edited or mis-generated cohort is caught. The
generators call it after writing, and so does `python -m workforce_eval.synthetic`.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import yaml

from workforce_eval.synthetic import exports, leeds, lothian, plp
from workforce_eval.synthetic.texts import code_index
from workforce_eval.synthetic.writers import CalibrationError


class _Cohort:
    """The written files of one cohort folder, as lists of string rows (header removed)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.survey_header, self.survey = self._csv("survey.csv")
        self.segments = self._csv("segments.csv")[1]
        path = folder / "participants.csv"
        self.participants = self._csv("participants.csv")[1] if path.exists() else []
        book = yaml.safe_load((folder / "codebook.yaml").read_text(encoding="utf-8"))
        self.code_index = code_index(book)
        self.theme_ids = [t["id"] for t in book["themes"]]

    def _csv(self, name: str) -> tuple[list[str], list[list[str]]]:
        with (self.folder / name).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        return rows[0], rows[1:]

    def column(self, item: str) -> list[str]:
        """One survey column, stripped and case-folded."""
        k = self.survey_header.index(item)
        return [r[k].strip().casefold() for r in self.survey]


def check_cohort(folder: Path, cohort_id: str | None = None) -> None:
    """Raise CalibrationError naming the first target the cohort in folder misses.

    cohort_id defaults to the folder name; it selects the targets (plp-2021, leeds-2022 or one
    of the Paired Learning cohorts).
    """
    folder = Path(folder)
    cohort_id = cohort_id or folder.name
    if cohort_id == exports.COHORT_ID:
        exports.check_exports(folder)
        return
    checks = _checks()
    if cohort_id not in checks:
        raise CalibrationError(f"no self-check for cohort {cohort_id!r}; known: {', '.join(checks)}")
    cohort = _Cohort(folder)

    def require(condition: bool, what: str) -> None:
        if not condition:
            raise CalibrationError(f"synthetic {cohort_id} check failed ({folder}): {what}")

    checks[cohort_id](cohort, cohort_id, require)


_Require = Callable[[bool, str], None]


def _checks() -> dict[str, Callable[[_Cohort, str, _Require], None]]:
    """Cohort id -> the targets it is checked against."""
    out: dict[str, Callable[[_Cohort, str, _Require], None]] = {"plp-2021": _plp, "leeds-2022": _leeds}
    out.update({spec.cohort_id: _lothian for spec in lothian.COHORTS})
    return out


def _complete_pairs(people: list[str], pair_of: dict[str, str]) -> int:
    """How many pairs have both members among people."""
    pairs = [pair_of[p] for p in people]
    return sum(pairs.count(p) == 2 for p in sorted(set(pairs)))


def _plp(c: _Cohort, _cohort_id: str, require: _Require) -> None:
    """The published PLP 2021 figures and the structural rules of the example."""
    group_of = {r[0]: r[1] for r in c.participants}
    pair_of = {r[0]: r[2] for r in c.participants}
    require(len(c.participants) == 2 * plp.N_PAIRS, f"{2 * plp.N_PAIRS} roster rows")
    require(sum(r[3] == "true" for r in c.participants) == 2 * plp.N_PAIRS - 1, f"{2 * plp.N_PAIRS - 1} invited")
    require(len(c.survey) == plp.RESP_SLT + plp.RESP_BME + plp.RESP_BOTH, "26 responses")
    for g, k in (("SLT", plp.RESP_SLT), ("BME", plp.RESP_BME), ("both", plp.RESP_BOTH)):
        require(sum(r[2] == g for r in c.survey) == k, f"{k} {g} responses")
    require(all(group_of.get(r[1]) == r[2] for r in c.survey), "survey groups match roster")
    require(
        _complete_pairs([r[1] for r in c.survey], pair_of) == plp.N_COMPLETE_PAIRS,
        f"{plp.N_COMPLETE_PAIRS} complete pairs",
    )
    require(c.column("recommend").count("yes") == plp.N_RECOMMEND_YES, f"{plp.N_RECOMMEND_YES} recommend")
    require(c.column("attended_checkins").count("yes") == plp.N_CHECKIN_YES, f"{plp.N_CHECKIN_YES} check-ins")
    bme_yes = sum(v == "yes" and r[2] == "BME" for v, r in zip(c.column("promoted"), c.survey))
    require(bme_yes >= 5, "at least 5 BME promoted")
    interviews: dict[str, tuple[str, str]] = {}
    rows_per_doc: dict[str, int] = {}
    for r in c.segments:
        if r[1] == "interview":
            interviews[r[2]] = (r[3], r[4])
            if r[6] == "coder_a":  # the first coder's codings (coder_b recodes a few interviews)
                rows_per_doc[r[2]] = rows_per_doc.get(r[2], 0) + 1
    groups = [g for _, g in interviews.values()]
    require(
        len(interviews) == 12 and groups.count("SLT") == 6 and groups.count("BME") == 6, "12 interviews, 6 SLT + 6 BME"
    )
    require(
        _complete_pairs([p for p, _ in interviews.values()], pair_of) == plp.N_INTERVIEW_PAIRS,
        f"{plp.N_INTERVIEW_PAIRS} interview pairs",
    )
    require(all(6 <= k <= 12 for k in rows_per_doc.values()), "6-12 segments per interview")
    require({r[5] for r in c.segments} == set(c.code_index), "every code used")
    for sub in sorted({s for s, _ in c.code_index.values()}):
        for g in ("SLT", "BME"):
            require(
                any(r[1] == "interview" and r[4] == g and c.code_index.get(r[5], ("",))[0] == sub for r in c.segments),
                f"subtheme {sub} used by {g} interviews",
            )


def _leeds(c: _Cohort, _cohort_id: str, require: _Require) -> None:
    """The published design of the Leeds-like study."""
    col = {name: i for i, name in enumerate(c.survey_header)}
    require(len(c.survey) >= 700, "700+ responses")
    require({r[col["organisation"]] for r in c.survey} == set(leeds.ORGANISATIONS), "two organisations")
    require({r[col["employment"]] for r in c.survey} == {"direct", "agency"}, "direct and agency staff")
    require(
        len({r[2] for r in c.segments if r[1] == "interview"}) == leeds.N_INTERVIEWS, f"{leeds.N_INTERVIEWS} interviews"
    )
    used = {r[5] for r in c.segments}
    require(used <= set(c.code_index), "only codebook codes used")
    require({c.code_index[code][1] for code in used} == set(c.theme_ids), "all three areas of need coded")
    require(set(c.code_index) <= used, "every code used")
    speakers = {r[2]: r[3] for r in c.segments if r[1] == "interview"}
    require(
        len(c.participants) == leeds.N_INTERVIEWS and set(speakers.values()) == {r[0] for r in c.participants},
        "one roster row per interviewee",
    )


def _lothian(c: _Cohort, cohort_id: str, require: _Require) -> None:
    """Unmatched responses exist, Likert changes have ties, readiness changes are distinct and non-zero."""
    spec = next(s for s in lothian.COHORTS if s.cohort_id == cohort_id)
    col = {name: i for i, name in enumerate(c.survey_header)}
    pre = {r[1]: r for r in c.survey if r[3] == "pre" and r[1]}
    post = {r[1]: r for r in c.survey if r[3] == "post" and r[1]}
    linked = sorted(set(pre) & set(post))
    require(len(set(pre) - set(post)) == len(spec.pre_only), "pre-only participants")
    require(len(set(post) - set(pre)) == len(spec.post_only), "post-only participants")
    k = col["readiness"]
    changes = [int(post[p][k]) - int(pre[p][k]) for p in linked if pre[p][k] and post[p][k]]
    require(0 not in changes and len({abs(x) for x in changes}) == len(changes), "distinct readiness changes")
    k = col[lothian.LIKERT[3].id]
    levels = {lab.casefold(): n for n, lab in enumerate(lothian.AGREE5)}
    answers = [(pre[p][k].strip().casefold(), post[p][k].strip().casefold()) for p in linked]
    diffs = [levels[b] - levels[a] for a, b in answers if a in levels and b in levels]
    require(len(set(diffs)) < len(diffs), "ties in Likert changes")


__all__ = ["CalibrationError", "check_cohort"]
