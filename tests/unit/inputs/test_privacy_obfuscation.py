"""The privacy guard against realistic obfuscations, innocent text it must let through, and what it sees.

The corpora below are written for this project (no real person's details: phone numbers from Ofcom's
drama ranges 07700 900xxx / 0113 496 0xxx, the NHS number 943 476 5919 from NHS Digital's test
range, example.* domains). The false-positive rate on the innocent corpus is stated in
docs/threat-model.md; `test_false_positive_rate_is_the_documented_one` keeps the two equal.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, write_tiny_cohort
from workforce_eval.errors import InputError
from workforce_eval.inputs import clean, privacy

DENY = privacy.deny_pattern(["Aisha Khan", "Tomasz Nowak"])

#: (text, kind): every form the issue lists, and more of the same families.
OBFUSCATED = [
    ("ring 0044 7700 900123 any time", "uk_phone"),
    ("0044 (0)113 496 0000", "uk_phone"),
    ("+44 7700 900123", "uk_phone"),
    ("07700-900-123", "uk_phone"),
    ("07700.900.123", "uk_phone"),
    ("0113.496.0000", "uk_phone"),
    ("０７７００ ９００１２３", "uk_phone"),  # full-width digits (NFKC)
    ("07700\u200b900123", "uk_phone"),  # zero-width space between the groups
    ("+1 415 555 0100", "intl_phone"),
    ("+353 1 234 5678", "intl_phone"),
    ("00 49 30 1234 5678", "intl_phone"),
    ("943.476.5919", "nhs_number"),
    ("943 476 5919", "nhs_number"),
    ("943-476-5919", "nhs_number"),
    ("NHS 943 . 476 . 5919", "nhs_number"),
    ("ls29jt", "uk_postcode"),
    ("ls2 9jt", "uk_postcode"),
    ("LS29JT", "uk_postcode"),
    ("sw1a 1aa", "uk_postcode"),
    ("john dot smith at nhs dot net", "email"),
    ("john.smith (at) nhs (dot) net", "email"),
    ("john [dot] smith [at] example [dot] org", "email"),
    ("jo.blo\u200bggs@nhs.net", "email"),
    ("jo\u200b@example.org", "email"),
    ("jo.bloggs\uff20example.org", "email"),  # full-width @
    ("Mrs Khan said so", "deny_list_name"),
    ("ask Dr. Khan", "deny_list_name"),
    ("A. Khan", "deny_list_name"),
    ("a khan", "deny_list_name"),
    ("Khan, Aisha", "deny_list_name"),
    ("AISHA  KHAN", "deny_list_name"),
    ("Aisha\u200bKhan".replace("\u200b", " \u200b"), "deny_list_name"),
    ("Mr Nowak", "deny_list_name"),
    ("T. Nowak", "deny_list_name"),
]

#: Innocent text from the kind of passages and labels cohorts hold; none may be flagged.
INNOCENT = [
    "@home",
    "I worked @home most weeks",
    "dot the i's and cross the t's",
    "we looked at it dot by dot",
    "meet at 3 dot 30",
    "E11.9 type 2 diabetes",
    "ICD-10 I21.4, J45.909",
    "SNOMED 22298006",
    "Read code C10E.",
    "Band 5 to Band 6",
    "Agenda for Change band 8a",
    "in 2019, 2020 and 2021",
    "01/02/2023",
    "scores 4 5 3 2 1",
    "version 1.2.3",
    "ward 12, bay 4",
    "A&E at 10.30 on 3.4.2022",
    "we met at the hub",
    "She said it was at least 10 minutes",
    "Khan Academy videos",
    "a Nowak-style rota",
    "Dr Smith was lovely",
    "Ms Patel from HR",
    "the NHS app",
    "nhs dot net is the mail system",
    "CQC rating: good",
    "BP 120/80, HR 72",
    "dose 2.5 mg twice daily",
    "extension 4321",
    "room 1.05",
    "Q3 2022 results",
    "M25 then A1",
    "B12 deficiency",
    "COVID-19",
    "covid19",
    "NEWS2 score",
    "GP at 8.30",
    "£1,250.00",
    "1 in 10 staff",
    "0 to 10 scale",
    "10 out of 10",
    "open 24/7",
    "phone me",
    "Teams and email",
    "I like #teamwork",
    "5 x 10 minutes",
    "I can be reached through my manager",
    "PLP-012 cohort",
    "It changed how I see things.",
    "More honest conversations.",
]


@pytest.mark.parametrize(("text", "kind"), OBFUSCATED)
def test_obfuscated_identifier_is_found(text: str, kind: str) -> None:
    assert kind in privacy.kinds_in(text, DENY), text


def false_positive_rate() -> tuple[int, int]:
    flagged = [t for t in INNOCENT if privacy.kinds_in(t, DENY)]
    return len(flagged), len(INNOCENT)


def test_innocent_text_passes() -> None:
    assert [(t, privacy.kinds_in(t, DENY)) for t in INNOCENT if privacy.kinds_in(t, DENY)] == []


def test_false_positive_rate_is_the_documented_one() -> None:
    flagged, total = false_positive_rate()
    doc = (ROOT / "docs" / "threat-model.md").read_text(encoding="utf-8")
    assert f"{flagged} of the {total} innocent" in doc
    assert f"all {len(OBFUSCATED)} obfuscated" in doc


def run_clean(folder: Path, out: Path) -> InputError:
    with pytest.raises(InputError) as info:
        clean.run(folder, "c", out / "cohort.json", out / "p.parquet", out / "s.parquet", out / "g.parquet")
    assert not out.exists()
    return info.value


@pytest.mark.parametrize(
    ("file", "old", "new", "planted", "row", "column"),
    [
        ("cohort.yaml", "B: Group B", "B: Group of jo.bloggs@example.org", "jo.bloggs@example.org", 7, "groups.B"),
        (
            "instrument.yaml",
            "text: Hours spent",
            "text: Hours spent (ring 07700 900123)",
            "07700 900123",
            22,
            "items.3.text",
        ),
        ("codebook.yaml", "label: Sub two", "label: Sub two, LS2 9JT", "LS2 9JT", 11, "themes.0.subthemes.1.label"),
        (
            "cohort.yaml",
            "  B: Group B\n",
            "  B: Group B\ncontact:\n  jo@example.org: data manager\n",
            "jo@example.org",
            9,
            "contact.#1",
        ),
        ("survey.csv", "trust,hard,hours", "trust,hard,hours,ring 07700 900123", "07700 900123", 1, "#9"),
    ],
)
def test_yaml_free_text_and_csv_headers_are_scanned(
    file: str, old: str, new: str, planted: str, row: int, column: str, tmp_path: Path
) -> None:
    folder = write_tiny_cohort(tmp_path / "c")
    path = folder / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    if file == "survey.csv":  # a header with one more column: give each row an empty cell
        lines = path.read_text().splitlines()
        path.write_text("\n".join([lines[0]] + [line + "," for line in lines[1:]]) + "\n")
    err = run_clean(folder, tmp_path / "out")
    assert Path(err.file).name == file and err.row == row and err.column == column, err.message
    assert "kind" in err.message and planted not in err.message


def test_validation_message_never_echoes_an_identifier(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """An invalid closed-scale answer is named by its kind once it looks like an identifier (issue 14)."""
    folder = write_tiny_cohort(tmp_path / "c")
    path = folder / "survey.csv"
    path.write_text(path.read_text().replace("Strongly agree,Disagree,2", "Agree - 07700 900123,Disagree,2"))
    err = run_clean(folder, tmp_path / "out")
    assert err.row == 2 and err.column == "trust"
    assert "07700" not in err.message and "a value that looks like an identifier (uk_phone)" in err.message
    assert "07700" not in caplog.text
    # an ordinary bad answer is still shown as it is
    path.write_text(path.read_text().replace("Agree - 07700 900123", "Agreed"))
    assert "'Agreed'" in run_clean(folder, tmp_path / "out2").message


def test_redaction_checks_names_too(tmp_path: Path) -> None:
    err = InputError(tmp_path / "survey.csv", row=1, column="jo@example.org", expected="x", found="y")
    out = privacy.redact(err, tmp_path)
    assert "jo@example.org" not in out.message and "(email)" in out.message
    assert re.search(r"column 'a name that looks like an identifier \(email\)'", out.message)
