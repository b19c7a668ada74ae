"""Sign-in: ``followtui auth`` against FakeX (PKCE, loopback catcher, paste), credentials storage and TokenKeeper."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
import socket
import stat
import sys
import threading
import time
import webbrowser
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import keyring
import pytest
import requests
import tweepy
from keyring.backend import KeyringBackend
from keyring.backends import fail as fail_keyring
from keyring.errors import PasswordDeleteError

from followtui import paths
from followtui.backends.base import AuthError, Transient
from followtui.backends.x import oauth
from followtui.backends.x.credentials import (
    CredentialsError,
    OAuth1Credentials,
    OAuth2Credentials,
    delete_credentials,
    describe,
    load_credentials,
    save_credentials,
)
from followtui.backends.x.http import configure_session
from followtui.cli import main
from tests.factories import FakeClock
from tests.fakex.server import FakeX
from tests.fakex.world import World

AUTHORIZE_URL = re.compile(r"https://twitter\.com/i/oauth2/authorize\?\S+")
CLIENT_ID = "dGVzdC1jbGllbnQtaWQ"
X_ENV = (
    "FOLLOWTUI_X_OAUTH2_TOKEN",
    "FOLLOWTUI_X_CONSUMER_KEY",
    "FOLLOWTUI_X_CONSUMER_SECRET",
    "FOLLOWTUI_X_ACCESS_TOKEN",
    "FOLLOWTUI_X_ACCESS_SECRET",
    "FOLLOWTUI_X_CLIENT_ID",
    "FOLLOWTUI_X_CLIENT_SECRET",
    "FOLLOWTUI_X_API_BASE",
)


# --- fixtures and helpers -----------------------------------------------------------------------------------------


class MemoryKeyring(KeyringBackend):
    """A keyring that forgets everything when the test ends."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring's KeyringBackend.__init__ is unannotated
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("no such entry")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Config in a temp dir, no FOLLOWTUI_X_* from the outside, no display, and no real keyring."""
    for name in X_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("FOLLOWTUI_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("FOLLOWTUI_HOME", str(tmp_path / "data"))  # --status lists the caches there
    previous = keyring.get_keyring()
    keyring.set_keyring(fail_keyring.Keyring())  # type: ignore[no-untyped-call]  # unannotated in keyring
    yield tmp_path / "config"
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def x(fakex: FakeX, monkeypatch: pytest.MonkeyPatch) -> FakeX:
    """FakeX as the X API of every session followtui configures."""
    monkeypatch.setenv("FOLLOWTUI_X_API_BASE", fakex.base_url)
    return fakex


@pytest.fixture
def redirect_uri(fakex_world: World) -> str:
    """A loopback callback on a free port, registered for ``CLIENT_ID`` in FakeX."""
    uri = f"http://127.0.0.1:{free_port()}/callback"
    fakex_world.register_client(CLIENT_ID, uri)
    return uri


class Console:
    """The terminal of in-process ``followtui auth`` runs; the browser thread reads stdout while one runs."""

    def __init__(self) -> None:
        self.out = io.StringIO()
        self.err = io.StringIO()

    def auth(self, *args: str, stdin: str | io.StringIO = "") -> int:
        """Run ``followtui auth ARGS`` (pytest re-installs its own sys.stdout per phase, so redirect here)."""
        with (
            contextlib.redirect_stdout(self.out),
            contextlib.redirect_stderr(self.err),
            mock.patch.object(sys, "stdin", io.StringIO(stdin) if isinstance(stdin, str) else stdin),
        ):
            return main(["auth", *args])

    def authorize_url(self, timeout: float = 10) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if match := AUTHORIZE_URL.search(self.out.getvalue()):
                return match.group(0)
            time.sleep(0.01)
        raise AssertionError(f"no authorization URL printed:\n{self.out.getvalue()}")

    def text(self) -> str:
        return self.out.getvalue() + self.err.getvalue()


@pytest.fixture
def console() -> Console:
    return Console()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def denied(authorize_url: str) -> str:
    """The redirect X sends when the user clicks Cancel."""
    query = dict(parse_qsl(urlsplit(authorize_url).query))
    return f"{query['redirect_uri']}?{urlencode({'error': 'access_denied', 'state': query['state']})}"


class Browser:
    """Plays the user in a thread: approve (or not) the printed URL, then follow the redirect to the catcher."""

    def __init__(self, fakex: FakeX, console: Console, answer: Callable[[str], str] | None = None) -> None:
        self.fakex = fakex
        self.console = console
        self.answer = answer or fakex.approve
        self.redirect: str | None = None
        self.page: requests.Response | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._play, daemon=True)
        self.thread.start()

    def _play(self) -> None:
        url = ""
        try:
            url = self.console.authorize_url()
            self.redirect = self.answer(url)
            self.page = requests.get(self.redirect, timeout=10)
        except BaseException as error:
            self.error = error
            if url:  # unblock the catcher rather than leave it waiting for minutes
                with contextlib.suppress(requests.RequestException):
                    requests.get(with_query(denied(url), error="test_browser_failed"), timeout=5)

    def join(self) -> None:
        self.thread.join(10)
        assert self.error is None, self.error


class PastingStdin(io.StringIO):
    """A stdin on which the user pastes the redirect URL once it is asked for."""

    def __init__(self, console: Console, answer: Callable[[str], str]) -> None:
        super().__init__()
        self.console = console
        self.answer = answer
        self.redirect: str | None = None

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]  # typeshed: _IOBase.readline -> bytes
        self.redirect = self.answer(self.console.authorize_url())
        return self.redirect + "\n"


def saved_json() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(paths.credentials_file().read_text(encoding="utf-8"))
    return data


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def secrets_of(creds: OAuth2Credentials) -> list[str]:
    return [s for s in (creds.access_token, creds.refresh_token, creds.client_secret) if s]


def sign_in_directly(fakex: FakeX, redirect_uri: str, client_secret: str | None = None) -> OAuth2Credentials:
    """The library flow without the CLI: start, approve, finish."""
    handler, url = oauth.start_authorization(CLIENT_ID, redirect_uri, client_secret)
    return oauth.finish_authorization(handler, fakex.approve(url))


# --- followtui auth: signing in -------------------------------------------------------------------------------------


def test_sign_in_through_the_loopback_catcher(
    x: FakeX, redirect_uri: str, console: Console, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    browser = Browser(x, console)
    code = console.auth("--client-id", CLIENT_ID, "--redirect-uri", redirect_uri, "--no-browser")
    browser.join()

    assert code == 0, console.text()
    path = paths.credentials_file()
    assert f"Signed in as @me. Credentials saved to {path} (mode 0600)." in console.out.getvalue()
    assert browser.page is not None and browser.page.status_code == 200
    assert "close this tab" in browser.page.text
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    data = saved_json()
    assert data["kind"] == "oauth2" and data["store"] == "file"
    assert data["user_id"] == x.world.me_id and data["username"] == "me"
    assert set(data["scope"]) == set(oauth.SCOPES)
    assert data["access_token"] in x.world.user_tokens and data["refresh_token"]
    assert browser.redirect is not None
    code_param = dict(parse_qsl(urlsplit(browser.redirect).query))["code"]
    for secret in (data["access_token"], data["refresh_token"], code_param):
        assert secret not in console.text()
    for secret in (data["access_token"], data["refresh_token"]):  # tweepy and requests-oauthlib log them at DEBUG
        assert secret not in caplog.text
    assert "OAUTHLIB_INSECURE_TRANSPORT" not in os.environ
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_status_shows_who_without_secrets(x: FakeX, redirect_uri: str, console: Console) -> None:
    creds = sign_in_directly(x, redirect_uri)
    save_credentials(creds)
    console.out.truncate(0)

    assert console.auth("--status") == 0
    out = console.out.getvalue()
    assert f"@me (id {x.world.me_id}), OAuth 2.0 user token from {paths.credentials_file()}" in out
    assert "refresh token: yes" in out and "expires in 1 h 59 min" in out and "follows.write" in out
    assert "warning" not in out
    for secret in secrets_of(creds):
        assert secret not in console.text()

    paths.credentials_file().chmod(0o644)
    assert console.auth("--status") == 0
    assert "readable by others (mode 0644)" in console.out.getvalue()


def test_sign_in_by_pasting_the_redirect(
    x: FakeX, redirect_uri: str, console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FOLLOWTUI_X_CLIENT_ID", CLIENT_ID)
    stdin = PastingStdin(console, x.approve)
    assert console.auth("--redirect-uri", redirect_uri, "--paste", "--no-browser", stdin=stdin) == 0, console.text()
    assert "Paste that full URL" in console.out.getvalue()
    assert "Signed in as @me." in console.out.getvalue()
    creds = load_credentials()
    assert isinstance(creds, OAuth2Credentials) and creds.user_id == x.world.me_id
    for secret in secrets_of(creds):
        assert secret not in console.text()


def test_the_browser_is_opened_when_there_is_a_display(
    x: FakeX, redirect_uri: str, console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []

    def fake_open(url: str) -> bool:  # the browser: approve, then come back to the catcher
        opened.append(url)
        threading.Thread(target=lambda: requests.get(x.approve(url), timeout=10), daemon=True).start()
        return True

    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(webbrowser, "open", fake_open)
    assert console.auth("--client-id", CLIENT_ID, "--redirect-uri", redirect_uri) == 0, console.text()
    assert opened == [console.authorize_url()]
    assert "No browser" not in console.out.getvalue()


def test_without_a_display_the_url_is_only_printed(
    x: FakeX, redirect_uri: str, console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webbrowser, "open", lambda url: pytest.fail("a text browser would take the terminal"))
    stdin = PastingStdin(console, x.approve)
    assert console.auth("--client-id", CLIENT_ID, "--redirect-uri", redirect_uri, "--paste", stdin=stdin) == 0
    assert "(No browser to open here: open the URL yourself.)" in console.out.getvalue()


def test_an_https_redirect_uri_is_pasted(
    x: FakeX, fakex_world: World, console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    fakex_world.register_client(CLIENT_ID, "https://example.org/followtui/callback")
    stdin = PastingStdin(console, x.approve)
    uri = "https://example.org/followtui/callback"
    code = console.auth("--client-id", CLIENT_ID, "--redirect-uri", uri, "--no-browser", stdin=stdin)
    assert code == 0, console.text()
    assert "Signed in as @me." in console.out.getvalue()


def test_a_confidential_client_signs_in_and_refreshes_with_its_secret(
    x: FakeX, fakex_world: World, console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    uri = f"http://127.0.0.1:{free_port()}/callback"
    fakex_world.register_client(CLIENT_ID, uri, secret="app-secret-value")
    monkeypatch.setenv("FOLLOWTUI_X_CLIENT_SECRET", "app-secret-value")
    browser = Browser(x, console)
    assert console.auth("--client-id", CLIENT_ID, "--redirect-uri", uri, "--no-browser") == 0, console.text()
    browser.join()
    creds = load_credentials()
    assert isinstance(creds, OAuth2Credentials) and creds.client_secret == "app-secret-value"
    assert "app-secret-value" not in repr(creds) and "app-secret-value" not in console.text()

    keeper = oauth.TokenKeeper(creds, paths.credentials_file())
    assert keeper.refresh() != creds.access_token


def test_user_denied(x: FakeX, redirect_uri: str, console: Console) -> None:
    browser = Browser(x, console, answer=denied)
    code = console.auth("--client-id", CLIENT_ID, "--redirect-uri", redirect_uri, "--no-browser")
    browser.join()

    assert code == 1
    assert console.err.getvalue() == (
        "followtui: you did not authorize followtui at X (access_denied): run `followtui auth` to retry\n"
    )
    assert browser.page is not None and "cancelled" in browser.page.text
    assert not paths.credentials_file().exists()


def test_state_mismatch(x: FakeX, redirect_uri: str, console: Console) -> None:
    browser = Browser(x, console, answer=lambda url: with_query(x.approve(url), state="forged"))
    code = console.auth("--client-id", CLIENT_ID, "--redirect-uri", redirect_uri, "--no-browser")
    browser.join()

    assert code == 1
    assert "state mismatch" in console.err.getvalue()
    assert browser.redirect is not None
    assert dict(parse_qsl(urlsplit(browser.redirect).query))["code"] not in console.text()
    assert not paths.credentials_file().exists()


def test_token_endpoint_refusal_shows_x_s_words_only(
    x: FakeX, fakex_world: World, console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    uri = f"http://127.0.0.1:{free_port()}/callback"
    fakex_world.register_client(CLIENT_ID, uri, secret="right-secret")
    monkeypatch.setenv("FOLLOWTUI_X_CLIENT_SECRET", "wrong-secret")
    browser = Browser(x, console)
    code = console.auth("--client-id", CLIENT_ID, "--redirect-uri", uri, "--no-browser")
    browser.join()

    assert code == 1
    err = console.err.getvalue()
    assert err == (
        "followtui: X refused the sign-in: confidential client without valid HTTP Basic credentials (invalid_request)\n"
    )
    assert browser.redirect is not None
    assert dict(parse_qsl(urlsplit(browser.redirect).query))["code"] not in console.text()
    assert "wrong-secret" not in console.text() and "right-secret" not in console.text()
    assert x.violations == ["POST /2/oauth2/token: confidential client without valid HTTP Basic credentials"]
    x.violations.clear()  # provoked on purpose


def test_a_token_endpoint_outage_is_reported_as_such(x: FakeX, redirect_uri: str, console: Console) -> None:
    x.fail("POST /2/oauth2/token", "503")
    browser = Browser(x, console)
    code = console.auth("--client-id", CLIENT_ID, "--redirect-uri", redirect_uri, "--no-browser")
    browser.join()

    assert code == 1
    assert console.err.getvalue() == (
        "followtui: X's token endpoint answered 503 Service Unavailable: Service Unavailable\n"
    )


def test_an_unreachable_token_endpoint_is_a_network_error(
    x: FakeX, redirect_uri: str, console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    dead = f"127.0.0.1:{free_port()}"
    browser = Browser(x, console)  # the authorize page is FakeX's; the API base is not
    monkeypatch.setenv("FOLLOWTUI_X_API_BASE", f"http://{dead}")
    code = console.auth("--client-id", CLIENT_ID, "--redirect-uri", redirect_uri, "--no-browser")
    browser.join()

    assert code == 1
    assert console.err.getvalue() == f"followtui: could not reach {dead}: cannot connect\n"


def test_missing_client_id_says_how_to_get_one(console: Console) -> None:
    assert console.auth("--no-browser") == 1
    err = console.err.getvalue()
    assert err.startswith("followtui: no X client ID: create an app at https://developer.x.com")
    assert "FOLLOWTUI_X_CLIENT_ID" in err and "--client-id" in err and err.count("\n") == 1


def test_keyring_store_without_a_keyring_fails_before_signing_in(console: Console) -> None:
    assert console.auth("--client-id", CLIENT_ID, "--store", "keyring", "--no-browser") == 1
    assert "no usable system keyring" in console.err.getvalue()
    assert "authorize" not in console.out.getvalue()


def test_the_catcher_times_out_and_ignores_strays() -> None:
    uri = f"http://127.0.0.1:{free_port()}/callback"
    with oauth.RedirectCatcher(uri) as catcher:
        threading.Thread(target=lambda: requests.get(uri.replace("/callback", "/favicon.ico"), timeout=5)).start()
        with pytest.raises(oauth.RedirectTimeout, match=r"no answer from the browser within 0\.5 s"):
            catcher.wait(0.5)
    with pytest.raises(oauth.SignInError, match=r"only http://127\.0\.0\.1 or localhost"):
        oauth.RedirectCatcher("https://example.org/callback")


def test_the_catcher_returns_the_full_url() -> None:
    port = free_port()
    uri = f"http://localhost:{port}/cb"
    answers: list[requests.Response] = []
    with oauth.RedirectCatcher(uri) as catcher:  # listening from here on
        browser = threading.Thread(
            target=lambda: answers.append(requests.get(f"http://127.0.0.1:{port}/cb?code=abc&state=xyz", timeout=5)),
            daemon=True,
        )
        browser.start()
        assert catcher.wait(10) == f"http://localhost:{port}/cb?code=abc&state=xyz"
    browser.join(10)
    assert answers and answers[0].status_code == 200


# --- followtui auth --status / --logout -----------------------------------------------------------------------------


def test_status_when_not_signed_in(console: Console) -> None:
    assert console.auth("--status") == 1
    assert console.out.getvalue().startswith("Not signed in. Run `followtui auth`")


def test_status_lists_every_cache_and_the_one_opened_last(console: Console, isolated: Path) -> None:
    from followtui.services.accounts import BLUESKY, AccountRef, X, account_dir, remember

    data = isolated.parent / "data"
    did = "did:plc:abcdefghijklmnopqrstuvwx"
    remember(data, AccountRef(X, "1000", "ada", account_dir(data, X, "1000")))
    remember(data, AccountRef(BLUESKY, did, "maria.bsky.social", account_dir(data, BLUESKY, did)))
    assert console.auth("--status") == 0  # not signed in, but the caches are there
    out = console.out.getvalue()
    assert out.startswith("Not signed in.") and f"Caches in {data}:" in out
    assert f"  X @ada: {account_dir(data, X, '1000')}\n" in out
    assert f"  Bluesky @maria.bsky.social: {account_dir(data, BLUESKY, did)}  (opened last)\n" in out


def test_logout_removes_the_file(x: FakeX, redirect_uri: str, console: Console) -> None:
    save_credentials(sign_in_directly(x, redirect_uri))
    assert console.auth("--logout") == 0
    assert f"Signed out: removed {paths.credentials_file()}." in console.out.getvalue()
    assert not paths.credentials_file().exists()
    assert console.auth("--status") == 1
    assert console.auth("--logout") == 0
    assert console.out.getvalue().endswith("Not signed in: nothing to remove.\n")


def test_status_with_a_corrupt_file(console: Console, isolated: Path) -> None:
    isolated.mkdir(parents=True)
    paths.credentials_file().write_text('{"access_token": "TOPSECRET-123", oops', encoding="utf-8")

    assert console.auth("--status") == 1
    err = console.err.getvalue()
    assert str(paths.credentials_file()) in err and "not valid JSON" in err
    assert "TOPSECRET" not in err


# --- credentials: environment, file, keyring ------------------------------------------------------------------------


def test_oauth2_token_from_the_environment(console: Console, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOLLOWTUI_X_OAUTH2_TOKEN", "env-bearer-token")
    creds = load_credentials()
    assert isinstance(creds, OAuth2Credentials)
    assert creds.access_token == "env-bearer-token"
    assert creds.refresh_token is None and creds.expires_at is None and creds.user_id == ""

    assert console.auth("--status") == 0
    assert "token from environment variable FOLLOWTUI_X_OAUTH2_TOKEN, expiry unknown, refresh token: no" in (
        console.out.getvalue()
    )
    assert "env-bearer-token" not in console.text()

    with pytest.raises(AuthError, match="no refresh token") as refused:
        oauth.TokenKeeper(creds, paths.credentials_file()).refresh()
    assert "env-bearer-token" not in str(refused.value)
    assert not paths.credentials_file().exists()


def test_the_environment_wins_over_the_file(x: FakeX, redirect_uri: str, monkeypatch: pytest.MonkeyPatch) -> None:
    save_credentials(sign_in_directly(x, redirect_uri))
    monkeypatch.setenv("FOLLOWTUI_X_OAUTH2_TOKEN", "env-bearer-token")
    creds = load_credentials()
    assert creds is not None and creds.access_token == "env-bearer-token"


OAUTH1_ENV = {
    "FOLLOWTUI_X_CONSUMER_KEY": "ck-value",
    "FOLLOWTUI_X_CONSUMER_SECRET": "cs-value",
    "FOLLOWTUI_X_ACCESS_TOKEN": "987654321-at-value",
    "FOLLOWTUI_X_ACCESS_SECRET": "as-value",
}


def test_oauth1_from_the_environment() -> None:
    creds = load_credentials(env=OAUTH1_ENV)
    assert creds == OAuth1Credentials(
        "ck-value",
        "cs-value",
        "987654321-at-value",
        "as-value",
        user_id="987654321",
        username="",
        source="environment variables FOLLOWTUI_X_CONSUMER_KEY…",
    )
    text = repr(creds) + describe(creds)
    assert "id 987654321" in text and "OAuth 1.0a" in text
    for secret in OAUTH1_ENV.values():
        assert secret not in text


def test_a_partial_oauth1_set_names_what_is_missing() -> None:
    env = {k: v for k, v in OAUTH1_ENV.items() if k not in ("FOLLOWTUI_X_CONSUMER_SECRET", "FOLLOWTUI_X_ACCESS_SECRET")}
    with pytest.raises(CredentialsError) as error:
        load_credentials(env=env)
    assert str(error.value).endswith("missing: FOLLOWTUI_X_CONSUMER_SECRET, FOLLOWTUI_X_ACCESS_SECRET")
    for secret in OAUTH1_ENV.values():
        assert secret not in str(error.value)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'{"version": 1, "kind": "oauth2", "access_token": "TOPSECRET"', "not valid JSON"),
        (b"\xff\xfeTOPSECRET", "not UTF-8"),
        (b'["TOPSECRET"]', "not a JSON object"),
        (b'{"version": 7, "kind": "oauth2", "access_token": "TOPSECRET"}', "unsupported version 7"),
        (b'{"version": 1, "kind": "oauth2", "access_token": "TOPSECRET"}', "'client_id' is missing"),
        (b'{"version": 1, "kind": "smoke", "access_token": "TOPSECRET"}', "'kind' must be"),
    ],
)
def test_a_corrupt_file_is_an_error_naming_the_path(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "credentials.json"
    path.write_bytes(content)
    with pytest.raises(CredentialsError) as error:
        load_credentials(path, env={})
    assert str(error.value).startswith(f"{path} is corrupt (") and problem in str(error.value)
    assert "TOPSECRET" not in str(error.value)


def test_an_unreadable_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CredentialsError, match=r"cannot read .*: Is a directory"):
        load_credentials(tmp_path, env={})


def test_saving_is_atomic_and_private_whatever_the_umask(tmp_path: Path) -> None:
    creds = OAuth2Credentials("at", "rt", None, ("tweet.read",), "cid", None, "1", "me", source="test")
    path = tmp_path / "deep" / "config" / "credentials.json"
    old = os.umask(0)
    try:
        assert save_credentials(creds, path) == path
        save_credentials(replace(creds, access_token="at2"), path)
    finally:
        os.umask(old)
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["credentials.json"]
    assert load_credentials(path, env={}) == replace(creds, access_token="at2", source=str(path))


def test_repr_hides_every_secret() -> None:
    creds = OAuth2Credentials(
        "access-value", "refresh-value", None, (), "cid", "client-secret-value", "1", "me", source="x"
    )
    text = repr(creds) + describe(creds)
    for secret in ("access-value", "refresh-value", "client-secret-value"):
        assert secret not in text
    assert "cid" in repr(creds)


def test_describe_expiry() -> None:
    now = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    creds = OAuth2Credentials("a", None, now + timedelta(minutes=72), (), "c", None, "1", "me", source="s")
    assert "expires in 1 h 12 min, refresh token: no" in describe(creds, now=now)
    late = replace(creds, refresh_token="r", expires_at=now - timedelta(minutes=5))
    assert "expired 5 min ago (refreshed on next use), refresh token: yes" in describe(late, now=now)


def test_keyring_storage(x: FakeX, redirect_uri: str, memory_keyring: MemoryKeyring, console: Console) -> None:
    browser = Browser(x, console)
    code = console.auth("--client-id", CLIENT_ID, "--redirect-uri", redirect_uri, "--no-browser", "--store", "auto")
    browser.join()
    assert code == 0, console.text()
    path = paths.credentials_file()
    assert "Secrets saved to the system keyring (test auth MemoryKeyring); the rest to" in console.out.getvalue()

    data = saved_json()
    assert data["store"] == "keyring" and data["username"] == "me"
    assert "access_token" not in data and "refresh_token" not in data
    [(service, account)] = memory_keyring.entries
    assert service == "followtui" and data["keyring_account"] == account
    creds = load_credentials()
    assert isinstance(creds, OAuth2Credentials) and creds.access_token in x.world.user_tokens
    assert creds.source.startswith("the system keyring")
    for secret in secrets_of(creds):
        assert secret not in path.read_text(encoding="utf-8")
        assert secret not in console.text()

    # a refresh keeps the secrets in the keyring
    keeper = oauth.TokenKeeper(creds, path)
    new_token = keeper.refresh()
    reloaded = load_credentials()
    assert reloaded is not None and reloaded.access_token == new_token
    assert new_token not in path.read_text(encoding="utf-8")
    assert mode(path) == 0o600

    assert console.auth("--logout") == 0
    assert memory_keyring.entries == {} and not path.exists()


def test_keyring_entry_missing(memory_keyring: MemoryKeyring, tmp_path: Path) -> None:
    path = tmp_path / "credentials.json"
    creds = OAuth1Credentials("ck", "cs", "42-at", "as", user_id="42", username="me", source="test")
    save_credentials(creds, path, store="keyring")
    assert load_credentials(path, env={}) == replace(creds, source=f"the system keyring ({path} says where)")
    memory_keyring.entries.clear()
    with pytest.raises(CredentialsError, match="it has none for this file"):
        load_credentials(path, env={})
    save_credentials(creds, path, store="file")  # back to the file
    assert saved_secrets_in(path) == {"ck", "cs", "42-at", "as"}
    assert delete_credentials(path) and not delete_credentials(path)


def saved_secrets_in(path: Path) -> set[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {data[k] for k in ("consumer_key", "consumer_secret", "access_token", "access_secret")}


# --- TokenKeeper ----------------------------------------------------------------------------------------------------


def test_token_keeper_refreshes_before_expiry(x: FakeX, redirect_uri: str) -> None:
    creds = sign_in_directly(x, redirect_uri)
    path = save_credentials(creds)
    assert creds.expires_at is not None
    clock = FakeClock(creds.expires_at - timedelta(minutes=5))
    keeper = oauth.TokenKeeper(creds, path, clock)

    assert keeper.bearer() == creds.access_token  # 5 min left: no refresh
    clock.advance(minutes=4, seconds=30)  # 30 s left
    token = keeper.bearer()
    assert token != creds.access_token and token in x.world.user_tokens
    saved = load_credentials()  # the rotated token, saved where it was
    assert isinstance(saved, OAuth2Credentials) and saved.access_token == token and saved.source == str(path)
    assert saved.refresh_token != creds.refresh_token and saved.refresh_token in x.world.refresh_tokens
    assert mode(path) == 0o600
    assert keeper.bearer() == token  # fresh again: no second refresh


def test_token_keeper_refreshes_after_a_401(x: FakeX, redirect_uri: str, fakex_world: World) -> None:
    creds = sign_in_directly(x, redirect_uri)
    path = save_credentials(creds)
    keeper = oauth.TokenKeeper(creds, path)
    fakex_world.expire_tokens()

    client = tweepy.Client(keeper.bearer())
    configure_session(client.session, base=x.base_url)
    with pytest.raises(tweepy.Unauthorized):
        client.get_me(user_auth=False)
    client.bearer_token = keeper.refresh()
    assert client.get_me(user_auth=False).data.username == "me"

    saved = load_credentials()
    assert isinstance(saved, OAuth2Credentials)
    assert saved.access_token == client.bearer_token and saved.refresh_token != creds.refresh_token
    assert mode(path) == 0o600


def test_concurrent_401s_refresh_once(x: FakeX, redirect_uri: str) -> None:
    creds = sign_in_directly(x, redirect_uri)
    keeper = oauth.TokenKeeper(creds, None)
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(keeper.refresh(creds.access_token))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(set(results)) == 1 and results[0] != creds.access_token


def test_a_refused_refresh_is_an_auth_error_without_secrets(x: FakeX, redirect_uri: str) -> None:
    creds = replace(sign_in_directly(x, redirect_uri), refresh_token="revoked-refresh-token")
    keeper = oauth.TokenKeeper(creds, None)
    with pytest.raises(AuthError) as error:
        keeper.refresh()
    message = str(error.value)
    assert message.startswith("X refused the saved credentials: run `followtui auth`")
    for secret in (*secrets_of(creds), "revoked-refresh-token"):
        assert secret not in message


def test_a_refresh_during_an_outage_is_transient(x: FakeX, redirect_uri: str) -> None:
    creds = sign_in_directly(x, redirect_uri)
    assert creds.expires_at is not None
    clock = FakeClock(creds.expires_at - timedelta(seconds=30))
    keeper = oauth.TokenKeeper(creds, None, clock)

    x.fail("POST /2/oauth2/token", "503")
    assert keeper.bearer() == creds.access_token  # due, but still valid for 30 s: used as is
    x.fail("POST /2/oauth2/token", "drop")
    clock.advance(seconds=31)
    with pytest.raises(Transient, match=r"cannot refresh the X token: could not reach 127\.0\.0\.1:\d+"):
        keeper.bearer()
    x.fail("POST /2/oauth2/token", "500")
    with pytest.raises(Transient, match="X answered 500 Internal Server Error"):
        keeper.refresh()
    assert keeper.bearer() != creds.access_token  # X is back
