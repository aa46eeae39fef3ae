"""The privacy guard: which identifiers it finds, what it ignores, and that it never repeats one."""

from __future__ import annotations

import logging
from collections.abc import Collection
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT
from workforce_eval.analyses import quotes
from workforce_eval.errors import InputError
from workforce_eval.inputs import clean, privacy, readers, validate
from workforce_eval.inputs.spec import SCALED_TYPES
from workforce_eval.inputs.validate import cohort as validate_cohort


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("write to jo.bloggs@nhs.net please", "email"),
        ("mobile 07700 900123", "uk_phone"),
        ("+44 (0)20 7946 0018", "uk_phone"),
        ("office 0113 496 0000 ext 12", "uk_phone"),
        ("NHS no. 943 476 5919", "nhs_number"),
        ("9434765919", "nhs_number"),
        ("943-476-5919", "nhs_number"),
        ("NI QQ 12 34 56 C".replace("QQ", "AB"), "ni_number"),
        ("ab123456c", "ni_number"),
        ("lives near LS2 9JT", "uk_postcode"),
        ("SW1A1AA", "uk_postcode"),
        ("see https://example.org/x", "url"),
        ("www.example.co.uk", "url"),
        ("nhs.uk/conditions", "url"),
        ("follow @jo_bloggs", "social_handle"),
    ],
)
def test_finds_each_kind(text: str, kind: str) -> None:
    assert kind in privacy.kinds_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "943 476 5918",  # a wrong check digit: not an NHS number
        "QQ123456C",  # QQ is not a valid NI prefix
        "PLP-001",
        "R001",
        "In Q3 2021 we met five times.",
        "between 09:00 and 17:00 on 01.02.2021",
        "I was promoted 2 years later, at band 8a.",
        "It was 100% worth it, e.g. the shadowing.",
        "a name@ without a domain",
    ],
)
def test_ignores_look_alikes(text: str) -> None:
    assert privacy.kinds_in(text) == []


def test_nhs_check_digit_by_hand() -> None:
    # 943 476 591: 9*10 + 4*9 + 3*8 + 4*7 + 7*6 + 6*5 + 5*4 + 9*3 + 1*2 = 299; 299 % 11 = 2; 11 - 2 = 9
    assert privacy.nhs_number_valid("9434765919")
    assert not privacy.nhs_number_valid("9434765910")
    assert not privacy.nhs_number_valid("943476591")


def test_the_bundled_cohort_has_no_hits() -> None:
    assert privacy.scan_cohort(ROOT / "data" / "raw" / "plp-2021").empty


def test_deny_list_matches_whole_names_ignoring_case_and_spacing() -> None:
    deny = privacy.deny_pattern(["Amara Okafor", "  Jo  "])
    assert "deny_list_name" in privacy.kinds_in("thanks to AMARA   okafor!", deny)
    assert "deny_list_name" in privacy.kinds_in("Jo said so", deny)
    assert privacy.kinds_in("Joanne and Amaranth", deny) == []


