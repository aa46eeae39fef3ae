"""The synthetic PLP cohort as the raw exports evaluators have: a REFI-QDA project and a Qualtrics CSV.

`write_plp_exports(folder)` writes `plp-2021-exports/`: the hand-written files the importers cannot make
(cohort.yaml with a `sources:` section, participants.csv, instrument.yaml, codebook.yaml) and, in place
of segments.csv and survey.csv, the same data as

- `plp-2021.qdpx`, a REFI-QDA project as NVivo for Windows writes it: offsets in UTF-16 code units
  with CRLF as two, every transcript with a heading holding an emoji (outside the BMP, so UTF-16 and
  code-point offsets differ) and one coded passage ending in one, one case per participant with the
  `Cases:Group` and `Cases:Quote consent` variables, every double-coded passage one selection with
  several codings;
- `plp-2021-qualtrics.csv`, a Qualtrics CSV export: three header rows, metadata and identifier columns
  (recipient names and e-mails, IP address, location: invented, reserved-for-documentation values) that
  the import must drop, the answers as labels and the group as embedded data.

Written from the formats' descriptions (issue 11); no vendor's sample file is copied. Stands apart from
the pipeline (imports none of it); `check_exports` reads the project back with the standard library.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tempfile
import uuid
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.etree import ElementTree as ET

from openpyxl import Workbook

from workforce_eval.synthetic import plp
from workforce_eval.synthetic.writers import YAML_HEADER, CalibrationError, write_yaml

COHORT_ID = "plp-2021-exports"
PROJECT = "plp-2021.qdpx"
QUALTRICS = "plp-2021-qualtrics.csv"
NS = "urn:QDA-XML:project:1.0"
_UUIDS = uuid.UUID("6f1c1d0e-2b8a-4e55-9a51-0c3a4d5e6f70")
#: The emoji of every transcript heading and of the one passage that ends in one.
EMOJI = "\U0001f4dd"
PASSAGE_EMOJI = " \U0001f642"
ORIGINS = {"utf16": "NVivo 14 (Windows), synthetic", "codepoints": "QualCoder 3.6, synthetic"}


def guid(*parts: str) -> str:
    """A stable GUID for a project element."""
    return str(uuid.uuid5(_UUIDS, "/".join(parts))).upper()


def response_guid(response_id: str) -> str:
    """The Qualtrics-style ResponseId of a PLP response (`R_` and 15 characters)."""
    return "R_" + hashlib.sha256(("plp-2021/" + response_id).encode()).hexdigest()[:15]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _offset(text: str, index: int, unit: str) -> int:
    """The offset of text[:index] in the unit (UTF-16 code units or code points; CRLF is two in both)."""
    return len(text[:index].encode("utf-16-le")) // 2 if unit == "utf16" else index


def documents(segments: list[dict[str, str]], emoji_passage: str) -> dict[tuple[str, str], list[str]]:
    """(source, document name) -> its distinct passages in order; the marked passage gets its emoji."""
    docs: dict[tuple[str, str], list[str]] = {}
    for seg in segments:
        name = response_guid(seg["document_id"]) if seg["source"] == "survey" else seg["document_id"]
        text = seg["text"] + (PASSAGE_EMOJI if seg["segment_id"] == emoji_passage else "")
        passages = docs.setdefault((seg["source"], name), [])
        if text not in passages:
            passages.append(text)
    return docs


def document_text(source: str, name: str, passages: Sequence[str]) -> tuple[str, list[int]]:
    """A transcript as NVivo stores it (a heading for interviews, passages separated by blank lines, CRLF)
    and the index where each passage starts."""
    text = f"Interview {name} {EMOJI} (synthetic transcript)\r\n\r\n" if source == "interview" else ""
    starts = []
    for passage in passages:
        starts.append(len(text))
        text += passage + "\r\n\r\n"
    return text, starts


def project_xml(contract: Path, unit: str = "utf16", origin: str | None = None) -> tuple[bytes, dict[str, bytes]]:
    """The project.qde and its source texts (name -> bytes) made from a PLP cohort folder's contract files."""
    segments = _rows(contract / "segments.csv")
    participants = _rows(contract / "participants.csv")
    book = plp.CODEBOOK
    emoji_passage = segments[0]["segment_id"]
    ET.register_namespace("", NS)

    def el(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
        return ET.SubElement(parent, f"{{{NS}}}{tag}", attrs)

    root = ET.Element(f"{{{NS}}}Project", {"name": "PLP 2021 (synthetic)", "origin": origin or ORIGINS[unit]})
    users = el(root, "Users")
    coders = sorted({s["coder"] for s in segments})
    for coder in coders:
        el(users, "User", guid=guid("user", coder), name=coder)
    codes = el(el(root, "CodeBook"), "Codes")
    code_guid: dict[str, str] = {}
    for theme in book["themes"]:
        t = el(codes, "Code", guid=guid("code", theme["id"]), name=theme["label"], isCodable="false")
        for sub in theme["subthemes"]:
            s = el(t, "Code", guid=guid("code", sub["id"]), name=sub["label"], isCodable="false")
            for code in sub["codes"]:
                code_guid[code["id"]] = guid("code", code["id"])
                c = el(s, "Code", guid=code_guid[code["id"]], name=code["label"], isCodable="true")
                ET.SubElement(c, f"{{{NS}}}Description").text = code["definition"]
    variables = el(root, "Variables")
    for var in ("Group", "Quote consent"):
        el(variables, "Variable", guid=guid("variable", var), name=f"Cases:{var}", typeOfVariable="Text")
    docs = documents(segments, emoji_passage)
    doc_guid = {key: guid("source", *key) for key in docs}
    by_participant: dict[str, list[str]] = {}
    consent: dict[str, bool] = {}
    for seg in segments:
        name = response_guid(seg["document_id"]) if seg["source"] == "survey" else seg["document_id"]
        refs = by_participant.setdefault(seg["participant_id"], [])
        if doc_guid[(seg["source"], name)] not in refs:
            refs.append(doc_guid[(seg["source"], name)])
        consent[seg["participant_id"]] = consent.get(seg["participant_id"], True) and seg["quote_ok"] == "true"
    cases = el(root, "Cases")
    for person in participants:
        pid = person["participant_id"]
        case = el(cases, "Case", guid=guid("case", pid), name=pid)
        for var, value in (("Group", person["group"]), ("Quote consent", "Yes" if consent.get(pid) else "No")):
            vv = el(case, "VariableValue")
            el(vv, "VariableRef", targetGUID=guid("variable", var))
            ET.SubElement(vv, f"{{{NS}}}TextValue").text = value
        for ref in by_participant.get(pid, []):
            el(case, "SourceRef", targetGUID=ref)
    sources = el(root, "Sources")
    texts: dict[str, bytes] = {}
    for (source, name), passages in docs.items():
        text, starts = document_text(source, name, passages)
        sguid = doc_guid[(source, name)]
        texts[f"{sguid}.txt"] = text.encode("utf-8")
        node = el(sources, "TextSource", guid=sguid, name=name, plainTextPath=f"internal://{sguid}.txt")
        for passage, start in zip(passages, starts):
            sel = el(
                node,
                "PlainTextSelection",
                guid=guid("selection", sguid, str(start)),
                startPosition=str(_offset(text, start, unit)),
                endPosition=str(_offset(text, start + len(passage), unit)),
            )
            for seg in segments:
                seg_doc = response_guid(seg["document_id"]) if seg["source"] == "survey" else seg["document_id"]
                own = seg["text"] + (PASSAGE_EMOJI if seg["segment_id"] == emoji_passage else "")
                if (seg["source"], seg_doc) == (source, name) and own == passage:
                    coding = el(sel, "Coding", guid=guid("coding", seg["segment_id"]),
                                creatingUser=guid("user", seg["coder"]))  # fmt: skip
                    el(coding, "CodeRef", targetGUID=code_guid[seg["code"]])
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
        root, encoding="utf-8", xml_declaration=False
    ), texts


