"""Checks across files: rows naming a participant against participants.csv, survey-sourced segments
against survey.csv, and the analyses cohort.yaml declares against what the survey has."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workforce_eval.errors import InputError
from workforce_eval.inputs.analysis_spec import check_breakdowns, check_models, check_reports_by
from workforce_eval.inputs.readers import csv_row
from workforce_eval.inputs.spec import CohortMeta, Instrument
from workforce_eval.inputs.validate.common import fail_at_first


def check_against_roster(path: Path, out: pd.DataFrame, linked: pd.Series, participants: pd.DataFrame) -> None:
    """Rows naming a participant must name one in participants.csv, with the group the roster gives them."""
    roster = participants.set_index("participant_id")["group"]
    unknown = linked & ~out["participant_id"].isin(roster.index)
    fail_at_first(path, unknown, out["participant_id"], "participant_id", "a participant_id listed in participants.csv")
    roster_group = out["participant_id"].map(roster)
    disagree = linked & (roster_group != out["group"])
    if disagree.any():
        i = disagree[disagree].index[0]
        raise InputError(
            path,
            row=csv_row(i),
            column="group",
            expected=f"{roster_group.at[i]!r}, the group participants.csv gives {out.at[i, 'participant_id']!s}",
            found=out.at[i, "group"],
        )


def check_survey_keys(
    cohort_yaml: Path, meta: CohortMeta, instrument: Instrument | None, survey: pd.DataFrame | None
) -> None:
    """`models:` and `breakdowns:` of cohort.yaml must name what the survey has (`analysis_spec`)."""
    items = {i.id: i.type for i in instrument.items} if instrument else {}
    columns = [c for c in survey.columns if c not in items] if survey is not None else []
    constructs = list(instrument.constructs) if instrument and survey is not None else []
    check_models(cohort_yaml, meta.models, items if survey is not None else {}, constructs, columns)
    check_breakdowns(cohort_yaml, meta.breakdowns, columns, list(items))
    if meta.reports_by:
        check_reports_by(cohort_yaml, meta.reports_by, columns, list(items))


def check_survey_documents(path: Path, out: pd.DataFrame, survey: pd.DataFrame) -> None:
    """Segments coded from survey answers (source `survey`) name a response of survey.csv as their document."""
    from_survey = out["source"] == "survey"
    unknown = from_survey & ~out["document_id"].isin(survey["response_id"])
    fail_at_first(path, unknown, out["document_id"], "document_id", "a response_id of survey.csv (source is survey)")
