"""X credentials: what they hold, where they come from (environment, file, system keyring) and how they are shown.

Precedence: ``FOLLOWTUI_X_OAUTH2_TOKEN``, then the four OAuth 1.0a variables, then the credentials file
(``paths.credentials_file()``), whose secrets may live in the system keyring instead (``"store": "keyring"``).
No message, ``repr`` or description built here ever holds a secret.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from followtui import paths
from followtui.durable import replacing

ENV_OAUTH2_TOKEN = "FOLLOWTUI_X_OAUTH2_TOKEN"  # noqa: S105 (a variable name)
ENV_OAUTH1 = (
    "FOLLOWTUI_X_CONSUMER_KEY",
    "FOLLOWTUI_X_CONSUMER_SECRET",
    "FOLLOWTUI_X_ACCESS_TOKEN",
    "FOLLOWTUI_X_ACCESS_SECRET",
)
ENV_SOURCE = "environment"  # every source string of environment credentials starts with this
KEYRING_SERVICE = "followtui"
FILE_VERSION = 1

StoreChoice = Literal["file", "keyring", "auto"]


class CredentialsError(Exception):
    """Credentials cannot be read or written; the message names the place and the problem, never a secret."""


@dataclass(frozen=True, slots=True)
class OAuth2Credentials:
    """An OAuth 2.0 user token (PKCE). ``user_id``/``username`` are "" when unknown (a token from the environment)."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: datetime | None
    scope: tuple[str, ...]
    client_id: str
    client_secret: str | None = field(repr=False)  # confidential clients only
    user_id: str
    username: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class OAuth1Credentials:
    """OAuth 1.0a user context: the app's consumer key pair and the user's access token pair."""

    consumer_key: str = field(repr=False)
    consumer_secret: str = field(repr=False)
    access_token: str = field(repr=False)
    access_secret: str = field(repr=False)
    user_id: str  # the access token's prefix before the first "-"
    username: str
    source: str = ""


Credentials = OAuth2Credentials | OAuth1Credentials

_KIND = {OAuth2Credentials: "oauth2", OAuth1Credentials: "oauth1"}
_SECRETS = {
    "oauth2": ("access_token", "refresh_token", "client_secret"),
    "oauth1": ("consumer_key", "consumer_secret", "access_token", "access_secret"),
}


# --- loading -------------------------------------------------------------------------------------------------


def load_credentials(path: Path | None = None, env: Mapping[str, str] = os.environ) -> Credentials | None:
    """The credentials to use, or None when there are none anywhere."""
    creds = credentials_from_env(env)
    if creds is not None:
        return creds
    return _load_file(path or paths.credentials_file())


def credentials_from_env(env: Mapping[str, str] = os.environ) -> Credentials | None:
    """Credentials from ``FOLLOWTUI_X_*`` variables; a partial OAuth 1.0a set is an error naming what is missing."""
    if token := env.get(ENV_OAUTH2_TOKEN, "").strip():
        return OAuth2Credentials(
            access_token=token,
            refresh_token=None,
            expires_at=None,
            scope=(),
            client_id=env.get("FOLLOWTUI_X_CLIENT_ID", "").strip(),
            client_secret=None,
            user_id="",
            username="",
            source=f"{ENV_SOURCE} variable {ENV_OAUTH2_TOKEN}",
        )
    values = {name: env.get(name, "").strip() for name in ENV_OAUTH1}
    if not any(values.values()):
        return None
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise CredentialsError(
            f"OAuth 1.0a credentials need all of {', '.join(ENV_OAUTH1)}; missing: {', '.join(missing)}"
        )
    key, secret, token, token_secret = (values[name] for name in ENV_OAUTH1)
    return OAuth1Credentials(
        consumer_key=key,
        consumer_secret=secret,
        access_token=token,
        access_secret=token_secret,
        user_id=token.partition("-")[0],
        username="",
        source=f"{ENV_SOURCE} variables FOLLOWTUI_X_CONSUMER_KEY…",
    )


def is_from_env(creds: Credentials) -> bool:
    """Whether ``creds`` came from environment variables (and so are never saved or refreshed)."""
    return creds.source.startswith(ENV_SOURCE)


def _load_file(path: Path) -> Credentials | None:
    data = _read_json(path)
    if data is None:
        return None
    if data.get("store") == "keyring":
        account = data.get("keyring_account")
        if not isinstance(account, str) or not account:
            account = _default_account(path)
        blob = _keyring_get(account, path)
        if blob is None:
            raise CredentialsError(
                f"{path} says the secrets are in the system keyring, but it has none for this file: "
                "run `followtui auth` to sign in again"
            )
        where = f"the system keyring entry for {path}"
        try:
            stored = json.loads(blob)
        except ValueError:
            raise CredentialsError(f"{where} is corrupt (not JSON): run `followtui auth` to sign in again") from None
        if not isinstance(stored, dict):
            raise CredentialsError(f"{where} is corrupt (not a JSON object): run `followtui auth` to sign in again")
        kind = data.get("kind")
        data = {**data, **{k: v for k, v in stored.items() if k in _SECRETS.get(str(kind), ())}}
        return _from_dict(data, str(path), f"the system keyring ({path} says where)")
    return _from_dict(data, str(path), str(path))