def qdpx_bytes(contract: Path, unit: str = "utf16", origin: str | None = None) -> bytes:
    """The project as a .qdpx archive (deterministic: fixed member order and dates)."""
    qde, texts = project_xml(contract, unit, origin)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [("project.qde", qde)] + [(f"Sources/{n}", d) for n, d in sorted(texts.items())]:
            info = zipfile.ZipInfo(name, date_time=(2021, 12, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buf.getvalue()


#: Qualtrics metadata columns before the questions, and after them the embedded-data field.
_META = (
    "StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished", "RecordedDate",
    "ResponseId", "RecipientLastName", "RecipientFirstName", "RecipientEmail", "ExternalReference",
    "LocationLatitude", "LocationLongitude", "DistributionChannel", "UserLanguage",
)  # fmt: skip


def planted(n: int) -> dict[str, str]:
    """The invented identifiers of the n-th response (documentation-reserved addresses and domains)."""
    return {
        "IPAddress": f"192.0.2.{n}",
        "RecipientLastName": f"Zedwardson{n:03d}",
        "RecipientFirstName": f"Quillon{n:03d}",
        "RecipientEmail": f"quillon.zedwardson{n:03d}@example.invalid",
        "LocationLatitude": f"51.{5000 + n}",
        "LocationLongitude": f"-0.{1200 + n}",
    }


def qualtrics_csv(contract: Path) -> str:
    """The PLP survey as a Qualtrics CSV export (three header rows, answers as labels, CRLF)."""
    survey = _rows(contract / "survey.csv")
    items = plp._instrument_yaml()["items"]
    qids = {it["id"]: f"QID{k}" for k, it in enumerate(items, start=1)}
    header = list(_META) + [f"Q{k}" for k in range(1, len(items) + 1)] + ["group"]
    texts = list(_META) + [it["text"] for it in items] + ["group"]
    imports = [json.dumps({"ImportId": c[0].lower() + c[1:].replace(" ", "")}) for c in _META]
    imports += [json.dumps({"ImportId": qids[it["id"]]}) for it in items] + [json.dumps({"ImportId": "group"})]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([header, texts, imports])
    for n, row in enumerate(survey, start=1):
        meta = {
            "StartDate": f"2021-11-{1 + n % 28:02d} 09:{n % 60:02d}:00",
            "EndDate": f"2021-11-{1 + n % 28:02d} 09:{(n + 7) % 60:02d}:00",
            "Status": "0",
            "Progress": "100",
            "Duration (in seconds)": str(300 + 13 * n),
            "Finished": "1",
            "RecordedDate": f"2021-11-{1 + n % 28:02d} 09:{(n + 7) % 60:02d}:01",
            "ResponseId": response_guid(row["response_id"]),
            "ExternalReference": row["participant_id"],
            "DistributionChannel": "email",
            "UserLanguage": "EN-GB",
            **planted(n),
        }
        writer.writerow([meta[c] for c in _META] + [row[it["id"]] for it in items] + [row["group"]])
    return out.getvalue()


def cohort_yaml() -> dict:
    """plp-2021's cohort.yaml with the `sources:` section mapping the two exports."""
    data = dict(plp._cohort_yaml())
    data["description"] = (
        "The synthetic 2021 PLP cohort as an NVivo project and a Qualtrics export (plp-2021-exports); the "
        "pipeline run from these gives the same register rows as plp-2021 from its contract files."
    )
    items = plp._instrument_yaml()["items"]
    data["sources"] = {
        "segments": {
            "format": "refi_qda",
            "file": PROJECT,
            "participant": "case",
            "group": "Group",
            "consent": "Quote consent",
            "consent_values": ["Yes"],
            "survey_documents": "^R_",
        },
        "survey": {
            "format": "qualtrics",
            "file": QUALTRICS,
            "response_id": "ResponseId",
            "participant": "ExternalReference",
            "group": "group",
            "timepoint": "post",
            "items": {it["id"]: f"QID{k}" for k, it in enumerate(items, start=1)},
        },
    }
    return data


def write_plp_exports(out_dir: Path, seed: int = 2021) -> None:
    """Write plp-2021-exports/: the PLP cohort's hand-written files plus its NVivo and Qualtrics exports."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        contract = Path(tmp)
        plp.write_plp_2021(contract, seed)
        for name in ("participants.csv", "instrument.yaml", "codebook.yaml"):
            (out_dir / name).write_bytes((contract / name).read_bytes())
        write_yaml(out_dir / "cohort.yaml", cohort_yaml(), YAML_HEADER)
        (out_dir / PROJECT).write_bytes(qdpx_bytes(contract))
        (out_dir / QUALTRICS).write_bytes(qualtrics_csv(contract).encode("utf-8"))


def check_exports(folder: Path) -> None:
    """Self-check: every selection of the project, read as UTF-16 offsets, is a passage of its text."""
    with zipfile.ZipFile(folder / PROJECT) as archive:
        root = ET.fromstring(archive.read("project.qde"))  # our own file, just written
        for source in root.iter(f"{{{NS}}}TextSource"):
            name = source.get("plainTextPath", "").removeprefix("internal://")
            units = archive.read(f"Sources/{name}").decode("utf-8").encode("utf-16-le")
            for sel in source.iter(f"{{{NS}}}PlainTextSelection"):
                a, b = int(sel.get("startPosition", "0")), int(sel.get("endPosition", "0"))
                passage = units[2 * a : 2 * b].decode("utf-16-le")
                if not passage or passage != passage.strip() or "\r\n\r\n" in passage:
                    raise CalibrationError(f"synthetic {COHORT_ID}: selection {sel.get('guid')} is {passage!r}")
    if QUALTRICS not in {p.name for p in folder.iterdir()}:
        raise CalibrationError(f"synthetic {COHORT_ID}: no {QUALTRICS}")


# ---------------------------------------------------------------------- REDCap and Microsoft Forms (tests)


def _canonical(value: str, levels: Sequence[str]) -> str:
    """An answer as one of its scale's labels (the plp-2021 survey has some in other cases and spacing)."""
    folded = {" ".join(x.casefold().split()): x for x in levels}
    return folded.get(" ".join(value.casefold().split()), value)


def redcap_files(contract: Path) -> tuple[str, str]:
    """The PLP survey as a REDCap raw export (choice codes, one event) and its data dictionary; record ids are
    the Qualtrics-style ids the project's coded survey answers are named by."""
    survey = _rows(contract / "survey.csv")
    spec = plp._instrument_yaml()
    groups = list(plp._cohort_yaml()["groups"])
    dictionary = [["Variable / Field Name", "Form Name", "Field Type", "Field Label",
                   "Choices, Calculations, OR Slider Labels", "Identifier?"]]  # fmt: skip
    dictionary += [
        ["record_id", "plp_survey", "text", "Record ID", "", ""],
        ["plp_id", "plp_survey", "text", "Programme ID", "", ""],
        ["email", "plp_survey", "text", "Your e-mail address", "", "y"],
        ["group", "plp_survey", "radio", "Your group", " | ".join(f"{k}, {g}" for k, g in enumerate(groups, 1)), ""],
        ["topics", "plp_survey", "checkbox", "Topics you discussed", "1, Careers | 2, Culture", ""],
    ]
    codes: dict[str, dict[str, str]] = {}
    for item in spec["items"]:
        if item["type"] == "free_text":
            dictionary.append([item["id"], "plp_survey", "notes", item["text"], "", ""])
            continue
        scale = spec["scales"][item["scale"]]
        labels = scale["levels"] + scale.get("missing", [])
        if item["scale"] == "yesno":
            codes[item["id"]] = {"Yes": "1", "No": "0", **{m: str(97 + k) for k, m in enumerate(scale["missing"])}}
            choices = " | ".join(f"{c}, {lab}" for lab, c in codes[item["id"]].items())
        else:
            codes[item["id"]] = {lab: str(k) for k, lab in enumerate(labels, start=1)}
            choices = " | ".join(f"{k}, {lab}" for lab, k in codes[item["id"]].items())
        dictionary.append([item["id"], "plp_survey", "radio", item["text"], choices, ""])
    header = ["record_id", "redcap_event_name", "plp_id", "email", "group", "topics___1", "topics___2"]
    header += [it["id"] for it in spec["items"]] + ["plp_survey_complete"]
    rows = [header]
    for n, row in enumerate(survey, start=1):
        cells = [response_guid(row["response_id"]), "post_arm_1", row["participant_id"], planted(n)["RecipientEmail"],
                 str(groups.index(row["group"]) + 1), str(n % 2), "1"]  # fmt: skip
        for item in spec["items"]:
            value = row[item["id"]]
            if item["id"] in codes and value:
                value = codes[item["id"]][_canonical(value, list(codes[item["id"]]))]
            cells.append(value)
        rows.append(cells + ["2"])
    out, book = io.StringIO(), io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    csv.writer(book, lineterminator="\n").writerows(dictionary)
    return out.getvalue(), book.getvalue()


def msforms_xlsx(contract: Path) -> bytes:
    """The PLP survey as a Microsoft Forms .xlsx export (question texts as columns, Email and Name planted)."""
    survey = _rows(contract / "survey.csv")
    items = plp._instrument_yaml()["items"]
    book = Workbook()
    sheet = book.active
    sheet.append(["ID", "Start time", "Completion time", "Email", "Name", "Your programme ID", "Your group"]
                 + [it["text"] for it in items] + [f"Points - {items[0]['text']}"])  # fmt: skip
    for n, row in enumerate(survey, start=1):
        who = planted(n)
        email, name = ("anonymous", "") if n == 1 else (who["RecipientEmail"], who["RecipientFirstName"])
        answers = [row[it["id"]] + (";" if it["type"] == "choice" and row[it["id"]] else "") for it in items]
        day = f"11/{n % 28 + 1}/21"  # Forms writes times in the account's locale
        sheet.append([response_guid(row["response_id"]), f"{day} 9:00:00", f"{day} 9:07:00", email, name,
                      row["participant_id"], row["group"], *answers, 0])  # fmt: skip
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _code_paths() -> dict[str, tuple[str, str, str]]:
    """Code id -> (theme label, subtheme label, code label)."""
    return {
        c["id"]: (t["label"], s["label"], c["label"])
        for t in plp.CODEBOOK["themes"]
        for s in t["subthemes"]
        for c in s["codes"]
    }


def taguette_csv(contract: Path) -> tuple[str, str]:
    """The PLP coded passages as a Taguette highlights export, and the document -> participant mapping CSV."""
    rows = [["id", "document", "tag", "content"]]
    docs: dict[str, str] = {}
    for k, seg in enumerate(_rows(contract / "segments.csv"), start=1):
        doc = response_guid(seg["document_id"]) if seg["source"] == "survey" else seg["document_id"]
        docs[doc] = seg["participant_id"]
        rows.append([str(k), doc, _code_paths()[seg["code"]][2], seg["text"]])
    out, mapping = io.StringIO(), io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    csv.writer(mapping, lineterminator="\n").writerows([["document", "participant"], *docs.items()])
    return out.getvalue(), mapping.getvalue()


def qualcoder_csv(contract: Path) -> str:
    """The PLP coded passages as QualCoder's coding CSV (categories = theme and subtheme, case variables)."""
    roster = {p["participant_id"]: p["group"] for p in _rows(contract / "participants.csv")}
    rows = [["Id", "Codename", "Category", "Category 2", "File", "Case", "Coder", "Coded", "CaseVar_Group"]]
    for k, seg in enumerate(_rows(contract / "segments.csv"), start=1):
        doc = response_guid(seg["document_id"]) if seg["source"] == "survey" else seg["document_id"]
        theme, sub, code = _code_paths()[seg["code"]]
        rows.append([str(k), code, theme, sub, doc, seg["participant_id"], seg["coder"], seg["text"],
                     roster[seg["participant_id"]]])  # fmt: skip
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()
