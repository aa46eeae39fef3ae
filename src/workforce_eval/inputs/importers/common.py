"""What every importer shares: the result type, size limits, CSV writing and the code tree onto the codebook."""

from __future__ import annotations

import csv
import errno
import io
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from workforce_eval.errors import InputError
from workforce_eval.inputs.spec import Codebook, Source

log = logging.getLogger("workforce_eval.import")

#: The largest export file read (bytes): a larger one is refused rather than read into memory.
MAX_EXPORT_BYTES = 200 * 1024 * 1024


@dataclass
class Imported:
    """Contract files made from one export: file name -> text; notes for the evaluator (guesses, skipped parts)."""

    files: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: Where each made file's rows and columns come from (`origin`), for messages about the user's own export.
    origins: dict[str, dict[str, Any]] = field(default_factory=dict)

    def origin(self, name: str, rows: list[Any], columns: dict[str, tuple[str, str]], kind: str = "row") -> None:
        """Record the export row (or element, kind "element") of each data row of a made file, and for its
        columns the export's column (or element) and the mapping key."""
        self.origins[name] = {"rows": rows, "kind": kind, "columns": {k: list(v) for k, v in columns.items()}}

    def note(self, text: str) -> None:
        """Record (and log) something the evaluator should know about the import."""
        self.notes.append(text)
        log.warning("%s", text)


def check_inside(root: Path, path: Path) -> None:
    """Refuse a path that leaves `root` (`..`, an absolute path) or passes through a symbolic link on the way.

    Every folder between `root` and the file, and the file itself, is looked at with lstat: a link is refused
    whatever it points at, so an export (or a project's `sources/`) can never be another folder's file.
    """
    root, path = Path(os.path.abspath(root)), Path(os.path.abspath(path))
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        raise InputError(path, expected=f"a file inside the cohort folder {root}", found="a path outside it") from None
    here = root
    for part in parts:
        here = here / part
        try:
            mode = os.lstat(here).st_mode
        except FileNotFoundError:
            return  # the reader says it is missing
        except OSError as exc:
            raise InputError(here, expected="a readable file", found=exc.strerror or type(exc).__name__) from None
        if stat.S_ISLNK(mode):
            raise InputError(here, expected="a regular file or folder, not a symbolic link (never followed)",
                             found="a symbolic link")  # fmt: skip


def read_export(path: Path, limit: int = MAX_EXPORT_BYTES, root: Path | None = None) -> bytes:
    """The bytes of an export file, refusing a missing, linked, non-regular or oversized one.

    The file is opened with O_NOFOLLOW and checked with fstat (a regular file), so a link or a FIFO swapped
    in after a check is refused too; with `root`, every folder from `root` down is checked (`check_inside`).
    """
    path = Path(path)
    check_inside(root if root is not None else path.parent, path)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(
            path, expected="the export file named under sources: in cohort.yaml", found="no such file"
        ) from None
    except OSError as exc:
        found = "a symbolic link" if exc.errno == errno.ELOOP else exc.strerror or type(exc).__name__
        raise InputError(path, expected="a regular file, not a symbolic link (never followed)", found=found) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise InputError(path, expected="a regular file", found="a folder, device or pipe")
        if info.st_size > limit:
            raise InputError(path, expected=f"an export of at most {limit} bytes", found=f"{info.st_size} bytes")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputError(path, expected=f"an export of at most {limit} bytes", found="more")
    return data


def decode_export(path: Path, data: bytes, what: str = "UTF-8 text") -> str:
    """Export bytes as text (UTF-8, a BOM tolerated); a bad byte is an InputError naming its row."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise InputError(
            path, row=row, expected=what, found=f"the byte 0x{data[exc.start : exc.start + 1].hex()}"
        ) from None


def csv_rows(path: Path, text: str) -> list[list[str]]:
    """The rows of a CSV export (any newline convention); a malformed one is an InputError."""
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputError(path, expected="a well-formed CSV file", found=str(exc)) from None


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text with LF line ends (deterministic)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def fold(text: str) -> str:
    """A name as compared: NFKC, case-folded, runs of spaces as one."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def slug_id(text: str, taken: set[str], empty: str = "code", prefix: str = "", letter_first: bool = False) -> str:
    """An id made from a name (lower case ASCII, `_` between words), unique among `taken` (which it joins):
    `empty` when nothing is left; with `letter_first`, `prefix` before an id that starts with a digit (an
    instrument item id must start with a letter, a codebook id need not)."""
    base = re.sub(r"[^a-z0-9]+", "_", unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower())
    base = base.strip("_") or empty
    if letter_first and not base[0].isalpha():
        base = prefix + base
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}_{n}", n + 1
    taken.add(ident)
    return ident