def _read_json(path: Path) -> dict[str, Any] | None:
    """The file's JSON object, None when it does not exist; errors name the path and the problem only."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise CredentialsError(f"cannot read {path}: {error.strerror or type(error).__name__}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise CredentialsError(f"{path} is corrupt (not UTF-8 text): {_RESIGN}") from None
    except json.JSONDecodeError as error:
        raise CredentialsError(
            f"{path} is corrupt (not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}): {_RESIGN}"
        ) from None
    if not isinstance(data, dict):
        raise CredentialsError(f"{path} is corrupt (not a JSON object): {_RESIGN}")
    return data


_RESIGN = "run `followtui auth --logout`, then `followtui auth`"


def _from_dict(data: dict[str, Any], where: str, source: str) -> Credentials:
    def fail(problem: str) -> CredentialsError:
        return CredentialsError(f"{where} is corrupt ({problem}): {_RESIGN}")

    def text(key: str, *, optional: bool = False) -> str | None:
        value = data.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, str) or (not value and not optional):
            raise fail(f"'{key}' is missing or not a string")
        return value

    def required(key: str) -> str:
        value = text(key)
        assert value is not None
        return value

    version = data.get("version")
    if version != FILE_VERSION:
        raise fail(f"unsupported version {version!r}, expected {FILE_VERSION}")
    kind = data.get("kind")
    if kind == "oauth1":
        return OAuth1Credentials(
            consumer_key=required("consumer_key"),
            consumer_secret=required("consumer_secret"),
            access_token=required("access_token"),
            access_secret=required("access_secret"),
            user_id=required("user_id"),
            username=text("username", optional=True) or "",
            source=source,
        )
    if kind != "oauth2":
        raise fail('\'kind\' must be "oauth2" or "oauth1"')
    scope = data.get("scope", [])
    if not isinstance(scope, list) or not all(isinstance(s, str) for s in scope):
        raise fail("'scope' is not a list of strings")
    expires_at: datetime | None = None
    if (raw_expiry := text("expires_at", optional=True)) is not None:
        try:
            expires_at = datetime.fromisoformat(raw_expiry)
        except ValueError:
            raise fail("'expires_at' is not an ISO 8601 time") from None
        if expires_at.tzinfo is None:
            expires_at = expires_at.replace(tzinfo=UTC)
    return OAuth2Credentials(
        access_token=required("access_token"),
        refresh_token=text("refresh_token", optional=True) or None,
        expires_at=expires_at,
        scope=tuple(scope),
        client_id=required("client_id"),
        client_secret=text("client_secret", optional=True) or None,
        user_id=required("user_id"),
        username=text("username", optional=True) or "",
        source=source,
    )


def _to_dict(creds: Credentials) -> dict[str, Any]:
    data: dict[str, Any] = {"version": FILE_VERSION, "kind": _KIND[type(creds)]}
    if isinstance(creds, OAuth2Credentials):
        data.update(
            user_id=creds.user_id,
            username=creds.username,
            client_id=creds.client_id,
            scope=list(creds.scope),
            expires_at=creds.expires_at.isoformat() if creds.expires_at else None,
            access_token=creds.access_token,
            refresh_token=creds.refresh_token,
            client_secret=creds.client_secret,
        )
    else:
        data.update(
            user_id=creds.user_id,
            username=creds.username,
            consumer_key=creds.consumer_key,
            consumer_secret=creds.consumer_secret,
            access_token=creds.access_token,
            access_secret=creds.access_secret,
        )
    return data


# --- saving --------------------------------------------------------------------------------------------------


def save_credentials(creds: Credentials, path: Path | None = None, *, store: StoreChoice | None = None) -> Path:
    """Write ``creds`` atomically to ``path`` (mode 0600); returns the path.

    ``store="keyring"`` puts the secrets in the system keyring and only the rest in the file; ``"auto"`` does so
    when a usable keyring exists; None keeps where the file already keeps them (the file by default).
    """
    path = path or paths.credentials_file()
    try:
        previous = _stored_account(path)
    except CredentialsError:  # a corrupt file is simply replaced
        previous = None
    if store is None:
        store = "keyring" if previous is not None else "file"
    if store == "auto":
        store = "keyring" if keyring_available() else "file"
    data = _to_dict(creds)
    if store == "keyring":
        if not keyring_available():
            raise CredentialsError(f"no usable system keyring: {_KEYRING_HINT}")
        account = previous or _default_account(path)
        secret_values = {key: data.pop(key) for key in _SECRETS[data["kind"]]}
        data.update(store="keyring", keyring_account=account)
        _keyring_call("set_password", account, json.dumps(secret_values))
    else:
        data["store"] = "file"
    _ensure_private_dir(path.parent)
    atomic_write(path, (json.dumps(data, indent=2) + "\n").encode("utf-8"))
    if store == "file" and previous is not None:
        _keyring_delete(previous)  # the secrets moved back into the file
    return path


def delete_credentials(path: Path | None = None) -> bool:
    """Remove the saved credentials (the file and its keyring entry); whether there was anything to remove."""
    path = path or paths.credentials_file()
    removed = False
    account: str | None
    try:
        account = _stored_account(path)
    except CredentialsError:
        account = None
    for name in {account, _default_account(path)} - {None}:
        assert name is not None
        removed |= _keyring_delete(name)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
        removed = True
    return removed


def atomic_write(path: Path, content: bytes) -> None:
    """Replace ``path`` with ``content`` through ``durable.replacing`` (0600 temp file, fsync, rename, dir fsync)."""
    try:
        with replacing(path, prefix=f".{path.name}.") as fh:
            fh.write(content)
    except OSError as error:
        raise CredentialsError(f"cannot write {path}: {error.strerror or type(error).__name__}") from None


def _ensure_private_dir(directory: Path) -> None:
    if directory.is_dir():
        return
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        directory.chmod(0o700)  # mkdir's mode is filtered by the umask
    except OSError as error:
        raise CredentialsError(f"cannot create {directory}: {error.strerror or type(error).__name__}") from None


def _stored_account(path: Path) -> str | None:
    """The keyring account of the file at ``path``, None when it keeps its secrets itself (or does not exist)."""
    data = _read_json(path)
    if data is None or data.get("store") != "keyring":
        return None
    account = data.get("keyring_account")
    return account if isinstance(account, str) and account else _default_account(path)


def file_mode(path: Path) -> int | None:
    """The permission bits of ``path``, None when it does not exist."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None


