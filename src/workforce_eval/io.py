"""Strict readers for a cohort's CSV and YAML input files."""

from __future__ import annotations

import io as _io
import re
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .errors import InputError

_PANDAS_LINE = re.compile(r"line (\d+)")


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false are booleans, so `levels: [No, Yes]` stays text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml_text(text: str) -> Any:
    """Parse YAML text with YAML 1.2 booleans."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader


def decode(path: Path) -> str:
    """Read a file as UTF-8 (a BOM is tolerated); a bad byte is an InputError naming its row."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, expected="the file to exist", found="no such file") from None
    except IsADirectoryError:
        raise InputError(path, expected="a file", found="a directory") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start : exc.start + 1].hex()
        raise InputError(path, row=row, expected="UTF-8 text", found=f"the byte 0x{bad}, which is not UTF-8") from None


def read_csv(path: Path) -> pd.DataFrame:
    """Read a CSV as text: every cell a string, blank (or all-space) cells missing; row 1 is the header."""
    text = decode(path)
    if not text.strip():
        raise InputError(path, row=1, expected="a header row and data rows", found="an empty file")
    try:
        frame = pd.read_csv(
            _io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=True,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        match = _PANDAS_LINE.search(str(exc))
        row = int(match.group(1)) if match else None
        raise InputError(
            path, row=row, expected="the same number of cells as the header", found=str(exc).split(". ")[-1].strip()
        ) from None
    except pd.errors.EmptyDataError:
        raise InputError(path, row=1, expected="a header row", found="no columns") from None
    columns = [str(c).strip() for c in frame.columns]
    seen: set[str] = set()
    for position, c in enumerate(columns, start=1):
        if c.startswith("Unnamed:"):  # pandas' name for a blank header cell
            raise InputError(path, row=1, expected="unique, non-blank column names", found=f"a blank name for column {position}")
        if c in seen or re.fullmatch(r".+\.\d+", c) and c.rsplit(".", 1)[0] in seen:
            name = c if c in seen else c.rsplit(".", 1)[0]  # pandas renames a repeated name 'x' to 'x.1'
            raise InputError(path, row=1, column=name, expected="unique, non-blank column names", found=f"{name!r} twice")
        seen.add(c)
    frame.columns = columns
    frame = frame.apply(lambda s: s.str.strip())
    frame = frame.mask(frame == "")
    return frame


def _line_of(node: yaml.Node | None, path: tuple[Any, ...]) -> int | None:
    """1-based line of the YAML node at `path` (keys and list indices), or of the deepest ancestor found."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in path:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == str(key):
                    node = v
                    line = k.start_mark.line + 1
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line


class YamlDoc:
    """A parsed YAML file that can tell the line of any key path, for error messages."""

    def __init__(self, path: Path) -> None:
        self.path = path
        text = decode(path)
        try:
            self.node = yaml.compose(text, Loader=_Loader)
            self.data: Any = load_yaml_text(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            row = mark.line + 1 if mark is not None else None
            problem = getattr(exc, "problem", None) or str(exc)
            context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
            if context and start is not None and start.line + 1 != row:
                problem = f"{problem} ({context} that starts in row {start.line + 1})"
            raise InputError(path, row=row, expected="valid YAML", found=problem) from None
        if self.data is None:
            raise InputError(path, row=1, expected="a YAML mapping", found="an empty file")

    def line(self, *keys: Any) -> int | None:
        """The line where the value at this key path starts."""
        return _line_of(self.node, tuple(keys))

    def error(self, keys: tuple[Any, ...], expected: str, found: object = None) -> InputError:
        """An InputError located at a key path of this file."""
        key = ".".join(str(k) for k in keys) if keys else None
        return InputError(
            self.path, row=self.line(*keys), column=key, expected=expected, found=found, column_word="key"
        )
