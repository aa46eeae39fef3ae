"""The importers (issue 11): the bundled exports reproduce plp-2021's register rows; offsets; identifiers;
the bad-export corpus; the privacy guard and disclosure control on imported data.

The reference values are plp-2021's own register, computed from its hand-written contract files by the
same steps (the exports are that cohort written as NVivo and Qualtrics would write it).
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.bad_inputs.exports import BUNDLED, EXPORT_CASES, QDPX, QUALTRICS, by_name
from tests.conftest import ROOT
from workforce_eval import register
from workforce_eval.errors import InputError
from workforce_eval.inputs import importers
from workforce_eval.inputs.importers import redcap, refi_qda
from workforce_eval.inputs.importers.common import csv_rows
from workforce_eval.steps import cohort as steps
from workforce_eval.synthetic import exports, plp

DATA = ROOT / "data" / "raw"
LINEAGE = ("rule", "inputs_sha256")


def run_cohort(cohort_dir: Path, results: Path, imported: bool) -> pd.DataFrame:
    """import (when the cohort has sources), clean, describe, themes, register and quotes, as the rules do."""
    cid = cohort_dir.name
    base = results / cid
    imp = base / "imported" if imported else None
    if imp is not None:
        steps.import_sources(cohort_dir, cid, imp)
    c = base / "clean"
    steps.clean(cohort_dir, cid, c / "cohort.json", c / "participants.parquet", c / "survey.parquet",
                c / "segments.parquet", 5, imp)  # fmt: skip
    steps.describe(c, base / "tables" / "describe.csv")
    steps.themes(c, base / "tables" / "themes.csv")
    steps.build_register(
        [base / "tables" / "describe.csv", base / "tables" / "themes.csv"], c / "cohort.json", base / "statistics.csv"
    )
    steps.quotes(c, base / "quotes.csv")
    return register.read(base / "statistics.csv")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame, pd.DataFrame]:
    results = tmp_path_factory.mktemp("results")
    from_exports = run_cohort(DATA / "plp-2021-exports", results, imported=True)
    from_contract = run_cohort(DATA / "plp-2021", results, imported=False)
    return results, from_exports, from_contract


@pytest.mark.parametrize("family", ["theme", "item", "response", "composition"])
def test_exports_give_the_same_register_rows_as_the_contract_files(runs, family: str) -> None:
    _, a, b = runs
    cols = [c for c in a.columns if c not in LINEAGE]
    x = a[a["analysis"] == family][cols].reset_index(drop=True)
    y = b[b["analysis"] == family][cols].reset_index(drop=True)
    assert len(y) > 0
    pd.testing.assert_frame_equal(x, y)


def test_disclosure_control_applies_to_imported_data_as_to_contract_files(runs) -> None:
    _, a, b = runs
    # the same rows hidden in both registers (the 'suppressed' column compared whole), and some are
    assert list(a["suppressed"]) == list(b["suppressed"])
    assert a["suppressed"].astype(str).eq("True").any() or a["suppressed"].astype(str).eq("true").any()


def test_provenance_records_the_original_exports_sha256(runs) -> None:
    results, _, _ = runs
    meta = (results / "plp-2021-exports" / "clean" / "cohort.json").read_text(encoding="utf-8")
    record = importers.read_record(results / "plp-2021-exports" / "imported")
    for name in (QDPX, QUALTRICS):
        digest = steps.clean_.file_hashes(BUNDLED, [name])[name]
        assert f'"{name}": "{digest}"' in meta
        assert any(e["file"] == name and e["sha256"] == digest for e in record["exports"])
    assert '"segments.csv"' not in meta.split('"input_sha256"')[1]  # the originals, not the imported copies


def test_identifier_columns_are_absent_from_every_file_under_results(runs) -> None:
    results, _, _ = runs
    planted = [v for n in range(1, 27) for v in exports.planted(n).values()]
    assert "quillon.zedwardson001@example.invalid" in (BUNDLED / QUALTRICS).read_text(encoding="utf-8")
    files = [p for p in (results / "plp-2021-exports").rglob("*") if p.is_file()]
    assert any(p.suffix == ".parquet" for p in files) and any(p.parent.name == "imported" for p in files)
    for path in files:
        if path.suffix == ".parquet":  # compressed: look at the cells
            text = pd.read_parquet(path).astype(str).to_csv()
        else:
            text = path.read_bytes().decode("utf-8")
        for value in planted:
            assert value not in text, (path, value)


def test_imported_passages_keep_emoji_and_crlf_offsets() -> None:
    files, _ = importers.convert(BUNDLED, "plp-2021-exports")
    rows = csv_rows(Path("segments.csv"), files["segments.csv"])
    texts = [r[7] for r in rows[1:]]
    first = plp_segments()[0]["text"]
    quotable = [r[8] == "true" for r in rows[1:]]
    assert texts[0] == (first + exports.PASSAGE_EMOJI if quotable[0] else "")  # the passage ending in an emoji
    assert set(texts[1:]) <= {s["text"] for s in plp_segments()} | {""}
    assert [bool(t) for t in texts] == quotable  # text is kept only for passages that may be quoted (issue 22)


def plp_segments() -> list[dict[str, str]]:
    return exports._rows(DATA / "plp-2021" / "segments.csv")


def test_code_point_offsets_as_qualcoder_writes_import_to_the_same_passages(tmp_path: Path) -> None:
    folder = tmp_path / "qc"
    shutil.copytree(BUNDLED, folder)
    (folder / QDPX).write_bytes(exports.qdpx_bytes(DATA / "plp-2021", unit="codepoints"))
    nvivo, _ = importers.convert(BUNDLED, "plp-2021-exports")
    qualcoder, record = importers.convert(folder, "qc")
    assert qualcoder["segments.csv"] == nvivo["segments.csv"]
    assert record["notes"] == []  # chosen from Project@origin and confirmed by word boundaries


def test_wrong_origin_is_caught_by_the_word_boundary_check(tmp_path: Path, caplog) -> None:
    folder = tmp_path / "wrong"
    shutil.copytree(BUNDLED, folder)
    # code-point offsets in a project claiming to come from NVivo: UTF-16 would cut passages after the emoji
    (folder / QDPX).write_bytes(exports.qdpx_bytes(DATA / "plp-2021", unit="codepoints", origin="NVivo 14"))
    caplog.set_level(logging.WARNING)
    files, record = importers.convert(folder, "wrong")
    nvivo, _ = importers.convert(BUNDLED, "plp-2021-exports")
    assert files["segments.csv"] == nvivo["segments.csv"]
    assert any("offsets read as codepoints" in n and "sources.segments.offsets" in n for n in record["notes"])


def test_offset_units_hand_counted() -> None:
    # "a", U+1F600 (two UTF-16 code units), CR, LF, "b": "b" starts at 5 (UTF-16), 4 (code points) and 3
    # (code points with CRLF as one, ATLAS.ti)
    text = "a\U0001f600\r\nb"
    assert refi_qda.boundaries(text, "utf16") == ({0: 0, 1: 1, 3: 2, 4: 3, 5: 4, 6: 5}, 6)
    assert refi_qda.boundaries(text, "codepoints")[0][4] == 4
    assert refi_qda.boundaries(text, "codepoints_lf") == ({0: 0, 1: 1, 2: 2, 3: 4, 4: 5}, 4)


def test_deeper_codes_collapse_and_a_generated_codebook(tmp_path: Path) -> None:
    folder = tmp_path / "deep"
    shutil.copytree(BUNDLED, folder)
    (folder / "codebook.yaml").unlink()
    files, _ = importers.convert(folder, "deep")
    assert "id: trust_and_openness" in files["codebook.yaml"]  # ids made from the NVivo names
    assert "label: Trust and openness" in files["codebook.yaml"]
    rows = csv_rows(Path("segments.csv"), files["segments.csv"])
    assert len(rows) - 1 == len(plp_segments())


@pytest.mark.parametrize("name", [c.name for c in EXPORT_CASES])
def test_bad_export_stops_with_one_located_message(name: str, tmp_path: Path) -> None:
    case = by_name()[name]
    folder = case.build(tmp_path / "data" / name)
    out = tmp_path / "results" / name / "imported"
    with pytest.raises(InputError) as info:
        importers.run(folder, name, out)
    message = info.value.message
    assert case.file in message and case.says in message and case.where in message, message
    assert "\n" not in message
    assert not out.exists()


def test_the_privacy_guard_reads_imported_passages_and_the_cohort_deny_list(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "deny"
    shutil.copytree(BUNDLED, folder)
    (folder / "deny_list.txt").write_text("Hearing\n", encoding="utf-8")  # a word of passages and answers
    results = tmp_path / "results"
    with pytest.raises(InputError) as info:
        run_cohort(folder, results, imported=True)
    assert "/imported/" in info.value.message and "deny_list" in info.value.message
    assert "Hearing" not in info.value.message
    assert not (results / "deny" / "clean").exists()
    assert not (results / "deny" / "imported" / "deny_list.txt").exists()  # never copied to results


def test_an_email_in_a_coded_passage_is_stopped(tmp_path: Path) -> None:
    contract = tmp_path / "contract"
    plp.write_plp_2021(contract)
    seg = (contract / "segments.csv").read_text(encoding="utf-8")
    segments = plp_segments()
    refused = {r["participant_id"] for r in segments if r["quote_ok"] != "true"}  # consent is per case
    quoted = next(r for r in segments if r["participant_id"] and r["participant_id"] not in refused)["text"]
    (contract / "segments.csv").write_text(seg.replace(quoted, quoted[:-1] + " (pat@example.org).", 1))
    # (only text that may be quoted is kept at the import: the address goes into a consented passage)
    folder = tmp_path / "data" / "mail"
    shutil.copytree(BUNDLED, folder)
    (folder / QDPX).write_bytes(exports.qdpx_bytes(contract))
    with pytest.raises(InputError) as info:
        run_cohort(folder, tmp_path / "results", imported=True)
    assert "imported/segments.csv, row " in info.value.message and "column 'text'" in info.value.message
    assert "pat@example.org" not in info.value.message


def _survey_source(folder: Path, spec: dict) -> None:
    """Replace the cohort's sources.survey mapping."""
    import yaml

    path = folder / "cohort.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["sources"]["survey"] = spec
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def redcap_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data" / "plp-redcap"
    shutil.copytree(BUNDLED, folder)
    raw_csv, dictionary = exports.redcap_files(DATA / "plp-2021")
    (folder / "redcap.csv").write_text(raw_csv, encoding="utf-8")
    (folder / "dictionary.csv").write_text(dictionary, encoding="utf-8")
    _survey_source(folder, {"format": "redcap", "file": "redcap.csv", "dictionary": "dictionary.csv",
                            "participant": "plp_id", "group": "group",
                            "ignore": ["topics___1", "topics___2"]})  # fmt: skip
    return folder