# --- keyring -------------------------------------------------------------------------------------------------

_KEYRING_HINT = (
    "install one with `pip install 'followtui[keyring]'` and a backend (Secret Service, KWallet, macOS, Windows)"
)


def keyring_available() -> bool:
    """Whether the ``keyring`` package is installed with a backend that can store secrets."""
    return _keyring_backend() is not None


def keyring_name() -> str:
    """A short name of the active keyring backend (for messages)."""
    backend = _keyring_backend()
    return str(getattr(backend, "name", type(backend).__name__)) if backend is not None else "none"


def _keyring_backend() -> Any | None:
    try:
        import keyring
        from keyring.backends import fail, null
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:
        return None
    if isinstance(backend, fail.Keyring | null.Keyring):
        return None
    return backend


def _default_account(path: Path) -> str:
    return f"x:{path.expanduser().absolute()}"


def _keyring_call(method: str, *args: str) -> str | None:
    import keyring
    from keyring.errors import KeyringError

    try:
        result = getattr(keyring, method)(KEYRING_SERVICE, *args)
    except KeyringError as error:
        raise CredentialsError(f"the system keyring failed ({type(error).__name__}: {error})") from None
    return result if isinstance(result, str) else None


def _keyring_get(account: str, path: Path) -> str | None:
    if not keyring_available():
        raise CredentialsError(f"{path} says the secrets are in the system keyring, but there is none: {_KEYRING_HINT}")
    return _keyring_call("get_password", account)


def _keyring_delete(account: str) -> bool:
    if not keyring_available():
        return False
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(KEYRING_SERVICE, account)
    except PasswordDeleteError:
        return False
    except KeyringError as error:
        raise CredentialsError(f"the system keyring failed ({type(error).__name__}: {error})") from None
    return True


# --- describing ----------------------------------------------------------------------------------------------


def describe(creds: Credentials, *, path: Path | None = None, now: datetime | None = None) -> str:
    """Who is signed in and with what, without a secret; warns when the file at ``path`` is readable by others."""
    who = f"@{creds.username}" if creds.username else "an account not yet looked up"
    if creds.user_id:
        who += f" (id {creds.user_id})"
    if isinstance(creds, OAuth2Credentials):
        now = now or datetime.now(UTC)
        if creds.expires_at is None:
            expiry = "expiry unknown"
        elif creds.expires_at > now:
            expiry = f"expires in {_duration((creds.expires_at - now).total_seconds())}"
        else:
            expiry = f"expired {_duration((now - creds.expires_at).total_seconds())} ago"
            expiry += " (refreshed on next use)" if creds.refresh_token else ""
        refresh = "yes" if creds.refresh_token else "no"
        scopes = " ".join(creds.scope) or "unknown"
        text = f"{who}, OAuth 2.0 user token from {creds.source}, {expiry}, refresh token: {refresh}, scopes: {scopes}"
    else:
        text = f"{who}, OAuth 1.0a user tokens from {creds.source} (no expiry; permissions are the app's)"
    if path is not None and not is_from_env(creds) and os.name == "posix":
        mode = file_mode(path)
        if mode is not None and mode & 0o077:
            text += f"\nwarning: {path} is readable by others (mode {mode:04o}): run `chmod 600 {path}`"
    return text


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 1:
        return "less than a minute"
    hours, minutes = divmod(minutes, 60)
    if hours >= 48:
        return f"{hours // 24} d {hours % 24} h"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"
