"""Messages about the user's own file (issue 22): the export, its row and column, the dictionary and the
mapping key; JSON-Schema wording in the project's expected/found words."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT
from workforce_eval.cli import main
from workforce_eval.errors import InputError
from workforce_eval.inputs import importers
from workforce_eval.inputs.importers.draft import guess_item, strip_guesses
from workforce_eval.inputs.spec import load_cohort_meta

FIXTURES = ROOT / "tests" / "fixtures" / "exports"


def redcap_draft(tmp_path: Path) -> Path:
    out = tmp_path / "redcap"
    assert main(["import", "redcap", str(FIXTURES / "redcap" / "raw.csv"), "--out", str(out), "--dictionary",
                 str(FIXTURES / "redcap" / "dictionary.csv")]) == 0  # fmt: skip
    for path in out.glob("*.yaml"):
        path.write_text(strip_guesses(path.read_text(encoding="utf-8")), encoding="utf-8")
    return out


def test_a_radio_field_exported_as_true_false_is_named_at_the_import(tmp_path: Path) -> None:
    out = redcap_draft(tmp_path)
    raw = (out / "raw.csv").read_text(encoding="utf-8").splitlines()
    header = raw[0].split(",")
    j = header.index("confident")
    cells = raw[3].split(",")
    cells[j] = "TRUE"
    raw[3] = ",".join(cells)
    (out / "raw.csv").write_text("\n".join(raw) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        importers.convert(out, "redcap")
    message = str(err.value)
    assert str(out / "raw.csv") in message and "row 4" in message and "column 'confident'" in message
    assert "dictionary.csv, row 6" in message and "sources.survey.dictionary" in message
    assert "imported/" not in message


def test_json_schema_words_are_translated(tmp_path: Path) -> None:
    path = tmp_path / "cohort.yaml"
    path.write_text("programme: P\ncohort: c\ndesign: post_only\nsynthetic: false\nsurprise: 1\n"
                    "combined_groups:\n  x:\n    label: X\n    groups: [a]\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(InputError) as err:
        load_cohort_meta(path, "c")
    assert "minItems" not in str(err.value) and "is too short" not in str(err.value)
    assert err.value.expected == "at least 2 items" and err.value.found == "1 item(s)"
    source = "sources:\n  survey:\n    format: qualtrics\n    file: a.csv\n    grup: g\n"
    path.write_text(
        path.read_text().replace("surprise: 1\n", "").replace("synthetic: false\n", "synthetic: false\n" + source)
    )
    with pytest.raises(InputError) as err:
        load_cohort_meta(path, "c")
    assert "Additional properties" not in str(err.value) and err.value.found == "the key 'grup'"
    assert err.value.column == "sources.survey.grup"


def test_item_types_are_guessed_from_the_answers() -> None:
    assert guess_item(["Somewhat agree", "Strongly agree", "Somewhat disagree"])[0] == "likert"
    assert guess_item(["Somewhat agree"])[1][0] == "Strongly disagree"  # the known scale, never one level
    assert guess_item(["Only this"])[0] == "free_text"  # one distinct answer: never a one-level scale
    assert guess_item(["3", "4", "3"], hint="free_text")[0] == "numeric"  # a text box holding numbers
    assert guess_item(["A long answer that goes on about the programme and what it did for my team"] * 3)[0] == (
        "free_text"
    )
    assert guess_item(["Red", "Blue", "Red", "Green"])[:2] == ("choice", ("Red", "Blue", "Green"))
    assert guess_item(["Yes", "no", "N/A"])[:3] == ("yesno", ("No", "Yes"), ("N/A",))


def test_a_legacy_export_keeps_its_response_ids_and_drops_the_trailing_comma(tmp_path: Path) -> None:
    out = tmp_path / "legacy"
    assert main(["import", "qualtrics", str(FIXTURES / "qualtrics" / "legacy.csv"), "--out", str(out)]) == 0
    cohort = (out / "cohort.yaml").read_text(encoding="utf-8")
    instrument = (out / "instrument.yaml").read_text(encoding="utf-8")
    assert "response_id: ResponseID" in cohort and "text: ''" not in instrument and "id: item" not in instrument
    assert "text: I feel more confident leading my ward team" in instrument  # row 2's wording, not "Q2_1"
    for path in out.glob("*.yaml"):
        path.write_text(strip_guesses(path.read_text(encoding="utf-8")), encoding="utf-8")
    files, _ = importers.convert(out, "legacy")
    ids = [line.split(",")[0] for line in files["survey.csv"].splitlines()[1:]]
    assert ids and all(i.startswith("R_L") for i in ids)


def test_text_iq_columns_are_not_items(tmp_path: Path) -> None:
    out = tmp_path / "current"
    assert main(["import", "qualtrics", str(FIXTURES / "qualtrics" / "current.csv"), "--out", str(out),
                 "--group-column", "Role"]) == 0  # fmt: skip
    instrument = (out / "instrument.yaml").read_text(encoding="utf-8")
    assert "Topics" not in instrument and "Sentiment" not in instrument
    assert "type: numeric" in instrument  # QID1_TEXT holding numbers
    assert "scale: satisfied5" in instrument and "scale: agree5_somewhat" in instrument
    shutil.rmtree(out)


def test_a_validation_error_of_an_imported_cohort_names_the_export(tmp_path: Path) -> None:
    from workforce_eval.steps import cohort as steps

    out = tmp_path / "data" / "current"
    assert main(["import", "qualtrics", str(FIXTURES / "qualtrics" / "current.csv"), "--out", str(out),
                 "--group-column", "Role"]) == 0  # fmt: skip
    for path in out.glob("*.yaml"):
        path.write_text(strip_guesses(path.read_text(encoding="utf-8")), encoding="utf-8")
    instrument = (out / "instrument.yaml").read_text(encoding="utf-8")
    (out / "instrument.yaml").write_text(instrument.replace("- Somewhat agree\n", "- Mostly agree\n", 1))
    imported = tmp_path / "results" / "current" / "imported"
    steps.import_sources(out, "current", imported)
    clean = tmp_path / "results" / "current" / "clean"
    with pytest.raises(InputError) as err:
        steps.clean(out, "current", clean / "cohort.json", clean / "p.parquet", clean / "s.parquet",
                    clean / "g.parquet", 5, imported)  # fmt: skip
    message = str(err.value)
    assert message.startswith(str(out / "current.csv") + ", row ")  # the export and its own row (header rows: 3)
    assert err.value.row is not None and err.value.row >= 4
    assert "column 'Q2_1'" in message or "column 'Q2_2'" in message
    assert "mapping key sources.survey.items.q2_" in message and "imported/survey.csv row" in message
