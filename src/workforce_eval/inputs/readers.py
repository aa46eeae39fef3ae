"""Strict readers for a cohort's CSV and YAML input files."""

from __future__ import annotations

import csv
import io as _io
import mmap
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from yaml.composer import ComposerError

from workforce_eval.errors import InputError
from workforce_eval.inputs import limits

_PANDAS_LINE = re.compile(r"line (\d+)")


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans (only true/false are booleans, so `levels: [No, Yes]` stays text),
    duplicate keys as errors, and the limits of `inputs/limits.py`: nesting depth, number of aliases and
    the size of the document with its aliases expanded (billion laughs)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._limits = limits.current()
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        mark = self.peek_event().start_mark
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > self._limits.yaml_aliases:
                raise ComposerError(None, None, f"more than {self._limits.yaml_aliases} aliases (*name)", mark)
        self._depth += 1
        try:
            if self._depth > self._limits.yaml_depth:
                raise ComposerError(None, None, f"nesting deeper than {self._limits.yaml_depth} levels", mark)
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if isinstance(node, yaml.MappingNode):
            _check_duplicate_keys(node)
        return node

    def compose_document(self) -> yaml.Node | None:
        node = super().compose_document()
        if node is not None and self._aliases:
            _check_expanded_size(node, self._limits.yaml_nodes)
        return node


def _check_duplicate_keys(node: yaml.MappingNode) -> None:
    """A key given twice in one mapping is an error at its second occurrence."""
    first: dict[str, int] = {}
    for key, _value in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.value == "<<":
            continue
        if key.value in first:
            raise ComposerError(
                None, None, f"the key {key.value!r} a second time (first in row {first[key.value]})", key.start_mark
            )
        first[key.value] = key.start_mark.line + 1


def _check_expanded_size(root: yaml.Node, budget: int) -> None:
    """The number of nodes with aliases expanded (shared nodes counted each time) must stay within `budget`."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        if not done:
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        size = 1 + sum(sizes[id(c)] for c in children)
        if size > budget:
            raise ComposerError(None, None, f"more than {budget} values once its aliases are expanded", node.start_mark)
        sizes[id(node)] = size


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml_text(text: str) -> Any:
    """Parse YAML text with YAML 1.2 booleans."""
    return yaml.load(text, Loader=_Loader)


def decode(path: Path, max_bytes: int | None = None, *, checked: bool = False) -> str:
    """Read a file as UTF-8 (a BOM is tolerated); a bad byte is an InputError naming its row.

    The file must be a regular file within the size limit (`max_bytes`, default the text limit of
    `inputs/limits.py`) without NUL bytes or overlong lines; `checked` when the caller already scanned it.
    """
    try:
        if not checked:
            limits.check_text(path, csv=False, max_bytes=max_bytes)
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


def yaml_or_none(path: Path) -> Any:
    """The data of a YAML file read with every check and limit, or None when it is missing or bad in any way.

    For the workflow's look at cohort.yaml while the DAG is built: a bad file must not stop the other
    cohorts (the clean step reports it).
    """
    try:
        return YamlDoc(path).data
    except (InputError, OSError):
        return None


def read_csv(path: Path, categorical: Collection[str] = ()) -> pd.DataFrame:
    """Read a CSV as text: every cell a string, blank (or all-space) cells missing; row 1 is the header.

    Columns named in `categorical` (answers from a short list, e.g. likert items) come back as
    pandas Categoricals of the same stripped text: far less memory, and labels can then be
    checked once per distinct answer. Well-formed files are parsed by pyarrow (multi-threaded,
    no Python per cell); anything pyarrow rejects (bad bytes, ragged rows, values spanning
    lines, odd headers) is read again by the pandas reader, which gives the same frame and
    locates the problem exactly.
    """
    try:
        limits.check_text(path, csv=True)
    except FileNotFoundError:
        raise InputError(path, expected="the file to exist", found="no such file") from None
    fast = _read_csv_arrow(path, set(categorical))
    if fast is not None:
        return fast
    frame = _read_csv_pandas(path)
    for name in categorical:
        if name in frame.columns:
            frame[name] = _as_categorical(frame[name])
    return frame


def _as_categorical(values: pd.Series) -> pd.Series:
    """Stripped text (missing as NaN) as a pandas Categorical of the same values."""
    codes, uniques = pd.factorize(values)
    categories = pd.Index([str(u) for u in uniques])
    return pd.Series(pd.Categorical.from_codes(codes, categories=categories), index=values.index)


def _strip_categorical(values: pd.Series) -> pd.Series:
    """A Categorical of raw text with its categories stripped, blank ones missing and duplicates merged."""
    cats = [str(c).strip() for c in values.cat.categories]
    if cats == list(values.cat.categories) and "" not in cats:
        return values
    unique = list(dict.fromkeys(c for c in cats if c))
    position = {c: i for i, c in enumerate(unique)}
    remap = np.array([position.get(c, -1) for c in cats] + [-1], dtype=np.int64)  # last: missing (-1)
    codes = remap[values.cat.codes.to_numpy()]
    return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(unique)), index=values.index)


def _header(path: Path) -> list[str] | None:
    """The raw column names of a CSV's first line (BOM removed), or None if the line is not plain."""
    with path.open("rb") as handle:
        first = handle.readline()
    try:
        line = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if line.count('"') % 2:
        return None  # a quoted name spanning lines: leave it to the careful reader
    names = next(csv.reader([line]), [])
    stripped = [n.strip() for n in names]
    if not names or any(not n for n in stripped) or len(set(stripped)) != len(stripped):
        return None
    return names


