"""A small validator for the vendored AT Protocol lexicons (``lexicons/*.json``, from ``@atproto/api`` 0.20.44).

Checks what a client or the fake could get wrong: types, required fields, unknown fields, string formats and
lengths, integer bounds, array items, refs and unions. Refs to lexicons not vendored (embeds) are accepted.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

LEXICONS = Path(__file__).with_name("lexicons")
_FORMATS = {
    "did": re.compile(r"^did:[a-z]+:[a-zA-Z0-9._:%-]+$"),
    "handle": re.compile(r"^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$"),
    "datetime": re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$"),
    "at-uri": re.compile(r"^at://[^/\s]+(/[a-zA-Z0-9.-]+(/[a-zA-Z0-9._~:-]+)?)?$"),
    "uri": re.compile(r"^[a-z][a-z0-9+.-]*:\S+$"),
    "nsid": re.compile(r"^[a-zA-Z]([a-zA-Z0-9-]*\.)+[a-zA-Z][a-zA-Z0-9]*$"),
    "cid": re.compile(r"^[a-zA-Z0-9+=]{8,}$"),
    "record-key": re.compile(r"^[a-zA-Z0-9._:~-]{1,512}$"),
    "tid": re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$"),
}


@cache
def lexicon(nsid: str) -> dict[str, Any] | None:
    path = LEXICONS / f"{nsid}.json"
    return json.loads(path.read_text()) if path.exists() else None


def main_def(nsid: str) -> dict[str, Any]:
    doc = lexicon(nsid)
    if doc is None:
        raise KeyError(f"lexicon {nsid} is not vendored")
    return dict(doc["defs"]["main"])


def resolve(ref: str, context: str) -> tuple[str, dict[str, Any]] | None:
    """The (lexicon id, definition) a ref names, or None when that lexicon is not vendored."""
    ref = ref.removeprefix("lex:")
    nsid, _, name = ref.partition("#")
    nsid = nsid or context
    doc = lexicon(nsid)
    if doc is None:
        return None
    return nsid, doc["defs"][name or "main"]


def validate(value: Any, schema: dict[str, Any], context: str, where: str = "$") -> list[str]:
    """Problems with ``value`` against ``schema`` (a def inside lexicon ``context``); empty when it conforms."""
    kind = schema.get("type")
    if kind == "ref":
        target = resolve(schema["ref"], context)
        return [] if target is None else validate(value, target[1], target[0], where)
    if kind == "union":
        return _union(value, schema, context, where)
    if kind in ("object", "params"):
        return _object(value, schema, context, where)
    if kind == "record":
        return _object(value, schema["record"], context, where)
    if kind == "array":
        if not isinstance(value, list):
            return [f"{where}: expected an array"]
        problems = (
            [f"{where}: more than {schema['maxLength']} items"] if len(value) > schema.get("maxLength", 1e9) else []
        )
        for i, item in enumerate(value):
            problems += validate(item, schema["items"], context, f"{where}[{i}]")
        return problems
    if kind == "string":
        return _string(value, schema, where)
    if kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            return [f"{where}: expected an integer"]
        if value < schema.get("minimum", -(2**63)) or value > schema.get("maximum", 2**63):
            return [f"{where}: {value} out of bounds"]
        return []
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{where}: expected a boolean"]
    if kind == "unknown":
        return [] if isinstance(value, dict) else [f"{where}: expected an object"]
    if kind == "token":
        return [f"{where}: a token is not a value"]
    return []  # blob, bytes, cid-link: not used by followtui


def _object(value: Any, schema: dict[str, Any], context: str, where: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where}: expected an object"]
    properties: dict[str, Any] = schema.get("properties", {})
    problems = [f"{where}: missing {name!r}" for name in schema.get("required", []) if name not in value]
    for name, item in value.items():
        if name == "$type":
            continue
        if name not in properties:
            problems.append(f"{where}: unknown field {name!r}")
        elif item is None and name in schema.get("nullable", []):
            continue
        else:
            problems += validate(item, properties[name], context, f"{where}.{name}")
    return problems


def _union(value: Any, schema: dict[str, Any], context: str, where: str) -> list[str]:
    if not isinstance(value, dict) or not isinstance(value.get("$type"), str):
        return [f"{where}: a union member needs a $type"]
    refs = {r.removeprefix("lex:") for r in schema["refs"]}
    kind = value["$type"].removesuffix("#main")
    local = {f"{context}{r}" if r.startswith("#") else r for r in refs}
    if kind not in local and f"{kind}#main" not in local:
        return [f"{where}: $type {kind!r} not in the union"] if schema.get("closed") else []
    target = resolve(kind, context)
    return [] if target is None else validate(value, target[1], target[0], where)


def _string(value: Any, schema: dict[str, Any], where: str) -> list[str]:
    if not isinstance(value, str):
        return [f"{where}: expected a string"]
    problems = []
    if len(value.encode()) > schema.get("maxLength", 1e9) or len(value) < schema.get("minLength", 0):
        problems.append(f"{where}: length out of bounds")
    fmt = schema.get("format")
    if fmt == "at-identifier":
        if not (_FORMATS["did"].match(value) or _FORMATS["handle"].match(value)):
            problems.append(f"{where}: {value!r} is neither a DID nor a handle")
    elif fmt in _FORMATS and not _FORMATS[fmt].match(value):
        problems.append(f"{where}: {value!r} is not a {fmt}")
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} not in {schema['enum']}")
    return problems


def params_from_query(pairs: list[tuple[str, str]], schema: dict[str, Any] | None) -> tuple[dict[str, Any], list[str]]:
    """Query-string pairs as typed parameters (integers, booleans, arrays), and the problems found."""
    properties = (schema or {}).get("properties", {})
    out: dict[str, Any] = {}
    problems: list[str] = []
    for name, raw in pairs:
        spec = properties.get(name)
        if spec is None:
            problems.append(f"params: unknown parameter {name!r}")
            continue
        kind = spec.get("type")
        item: Any = raw
        if kind == "integer" or (kind == "array" and spec["items"].get("type") == "integer"):
            try:
                item = int(raw)
            except ValueError:
                problems.append(f"params.{name}: {raw!r} is not an integer")
        elif kind == "boolean":
            item = {"true": True, "false": False}.get(raw, raw)
        if kind == "array":
            out.setdefault(name, []).append(item)
        elif name in out:
            problems.append(f"params.{name}: repeated")
        else:
            out[name] = item
    return out, problems
