"""FakeX: a loopback X API v2 server over a ``World``; every request and response is checked against the spec.

Pipeline per request: match a spec operation -> check parameters and body (violation: 400 ``invalid-request``) ->
authenticate (unknown or expired: 401) -> check the auth scheme and scopes against ``security`` (violation: 403
``unsupported-authentication``) -> injected fault, if any -> rate limit (429) -> the handler, under the world's lock
-> check the response against the spec (violation recorded, response sent as is). ``POST /2/oauth2/token`` is not
in the spec and is checked by hand.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
import json
import re
import secrets
import sys
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from tests.fakex.spec import JSON, PROBLEM_JSON, Operation, Spec, load_spec
from tests.fakex.world import AuthCode, Edges, RefreshGrant, Token, Tweet, World, XList

Body = dict[str, Any]
WINDOW = 15 * 60
TOKEN_ROUTE = "POST /2/oauth2/token"
TOKEN_LIFETIME = 7200
PROBLEMS = "https://api.twitter.com/2/problems/"
# X's documented rate limits: (per app, per user) requests per 15 minutes; None = no app-only access.
DEFAULT_LIMITS: dict[str, tuple[int | None, int]] = {
    "GET /2/users/:id/followers": (300, 300),
    "GET /2/users/:id/following": (300, 300),
    "POST /2/users/:id/following": (None, 50),
    "DELETE /2/users/:source_user_id/following/:target_user_id": (None, 50),
    "GET /2/users/:id/owned_lists": (15, 15),
    "GET /2/lists/:id/members": (900, 900),
    "POST /2/lists": (None, 300),
    "PUT /2/lists/:id": (None, 300),
    "DELETE /2/lists/:id": (None, 300),
    "POST /2/lists/:id/members": (None, 300),
    "DELETE /2/lists/:id/members/:user_id": (None, 300),
    "GET /2/users": (300, 900),
    "GET /2/users/:id": (300, 900),
    "GET /2/users/me": (None, 75),
    "GET /2/users/:id/tweets": (10_000, 900),
    "GET /2/users/:id/mentions": (450, 300),
}
FAULT_KINDS = frozenset(
    {
        "429",
        "429-no-reset",
        "429-cap",
        "402",
        "400-cursor",
        "401",
        "403-tier",
        "403-follow",
        "404",
        "500",
        "503",
        "drop",
        "slow",
        "partial",
        "corrupt",
    }
)
TIER_DETAIL = (
    "You currently have access to a subset of X API V2 endpoints and limited v1.1 endpoints (e.g. media post, oauth)"
    " only. If you need access to this endpoint, you may need a different access level. You can learn more here:"
    " https://developer.x.com/en/portal/product"
)
FOLLOW_DETAIL = "Following users is not available on your app's current access tier (pay-per-use, Basic or Pro)."
UNAUTHORIZED: Body = {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}
TOO_MANY: Body = {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429}
# X's real bodies for a pay-per-use account out of credits (402) and a product cap (429), as third-party clients
# recorded them (there is no ``status`` member in either, and ``account_id`` is a number).
CREDITS_DETAIL = "Your enrolled account [{account}] does not have any credits to fulfill this request."
CAP_DETAIL = "Usage cap exceeded: {period} {scope_lower} cap"
CURSOR_MESSAGE = "The `pagination_token` query parameter value [{token}] is not valid"


def credits_depleted(account_id: int) -> Body:
    """The 402 ``CreditsDepleted`` Problem."""
    return {
        "account_id": account_id,
        "title": "CreditsDepleted",
        "detail": CREDITS_DETAIL.format(account=account_id),
        "type": PROBLEMS + "credits",
    }


def usage_capped(account_id: int, period: str = "Monthly", scope: str = "Product") -> Body:
    """The 429 ``UsageCapExceeded`` Problem (``period`` Daily or Monthly, ``scope`` Account or Product)."""
    return {
        "account_id": account_id,
        "product_name": "standard-basic",
        "title": "UsageCapExceeded",
        "period": period,
        "scope": scope,
        "detail": CAP_DETAIL.format(period=period, scope_lower=scope.lower()),
        "type": PROBLEMS + "usage-capped",
    }


def stale_cursor(token: str) -> Body:
    """The 400 ``invalid-request`` Problem X sends for a pagination token it no longer takes."""
    detail = "One or more parameters to your request was invalid."
    error = {"parameters": {"pagination_token": [token]}, "message": CURSOR_MESSAGE.format(token=token)}
    return problem(400, "Invalid Request", detail, "invalid-request", errors=[error])


def not_authorized(user_id: str, parameter: str) -> Body:
    """The partial error X puts in ``errors`` for a user the caller may not see (protected, or blocking them)."""
    return {
        "value": user_id,
        "detail": f"Sorry, you are not authorized to see the user with id: [{user_id}].",
        "title": "Authorization Error",
        "resource_type": "user",
        "parameter": parameter,
        "resource_id": user_id,
        "section": "data",
        "type": PROBLEMS + "not-authorized-for-resource",
    }


def problem(status: int, title: str, detail: str, kind: str = "about:blank", **extra: Any) -> Body:
    """An RFC 7807 Problem as X sends it (``kind`` is the last segment of the problem type URI)."""
    uri = kind if kind == "about:blank" else PROBLEMS + kind
    return {"title": title, "detail": detail, "type": uri, "status": status, **extra}


def gone(user_id: str, parameter: str, suspended: bool) -> Body:
    """The partial error X puts in ``errors`` for a suspended or missing user (as X sends it)."""
    detail = (
        f"User has been suspended: [{user_id}]." if suspended else f"Could not find user with {parameter}: [{user_id}]."
    )
    return {
        "value": user_id,
        "detail": detail,
        "title": "Forbidden" if suspended else "Not Found Error",
        "resource_type": "user",
        "parameter": parameter,
        "resource_id": user_id,
        "type": PROBLEMS + "resource-not-found",
    }


def not_found(kind: str, value: str, parameter: str = "id", status: int | None = None) -> Body:
    body: Body = {
        "title": "Not Found Error",
        "detail": f"Could not find {kind} with {parameter}: [{value}].",
        "type": PROBLEMS + "resource-not-found",
        "parameter": parameter,
        "value": value,
        "resource_id": value,
        "resource_type": kind,
    }
    return body | {"status": status} if status else body


def encode_cursor(collection: str, generation: int, boundary: int, width: int = 4) -> str:
    """An opaque base32 pagination token: collection checksum, then world generation and boundary, masked.

    16 characters at ``width`` 4 (followers/following need >= 16, lists and members <= 19), 23 at width 8 (posts).
    """
    check = (zlib.crc32(collection.encode()) & 0xFFFF).to_bytes(2, "big")
    payload = (generation & 0xFFFFFFFF).to_bytes(4, "big") + boundary.to_bytes(width, "big")
    return base64.b32encode(check + _mask(check, payload)).decode().rstrip("=")


def decode_cursor(token: str, collection: str, width: int = 4) -> int | None:
    """The boundary in ``token``, or None if it was not issued for ``collection``. Any generation is accepted."""
    try:
        raw = base64.b32decode(token.upper() + "=" * (-len(token) % 8))
    except (binascii.Error, ValueError):
        return None
    check = (zlib.crc32(collection.encode()) & 0xFFFF).to_bytes(2, "big")
    if len(raw) != 6 + width or raw[:2] != check:
        return None
    return int.from_bytes(_mask(check, raw[2:])[4:], "big")


def _mask(key: bytes, data: bytes) -> bytes:
    pad = hashlib.blake2b(key, digest_size=len(data)).digest()
    return bytes(a ^ b for a, b in zip(data, pad, strict=True))


@dataclass
class Recorded:
    """One exchange as the fake saw it."""

    method: str
    path: str
    query: dict[str, str]
    body: Any  # parsed JSON, a form as a dict, or None
    auth: str | None = None  # "oauth2-user", "app", "oauth1", "basic" (token endpoint) or None
    route: str | None = None
    status: int = 0  # 0 when the connection was dropped
    response: Any = None


@dataclass
class _Fault:
    kind: str
    opts: dict[str, Any]


@dataclass
class _Call:
    op: Operation
    path: str
    params: dict[str, str]
    query: dict[str, str]
    json: Any
    auth: str | None
    principal: str
    partial: dict[str, Any] | None = None

    def fields(self, name: str) -> set[str]:
        return set(filter(None, self.query.get(name, "").split(",")))

    @property
    def user_context(self) -> bool:
        return self.auth in ("oauth2-user", "oauth1")


class _Reply(Exception):
    def __init__(
        self, status: int, body: Body, content_type: str = PROBLEM_JSON, headers: dict[str, str] | None = None
    ):
        super().__init__(status)
        self.status, self.body, self.content_type, self.headers = status, body, content_type, headers or {}


class _Drop(Exception):
    pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fakex: FakeX

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away (a killed child, a timed-out read) is not worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: without this, ~40 ms per answer
    server: _Server

    def do_GET(self) -> None:
        self.server.fakex._serve(self)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        pass


class FakeX:
    """A running fake X API v2 on ``127.0.0.1``; use as a context manager.

    ``limits`` overrides the per-15-minute limit of routes such as ``"GET /2/users/:id/followers"``. Time is
    ``clock() + offset``; move it with ``advance``. ``requests`` and ``violations`` fill as clients talk.
    """

    def __init__(
        self,
        world: World,
        *,
        limits: dict[str, int] | None = None,
        clock: Callable[[], float] = time.time,
        spec: Spec | None = None,
    ) -> None:
        self.world = world
        self.spec = spec or load_spec()
        self.limits = dict(limits or {})
        self.clock = clock
        self.offset = 0.0
        self.requests: list[Recorded] = []
        self.violations: list[str] = []
        self.base_url = ""
        self._faults: dict[str, deque[_Fault]] = {}
        self._buckets: dict[tuple[str, str], list[int]] = {}
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._routes: dict[str, Callable[[_Call], tuple[int, Body]]] = {
            "GET /2/users/me": self._get_me,
            "GET /2/users/:id": self._get_user,
            "GET /2/users": self._get_users,
            "GET /2/users/:id/followers": self._get_followers,
            "GET /2/users/:id/following": self._get_following,
            "GET /2/users/:id/owned_lists": self._get_owned_lists,
            "GET /2/lists/:id/members": self._get_list_members,
            "GET /2/users/:id/tweets": self._get_tweets,
            "GET /2/users/:id/mentions": self._get_mentions,
            "POST /2/users/:id/following": self._follow,
            "DELETE /2/users/:source_user_id/following/:target_user_id": self._unfollow,
            "POST /2/lists": self._create_list,
            "PUT /2/lists/:id": self._update_list,
            "DELETE /2/lists/:id": self._delete_list,
            "POST /2/lists/:id/members": self._add_member,
            "DELETE /2/lists/:id/members/:user_id": self._remove_member,
        }

    # -- lifecycle and test hooks ----------------------------------------------------------------------------------

    def start(self) -> FakeX:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fakex = self
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), name="fakex", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeX:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def now(self) -> float:
        return self.clock() + self.offset

    def advance(self, seconds: float) -> None:
        """Move the fake's clock (rate-limit windows, token and code expiry)."""
        self.offset += seconds

    def check(self) -> None:
        """Raise AssertionError listing the violations, if any."""
        if self.violations:
            raise AssertionError("FakeX saw X API spec violations:\n  " + "\n  ".join(self.violations))

    def calls(self, method: str, path_prefix: str = "") -> list[Recorded]:
        """Recorded requests with this method whose path starts with ``path_prefix``."""
        return [r for r in list(self.requests) if r.method == method and r.path.startswith(path_prefix)]

    def fail(self, route: str, kind: str, *, times: int = 1, **opts: Any) -> None:
        """Answer the next ``times`` valid, authenticated calls of ``route`` with a fault, in the order queued.

        Kinds: ``429`` (``reset_in`` seconds, default 900), ``429-no-reset`` (no ``x-rate-limit-reset``),
        ``429-cap`` (X's UsageCapExceeded body; ``period``, ``scope``), ``402`` (X's CreditsDepleted body),
        ``400-cursor`` (X's answer to a pagination token it no longer takes), ``401``, ``403-tier``
        (client-not-enrolled), ``403-follow``, ``404``, ``500``, ``503``, ``drop`` (close the socket), ``slow``
        (``seconds`` before answering), ``partial`` (lookups: ``ids`` answered as errors, default every other one;
        ``suspended=True`` for the suspended wording, ``hidden=True`` for "not authorized to see") and ``corrupt``
        (``mutate(body)`` edits the response before it is validated).
        """
        if route != TOKEN_ROUTE and route not in self._routes:
            raise ValueError(f"unknown route {route!r}; use the :id form, e.g. 'GET /2/users/:id/followers'")
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {sorted(FAULT_KINDS)}")
        if kind == "partial" and route not in ("GET /2/users", "GET /2/users/:id"):
            raise ValueError("partial faults apply to user lookups only")
        with self._lock:
            self._faults.setdefault(route, deque()).extend(_Fault(kind, opts) for _ in range(times))

    def corrupt(self, route: str, mutate: Callable[[Body], None], *, times: int = 1) -> None:
        """Let ``mutate`` break the next response of ``route`` (to prove response validation works)."""
        self.fail(route, "corrupt", times=times, mutate=mutate)

    def approve(self, authorize_url: str, *, user_id: str | None = None) -> str:
        """Play the user clicking "Authorize" on a tweepy ``OAuth2UserHandler`` URL; returns the redirect URL."""
        parts = urlsplit(authorize_url)
        q = dict(parse_qsl(parts.query))
        w = self.world
        client = w.clients.get(q.get("client_id", ""))
        known = self.spec.raw["components"]["securitySchemes"]["OAuth2UserToken"]["flows"]["authorizationCode"]
        scopes = tuple(q.get("scope", "").split())
        problems = [
            msg
            for bad, msg in [
                (
                    parts.netloc not in ("twitter.com", "x.com") or parts.path != "/i/oauth2/authorize",
                    "not an authorize URL",
                ),
                (q.get("response_type") != "code", "response_type must be 'code'"),
                (client is None, f"unknown client_id {q.get('client_id')!r}"),
                (client is not None and q.get("redirect_uri") != client.redirect_uri, "redirect_uri is not registered"),
                (not scopes or not set(scopes) <= set(known["scopes"]), f"bad scope {q.get('scope')!r}"),
                (not q.get("state"), "state missing"),
                (q.get("code_challenge_method") != "S256", "code_challenge_method must be S256"),
                (not re.fullmatch(r"[A-Za-z0-9_-]{43}", q.get("code_challenge", "")), "code_challenge malformed"),
            ]
            if bad
        ]
        if problems or client is None:
            self._violate(f"GET /i/oauth2/authorize: {'; '.join(problems)}")
            raise ValueError("; ".join(problems))
        code = secrets.token_urlsafe(32)
        with w.lock:
            w.codes[code] = AuthCode(
                client.client_id, client.redirect_uri, scopes, q["code_challenge"], user_id or w.me_id, self.now() + 30
            )
        return f"{client.redirect_uri}?{urlencode({'state': q['state'], 'code': code})}"

    def _violate(self, message: str) -> None:
        with self._lock:
            self.violations.append(message)

    # -- the exchange ----------------------------------------------------------------------------------------------

    def _serve(self, h: _Handler) -> None:
        url = urlsplit(h.path)
        pairs = parse_qsl(url.query, keep_blank_values=True)
        raw = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        ctype = h.headers.get("Content-Type", "")
        rec = Recorded(h.command, url.path, dict(pairs), _parse_body(raw, ctype))
        try:
            status, body, out_type, headers = self._exchange(h, rec, pairs, raw, ctype)
        except _Drop:
            with self._lock:
                self.requests.append(rec)
            h.close_connection = True
            return
        rec.status, rec.response = status, body
        with self._lock:
            self.requests.append(rec)
        payload = json.dumps(body, ensure_ascii=False).encode()
        try:
            h.send_response(status)
            h.send_header("Content-Type", f"{out_type}; charset=utf-8")
            h.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                h.send_header(name, value)
            h.end_headers()
            h.wfile.write(payload)
        except OSError:  # the client gave up (a "slow" fault)
            h.close_connection = True

    def _exchange(
        self, h: _Handler, rec: Recorded, pairs: list[tuple[str, str]], raw: bytes, ctype: str
    ) -> tuple[int, Any, str, dict[str, str]]:
        if rec.method == "POST" and rec.path == "/2/oauth2/token":
            rec.route = TOKEN_ROUTE
            return self._token_exchange(h, rec)
        found = self.spec.match(rec.method, rec.path)
        if found is None:
            self._violate(f"{rec.method} {rec.path}: no such operation in the spec")
            return 404, problem(404, "Not Found Error", "No such operation."), PROBLEM_JSON, {}
        op, params = found
        rec.route = op.route
        kind, principal, scopes, live = self._authenticate(h.headers.get("Authorization", ""))
        rec.auth = kind
        call = _Call(op, rec.path, params, rec.query, rec.body, kind, principal)
        try:
            reply = self._answer(call, pairs, raw, ctype, scopes, live)
        except _Reply as early:
            reply = early
        status, body, out_type, headers = reply.status, reply.body, reply.content_type, reply.headers
        if "x-rate-limit-limit" not in headers:
            headers.update(self._limit_headers(op.route, principal, consume=False)[1])
        problems = self.spec.check_response(op, rec.path, pairs, status, body, out_type)
        for p in problems:
            self._violate(f"{op.route}: response {status}: {p}")
        return status, body, out_type, headers

    def _answer(
        self, call: _Call, pairs: list[tuple[str, str]], raw: bytes, ctype: str, scopes: tuple[str, ...], live: bool
    ) -> _Reply:
        """The reply to a spec operation; early answers (rejections, faults, limits) are raised."""
        op = call.op
        problems = self.spec.check_request(op, call.path, pairs, raw, ctype)
        if problems:
            self._reject(op.route, problems)
        if not live or call.auth is None:
            raise _Reply(401, dict(UNAUTHORIZED))
        if why := self.spec.check_auth(op, call.auth, scopes):
            self._violate(f"{op.route}: {why}")
            if call.auth in op.auth:  # right scheme, missing scopes
                raise _Reply(403, problem(403, "Forbidden", why))
            raise _Reply(403, problem(403, "Unsupported Authentication", why, "unsupported-authentication"))
        fault = self._next_fault(op.route)
        if fault is not None:
            call.partial = self._apply_fault(fault, op.route, call.principal)
        allowed, headers = self._limit_headers(op.route, call.principal, consume=True)
        if not allowed:
            raise _Reply(429, dict(TOO_MANY), headers=headers)
        handler = self._routes.get(op.route)
        if handler is None:
            self._violate(f"{op.route}: not implemented by FakeX")
            raise _Reply(
                404, problem(404, "Not Found Error", "FakeX does not implement this operation."), headers=headers
            )
        with self.world.lock:
            status, body = handler(call)
        if fault is not None and fault.kind == "corrupt":
            body = copy.deepcopy(body)
            fault.opts["mutate"](body)
        return _Reply(status, body, JSON, headers)

    def _reject(self, route: str, problems: list[str]) -> None:
        for p in problems:
            self._violate(f"{route}: {p}")
        detail = "One or more parameters to your request was invalid."
        body = problem(400, "Invalid Request", detail, "invalid-request", errors=[{"message": p} for p in problems])
        raise _Reply(400, body)

    def _authenticate(self, header: str) -> tuple[str | None, str, tuple[str, ...], bool]:
        """(auth kind, rate-limit principal, OAuth 2.0 scopes, token accepted)."""
        w = self.world
        scheme, _, cred = header.partition(" ")
        if scheme == "Bearer":
            if cred == w.app_token:
                return "app", "app", (), True
            with w.lock:
                tok = w.user_tokens.get(cred)
            if tok is not None:
                live = not tok.expired and (tok.expires_at is None or self.now() < tok.expires_at)
                return "oauth2-user", tok.user_id, tok.scopes, live
        elif scheme == "OAuth":
            fields = dict(re.findall(r'(\w+)="([^"]*)"', cred))
            needed = (
                "oauth_consumer_key",
                "oauth_nonce",
                "oauth_signature",
                "oauth_signature_method",
                "oauth_timestamp",
            )
            ok = unquote(fields.get("oauth_token", "")).startswith(f"{w.me_id}-") and all(k in fields for k in needed)
            return "oauth1", w.me_id, (), ok
        return None, "anonymous", (), False

    def _next_fault(self, route: str) -> _Fault | None:
        with self._lock:
            queue = self._faults.get(route)
            return queue.popleft() if queue else None

    def _apply_fault(self, fault: _Fault, route: str, principal: str) -> dict[str, Any] | None:
        """Raise the fault's reply, sleep, or hand back options for the handler (partial)."""
        kind, opts = fault.kind, fault.opts
        if kind == "429":
            headers = self._limit_headers(route, principal, consume=False)[1]
            headers |= {
                "x-rate-limit-remaining": "0",
                "x-rate-limit-reset": str(int(self.now() + opts.get("reset_in", WINDOW))),
            }
            raise _Reply(429, dict(TOO_MANY), headers=headers)
        if kind == "429-no-reset":
            headers = self._limit_headers(route, principal, consume=False)[1]
            del headers["x-rate-limit-reset"]
            raise _Reply(429, dict(TOO_MANY), headers=headers | {"x-rate-limit-remaining": "0"})
        if kind == "429-cap":
            body = usage_capped(int(self.world.me_id), opts.get("period", "Monthly"), opts.get("scope", "Product"))
            raise _Reply(429, body, headers=self._limit_headers(route, principal, consume=False)[1])
        if kind == "402":
            raise _Reply(402, credits_depleted(int(self.world.me_id)))
        if kind == "400-cursor":
            raise _Reply(400, stale_cursor(opts.get("token", "")))
        if kind == "404":
            raise _Reply(404, not_found("list" if "/lists/" in route else "user", opts.get("value", "0"), status=404))
        if kind == "401":
            raise _Reply(401, dict(UNAUTHORIZED))
        if kind == "403-tier":
            body = problem(403, "Client Forbidden", TIER_DETAIL, "client-forbidden", reason="client-not-enrolled")
            raise _Reply(403, body | {"registration_url": "https://developer.x.com/en/portal/product"})
        if kind == "403-follow":
            raise _Reply(403, problem(403, "Forbidden", FOLLOW_DETAIL))
        if kind in ("500", "503"):
            title = "Internal Server Error" if kind == "500" else "Service Unavailable"
            raise _Reply(int(kind), problem(int(kind), title, title))
        if kind == "drop":
            raise _Drop
        if kind == "slow":
            time.sleep(float(opts.get("seconds", 1.0)))
        return opts if kind == "partial" else None

    def _limit_headers(self, route: str, principal: str, *, consume: bool) -> tuple[bool, dict[str, str]]:
        """Whether a call may proceed, and the ``x-rate-limit-*`` headers after it."""
        app_limit, user_limit = DEFAULT_LIMITS.get(route, (None, 900))
        limit = self.limits.get(route, (app_limit or user_limit) if principal == "app" else user_limit)
        with self._lock:
            now = self.now()
            bucket = self._buckets.get((route, principal))
            if bucket is None or now >= bucket[1]:
                bucket = [limit, int(now) + WINDOW]
                if consume:
                    self._buckets[(route, principal)] = bucket
            allowed = bucket[0] > 0
            if consume and allowed:
                bucket[0] -= 1
        headers = {
            "x-rate-limit-limit": str(limit),
            "x-rate-limit-remaining": str(bucket[0]),
            "x-rate-limit-reset": str(bucket[1]),
        }
        return allowed, headers

    # -- OAuth 2.0 token endpoint (not in the spec: checked by hand) -----------------------------------------------

    def _token_exchange(self, h: _Handler, rec: Recorded) -> tuple[int, Any, str, dict[str, str]]:
        fault = self._next_fault(TOKEN_ROUTE)
        if fault is not None:
            try:
                self._apply_fault(fault, TOKEN_ROUTE, "anonymous")
            except _Reply as reply:
                return reply.status, reply.body, reply.content_type, reply.headers
        try:
            return 200, self._token(h, rec), JSON, {"Cache-Control": "no-store"}
        except _Reply as reply:
            return reply.status, reply.body, JSON, {}

    def _token(self, h: _Handler, rec: Recorded) -> Body:
        w = self.world
        form: dict[str, str] = rec.body if isinstance(rec.body, dict) else {}
        basic_id = basic_secret = None
        scheme, _, cred = h.headers.get("Authorization", "").partition(" ")
        if scheme == "Basic":
            rec.auth = "basic"
            basic_id, _, basic_secret = base64.b64decode(cred).decode().partition(":")
        client_id = basic_id or form.get("client_id", "")
        grant = form.get("grant_type")
        required = {
            "authorization_code": ("code", "redirect_uri", "code_verifier"),
            "refresh_token": ("refresh_token",),
        }
        problems = [
            msg
            for bad, msg in [
                (
                    not h.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"),
                    "body is not a form",
                ),
                (grant not in required, f"unsupported grant_type {grant!r}"),
                (client_id not in w.clients, f"unknown client_id {client_id!r}"),
                (bool(basic_id) and form.get("client_id", basic_id) != basic_id, "client_id differs from HTTP Basic"),
                *((not form.get(k), f"{k} missing") for k in required.get(str(grant), ())),
            ]
            if bad
        ]
        client = w.clients.get(client_id)
        if client is not None and client.secret is not None and basic_secret != client.secret:
            problems.append("confidential client without valid HTTP Basic credentials")
        if problems:
            self._token_violation(problems)
        with w.lock:
            if grant == "authorization_code":
                code = w.codes.pop(form["code"], None)
                if code is None or self.now() > code.expires_at:
                    raise _Reply(400, _oauth_error("Value passed for the authorization code was invalid."))
                challenge = base64.urlsafe_b64encode(hashlib.sha256(form["code_verifier"].encode()).digest())
                self._token_violation(
                    [
                        msg
                        for bad, msg in [
                            (code.client_id != client_id, "code issued to another client"),
                            (code.redirect_uri != form["redirect_uri"], "redirect_uri differs from the authorize call"),
                            (challenge.decode().rstrip("=") != code.challenge, "code_verifier does not match (S256)"),
                            (not re.fullmatch(r"[A-Za-z0-9._~-]{43,128}", form["code_verifier"]), "bad code_verifier"),
                        ]
                        if bad
                    ]
                )
                user_id, scopes = code.user_id, code.scopes
            else:
                grant_ = w.refresh_tokens.pop(form["refresh_token"], None)
                if grant_ is None:
                    raise _Reply(400, _oauth_error("Value passed for the token was invalid."))
                self._token_violation(
                    ["refresh token issued to another client"] if grant_.client_id != client_id else []
                )
                user_id, scopes = grant_.user_id, grant_.scopes
            access = secrets.token_urlsafe(48)
            w.user_tokens[access] = Token(user_id, scopes, expires_at=self.now() + TOKEN_LIFETIME)
            out: Body = {"token_type": "bearer", "expires_in": TOKEN_LIFETIME, "access_token": access}
            out["scope"] = " ".join(scopes)
            if "offline.access" in scopes:
                out["refresh_token"] = secrets.token_urlsafe(48)
                w.refresh_tokens[out["refresh_token"]] = RefreshGrant(user_id, scopes, client_id)
        return out

    def _token_violation(self, problems: list[str]) -> None:
        if problems:
            for p in problems:
                self._violate(f"{TOKEN_ROUTE}: {p}")
            raise _Reply(400, _oauth_error("; ".join(problems)))

    # -- rendering -------------------------------------------------------------------------------------------------

    def _user(self, c: _Call, user_id: str, fields: set[str]) -> Body:
        w = self.world
        u = w.users[user_id]
        out = {"id": u["id"], "name": u["name"], "username": u["username"]}
        out.update((f, u[f]) for f in fields if f in u and f not in out)
        if "public_metrics" in fields and user_id == w.me_id:
            out["public_metrics"] = u["public_metrics"] | {
                "followers_count": len(w.follower_ids()),
                "following_count": len(w.following_ids()),
            }
        if "connection_status" in fields and c.user_context and user_id != c.principal:
            links = [("following", w.following), ("followed_by", w.followers)]
            out["connection_status"] = [name for name, edges in links if user_id in edges]
            if user_id in w.pending:
                out["connection_status"].append("follow_request_sent")
        return out

    def _users(self, c: _Call, ids: list[str]) -> tuple[list[Body], Body]:
        """Users and the ``includes`` their expansions ask for."""
        fields = c.fields("user.fields")
        users = [self._user(c, i, fields) for i in ids]
        wanted = c.fields("expansions") & {"pinned_tweet_id", "most_recent_tweet_id"}
        tweets: dict[str, Tweet] = {}
        for i in ids:
            for key in wanted:
                tid = self.world.users[i].get(key)
                if tid in self.world.tweets:
                    tweets[tid] = self.world.tweets[tid]
        tweet_fields = c.fields("tweet.fields")
        includes = {"tweets": [_tweet(t, tweet_fields) for t in tweets.values()]} if tweets else {}
        return users, includes

    def _tweets(self, c: _Call, tweets: list[Tweet]) -> tuple[list[Body], Body]:
        w = self.world
        exp = c.fields("expansions")
        user_ids: dict[str, None] = {}
        refs: dict[str, Tweet] = {}
        for t in tweets:
            if "author_id" in exp:
                user_ids[t["author_id"]] = None
            if "in_reply_to_user_id" in exp and "in_reply_to_user_id" in t:
                user_ids[t["in_reply_to_user_id"]] = None
            if "entities.mentions.username" in exp:
                user_ids.update((m["id"], None) for m in t.get("entities", {}).get("mentions", []) if "id" in m)
            if "referenced_tweets.id" in exp:
                refs.update((r["id"], w.tweets[r["id"]]) for r in t.get("referenced_tweets", []) if r["id"] in w.tweets)
        fields = c.fields("tweet.fields")
        includes: Body = {}
        if users := [i for i in user_ids if w.visible(i)]:
            includes["users"] = self._users(c, users)[0]
        if refs:
            includes["tweets"] = [_tweet(t, fields) for t in refs.values()]
        return [_tweet(t, fields) for t in tweets], includes

    def _cursor(self, c: _Call, collection: str, width: int = 4) -> int | None:
        token = c.query.get("pagination_token")
        if token is None:
            return None
        boundary = decode_cursor(token, collection, width)
        if boundary is None:
            self._reject(c.op.route, [f"pagination_token {token!r} was not issued for this collection"])
        return boundary

    def _subject(self, c: _Call, key: str = "id") -> str:
        """The user a read is about; a gone user answers 200 with only ``errors``, like X."""
        uid = c.params[key]
        if not self.world.visible(uid):
            raise _Reply(200, {"errors": [gone(uid, key, uid in self.world.suspended)]}, JSON)
        return uid

    def _page(self, c: _Call, edges: Edges, collection: str, default: int) -> tuple[int, Body]:
        n = int(c.query.get("max_results", default))
        ids, nxt = edges.page(self._cursor(c, collection), n, self.world.visible)
        users, includes = self._users(c, ids)
        meta: Body = {"result_count": len(users)}
        if nxt is not None:
            meta["next_token"] = encode_cursor(collection, self.world.generation, nxt)
        return 200, _envelope(users, includes, meta)

    # -- handlers (called with the world locked) -------------------------------------------------------------------

    def _get_me(self, c: _Call) -> tuple[int, Body]:
        users, includes = self._users(c, [c.principal])
        return 200, _envelope(users[0], includes)

    def _get_user(self, c: _Call) -> tuple[int, Body]:
        uid = c.params["id"]
        if c.partial is not None and uid in c.partial.get("ids", [uid]):
            return 200, {"errors": [gone(uid, "id", bool(c.partial.get("suspended")))]}
        uid = self._subject(c)
        users, includes = self._users(c, [uid])
        return 200, _envelope(users[0], includes)

    def _get_users(self, c: _Call) -> tuple[int, Body]:
        ids = c.query["ids"].split(",")
        w = self.world
        partial = c.partial or {}
        faked = set(partial.get("ids", ids[1::2])) if c.partial is not None else set()
        hidden = w.blocking_me | (faked if partial.get("hidden") else set())
        found = [i for i in ids if w.visible(i) and i not in faked and i not in hidden]
        suspended = w.suspended | (faked if partial.get("suspended") else set())
        errors = [
            not_authorized(i, "ids") if i in hidden and w.visible(i) else gone(i, "ids", i in suspended)
            for i in ids
            if i not in set(found)
        ]
        users, includes = self._users(c, found)
        return 200, _envelope(users, includes, errors=errors)

    def _get_followers(self, c: _Call) -> tuple[int, Body]:
        uid = self._subject(c)
        edges = self.world.followers if uid == self.world.me_id else Edges()
        return self._page(c, edges, f"followers:{uid}", 100)

    def _get_following(self, c: _Call) -> tuple[int, Body]:
        uid = self._subject(c)
        edges = self.world.following if uid == self.world.me_id else Edges()
        return self._page(c, edges, f"following:{uid}", 100)

    def _get_list_members(self, c: _Call) -> tuple[int, Body]:
        xl = self.world.lists.get(c.params["id"])
        if xl is None or (xl.private and c.principal != xl.owner_id):
            return 200, {"errors": [not_found("list", c.params["id"])]}
        return self._page(c, xl.members, f"members:{xl.id}", 100)

    def _get_owned_lists(self, c: _Call) -> tuple[int, Body]:
        uid = self._subject(c)
        mine = c.user_context and c.principal == uid
        lists = sorted(
            (x for x in self.world.lists.values() if x.owner_id == uid and (mine or not x.private)),
            key=lambda x: -int(x.id),
        )
        start = self._cursor(c, f"lists:{uid}") or 0
        n = int(c.query.get("max_results", 100))
        fields = c.fields("list.fields")
        data = [self._list(x, fields) for x in lists[start : start + n]]
        meta: Body = {"result_count": len(data)}
        if start + n < len(lists):
            meta["next_token"] = encode_cursor(f"lists:{uid}", self.world.generation, start + n)
        includes = {"users": self._users(c, [uid])[0]} if "owner_id" in c.fields("expansions") and data else {}
        return 200, _envelope(data, includes, meta)

    def _list(self, xl: XList, fields: set[str]) -> Body:
        full = {
            "id": xl.id,
            "name": xl.name,
            "created_at": xl.created_at,
            "description": xl.description,
            "follower_count": 0,
            "member_count": sum(1 for i in xl.members if self.world.visible(i)),
            "owner_id": xl.owner_id,
            "private": xl.private,
        }
        return {k: v for k, v in full.items() if k in ("id", "name") or k in fields}

    def _timeline(self, c: _Call, ids: list[str], collection: str) -> tuple[int, Body]:
        w = self.world
        before = self._cursor(c, collection, 8)
        exclude = c.fields("exclude")
        since, until = int(c.query.get("since_id", 0)), int(c.query.get("until_id", 0)) or None
        start, end = c.query.get("start_time", ""), c.query.get("end_time", "")
        picked = []
        for tid in ids:
            t = w.tweets[tid]
            kinds = {r["type"] for r in t.get("referenced_tweets", [])}
            if (
                (before is not None and int(tid) >= before)
                or int(tid) <= since
                or (until is not None and int(tid) >= until)
                or not w.visible(t["author_id"])
                or ("replies" in exclude and "in_reply_to_user_id" in t)
                or ("retweets" in exclude and "retweeted" in kinds)
                or (start and t["created_at"] < _norm_time(start))
                or (end and t["created_at"] >= _norm_time(end))
            ):
                continue
            picked.append(t)
        n = int(c.query.get("max_results", 10))
        data, includes = self._tweets(c, picked[:n])
        meta: Body = {"result_count": len(data)}
        if data:
            meta |= {"newest_id": data[0]["id"], "oldest_id": data[-1]["id"]}
        if len(picked) > n:
            meta["next_token"] = encode_cursor(collection, w.generation, int(picked[n - 1]["id"]), 8).lower()
        return 200, _envelope(data, includes, meta)

    def _get_tweets(self, c: _Call) -> tuple[int, Body]:
        uid = self._subject(c)
        w = self.world
        author = w.users[uid]
        if author.get("protected") and uid != c.principal and not (c.user_context and uid in w.following):
            detail = f"Sorry, you are not authorized to see the user with id: [{uid}]."
            err = {"title": "Authorization Error", "detail": detail, "type": PROBLEMS + "not-authorized-for-resource"}
            err |= {"resource_type": "user", "parameter": "id", "value": uid, "resource_id": uid, "section": "data"}
            return 200, {"errors": [err]}
        return self._timeline(c, w.timelines.get(uid, []), f"tweets:{uid}")

    def _get_mentions(self, c: _Call) -> tuple[int, Body]:
        uid = self._subject(c)
        return self._timeline(c, self.world.mentions if uid == self.world.me_id else [], f"mentions:{uid}")

    def _acting(self, c: _Call, key: str) -> None:
        if c.params[key] != c.principal:
            raise _Reply(403, problem(403, "Forbidden", "You are not allowed to act on behalf of another user."))

    def _follow(self, c: _Call) -> tuple[int, Body]:
        self._acting(c, "id")
        w = self.world
        target = str(c.json["target_user_id"])
        if target in w.suspended:
            raise _Reply(403, problem(403, "Forbidden", "You cannot follow an account that is suspended."))
        if not w.visible(target):
            raise _Reply(404, not_found("user", target, "target_user_id", 404))
        if target in w.following:
            return 200, {"data": {"following": True, "pending_follow": False}}
        if w.users[target].get("protected"):
            w.pending.add(target)
            w.bump()
            return 200, {"data": {"following": False, "pending_follow": True}}
        w.follow(target)
        return 200, {"data": {"following": True, "pending_follow": False}}

    def _unfollow(self, c: _Call) -> tuple[int, Body]:
        self._acting(c, "source_user_id")
        self.world.unfollow(c.params["target_user_id"])
        return 200, {"data": {"following": False}}

    def _owned(self, c: _Call) -> XList:
        xl = self.world.lists.get(c.params["id"])
        if xl is None:
            raise _Reply(404, not_found("list", c.params["id"], status=404))
        if xl.owner_id != c.principal:
            raise _Reply(403, problem(403, "Forbidden", "You are not allowed to change this List."))
        return xl

    def _create_list(self, c: _Call) -> tuple[int, Body]:
        body = c.json
        xl = self.world.add_list(
            body["name"],
            description=body.get("description", ""),
            private=bool(body.get("private")),
            owner_id=c.principal,
        )
        return 200, {"data": {"id": xl.id, "name": xl.name}}  # spec v2.166 says 200 (the live API sends 201)

    def _update_list(self, c: _Call) -> tuple[int, Body]:
        xl = self._owned(c)
        for key in ("name", "description", "private"):
            if key in c.json:
                setattr(xl, key, c.json[key])
        self.world.bump()
        return 200, {"data": {"updated": True}}

    def _delete_list(self, c: _Call) -> tuple[int, Body]:
        xl = self._owned(c)
        del self.world.lists[xl.id]
        self.world.bump()
        return 200, {"data": {"deleted": True}}

    def _add_member(self, c: _Call) -> tuple[int, Body]:
        xl = self._owned(c)
        uid = str(c.json["user_id"])
        if not self.world.visible(uid):
            raise _Reply(404, not_found("user", uid, "user_id", 404))
        xl.members.add(uid)
        self.world.bump()
        return 200, {"data": {"is_member": True}}

    def _remove_member(self, c: _Call) -> tuple[int, Body]:
        xl = self._owned(c)
        xl.members.remove(c.params["user_id"])
        self.world.bump()
        return 200, {"data": {"is_member": False}}


def _tweet(t: Tweet, fields: set[str]) -> Body:
    out = {"id": t["id"], "text": t["text"], "edit_history_tweet_ids": t["edit_history_tweet_ids"]}
    out.update((f, t[f]) for f in fields if f in t and f not in out)
    return out


def _envelope(
    data: Any, includes: Body | None = None, meta: Body | None = None, errors: list[Body] | None = None
) -> Body:
    """X's envelope: empty parts are left out (``data`` too: the spec wants at least one item)."""
    out: Body = {}
    if data:
        out["data"] = data
    if includes:
        out["includes"] = includes
    if errors:
        out["errors"] = errors
    if meta is not None:
        out["meta"] = meta
    return out


def _oauth_error(description: str) -> Body:
    return {"error": "invalid_request", "error_description": description}


def _norm_time(value: str) -> str:
    """``2025-01-01T00:00:00Z`` -> ``2025-01-01T00:00:00.000Z`` (comparable with stored timestamps)."""
    return value[:19] + ".000Z"


def _parse_body(raw: bytes, content_type: str) -> Any:
    if not raw:
        return None
    text = raw.decode("utf-8", "replace")
    if content_type.startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(text, keep_blank_values=True))
    try:
        return json.loads(text)
    except ValueError:
        return text