def _quoted_data(path: Path) -> bool:
    """True when any line after the header contains a double quote (memory-mapped scan, no copy)."""
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return data.find(b'"', data.find(b"\n") + 1) != -1


def _read_csv_arrow(path: Path, categorical: set[str]) -> pd.DataFrame | None:
    """The fast path of `read_csv`; None when pyarrow cannot read the file as a plain table of text."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    try:
        names = _header(path)
    except (FileNotFoundError, IsADirectoryError):
        return None
    if names is None:
        return None
    dictionary = pa.dictionary(pa.int32(), pa.string())
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(use_threads=True),
            # a value may span lines only inside quotes: without quotes in the data, blocks can be
            # split at any line end (faster); with them, the reader checks quoting across blocks
            parse_options=pacsv.ParseOptions(newlines_in_values=_quoted_data(path), ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(
                column_types={n: dictionary if n.strip() in categorical else pa.string() for n in names},
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                null_values=[""],
                check_utf8=True,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError):
        return None
    if table.column_names != names:
        return None
    empty = pa.scalar(None, pa.string())
    columns: dict[str, pd.Series] = {}
    for name in names:
        if name.strip() in categorical:
            columns[name.strip()] = _strip_categorical(table.column(name).to_pandas())
            continue
        col = pc.utf8_trim_whitespace(table.column(name))
        blank = pc.equal(col, "")
        if pc.any(blank).as_py():
            col = pc.if_else(blank, empty, col)
        columns[name.strip()] = col.to_pandas()
    return pd.DataFrame(columns)


def _read_csv_pandas(path: Path) -> pd.DataFrame:
    """The careful path of `read_csv`: decode in Python, parse with pandas, locate every problem."""
    text = decode(path, checked=True)
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
            raise InputError(
                path, row=1, expected="unique, non-blank column names", found=f"a blank name for column {position}"
            )
        if c in seen or (re.fullmatch(r".+\.\d+", c) and c.rsplit(".", 1)[0] in seen):
            name = c if c in seen else c.rsplit(".", 1)[0]  # pandas renames a repeated name 'x' to 'x.1'
            raise InputError(
                path, row=1, column=name, expected="unique, non-blank column names", found=f"{name!r} twice"
            )
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
        text = decode(path, limits.current().yaml_bytes)
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


def csv_row(index: object) -> int:
    """1-based row in the file of a DataFrame index read from a CSV (header = row 1)."""
    return int(index) + 2  # type: ignore[call-overload]  # a CSV frame's index labels are ints
