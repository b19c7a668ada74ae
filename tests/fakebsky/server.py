"""FakeBsky: a loopback XRPC server (PDS + AppView in one) over a ``World``, checked against the lexicons.

Per request: find the lexicon (unknown method: 501) -> parse and check the parameters or input (violation: 400
``InvalidRequest``, recorded) -> authenticate the bearer token (``ExpiredToken`` / ``InvalidToken``) -> an
injected fault, if any -> the handler, under the world's lock -> check the output against the lexicon (violation
recorded, answer sent as is). Tokens are unsigned JWTs with ``exp`` and ``scope``, as the SDK reads them.
"""

from __future__ import annotations

import base64
import json
import secrets
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.fakebsky import lexicon
from tests.fakebsky.world import LIST_PURPOSE, Profile, World

Body = dict[str, Any]
TOKEN_LIFETIME = 7200
STATE_ERRORS = {
    "takendown": ("AccountTakedown", "Account has been suspended"),
    "deactivated": ("AccountDeactivated", "Account is deactivated"),
}


class XrpcFailure(Exception):
    def __init__(self, status: int, error: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.error, self.message, self.headers = status, error, message, headers or {}


@dataclass
class Recorded:
    method: str
    nsid: str
    params: dict[str, Any]
    status: int = 0


@dataclass
class _Fault:
    kind: str  # 429, 500, 502, 503, expired, revoked, takedown-me, drop, lost
    reset: int | None = None


@dataclass
class _Tokens:
    access: dict[str, str] = field(default_factory=dict)  # token -> did
    refresh: dict[str, str] = field(default_factory=dict)


def jwt(claims: Body) -> str:
    def part(obj: Body) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    return f"{part({'typ': 'at+jwt', 'alg': 'HS256'})}.{part(claims)}.{secrets.token_urlsafe(16)}"


class FakeBsky:
    """``with FakeBsky(World.generate(...)) as fb: ... fb.base_url``; ``fb.violations`` must stay empty."""

    def __init__(self, world: World, *, lifetime: int = TOKEN_LIFETIME) -> None:
        self.world = world
        self.lifetime = lifetime
        self.lock = threading.RLock()
        self.violations: list[str] = []
        self.recorded: list[Recorded] = []
        self._faults: dict[str, deque[_Fault]] = {}
        self._tokens = _Tokens()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeBsky:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def calls(self, nsid: str) -> list[Recorded]:
        with self.lock:
            return [r for r in self.recorded if r.nsid == nsid]

    def fail(self, nsid: str, kind: str, *, times: int = 1, reset: int | None = None) -> None:
        with self.lock:
            self._faults.setdefault(nsid, deque()).extend(_Fault(kind, reset) for _ in range(times))

    def session(self, scope: str = "com.atproto.appPass") -> tuple[str, str]:
        """A fresh (access, refresh) pair for the user, as createSession would give."""
        with self.lock:
            return self._issue(self.world.me.did, scope)

    def revoke_all(self) -> None:
        with self.lock:
            self._tokens = _Tokens()

    # ---- the pipeline

    def serve(self, h: BaseHTTPRequestHandler) -> None:
        url = urlsplit(h.path)
        nsid = url.path.removeprefix("/xrpc/")
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        rec = Recorded(h.command, nsid, {})
        with self.lock:
            self.recorded.append(rec)
        try:
            status, body, headers = 200, self._answer(h, nsid, url.query, raw, rec), {}
        except XrpcFailure as failure:
            status, body, headers = (
                failure.status,
                {"error": failure.error, "message": failure.message},
                failure.headers,
            )
        except _Drop:
            h.close_connection = True
            return
        rec.status = status
        data = json.dumps(body).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json; charset=utf-8")
        h.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            h.send_header(name, value)
        h.end_headers()
        h.wfile.write(data)

    def _answer(self, h: BaseHTTPRequestHandler, nsid: str, query: str, raw: bytes, rec: Recorded) -> Body:
        doc = lexicon.lexicon(nsid)
        handler: Callable[[Body, str | None], Body] | None = getattr(self, "_" + nsid.replace(".", "_"), None)
        if doc is None or handler is None:
            raise XrpcFailure(501, "MethodNotImplemented", f"Method Not Implemented: {nsid}")
        main = doc["defs"]["main"]
        expected = "GET" if main["type"] == "query" else "POST"
        if h.command != expected:
            self._violate(f"{nsid}: sent with {h.command}, the lexicon says {expected}")
        params, problems = lexicon.params_from_query(parse_qsl(query), main.get("parameters"))
        if main.get("parameters"):
            problems += lexicon.validate(params, main["parameters"], nsid, "params")
        if main["type"] == "procedure" and "input" in main:
            try:
                params = json.loads(raw or b"{}")
            except ValueError:
                problems.append("input: not JSON")
            problems += lexicon.validate(params, main["input"]["schema"], nsid, "input")
            problems += self._check_record(params)
        rec.params = params
        if problems:
            self._violate(f"{nsid}: {'; '.join(problems)}")
            raise XrpcFailure(400, "InvalidRequest", problems[0])
        caller = self._authenticate(nsid, h.headers.get("Authorization", ""))
        lost = self._apply_fault(nsid)
        with self.lock:
            body = handler(params, caller)
        if lost:
            raise _Drop  # done, but the answer never arrives
        if "output" in main and "schema" in main["output"]:
            out_problems = lexicon.validate(body, main["output"]["schema"], nsid, "output")
            if out_problems:
                self._violate(f"{nsid} answer: {'; '.join(out_problems[:5])}")
        return body

    def _check_record(self, data: Body) -> list[str]:
        record, collection = data.get("record"), data.get("collection")
        if not isinstance(record, dict) or not isinstance(collection, str) or lexicon.lexicon(collection) is None:
            return []
        problems = lexicon.validate(record, lexicon.main_def(collection), collection, "record")
        return problems + ([] if record.get("$type") == collection else ["record: $type differs from collection"])

    def _violate(self, message: str) -> None:
        with self.lock:
            self.violations.append(message)

    def _authenticate(self, nsid: str, header: str) -> str | None:
        token = header.removeprefix("Bearer ").strip()
        if nsid == "com.atproto.server.createSession":
            return None
        with self.lock:
            if nsid == "com.atproto.server.refreshSession":
                if token not in self._tokens.refresh:
                    raise XrpcFailure(400, "ExpiredToken", "Token has been revoked")
                return self._tokens.refresh[token]
            if not token:
                raise XrpcFailure(401, "AuthMissing", "Authentication Required")
            if token not in self._tokens.access:
                raise XrpcFailure(400, "InvalidToken", "Token could not be verified")
            claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
            if claims["exp"] < time.time():
                raise XrpcFailure(400, "ExpiredToken", "Token has expired")
            return self._tokens.access[token]

    def _apply_fault(self, nsid: str) -> bool:
        """Raise the next injected fault for ``nsid``; True for ``lost`` (do it, then drop the answer)."""
        with self.lock:
            queue = self._faults.get(nsid)
            fault = queue.popleft() if queue else None
        if fault is None:
            return False
        if fault.kind == "lost":
            return True
        if fault.kind == "429":
            reset = fault.reset or int(time.time()) + 300
            headers = {
                "ratelimit-limit": "3000",
                "ratelimit-remaining": "0",
                "ratelimit-reset": str(reset),
                "ratelimit-policy": "3000;w=300",
            }
            raise XrpcFailure(429, "RateLimitExceeded", "Rate Limit Exceeded", headers)
        if fault.kind in ("500", "502", "503"):
            raise XrpcFailure(int(fault.kind), "InternalServerError", "Internal Server Error")
        if fault.kind == "expired":
            raise XrpcFailure(400, "ExpiredToken", "Token has expired")
        if fault.kind == "revoked":
            raise XrpcFailure(400, "InvalidToken", "Token could not be verified")
        if fault.kind == "takedown-me":
            raise XrpcFailure(400, "AccountTakedown", "Account has been taken down")
        if fault.kind == "drop":
            raise _Drop
        return False

    def _issue(self, did: str, scope: str) -> tuple[str, str]:
        now = int(time.time())
        access = jwt({"scope": scope, "sub": did, "aud": "did:web:fake", "iat": now, "exp": now + self.lifetime})
        refresh = jwt(
            {
                "scope": "com.atproto.refresh",
                "sub": did,
                "aud": "did:web:fake",
                "iat": now,
                "exp": now + 90 * 86400,
                "jti": secrets.token_hex(8),
            }
        )
        self._tokens.access[access] = did
        self._tokens.refresh[refresh] = did
        return access, refresh

    # ---- com.atproto.server

    def _com_atproto_server_createSession(self, data: Body, caller: str | None) -> Body:
        me = self.world.me
        if data["identifier"].lower() not in (me.handle, me.did):
            raise XrpcFailure(401, "AuthenticationRequired", "Invalid identifier or password")
        if data["password"] == self.world.app_password:
            scope = "com.atproto.appPass"
        elif data["password"] == self.world.main_password:
            scope = "com.atproto.access"
        else:
            raise XrpcFailure(401, "AuthenticationRequired", "Invalid identifier or password")
        access, refresh = self._issue(me.did, scope)
        did_doc = {
            "@context": ["https://www.w3.org/ns/did/v1"],
            "id": me.did,
            "alsoKnownAs": [f"at://{me.handle}"],
            "verificationMethod": [],
            "service": [{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": self.base_url}],
        }
        return {
            "accessJwt": access,
            "refreshJwt": refresh,
            "handle": me.handle,
            "did": me.did,
            "didDoc": did_doc,
            "active": True,
        }

    def _com_atproto_server_refreshSession(self, data: Body, caller: str | None) -> Body:
        for token, did in list(self._tokens.refresh.items()):
            if did == caller:
                del self._tokens.refresh[token]  # single use, as the PDS rotates them
        access, refresh = self._issue(self.world.me.did, "com.atproto.appPass")
        return {
            "accessJwt": access,
            "refreshJwt": refresh,
            "handle": self.world.me.handle,
            "did": self.world.me.did,
            "active": True,
        }

    def _com_atproto_server_deleteSession(self, data: Body, caller: str | None) -> Body:
        return {}

    # ---- app.bsky reads

    def _view(self, profile: Profile, detailed: bool = False) -> Body:
        view: Body = {"did": profile.did, "handle": profile.handle, "labels": []}
        if profile.display_name:
            view["displayName"] = profile.display_name
        if profile.description:
            view["description"] = profile.description
        if profile.avatar:
            view["avatar"] = profile.avatar
        if profile.created_at:
            view["createdAt"] = profile.created_at
        viewer: Body = {"muted": False, "blockedBy": False}
        if (following := self.world.follow_uri(profile.did)) is not None:
            viewer["following"] = following
        view["viewer"] = viewer
        if detailed:
            view.update(followersCount=profile.followers, followsCount=profile.follows, postsCount=profile.posts)
        return view

    def _actor(self, actor: str) -> Profile:
        profile = self.world.profiles.get(actor) or next(
            (p for p in self.world.profiles.values() if p.handle == actor), None
        )
        if profile is None or profile.state == "deleted":
            raise XrpcFailure(400, "InvalidRequest", "Profile not found")
        if profile.state in STATE_ERRORS:
            raise XrpcFailure(400, *STATE_ERRORS[profile.state])
        return profile

    def _app_bsky_actor_getProfile(self, params: Body, caller: str | None) -> Body:
        return self._view(self._actor(params["actor"]), detailed=True)

    def _app_bsky_actor_getProfiles(self, params: Body, caller: str | None) -> Body:
        if len(params["actors"]) > 25:
            raise XrpcFailure(400, "InvalidRequest", "actors must not have more than 25 elements")
        found = [self.world.profiles[d] for d in params["actors"] if self.world.served(d)]
        return {"profiles": [self._view(p, detailed=True) for p in found]}

    def _page(self, items: list[Any], params: Body) -> tuple[list[Any], Body]:
        start = int(params.get("cursor") or 0)
        limit = int(params.get("limit") or 50)
        page = items[start : start + limit]
        extra: Body = {"cursor": str(start + limit)} if start + limit < len(items) else {}
        return page, extra

    def _app_bsky_graph_getFollowers(self, params: Body, caller: str | None) -> Body:
        page, extra = self._page(self.world.followers, params)
        page = [d for d in page if self.world.served(d)]  # the AppView leaves gone accounts out of a page
        views = [self._view(self.world.profiles[d]) for d in page]
        return {"subject": self._view(self._actor(params["actor"])), "followers": views, **extra}

    def _app_bsky_graph_getFollows(self, params: Body, caller: str | None) -> Body:
        dids = [v["subject"] for _, v in self.world.records("app.bsky.graph.follow")]
        page, extra = self._page([d for d in dict.fromkeys(dids) if self.world.served(d)], params)
        views = [self._view(self.world.profiles[d]) for d in page]
        return {"subject": self._view(self._actor(params["actor"])), "follows": views, **extra}

    def _list_view(self, rkey: str, value: Body) -> Body:
        uri = f"at://{self.world.me.did}/app.bsky.graph.list/{rkey}"
        view = {
            "uri": uri,
            "cid": "bafyrei" + rkey + "aaaa",
            "name": value["name"],
            "purpose": value["purpose"],
            "creator": self._view(self.world.me),
            "indexedAt": value["createdAt"],
        }
        if value.get("description"):
            view["description"] = value["description"]
        return view

    def _app_bsky_graph_getLists(self, params: Body, caller: str | None) -> Body:
        lists = [self._list_view(k, v) for k, v in self.world.records("app.bsky.graph.list")]
        page, extra = self._page(lists, params)
        return {"lists": page, **extra}

    def _app_bsky_graph_getList(self, params: Body, caller: str | None) -> Body:
        rkey = params["list"].rsplit("/", 1)[-1]
        value = self.world.repo.get("app.bsky.graph.list", {}).get(rkey)
        if value is None:
            raise XrpcFailure(400, "InvalidRequest", "List not found")
        items = [
            {
                "uri": f"at://{self.world.me.did}/app.bsky.graph.listitem/{k}",
                "subject": self._view(self.world.profiles[v["subject"]]),
            }
            for k, v in self.world.records("app.bsky.graph.listitem")
            if v["list"] == params["list"] and self.world.served(v["subject"])
        ]
        page, extra = self._page(items, params)
        return {"list": self._list_view(rkey, value), "items": page, **extra}

    def _app_bsky_feed_getAuthorFeed(self, params: Body, caller: str | None) -> Body:
        profile = self._actor(params["actor"])
        page, extra = self._page(self.world.posts.get(profile.did, []), params)
        return {"feed": [{"post": p} for p in page], **extra}

    def _app_bsky_notification_listNotifications(self, params: Body, caller: str | None) -> Body:
        reasons = set(params.get("reasons") or ())
        found = [n for n in self.world.notifications if not reasons or n["reason"] in reasons]
        page, extra = self._page(found, params)
        return {"notifications": page, **extra}

    # ---- com.atproto.repo

    def _own(self, repo: str) -> None:
        if repo != self.world.me.did:
            raise XrpcFailure(400, "InvalidRequest", "Invalid repo")

    def _com_atproto_repo_listRecords(self, params: Body, caller: str | None) -> Body:
        records = self.world.records(params["collection"])
        if params.get("cursor"):
            records = [(k, v) for k, v in records if k < params["cursor"]]
        page = records[: int(params.get("limit") or 50)]
        uri = f"at://{params['repo']}/{params['collection']}/"
        out: Body = {"records": [{"uri": uri + k, "cid": "bafyrei" + k + "aaaa", "value": v} for k, v in page]}
        if len(page) == int(params.get("limit") or 50):
            out["cursor"] = page[-1][0]
        return out

    def _com_atproto_repo_getRecord(self, params: Body, caller: str | None) -> Body:
        value = self.world.repo.get(params["collection"], {}).get(params["rkey"])
        if value is None:
            raise XrpcFailure(400, "RecordNotFound", "Could not locate record")
        uri = f"at://{params['repo']}/{params['collection']}/{params['rkey']}"
        return {"uri": uri, "cid": "bafyrei" + params["rkey"] + "aaaa", "value": value}

    def _com_atproto_repo_createRecord(self, data: Body, caller: str | None) -> Body:
        self._own(data["repo"])
        uri = self.world.put(data["collection"], data["record"], data.get("rkey"))
        return {"uri": uri, "cid": "bafyrei" + uri.rsplit("/", 1)[-1] + "aaaa"}

    def _com_atproto_repo_putRecord(self, data: Body, caller: str | None) -> Body:
        self._own(data["repo"])
        uri = self.world.put(data["collection"], data["record"], data["rkey"])
        return {"uri": uri, "cid": "bafyrei" + data["rkey"] + "aaaa"}

    def _com_atproto_repo_deleteRecord(self, data: Body, caller: str | None) -> Body:
        self._own(data["repo"])
        self.world.delete(data["collection"], data["rkey"])
        return {}


class _Drop(Exception):
    """Close the connection without an answer (a PDS that died mid-request)."""


def _handler(fake: FakeBsky) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no 40 ms delayed-ACK stalls

        def do_GET(self) -> None:
            fake.serve(self)

        def do_POST(self) -> None:
            fake.serve(self)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


__all__ = ["LIST_PURPOSE", "FakeBsky", "Recorded", "World", "XrpcFailure", "jwt"]
