"""Files are written whole or not at all (issue 14: nothing partial after a failure)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from workforce_eval import atomic, register


def test_a_failed_write_leaves_the_old_file_and_no_partial_one(tmp_path: Path) -> None:
    target = tmp_path / "out" / "statistics.csv"
    atomic.write_text(target, "old\n")
    with pytest.raises(RuntimeError), atomic.replacing(target) as tmp:
        tmp.write_text("half a fi", encoding="utf-8")
        raise RuntimeError("killed mid-write")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["statistics.csv"]


def test_the_partial_file_is_hidden_next_to_the_target(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    with atomic.replacing(target) as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".") and tmp.suffix == ".html"
        assert not target.exists()  # nothing under the real name until the write is whole
        tmp.write_bytes(b"<html></html>")
    assert target.read_bytes() == b"<html></html>" and not tmp.exists()


def test_register_write_failing_mid_frame_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A register write that dies in pandas leaves neither a truncated statistics.csv nor a temp file."""
    path = tmp_path / "statistics.csv"

    def boom(self: pd.DataFrame, *args: object, **kwargs: object) -> None:
        Path(str(args[0])).write_text("analysis,meas", encoding="utf-8")  # a truncated first line
        raise OSError("No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", boom)
    with pytest.raises(OSError):
        register.write(register.to_frame([]), path)
    assert list(tmp_path.iterdir()) == []