def option(source: Source, name: str, default: Any = None) -> Any:
    """A mapping option of a source, or the default."""
    return source.options.get(name, default)


def group_code(source: Source, value: str) -> str:
    """A group value of the export as the cohort's group code (`group_values:` renames values to codes)."""
    renames = option(source, "group_values", {}) or {}
    return str(renames.get(value, value)) if isinstance(renames, dict) else value


def consent_values(source: Source) -> set[str]:
    """The case-variable values meaning 'may be quoted' (folded)."""
    values = option(source, "consent_values", ["yes", "true", "y", "1"])
    return {fold(str(v).lower() if isinstance(v, bool) else str(v)) for v in values}


@dataclass
class TreeNode:
    """A node of an export's code tree: its key in the export, name, description and children."""

    key: str
    name: str
    description: str = ""
    children: list[TreeNode] = field(default_factory=list)


def map_tree(
    export: str | Path, roots: Sequence[TreeNode], source: Source, codebook: Codebook | None, element: str = "Code"
) -> tuple[dict[str, str], str | None]:
    """Map an export's code tree onto theme > subtheme > code.

    Returns (export key of every node at code level or deeper -> code id) and, when the cohort has no
    codebook.yaml, the codebook.yaml text made from the tree. Nodes at depth `theme_level` (default 1)
    are themes, the next level subthemes, the next codes; deeper nodes are collapsed into their
    code-level ancestor unless `collapse_deeper: false`. With a codebook.yaml, the tree's codes are
    matched to it by id or label (case-insensitive); a code it lacks is an InputError.
    """
    top = int(option(source, "theme_level", 1))
    collapse = bool(option(source, "collapse_deeper", True))
    levels: list[tuple[TreeNode, ...]] = []  # (theme, subtheme, code) paths

    def walk(node: TreeNode, path: tuple[TreeNode, ...]) -> None:
        path = path + (node,)
        depth = len(path) - top + 1  # 1 = theme
        if depth >= 3:
            levels.append(path[top - 1 : top + 2] + (node,))
            if depth > 3 and not collapse:
                raise InputError(
                    export,
                    column=f"{element}[{node.key}]",  # its key (a GUID), never its name
                    column_word="element",
                    expected=f"codes at most {top + 2} levels deep (key {source.key('collapse_deeper')} is false)",
                    found=f"depth {len(path)}",
                )
        for child in node.children:
            walk(child, path)

    for root in roots:
        walk(root, ())
    mapping: dict[str, str] = {}
    if codebook is not None:
        by_name: dict[str, str] = {}
        for theme in codebook.themes:
            for sub in theme.children:
                for code in sub.children:
                    by_name.setdefault(fold(code.id), code.id)
                    by_name.setdefault(fold(code.label), code.id)
        for path in levels:
            code_node, node = path[2], path[3]
            ident = by_name.get(fold(code_node.name))
            if ident is None:
                raise InputError(
                    export,
                    column=f"{element}[{code_node.key}]",
                    column_word="element",
                    expected="a code whose name is a code id or label of codebook.yaml",
                    found=f"a name that is neither ({len(code_node.name)} characters; names are not shown)",
                )
            mapping[node.key] = ident
        return mapping, None
    taken: set[str] = set()
    ids: dict[str, str] = {}
    themes: list[dict[str, Any]] = []
    for root in roots:
        for tnode in _at_depth(root, top):
            t: dict[str, Any] = {"id": slug_id(tnode.name, taken), "label": tnode.name or tnode.key, "subthemes": []}
            for snode in tnode.children:
                s: dict[str, Any] = {"id": slug_id(snode.name, taken), "label": snode.name or snode.key, "codes": []}
                for cnode in snode.children:
                    ids[cnode.key] = slug_id(cnode.name, taken)
                    s["codes"].append(
                        {"id": ids[cnode.key], "label": cnode.name or cnode.key, "definition": cnode.description}
                    )
                if s["codes"]:
                    t["subthemes"].append(s)
            if t["subthemes"]:
                themes.append(t)
    for path in levels:
        mapping[path[3].key] = ids[path[2].key]
    text = yaml.safe_dump({"themes": themes}, sort_keys=False, allow_unicode=True, width=100)
    return mapping, f"# Made by the import rule from the code tree of {Path(export).name}.\n" + text


def _at_depth(node: TreeNode, depth: int) -> list[TreeNode]:
    """The nodes `depth - 1` levels below `node` (node itself at depth 1)."""
    nodes = [node]
    for _ in range(depth - 1):
        nodes = [c for n in nodes for c in n.children]
    return nodes
