"""Validation and cleaning of one cohort's input files: pandera schemas plus cross-file checks.

One module per input file (`participants`, `survey`, `segments`), the checks across files
(`crossfile`), what they share (`common`), and the folder as a whole (`cohort.load`). The names
other modules use are re-exported here: `from workforce_eval.inputs.validate import load`.
"""

from workforce_eval.inputs.validate.cohort import CleanCohort, load
from workforce_eval.inputs.validate.common import SOURCES, TIMEPOINTS, TRUE_WORDS, fold_label
from workforce_eval.inputs.validate.crossfile import check_against_roster
from workforce_eval.inputs.validate.participants import check_participants, empty_participants, participant_attributes
from workforce_eval.inputs.validate.segments import (
    OPTIONAL_SEGMENT_COLUMNS,
    check_segments,
    empty_segments,
    passage_keys,
)
from workforce_eval.inputs.validate.survey import check_survey, empty_survey

__all__ = [
    "OPTIONAL_SEGMENT_COLUMNS",
    "SOURCES",
    "TIMEPOINTS",
    "TRUE_WORDS",
    "CleanCohort",
    "check_against_roster",
    "check_participants",
    "check_segments",
    "check_survey",
    "empty_participants",
    "empty_segments",
    "empty_survey",
    "fold_label",
    "load",
    "participant_attributes",
    "passage_keys",
]
