"""The snapshot comparison (tests/e2e/snapshot.py): byte-exact cells, except the CPU-dependent model digits."""

from __future__ import annotations

from pathlib import Path

from tests.e2e import snapshot

HEADER = "analysis,measure,item,group,source,estimate,n,ci_low,ci_high,p_value,method,suppressed\n"


def _write(path: Path, *rows: str) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), "utf-8")
    return path


def test_model_digits_beyond_the_cpu_tolerance_pass_and_larger_changes_fail(tmp_path: Path) -> None:
    snap = _write(tmp_path / "a.csv", "model,coefficient,m:x,all,,0.123456789012,700,0.1,0.2,0.01,logit,false")
    # the 6th significant digit, as an AVX2 and an AVX-512 OpenBLAS differ for an ordinal model's errors
    close = _write(tmp_path / "b.csv", "model,coefficient,m:x,all,,0.123457289034,700,0.1,0.2,0.01,logit,false")
    assert snapshot.register_diff(snap, close) == ""
    moved = _write(tmp_path / "c.csv", "model,coefficient,m:x,all,,0.1237,700,0.1,0.2,0.01,logit,false")
    assert "estimate: '0.123456789012' -> '0.1237'" in snapshot.register_diff(snap, moved)
    method = _write(tmp_path / "d.csv", "model,coefficient,m:x,all,,0.123456789012,700,0.1,0.2,0.01,ols,false")
    assert "method: 'logit' -> 'ols'" in snapshot.register_diff(snap, method)


def test_other_families_are_compared_to_the_byte(tmp_path: Path) -> None:
    snap = _write(tmp_path / "a.csv", "item,pct_agree,q1,all,,62.500000000001,5,30.1,86.3,,wilson,false")
    close = _write(tmp_path / "b.csv", "item,pct_agree,q1,all,,62.500000000002,5,30.1,86.3,,wilson,false")
    assert "estimate: '62.500000000001' -> '62.500000000002'" in snapshot.register_diff(snap, close)
