"""requirements.in, requirements.lock and environment.yml stay in step."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def norm(name: str) -> str:
    """PEP 503 name normalisation (so jupyter_client == jupyter-client)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def top_level() -> list[str]:
    lines = (ROOT / "requirements.in").read_text().splitlines()
    return [norm(x.strip()) for x in lines if x.strip() and not x.strip().startswith("#")]


def lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, sep, version = line.partition("==")
            assert sep, f"requirements.lock line is not pinned with ==: {line!r}"
            pins[norm(name)] = version
    return pins


def conda() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    out = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str):
            name, _, version = dep.partition("=")
            out[norm(name)] = version
    return out


def test_every_top_level_requirement_is_pinned_in_the_lock() -> None:
    pins = lock()
    missing = [name for name in top_level() if name not in pins]
    assert not missing, f"in requirements.in but not in requirements.lock: {missing}"


def test_environment_yml_lists_the_same_packages_at_the_locked_versions() -> None:
    pins, env = lock(), conda()
    assert env.get("python") == "3.11"
    for name in top_level():
        assert name in env, f"{name} is in requirements.in but not in environment.yml"
        assert env[name] == pins[name], f"{name}: environment.yml has {env[name]}, requirements.lock has {pins[name]}"
    extra = sorted(set(env) - set(top_level()) - {"python", "pip"})
    assert not extra, f"environment.yml lists packages that requirements.in does not: {extra}"


def test_installed_versions_match_the_lock() -> None:
    from importlib.metadata import PackageNotFoundError, version

    pins = lock()
    wrong = []
    for name in top_level():
        try:
            installed = version(name)
        except PackageNotFoundError:
            wrong.append(f"{name} not installed")
            continue
        if installed != pins[name]:
            wrong.append(f"{name} {installed} != {pins[name]}")
    assert not wrong, "the environment differs from requirements.lock: " + "; ".join(wrong)


def test_rule_environment_matches_environment_yml() -> None:
    rule_env = yaml.safe_load((ROOT / "workflow" / "envs" / "pipeline.yaml").read_text())
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    plain = [d for d in env["dependencies"] if isinstance(d, str)]
    assert rule_env["dependencies"] == plain
    assert rule_env["channels"] == env["channels"]
