"""The typed view of cohort.json (`inputs.metadata`): what it reads and the queries it answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workforce_eval import atomic
from workforce_eval.inputs import clean, metadata
from workforce_eval.inputs.validate import load

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def lothian() -> tuple[dict, metadata.Cohort]:
    doc = clean.metadata(load(ROOT / "data" / "raw" / "lothian-2", "lothian-2"))
    return doc, metadata.from_document(doc)


def test_load_reads_a_written_cohort_json_and_leaves_it_unchanged(tmp_path: Path, lothian) -> None:
    doc, _ = lothian
    path = tmp_path / metadata.FILE_NAME
    atomic.write_json(path, doc, default=str)
    before = path.read_bytes()
    cohort = metadata.load(path)
    assert path.read_bytes() == before
    assert cohort.cohort_id == "lothian-2"
    assert cohort.programme == "Paired Learning"
    assert cohort.cohort == "Cohort 2"
    assert cohort.design == "pre_post" and cohort.pre_post
    assert cohort.synthetic is True
    assert cohort.disclosure_threshold == 5 and cohort.disclosure_threshold_source == "config"
    assert (json.dumps(cohort.to_document(), indent=2, ensure_ascii=False) + "\n").encode() == before


def test_items_and_their_fields(lothian) -> None:
    doc, cohort = lothian
    assert [i.id for i in cohort.items] == [i["id"] for i in doc["items"]]
    first = cohort.item("prep_lead_role")
    assert first.type == "likert" and first.scale == "agree5" and first.construct == "preparedness"
    assert first.levels[0] == "Strongly disagree" and first.top_level == "Strongly agree"
    assert first.label == "I feel prepared to take on a leadership role in my service."
    readiness = cohort.item("readiness")
    assert readiness.type == "numeric" and readiness.levels == () and readiness.top_level is None
    assert not readiness.scaled and first.scaled
    with pytest.raises(KeyError):
        cohort.item("no_such_item")


def test_items_by_type_and_the_likert_filter(lothian) -> None:
    doc, cohort = lothian
    likert = [i["id"] for i in doc["items"] if i["type"] == "likert"]
    assert [i.id for i in cohort.likert_items] == likert
    assert len(likert) >= 6
    both = cohort.items_of("likert", "numeric")
    assert [i.id for i in both] == [i["id"] for i in doc["items"] if i["type"] in ("likert", "numeric")]
    assert cohort.items_of("free_text") == tuple(i for i in cohort.items if i.type == "free_text")
    with pytest.raises(ValueError, match="unknown item type 'likret'"):
        cohort.items_of("likret")


def test_reversed_items(lothian) -> None:
    _, cohort = lothian
    assert [i.id for i in cohort.reversed_items] == ["prep_out_of_depth"]


def test_scales(lothian) -> None:
    _, cohort = lothian
    assert cohort.scales[0].id == "agree5"
    assert cohort.scale("agree5").levels == (
        "Strongly disagree",
        "Disagree",
        "Neither agree nor disagree",
        "Agree",
        "Strongly agree",
    )
    assert len({s.id for s in cohort.scales}) == len(cohort.scales)
    with pytest.raises(KeyError):
        cohort.scale("nope")


def test_constructs_and_their_items(lothian) -> None:
    _, cohort = lothian
    assert cohort.construct_ids[:2] == ("preparedness", "understanding")
    prep = cohort.construct("preparedness")
    assert prep.item_ids == ("prep_lead_role", "prep_decisions", "prep_out_of_depth")
    assert cohort.construct("understanding").item_ids == ("und_pressures", "und_values", "und_work_together")


def test_groups_and_labels(lothian) -> None:
    _, cohort = lothian
    assert cohort.group_codes == ("doctors", "managers")
    assert cohort.group_labels() == {"doctors": "Doctors", "managers": "Managers"}
    assert list(cohort.group_labels(all_label="All")) == ["all", "doctors", "managers"]
    assert cohort.group_label("managers") == "Managers"


def test_combined_groups_and_unlabelled_groups() -> None:
    cohort = metadata.from_document(
        {
            "groups": [{"code": "A", "label": "Alpha"}, {"code": "B", "label": ""}],
            "combined_groups": [{"code": "AB", "label": "Both", "groups": ["A", "B"]}],
        }
    )
    assert cohort.combined_groups[0].groups == ("A", "B")
    assert cohort.group_labels() == {"A": "Alpha", "B": "B"}
    assert cohort.group_labels(combined=True) == {"A": "Alpha", "B": "B", "AB": "Both"}
    assert cohort.group_label("AB") == "Both"


def test_codebook(lothian) -> None:
    doc, cohort = lothian
    book = cohort.codebook
    assert [t.id for t in book.themes] == [t["id"] for t in doc["codebook"]]
    first = doc["codebook"][0]["subthemes"][0]
    code = first["codes"][0]
    assert book.code_paths()[code["id"]] == (first["id"], doc["codebook"][0]["id"])
    assert book.node(code["id"]).label == code["label"]
    assert book.theme_of()[first["id"]] == doc["codebook"][0]["id"]
    ids = [n.id for n in book.nodes()]
    assert ids[:3] == [doc["codebook"][0]["id"], first["id"], code["id"]]
    assert not metadata.from_document({}).codebook


def test_the_view_is_read_only(lothian) -> None:
    _, cohort = lothian
    with pytest.raises(AttributeError):
        cohort.design = "post_only"  # type: ignore[misc]
    with pytest.raises(TypeError):
        cohort.document["design"] = "post_only"  # type: ignore[index]
    with pytest.raises(TypeError):
        cohort.document["groups"][0]["code"] = "x"  # nested too


def test_bad_type_or_design_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown type 'slider'"):
        metadata.from_document({"items": [{"id": "q", "type": "slider"}]})
    with pytest.raises(ValueError, match="unknown design"):
        metadata.from_document({"design": "rct"})