def _run(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "results"
    clean.run(folder, folder.name, out / "cohort.json", out / "p.parquet", out / "s.parquet", out / "g.parquet")


def test_a_hit_names_place_and_kind_but_never_the_value(
    tiny_cohort: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    segments = tiny_cohort / "segments.csv"
    text = segments.read_text()
    text = text.replace("It changed how I see things.", "Mail jo@x.example.org or ring 07700 900123.")
    segments.write_text(text.replace("A new view.", "Visit www.jo.example.com"))
    caplog.set_level(logging.INFO)
    with pytest.raises(InputError) as info:
        _run(tiny_cohort, tmp_path)
    message = info.value.message
    assert "segments.csv, row 4, column 'text'" in message and "(kind email)" in message
    assert "2 more cells with identifiers" in message
    for secret in ("jo@x.example.org", "07700 900123", "www.jo.example.com"):
        assert secret not in message and secret not in caplog.text
    assert "row 4, column 'text': a UK phone number" in caplog.text  # every hit is listed, by place and kind
    assert "row 7, column 'text': a web address (URL)" in caplog.text
    assert not (tmp_path / "results").exists()


def test_allow_list_clears_a_reviewed_false_positive_only_for_its_kind(tiny_cohort: Path, tmp_path: Path) -> None:
    segments = tiny_cohort / "segments.csv"
    segments.write_text(segments.read_text().replace("I learnt a lot.", "I learnt a lot from bit.ly style links."))
    with pytest.raises(InputError):
        _run(tiny_cohort, tmp_path)
    (tiny_cohort / "pii_allow.csv").write_text("segment_id,kind,note\ng4,email,wrong kind\n")
    with pytest.raises(InputError):
        _run(tiny_cohort, tmp_path)
    (tiny_cohort / "pii_allow.csv").write_text("segment_id,kind,note\ng4,url,reviewed: not a real address\n")
    _run(tiny_cohort, tmp_path)
    assert (tmp_path / "results" / "cohort.json").is_file()


def test_deny_list_stays_in_data_dir(tiny_cohort: Path, tmp_path: Path) -> None:
    (tiny_cohort / "deny_list.txt").write_text("# staff names\nZephyrine Quill\n")
    _run(tiny_cohort, tmp_path)
    for path in (tmp_path / "results").rglob("*"):
        assert b"Zephyrine" not in path.read_bytes()


def test_raw_id_is_refused_only_in_quotable_passages(tiny_cohort: Path, tmp_path: Path) -> None:
    segments = tiny_cohort / "segments.csv"
    original = segments.read_text()
    segments.write_text(original.replace("It changed how I see things.", "p3 and I disagreed."))  # quote_ok false
    _run(tiny_cohort, tmp_path)
    segments.write_text(original.replace("I learnt a lot.", "I learnt a lot from p1."))  # quote_ok true
    with pytest.raises(InputError) as info:
        _run(tiny_cohort, tmp_path)
    assert "segments.csv, row 5, column 'text'" in info.value.message and "kind participant_id" in info.value.message
    segments.write_text(original.replace("I learnt a lot.", "I learnt a lot from p10 and help1."))  # not ids
    _run(tiny_cohort, tmp_path)


def test_clean_parses_each_csv_once_and_scans_what_validation_read(
    tiny_cohort: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scan reuses validation's frames (`CleanCohort.raw`): a second parse of survey.csv cost a million-row
    survey about as much as validating it (issue 13). Found hits are the same either way."""
    segments = tiny_cohort / "segments.csv"
    segments.write_text(segments.read_text().replace("A new view.", "Ring 07700 900123."))
    cc = validate.load(tiny_cohort, tiny_cohort.name)
    assert sorted(cc.raw) == ["participants.csv", "segments.csv", "survey.csv"]
    assert cc.instrument is not None
    scaled = [i.id for i in cc.instrument.items if i.type in SCALED_TYPES]
    assert scaled == ["recommend", "trust", "hard"]
    reused = privacy.scan_cohort(tiny_cohort, scaled, read=cc.raw)
    assert reused.equals(privacy.scan_cohort(tiny_cohort, scaled))
    assert reused[["file", "row", "column", "kind"]].values.tolist() == [["segments.csv", 7, "text", "uk_phone"]]

    segments.write_text(segments.read_text().replace("Ring 07700 900123.", "A new view."))
    parsed: list[str] = []
    real = readers.read_csv

    def counting(path: Path, categorical: Collection[str] = ()) -> pd.DataFrame:
        parsed.append(Path(path).name)
        return real(path, categorical)

    monkeypatch.setattr(validate_cohort, "read_csv", counting)  # the one place validation reads the CSVs
    monkeypatch.setattr(privacy, "read_csv", counting)
    _run(tiny_cohort, tmp_path)
    assert sorted(parsed) == ["participants.csv", "segments.csv", "survey.csv"]


def test_only_ids_that_mix_letters_and_digits_are_looked_for() -> None:
    pattern = privacy.id_pattern(["12", "alpha", "p3", "PLP-012"])
    assert pattern is not None
    assert pattern.search("ask p3 about it") and pattern.search("(PLP-012)")
    assert not pattern.search("we met 12 times, alpha and omega, PLP-0123")


def test_attribution_label_never_reads_as_a_raw_id() -> None:
    assert quotes.speaker_prefix(["PLP-001", "PLP-002"]) == "P"
    assert quotes.speaker_prefix(["p1", "P2"]) == "Participant "
    assert quotes.speaker_prefix(["P01", "Participant 4"]) == "Speaker "