def msforms_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data" / "plp-msforms"
    shutil.copytree(BUNDLED, folder)
    (folder / "forms.xlsx").write_bytes(exports.msforms_xlsx(DATA / "plp-2021"))
    items = {it["id"]: it["text"] for it in plp._instrument_yaml()["items"]}
    _survey_source(folder, {"format": "msforms", "file": "forms.xlsx", "participant": "Your programme ID",
                            "group": "Your group", "items": items})  # fmt: skip
    return folder


@pytest.mark.parametrize("make", [redcap_folder, msforms_folder], ids=["redcap", "msforms"])
def test_each_survey_format_gives_plp_item_rows_and_copies_no_identifier(runs, make, tmp_path: Path) -> None:
    _, _, contract = runs
    folder = make(tmp_path)
    results = tmp_path / "results"
    got = run_cohort(folder, results, imported=True)
    cols = [c for c in got.columns if c not in LINEAGE]
    for family in ("item", "response"):
        pd.testing.assert_frame_equal(
            got[got["analysis"] == family][cols].reset_index(drop=True),
            contract[contract["analysis"] == family][cols].reset_index(drop=True),
        )
    planted = [exports.planted(n)[k] for n in range(1, 27) for k in ("RecipientEmail", "RecipientFirstName")]
    planted.remove(exports.planted(1)["RecipientFirstName"])  # response 1 answered anonymously in MS Forms
    for path in (p for p in (results / folder.name).rglob("*") if p.is_file()):
        text = pd.read_parquet(path).astype(str).to_csv() if path.suffix == ".parquet" else path.read_text("utf-8")
        assert not [v for v in planted if v in text], path


