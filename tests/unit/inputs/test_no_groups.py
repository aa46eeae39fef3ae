"""A cohort that declares no groups (issue 22): one group, `cohort`, and group columns may be left out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import write_tiny_cohort
from workforce_eval.errors import InputError
from workforce_eval.inputs import clean
from workforce_eval.inputs.spec import DEFAULT_GROUP
from workforce_eval.inputs.validate import load


def without_groups(folder: Path) -> Path:
    """The tiny cohort with no `groups:` and no group column anywhere."""
    write_tiny_cohort(folder)
    text = (folder / "cohort.yaml").read_text(encoding="utf-8")
    (folder / "cohort.yaml").write_text(re.sub(r"groups:\n(  .*\n)+", "", text), encoding="utf-8")
    for name in ("participants.csv", "survey.csv", "segments.csv"):
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        j = lines[0].split(",").index("group")
        kept = [",".join(c for k, c in enumerate(line.split(",")) if k != j) for line in lines]
        (folder / name).write_text("\n".join(kept) + "\n", encoding="utf-8")
    return folder


def test_a_cohort_without_groups_is_one_group(tmp_path: Path) -> None:
    cc = load(without_groups(tmp_path / "c"), "c")
    assert cc.meta.groups == {DEFAULT_GROUP: "Whole cohort"}
    for frame in (cc.participants, cc.survey, cc.segments):
        assert set(frame["group"]) == {DEFAULT_GROUP}
    assert [g["code"] for g in clean.metadata(cc)["groups"]] == [DEFAULT_GROUP]


def test_a_cohort_with_groups_still_needs_its_group_column(tmp_path: Path) -> None:
    folder = write_tiny_cohort(tmp_path / "c")
    survey = (folder / "survey.csv").read_text(encoding="utf-8").replace(",A,", ",,", 1)
    (folder / "survey.csv").write_text(survey, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load(folder, "c")
    assert err.value.column == "group"
