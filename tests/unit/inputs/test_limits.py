"""Fault isolation and limits: hostile files stop their cohort with one located message and write nothing."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import write_tiny_cohort
from workforce_eval.errors import InputError
from workforce_eval.inputs import clean, limits
from workforce_eval.inputs.readers import YamlDoc, yaml_or_none


def run_clean(folder: Path, out: Path) -> InputError:
    with pytest.raises(InputError) as info:
        clean.run(folder, "c", out / "cohort.json", out / "p.parquet", out / "s.parquet", out / "g.parquet")
    assert not out.exists()
    assert "Traceback" not in str(info.value) and "\n" not in str(info.value)
    return info.value


def append(file: str, text: str) -> Callable[[Path], None]:
    return lambda folder: (folder / file).write_text((folder / file).read_text() + text)


def billion_laughs(folder: Path) -> None:
    lines = ['lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]")
    append("cohort.yaml", "\n".join(lines) + "\n")(folder)


def deep(folder: Path) -> None:
    append("cohort.yaml", "extra_notes: " + "[" * 50_000 + "]" * 50_000 + "\n")(folder)


def fifo(folder: Path) -> None:
    (folder / "cohort.yaml").unlink()
    os.mkfifo(folder / "cohort.yaml")


def symlink(folder: Path) -> None:
    other = write_tiny_cohort(folder.parent / "other")
    (folder / "segments.csv").unlink()
    (folder / "segments.csv").symlink_to(other / "segments.csv")


def nul(folder: Path) -> None:
    path = folder / "segments.csv"
    path.write_bytes(path.read_bytes().replace(b"A new view.", b"A new\x00view."))


CASES = {
    # (mutation, file, row, fragment of the message)
    "deep-nesting": (deep, "cohort.yaml", 8, "nesting deeper than 64 levels"),
    "duplicate-key": (append("cohort.yaml", "synthetic: false\n"), "cohort.yaml", 8, "'synthetic' a second time"),
    "billion-laughs": (billion_laughs, "cohort.yaml", None, "aliases are expanded"),
    "fifo": (fifo, "cohort.yaml", None, "a FIFO"),
    "symlink": (symlink, "segments.csv", None, "a symbolic link"),
    "nul-byte": (nul, "segments.csv", 7, "NUL byte"),
    "inf": (lambda f: append("survey.csv", "r4,,A,post,Yes,Agree,Agree,inf\n")(f), "survey.csv", 5, "a finite number"),
    "minus-inf": (
        lambda f: append("survey.csv", "r4,,A,post,Yes,Agree,Agree,-Infinity\n")(f),
        "survey.csv",
        5,
        "a finite number",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_stops_the_cohort_with_one_message(name: str, tmp_path: Path) -> None:
    mutate, file, row, says = CASES[name]
    folder = write_tiny_cohort(tmp_path / "c")
    mutate(folder)
    err = run_clean(folder, tmp_path / "out")
    assert Path(err.file).name == file and says in str(err)
    if row is not None:
        assert err.row == row


def test_duplicate_key_would_have_removed_the_synthetic_banner(tmp_path: Path) -> None:
    """PyYAML keeps the last of two equal keys: a second `synthetic: false` silently wins (our reader refuses it)."""
    import yaml

    text = "synthetic: true\nsynthetic: false\n"
    assert yaml.safe_load(text) == {"synthetic": False}
    (tmp_path / "a.yaml").write_text(text)
    with pytest.raises(InputError, match="second time"):
        YamlDoc(tmp_path / "a.yaml")


@pytest.mark.parametrize(
    ("setting", "edit", "file", "says"),
    [
        ({"csv_bytes": 300}, None, "segments.csv", "at most 300 bytes"),
        (
            {"line_bytes": 100},
            ("segments.csv", "g7,survey,r1,,A,c3,a," + "x" * 200 + ",false\n"),
            "segments.csv",
            "lines of at most 100 bytes",
        ),
        ({"csv_columns": 20}, ("survey.csv", None), "survey.csv", "at most 20 columns"),
        (
            {"csv_rows": 10},
            ("survey.csv", "".join(f"r{i},,A,post,Yes,Agree,Agree,1\n" for i in range(4, 20))),
            "survey.csv",
            "at most 10 data rows",
        ),
        ({"yaml_bytes": 50}, None, "cohort.yaml", "at most 50 bytes"),
        ({"yaml_depth": 2}, ("cohort.yaml", "extra_notes: [[[1]]]\n"), "cohort.yaml", "deeper than 2 levels"),
        ({"yaml_aliases": 1}, ("cohort.yaml", "x1: &a 1\nx2: *a\nx3: *a\n"), "cohort.yaml", "more than 1 aliases"),
    ],
)
def test_size_limits_are_configurable_and_clear(
    setting: dict[str, int], edit: tuple[str, str | None] | None, file: str, says: str, tmp_path: Path
) -> None:
    folder = write_tiny_cohort(tmp_path / "c")
    if edit is not None:
        name, text = edit
        if text is None:  # 25 extra columns in the header
            path = folder / name
            lines = path.read_text().splitlines()
            lines[0] += "".join(f",x{i}" for i in range(25))
            path.write_text("\n".join(lines[:1]) + "\n")
        else:
            append(name, text)(folder)
    with limits.using(limits.Limits.from_config(setting)):
        err = run_clean(folder, tmp_path / "out")
    assert Path(err.file).name == file and says in str(err)
    # the defaults accept the same cohort (when the edit itself is harmless)
    if edit is None:
        clean.run(folder, "c", *(tmp_path / "ok" / n for n in ("cohort.json", "p.parquet", "s.parquet", "g.parquet")))


def test_dag_time_reader_returns_none_for_a_bad_cohort_yaml(tmp_path: Path) -> None:
    """What workflow/rules/common.smk reads while the DAG is built: a bad file is None, never an exception or a hang."""
    folder = write_tiny_cohort(tmp_path / "c")
    assert yaml_or_none(folder / "cohort.yaml")["programme"] == "Tiny Programme"
    deep(folder)
    assert yaml_or_none(folder / "cohort.yaml") is None
    fifo(folder)
    assert yaml_or_none(folder / "cohort.yaml") is None
    assert yaml_or_none(tmp_path / "missing.yaml") is None


def test_data_and_results_folders_must_not_nest(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert limits.folders_problem(data, tmp_path / "results") is None
    assert "different folders" in str(limits.folders_problem(data, data))
    assert "inside data_dir" in str(limits.folders_problem(data, data / "results"))
    assert "inside results_dir" in str(limits.folders_problem(tmp_path / "r" / "raw", tmp_path / "r"))
    assert "different folders" in str(limits.folders_problem(data, tmp_path / "x" / ".." / "data"))


def test_dollar_labels_are_literal_text_in_figures(tmp_path: Path) -> None:
    """Mathtext would raise on `$\\frac{$` (a label from a cohort folder); with it off the label is drawn as text."""
    from matplotlib.figure import Figure

    from workforce_eval.figures import style

    style.configure_matplotlib()
    fig = Figure()
    ax = fig.subplots()
    ax.set_title(r"Cost in $\frac{ per $hour")
    ax.set_xlabel("$x^2$")
    style.save(fig, tmp_path / "f")
    assert (tmp_path / "f.svg").stat().st_size > 0


def test_cohort_ids_have_a_maximum_length_in_the_config_schema() -> None:
    """A 300-character cohort id made an OSError traceback (file names are limited to 255 bytes)."""
    import jsonschema
    import yaml

    from tests.conftest import ROOT

    schema = yaml.safe_load((ROOT / "workflow" / "schemas" / "config.schema.yaml").read_text("utf-8"))
    jsonschema.validate({"cohorts": ["a" * 64]}, schema)
    with pytest.raises(jsonschema.ValidationError, match="is too long"):
        jsonschema.validate({"cohorts": ["a" * 300]}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"cohorts": ["a"], "input_limits": {"csv_rows": 0}}, schema)


def test_programme_name_has_a_maximum_length(tmp_path: Path) -> None:
    folder = write_tiny_cohort(tmp_path / "c")
    text = (folder / "cohort.yaml").read_text()
    (folder / "cohort.yaml").write_text(text.replace("programme: Tiny Programme", "programme: " + "P" * 300))
    err = run_clean(folder, tmp_path / "out")
    assert err.column == "programme" and Path(err.file).name == "cohort.yaml"


@pytest.mark.parametrize("scales", ["scales:\n", "scales: {}\n", ""])
def test_empty_or_absent_scales_are_accepted_when_every_item_is_numeric(scales: str, tmp_path: Path) -> None:
    """Three hidden reference cohorts failed on `scales:` left empty in an all-numeric instrument (issue 14)."""
    folder = write_tiny_cohort(tmp_path / "c")
    (folder / "instrument.yaml").write_text(
        scales + "items:\n  - id: hours\n    text: Hours spent\n    type: numeric\n"
    )
    (folder / "survey.csv").write_text(
        "response_id,participant_id,group,timepoint,hours\nr1,p1,A,post,2\nr2,p2,B,post,4\n"
    )
    text = (folder / "cohort.yaml").read_text()
    (folder / "cohort.yaml").write_text(text + "combined_groups:\nmodels:\nbreakdowns:\n")
    out = tmp_path / "out"
    clean.run(folder, "c", out / "cohort.json", out / "p.parquet", out / "s.parquet", out / "g.parquet")
    assert (out / "cohort.json").is_file()


def test_an_item_that_needs_a_scale_still_needs_one(tmp_path: Path) -> None:
    folder = write_tiny_cohort(tmp_path / "c")
    text = (folder / "instrument.yaml").read_text()
    (folder / "instrument.yaml").write_text("scales:\n" + text[text.index("items:") :])
    err = run_clean(folder, tmp_path / "out")
    assert Path(err.file).name == "instrument.yaml" and err.column == "items.0.scale"