def test_redcap_identifier_field_may_not_be_mapped(tmp_path: Path) -> None:
    folder = redcap_folder(tmp_path)
    text = (folder / "cohort.yaml").read_text(encoding="utf-8").replace("participant: plp_id", "participant: email")
    (folder / "cohort.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        importers.run(folder, "x", tmp_path / "out")
    assert "redcap.csv, row 1, column 'email'" in info.value.message and "never copied" in info.value.message


def test_redcap_unmapped_checkbox_column_is_refused(tmp_path: Path) -> None:
    folder = redcap_folder(tmp_path)
    text = (folder / "cohort.yaml").read_text(encoding="utf-8").replace("- topics___2\n", "")
    (folder / "cohort.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        importers.run(folder, "x", tmp_path / "out")
    assert "redcap.csv, row 1, column 'topics___2'" in info.value.message


def test_msforms_multi_select_with_two_answers_is_refused(tmp_path: Path) -> None:
    folder = msforms_folder(tmp_path)
    from openpyxl import load_workbook

    book = load_workbook(folder / "forms.xlsx")
    book.active["H3"] = "Weekly;Monthly;"
    book.save(folder / "forms.xlsx")
    with pytest.raises(InputError) as info:
        importers.run(folder, "x", tmp_path / "out")
    assert "forms.xlsx, row 3, column 'How often did you and your partner usually meet?'" in info.value.message


def test_redcap_events_give_time_points_and_response_ids(tmp_path: Path) -> None:
    folder = redcap_folder(tmp_path)
    text = (folder / "cohort.yaml").read_text(encoding="utf-8")
    (folder / "cohort.yaml").write_text(
        text.replace("group: group\n", "group: group\n    events:\n      post_arm_1: post\n")
    )
    files, _ = importers.convert(folder, "x")
    rows = csv_rows(Path("survey.csv"), files["survey.csv"])
    first = exports.response_guid("R001")
    assert rows[1][:4] == [f"{first}-post_arm_1", "PLP-012", "BME", "post"]
    raw_text = (folder / "redcap.csv").read_text(encoding="utf-8").replace("post_arm_1", "baseline_arm_1", 1)
    (folder / "redcap.csv").write_text(raw_text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        importers.convert(folder, "x")
    assert "redcap.csv, row 2, column 'redcap_event_name'" in info.value.message


def _segments_source(folder: Path, spec: dict) -> None:
    import yaml

    path = folder / "cohort.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["sources"]["segments"] = spec
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("fmt", ["taguette", "qualcoder_csv"])
def test_flat_qda_exports_give_plp_theme_rows(runs, fmt: str, tmp_path: Path) -> None:
    _, _, contract = runs
    folder = tmp_path / "data" / f"plp-{fmt}"
    shutil.copytree(BUNDLED, folder)
    if fmt == "taguette":
        coded, documents = exports.taguette_csv(DATA / "plp-2021")
        (folder / "coded.csv").write_text(coded, encoding="utf-8", newline="")
        (folder / "documents.csv").write_text(documents, encoding="utf-8")
        spec = {"format": fmt, "file": "coded.csv", "documents": "documents.csv", "survey_documents": "^R_"}
    else:
        (folder / "coded.csv").write_text(exports.qualcoder_csv(DATA / "plp-2021"), encoding="utf-8")
        spec = {"format": fmt, "file": "coded.csv", "participant": "case", "group": "Group", "survey_documents": "^R_"}
    _segments_source(folder, spec)
    got = run_cohort(folder, tmp_path / "results", imported=True)
    theme = got[got["analysis"] == "theme"]
    want = contract[contract["analysis"] == "theme"]
    cols = ["item", "measure", "group", "source", "estimate", "n", "denominator", "suppressed"]
    pd.testing.assert_frame_equal(theme[cols].reset_index(drop=True), want[cols].reset_index(drop=True))


def test_taguette_tag_not_in_codebook_names_its_row(tmp_path: Path) -> None:
    folder = tmp_path / "tg"
    shutil.copytree(BUNDLED, folder)
    coded, documents = exports.taguette_csv(DATA / "plp-2021")
    text = coded.replace("Trust and openness", "Trust & more", 1)
    (folder / "coded.csv").write_text(text, encoding="utf-8", newline="")
    (folder / "documents.csv").write_text(documents, encoding="utf-8")
    _segments_source(folder, {"format": "taguette", "file": "coded.csv", "documents": "documents.csv"})
    with pytest.raises(InputError) as info:
        importers.convert(folder, "tg")
    row = 1 + next(i for i, line in enumerate(text.split("\r\n")) if "Trust & more" in line)
    assert f"coded.csv, row {row}, column 'tag'" in info.value.message


def test_qualcoder_categories_build_the_codebook(tmp_path: Path) -> None:
    folder = tmp_path / "qc"
    shutil.copytree(BUNDLED, folder)
    (folder / "codebook.yaml").unlink()
    (folder / "coded.csv").write_text(exports.qualcoder_csv(DATA / "plp-2021"), encoding="utf-8")
    _segments_source(folder, {"format": "qualcoder_csv", "file": "coded.csv", "participant": "case", "group": "Group"})
    files, _ = importers.convert(folder, "qc")
    import yaml

    book = yaml.safe_load(files["codebook.yaml"])
    want = plp.CODEBOOK["themes"]
    assert sorted(t["label"] for t in book["themes"]) == sorted(t["label"] for t in want)
    codes = sorted(c["label"] for t in book["themes"] for s in t["subthemes"] for c in s["codes"])
    used = {exports._code_paths()[s["code"]][2] for s in plp_segments()}
    assert codes == sorted(used)  # every code that has a passage, under its theme and subtheme


def test_qualtrics_legacy_two_header_rows_and_answer_codes(tmp_path: Path) -> None:
    folder = tmp_path / "legacy"
    shutil.copytree(BUNDLED, folder)
    rows = csv_rows(Path(QUALTRICS), (BUNDLED / QUALTRICS).read_bytes().decode("utf-8"))
    header = rows[0]
    del rows[2]  # legacy exports have no ImportId row
    spec = plp._instrument_yaml()
    codes = {}
    for k, item in enumerate(spec["items"]):
        if item["type"] in ("likert", "yesno", "choice"):
            j = header.index(f"Q{k + 1}")
            levels = [x.casefold() for x in spec["scales"][item["scale"]]["levels"]]
            for row in rows[2:]:
                if row[j].strip().casefold() in levels:
                    row[j] = str(levels.index(row[j].strip().casefold()) + 1)  # codes 1..k in scale order
            codes[item["id"]] = j
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    (folder / QUALTRICS).write_text(out.getvalue(), encoding="utf-8", newline="")
    text = (folder / "cohort.yaml").read_text(encoding="utf-8")
    text = text.replace("timepoint: post\n", "timepoint: post\n    answers: codes\n")
    for k, item in enumerate(spec["items"], start=1):
        text = text.replace(f"{item['id']}: QID{k}\n", f"{item['id']}: Q{k}\n")
    (folder / "cohort.yaml").write_text(text, encoding="utf-8")
    legacy, _ = importers.convert(folder, "legacy")
    bundled, _ = importers.convert(BUNDLED, "plp-2021-exports")
    got = csv_rows(Path("a"), legacy["survey.csv"])
    want = csv_rows(Path("b"), bundled["survey.csv"])
    assert len(got) == len(want) == 27  # header + 26 responses: the question-text row is not a response
    for j in (got[0].index(i) for i in codes):
        assert [r[j].casefold() for r in got[1:]] == [r[j].casefold() for r in want[1:]]


def test_redcap_label_export_reads_like_the_raw_one(tmp_path: Path) -> None:
    folder = redcap_folder(tmp_path)
    raw_files, _ = importers.convert(folder, "x")
    rows = csv_rows(Path("redcap.csv"), (folder / "redcap.csv").read_text(encoding="utf-8"))
    fields = redcap.read_dictionary(folder / "dictionary.csv")
    header = rows[0]
    for row in rows[1:]:  # a label export: choice labels in the cells ...
        for j, name in enumerate(header):
            if name in fields and fields[name].choices and row[j] in fields[name].choices:
                row[j] = fields[name].choices[row[j]]
    rows[0] = [fields[c].label if c in fields and c not in ("record_id", "group") else c for c in header]
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)  # ... and field labels as column names
    (folder / "redcap.csv").write_text(out.getvalue(), encoding="utf-8")
    label_files, _ = importers.convert(folder, "x")
    assert label_files["survey.csv"] == raw_files["survey.csv"]
