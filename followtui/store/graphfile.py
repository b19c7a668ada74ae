"""``graph.jsonl``: the graph as JSON Lines, read line by line so the whole file is never parsed at once.

Line 1 is a header: ``{"format": "followtui-graph", "version": 2, "me": …, "fields": …, "counts": …}``. Then one
tagged row per line: ``["a", account]``, ``["r", relationship]``, ``["m", mention]``, ``["p", own post]`` (rows
as in ``store/rows.py``, in the header's field order). Parsing a 90 MB TinyDB file in one ``orjson.loads`` peaks
near 600 MiB at 100,000 accounts; line by line into rows it stays under 200 MiB. The file is replaced atomically
(temp file, fsync, rename, directory fsync), so a ``kill -9`` leaves the old graph or the new one.

Format 1 was ``graph.json`` in TinyDB's layout; ``read_legacy`` reads it once, to migrate.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from followtui import gcpolicy
from followtui.durable import replacing
from followtui.store.errors import StoreCorrupt, StoreError
from followtui.store.rows import A_ID, Doc, Layout, Row, account_row, post_row, relationship_row

GRAPH_FILE = "graph.jsonl"
LEGACY_GRAPH_FILE = "graph.json"  # format 1
MAGIC = "followtui-graph"
VERSION = 2
_CHUNK = 2000  # rows per write call


@dataclass
class GraphData:
    """Everything the graph file holds, as rows keyed by account ID."""

    me: Doc | None = None
    accounts: dict[str, Row] = field(default_factory=dict)
    relationships: dict[str, Row] = field(default_factory=dict)
    mentions: list[Row] = field(default_factory=list)
    my_posts: list[Row] = field(default_factory=list)


def read_graph(path: Path) -> GraphData:
    """Read ``graph.jsonl`` (an empty graph if there is none); raises StoreCorrupt or StoreError (too new)."""
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        return GraphData()
    except OSError as exc:
        raise StoreCorrupt(path, f"cannot read it: {exc.strerror or exc}") from exc
    with fh, gcpolicy.paused():
        try:
            return _read(fh, path)
        except OSError as exc:
            raise StoreCorrupt(path, f"cannot read it: {exc.strerror or exc}") from exc


def _read(fh: BinaryIO, path: Path) -> GraphData:
    header = _header(fh.readline(), path)
    layout = _layout(header, path)
    account, relationship, post = layout.adapt()
    data = GraphData(me=header.get("me"))
    accounts, relationships = data.accounts, data.relationships
    loads = orjson.loads
    lineno = 1
    for lineno, line in enumerate(fh, 2):
        try:
            tag, row = loads(line)
            if tag == "a":
                row = account(row)
                accounts[row[A_ID]] = row
            elif tag == "r":
                row = relationship(row)
                relationships[row[0]] = row
            elif tag == "m":
                data.mentions.append(post(row))
            elif tag == "p":
                data.my_posts.append(post(row))
            else:
                raise ValueError(f"unknown record type {tag!r}")
        except (orjson.JSONDecodeError, ValueError, TypeError, IndexError, KeyError, AttributeError) as exc:
            raise StoreCorrupt(path, f"line {lineno} is not a graph record ({exc})") from exc
    counts = header.get("counts") or {}
    if counts.get("accounts") != len(accounts) or counts.get("relationships") != len(relationships):
        raise StoreCorrupt(path, f"it ends early or holds duplicates (line {lineno}; expected {counts})")
    return data


def _header(line: bytes, path: Path) -> dict[str, Any]:
    try:
        header = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise StoreCorrupt(path, f"the first line is not a graph header ({exc})") from exc
    if not isinstance(header, dict) or header.get("format") != MAGIC:
        raise StoreCorrupt(path, "the first line is not a followtui graph header")
    version = header.get("version")
    if not isinstance(version, int):
        raise StoreCorrupt(path, f"the header's version is missing or not a number: {version!r}")
    if version > VERSION:
        raise StoreError(
            f"{path} was written by a newer followtui (graph format {version}; this one reads {VERSION}). "
            "Upgrade followtui to open it."
        )
    return header


def _layout(header: dict[str, Any], path: Path) -> Layout:
    try:
        return Layout.from_doc(header.get("fields") or {})
    except ValueError as exc:
        raise StoreCorrupt(path, f"the header's field lists are damaged ({exc})") from exc


def write_graph(path: Path, data: GraphData, *, fsync: bool = True) -> None:
    """Replace ``path`` with ``data`` atomically (the file is 0600)."""
    with replacing(path, fsync=fsync) as fh:
        for chunk in _lines(data):
            fh.write(chunk)


def _lines(data: GraphData) -> Iterator[bytes]:
    dumps, nl = orjson.dumps, orjson.OPT_APPEND_NEWLINE
    header = {
        "format": MAGIC,
        "version": VERSION,
        "me": data.me,
        "fields": Layout().to_doc(),
        "counts": {"accounts": len(data.accounts), "relationships": len(data.relationships)},
    }
    yield dumps(header, option=nl)
    yield b"".join(dumps(["m", row], option=nl) for row in data.mentions)
    yield b"".join(dumps(["p", row], option=nl) for row in data.my_posts)
    for tag, table in (("a", data.accounts), ("r", data.relationships)):
        rows = list(table.values())
        for start in range(0, len(rows), _CHUNK):
            yield b"".join(dumps([tag, row], option=nl) for row in rows[start : start + _CHUNK])


def read_legacy(path: Path) -> tuple[GraphData, int]:
    """A format-1 ``graph.json`` (TinyDB's layout) as rows, with the format version its meta records."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise StoreCorrupt(path, f"cannot read it: {exc.strerror or exc}") from exc
    try:
        with gcpolicy.paused():
            tables = orjson.loads(raw)
        del raw
        if not isinstance(tables, dict):
            raise TypeError("expected an object of tables")
        meta = (tables.get("meta") or {}).get("1") or {}
        version = int(meta.get("format_version", 1))
        data = GraphData(me=meta.get("me"))
        with gcpolicy.paused():
            for key, doc in (tables.pop("accounts", None) or {}).items():
                data.accounts[key] = account_row(doc)
            for key, doc in (tables.pop("relationships", None) or {}).items():
                data.relationships[key] = relationship_row(doc)
        for name, target in (("mentions", data.mentions), ("my_posts", data.my_posts)):
            table = tables.get(name) or {}
            target.extend(post_row(doc) for _, doc in sorted(table.items(), key=lambda kv: int(kv[0])))
    except (orjson.JSONDecodeError, ValueError, TypeError, AttributeError) as exc:
        raise StoreCorrupt(path, f"not a followtui graph ({type(exc).__name__}: {exc})") from exc
    return data, version
