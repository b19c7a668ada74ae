"""The X API v2 OpenAPI spec, loaded once per process, and the checks FakeX runs on every exchange.

openapi-core 0.23 does the schema work: path and operation lookup, parameter deserialisation by ``style``/``explode``
(``user.fields=a,b`` is an array), parameter, request-body and response schemas (``default`` included). On top of
it this module checks what openapi-core does not: repeated and undeclared query parameters, unknown keys in JSON
request bodies, the auth scheme and OAuth 2.0 scopes against the operation's ``security`` (openapi-core cannot tell
an app-only Bearer from a user Bearer and skips OAuth 2.0), Problem objects against the subtype their ``type``
discriminator names (openapi-core ignores ``discriminator``), that users, posts and lists carry only the default
fields plus the ones asked for with ``user.fields``/``tweet.fields``/``list.fields``, and that their ``created_at``
has the ``.000Z`` milliseconds X always sends (tweepy needs them; the spec's ``date-time`` does not).

Cost: jsonschema needs ~0.4 ms per user object here, so a 1,000-user page would take ~0.4 s. Responses are therefore
validated on a sample: the whole envelope, and of every array in ``data``/``includes``/``errors`` the first two, the
last two, three evenly spaced items and one item that rotates from response to response.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from openapi_core.validation.request.validators import V30RequestValidator
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPEC_ENV = "FOLLOWTUI_X_OPENAPI"
# xdevplatform/docs openapi.json at 541ef718dee369f983db8af9e710b22e79951218 (info.version 2.166), as served by
# https://api.x.com/2/openapi.json on 2026-07-06, vendored next to this module as openapi.json.
SPEC_SHA256 = "42d4df1c7a449768845716343e009082f45dfb53345353303eec18a8a16b6e54"
JSON = "application/json"
PROBLEM_JSON = "application/problem+json"
SCHEME_KIND = {"BearerToken": "app", "OAuth2UserToken": "oauth2-user", "UserToken": "oauth1"}
KIND_NAME = {
    "app": "OAuth 2.0 Application-Only",
    "oauth2-user": "OAuth 2.0 User Context",
    "oauth1": "OAuth 1.0a User Context",
}
DEFAULT_FIELDS = {
    "User": ("user.fields", frozenset({"id", "name", "username"})),
    "Tweet": ("tweet.fields", frozenset({"id", "text", "edit_history_tweet_ids"})),
    "List": ("list.fields", frozenset({"id", "name"})),
}
_URN = "urn:x-openapi"
# The spec's date-time also allows "2024-01-01T00:00:00Z", but X always sends milliseconds and tweepy 4.17 cannot
# parse a timestamp without them: FakeX holds its own output to the stricter wire form.
_X_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def spec_path() -> Path:
    """``$FOLLOWTUI_X_OPENAPI``, else the copy next to this file (X's spec v2.166, verbatim: see SPEC_SHA256)."""
    env = os.environ.get(SPEC_ENV)
    return Path(env) if env else Path(__file__).with_name("openapi.json")


class _NoSecurityRequestValidator(V30RequestValidator):
    """Parameters and body only: ``Spec.check_auth`` does security, knowing which Bearer tokens are app-only."""

    def _get_security(self, parameters: Any, operation: Any) -> dict[str, str] | None:
        return None


@dataclass(frozen=True)
class Operation:
    """One method on one spec path, with what the checks need precomputed."""

    method: str
    template: str
    route: str  # "GET /2/users/:id/followers": the key for limits and faults
    regex: re.Pattern[str]
    query: frozenset[str]
    auth: dict[str, tuple[str, ...]]  # auth kind -> required OAuth 2.0 scopes
    body_schema: dict[str, Any] | None
    data_kind: str | None  # "User", "Tweet" or "List" when ``data`` holds those


def route_of(method: str, template: str) -> str:
    """``GET /2/users/{id}/followers`` -> ``GET /2/users/:id/followers``."""
    return method.upper() + " " + re.sub(r"\{(\w+)\}", r":\1", template)


class Spec:
    """The loaded spec: ``match`` a request, then ``check_request``, ``check_auth`` and ``check_response``."""

    def __init__(self, raw: dict[str, Any], path: Path) -> None:
        started = time.perf_counter()
        self.raw = raw
        self.path = path
        self.server = str(raw["servers"][0]["url"])
        config = Config(
            spec_validator_cls=None,  # openapi-spec-validator passes this spec but costs ~3 s per load
            request_validator_cls=_NoSecurityRequestValidator,
            extra_media_type_deserializers={PROBLEM_JSON: json.loads},
        )
        self._api = OpenAPI.from_dict(raw, config=config)
        self._registry: Registry[Any] = Registry().with_resource(
            _URN, Resource.from_contents(raw, default_specification=DRAFT4)
        )
        self._subtypes: dict[str, str] = {
            kind: ref.rsplit("/", 1)[1]
            for kind, ref in raw["components"]["schemas"]["Problem"]["discriminator"]["mapping"].items()
        }
        # X's real 402 CreditsDepleted body names a problem type the spec has no subtype for (OFF_SPEC_PROBLEMS).
        self._subtypes.update(dict.fromkeys(OFF_SPEC_PROBLEMS, "Problem"))
        self._validators: dict[str, OAS30Validator] = {}
        self._lock = threading.Lock()
        self._turn = 0
        self.operations = [
            self._operation(m.upper(), t, o)
            for t, item in raw["paths"].items()
            for m, o in item.items()
            if m in ("get", "put", "post", "delete", "patch")
        ]
        # literal segments before placeholders, so /2/users/me wins over /2/users/{id}
        self.operations.sort(key=lambda op: (op.template.count("{"), -len(op.template)))
        self.by_route = {op.route: op for op in self.operations}
        self.load_seconds = time.perf_counter() - started

    # -- index -----------------------------------------------------------------------------------------------------

    def resolve(self, node: Any) -> Any:
        """Follow a local ``$ref`` (repeatedly)."""
        while isinstance(node, dict) and "$ref" in node:
            target: Any = self.raw
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            node = target
        return node

    def _operation(self, method: str, template: str, op: dict[str, Any]) -> Operation:
        params = [self.resolve(p) for p in op.get("parameters", [])]
        auth: dict[str, tuple[str, ...]] = {}
        for requirement in op.get("security", []):
            for scheme, scopes in requirement.items():
                auth[SCHEME_KIND[scheme]] = tuple(scopes)
        body = op.get("requestBody", {}).get("content", {}).get(JSON, {}).get("schema")
        ok = op.get("responses", {}).get("200", op.get("responses", {}).get("201", {}))
        data = self.resolve(ok.get("content", {}).get(JSON, {}).get("schema", {})).get("properties", {}).get("data", {})
        ref = (data.get("items", data) if isinstance(data, dict) else {}).get("$ref", "")
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        return Operation(
            method=method,
            template=template,
            route=route_of(method, template),
            regex=re.compile(f"^{pattern}$"),
            query=frozenset(p["name"] for p in params if p["in"] == "query"),
            auth=auth,
            body_schema=self.resolve(body) if body else None,
            data_kind=ref.rsplit("/", 1)[-1] if ref.rsplit("/", 1)[-1] in DEFAULT_FIELDS else None,
        )

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        """The spec operation for ``method path`` and its path parameters; None if the spec has none."""
        for op in self.operations:
            if op.method == method.upper() and (m := op.regex.match(path)):
                return op, m.groupdict()
        return None

    # -- checks ----------------------------------------------------------------------------------------------------

    def check_request(
        self, op: Operation, path: str, query: Sequence[tuple[str, str]], body: bytes, content_type: str
    ) -> list[str]:
        """Problems with the parameters and the body (not the auth) of a request."""
        names = [name for name, _ in query]
        problems = [
            f"query parameter {n!r} given more than once" for n in sorted({n for n in names if names.count(n) > 1})
        ]
        problems += [f"undeclared query parameter {n!r}" for n in sorted(set(names) - op.query)]
        request = MockRequest(
            self.server, op.method.lower(), path, args=dict(query), data=body or None, content_type=content_type or JSON
        )
        with self._lock:
            problems += [describe(e) for e in self._api.request_validator.iter_errors(request)]
        if op.body_schema is None:
            if body:
                problems.append("request body sent to an operation that takes none")
        elif not body:
            problems.append("JSON request body missing")
        elif content_type.split(";")[0].strip() != JSON:
            problems.append(f"request body sent as {content_type!r}, not {JSON}")
        else:
            parsed = json.loads(body)
            known = set(op.body_schema.get("properties", {}))
            if isinstance(parsed, dict) and known and (extra := sorted(set(parsed) - known)):
                problems.append(f"request body has keys the schema does not define: {extra}")
        return problems

    def check_auth(self, op: Operation, kind: str, scopes: Sequence[str] = ()) -> str | None:
        """Why ``kind`` (and, for OAuth 2.0 user tokens, ``scopes``) may not call ``op``; None if it may."""
        if not op.auth:
            return None
        if kind not in op.auth:
            allowed = ", ".join(KIND_NAME[k] for k in op.auth)
            return f"{KIND_NAME.get(kind, kind)} is not allowed; the spec allows [{allowed}]"
        missing = sorted(set(op.auth[kind]) - set(scopes)) if kind == "oauth2-user" else []
        return f"the OAuth 2.0 token lacks the scopes {missing}" if missing else None

    def check_response(
        self, op: Operation, path: str, query: Sequence[tuple[str, str]], status: int, body: Any, content_type: str
    ) -> list[str]:
        """Problems with a response FakeX is about to send (on a sample of big arrays)."""
        with self._lock:
            self._turn += 1
            sample = _sample(body, self._turn)
            request = MockRequest(self.server, op.method.lower(), path, args=dict(query))
            response = MockResponse(json.dumps(sample).encode(), status_code=status, content_type=content_type)
            problems = [describe(e) for e in self._api.response_validator.iter_errors(request, response)]
            problems += self._check_problems(sample, content_type)
        if 200 <= status < 300 and isinstance(sample, dict):
            problems += _check_fields(op, dict(query), sample)
        return problems

    def check_problem(self, obj: Any) -> list[str]:
        """Problems with one Problem object, judged by the subtype its ``type`` names."""
        kind = obj.get("type") if isinstance(obj, dict) else None
        name = self._subtypes.get(str(kind))
        if name is None:
            return [f"Problem type {kind!r} is not in the spec's discriminator mapping"]
        if name not in self._validators:
            schema = {"$ref": f"{_URN}#/components/schemas/{name}"}
            self._validators[name] = OAS30Validator(
                schema, registry=self._registry, format_checker=OAS30Validator.FORMAT_CHECKER
            )
        return [
            f"{name}: {_where(e.absolute_path)}: {_short(e.message)}" for e in self._validators[name].iter_errors(obj)
        ]

    def _check_problems(self, body: Any, content_type: str) -> list[str]:
        if content_type == PROBLEM_JSON:
            return self.check_problem(body)
        errors = body.get("errors") if isinstance(body, dict) else None
        if not isinstance(errors, list):
            return []
        return [f"errors[{i}]: {p}" for i, item in enumerate(errors) for p in self.check_problem(item)]


OFF_SPEC_PROBLEMS = ("https://api.twitter.com/2/problems/credits",)
"""Problem types X sends that spec 2.166 does not map: judged against the base ``Problem`` schema."""


@cache
def load_spec(path: Path | None = None) -> Spec:
    """The spec at ``path`` (default ``spec_path()``), parsed and indexed once per process."""
    path = path or spec_path()
    if not path.is_file():
        raise FileNotFoundError(f"X OpenAPI spec not found at {path}; set ${SPEC_ENV}")
    started = time.perf_counter()
    spec = Spec(json.loads(path.read_text(encoding="utf-8")), path)
    spec.load_seconds = time.perf_counter() - started
    return spec


def describe(exc: BaseException) -> str:
    """A one-line account of an openapi-core error, with the schema errors behind it."""
    head = str(exc) if len(str(exc)) <= 100 else type(exc).__name__
    details = [f"{_where(e.absolute_path)}: {_short(e.message)}" for e in _schema_errors(exc)]
    return f"{head}: {'; '.join(details)}" if details else head


def _schema_errors(exc: BaseException | None) -> Iterator[Any]:
    seen = 0
    while exc is not None and seen < 5:
        if errors := getattr(exc, "schema_errors", None):
            yield from errors
            return
        exc, seen = exc.__cause__ or exc.__context__, seen + 1


def _short(message: str, limit: int = 160) -> str:
    """Long messages (huge values, long enums) keep their head and tail, where the verdict is."""
    return message if len(message) <= limit else f"{message[: limit - 60]} … {message[-55:]}"


def _where(path: Any) -> str:
    return "/".join(str(p) for p in path) or "<root>"


def _pick(items: list[Any], turn: int) -> list[Any]:
    n = len(items)
    if n <= 8:
        return items
    keep = {0, 1, n // 4, n // 2, 3 * n // 4, n - 2, n - 1, (turn * 7919) % n}
    return [items[i] for i in sorted(keep)]


def _sample(body: Any, turn: int) -> Any:
    if not isinstance(body, dict):
        return body
    out = dict(body)
    for key in ("data", "errors"):
        if isinstance(out.get(key), list):
            out[key] = _pick(out[key], turn)
    if isinstance(out.get("includes"), dict):
        out["includes"] = {k: _pick(v, turn) if isinstance(v, list) else v for k, v in out["includes"].items()}
    return out


def _check_fields(op: Operation, query: dict[str, str], body: dict[str, Any]) -> list[str]:
    """Objects must carry only their default fields plus the requested ones."""
    data = body.get("data")
    groups: list[tuple[str, str | None, Any]] = [("data", op.data_kind, data if isinstance(data, list) else [data])]
    includes = body.get("includes") or {}
    groups += [
        ("includes.users", "User", includes.get("users", [])),
        ("includes.tweets", "Tweet", includes.get("tweets", [])),
    ]
    problems = []
    for where, kind, objects in groups:
        if kind is None:
            continue
        param, defaults = DEFAULT_FIELDS[kind]
        allowed = defaults | set(query.get(param, "").split(","))
        for obj in objects:
            if not isinstance(obj, dict):
                continue
            if extra := sorted(set(obj) - allowed):
                problems.append(f"{where}: {kind} {obj.get('id')} has fields not asked for with {param}: {extra}")
            if "created_at" in obj and not _X_TIME.fullmatch(str(obj["created_at"])):
                problems.append(
                    f"{where}: {kind} {obj.get('id')} created_at {obj['created_at']!r} lacks X's .000Z form"
                )
    return problems
