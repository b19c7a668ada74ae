"""The accounts followtui knows, and where each one's cache lives: ``<data dir>/<network>/<account>/``.

An account is known from its sign-in (X's credentials, each saved Bluesky session) or from a cache already on
disk. Its directory is named by the account's lasting identity (X's user ID, Bluesky's DID), never by the
handle, which can change; ``account.json`` beside the cache remembers the network, the ID and the last handle.
A cache from before accounts (the files directly in the data dir) is moved into its X account's directory the
first time it is opened (``adopt_legacy_cache``), ``state.json`` last, so a kill at any point resumes cleanly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from followtui.durable import fsync_dir, replacing
from followtui.store.lock import LOCK_NAME
from followtui.store.store import STATE_FILE

X = "x"
BLUESKY = "bluesky"
NETWORKS = (X, BLUESKY)
NETWORK_NAMES = {X: "X", BLUESKY: "Bluesky"}


def network_name(network: str) -> str:
    """How messages name ``network`` ("x" -> "X"); an unknown one by its own key."""
    return NETWORK_NAMES.get(network, network)


ACCOUNT_FILE = "account.json"
LAST_FILE = "last-account.json"  # in the data dir: the account opened last, picked when none is named
UNKNOWN_ID = "default"  # an X sign-in whose user ID is not known yet (a token from the environment)


class AccountError(Exception):
    """No account, or not one the user named."""


@dataclass(frozen=True, slots=True)
class AccountRef:
    """One account on one network, and its cache directory."""

    network: str
    id: str  # X's user ID ("" when not known yet) or a Bluesky DID
    handle: str  # "" when not known yet
    dir: Path

    @property
    def key(self) -> str:
        """How to name it without doubt: ``x:maria`` or ``bluesky:maria.bsky.social``."""
        return f"{self.network}:{self.handle or self.id or UNKNOWN_ID}"

    @property
    def label(self) -> str:
        """``X @maria`` or ``Bluesky @maria.bsky.social``."""
        name = network_name(self.network)
        return f"{name} @{self.handle}" if self.handle else f"{name} (account not looked up yet)"

    def matches(self, name: str) -> bool:
        """Whether ``name`` (a handle with or without ``@``, an ID, or ``network:handle``) names this account."""
        network, sep, rest = name.partition(":")
        if sep and network.lower() in NETWORKS and not name.lower().startswith("did:"):
            return network.lower() == self.network and self.matches(rest)
        wanted = name.strip().removeprefix("@").lower()
        return bool(wanted) and wanted in {self.handle.lower(), self.id.lower()}


def account_dir(base: Path, network: str, account_id: str) -> Path:
    """Where the cache of ``account_id`` on ``network`` lives under the data dir ``base``."""
    return base / network / _dir_name(account_id or UNKNOWN_ID)


def known_accounts(
    base: Path,
    *,
    x_id: str | None = None,
    x_handle: str = "",
    bluesky: Iterable[tuple[str, str]] = (),
) -> list[AccountRef]:
    """The accounts signed in (``x_id``: X's user ID, "" when unknown, None when not signed in to X;
    ``bluesky``: each saved session's DID and handle) and those with a cache under ``base``, X first."""
    on_disk = {(ref.network, ref.id): ref for ref in cached_accounts(base)}
    found: dict[tuple[str, str], AccountRef] = {}
    if x_id is not None:
        if not x_id:  # not looked up yet: the one X cache on disk is this sign-in's
            x_cached = [ref for ref in on_disk.values() if ref.network == X]
            x_id = x_cached[0].id if len(x_cached) == 1 else ""
        cached = on_disk.get((X, x_id))
        handle = x_handle or (cached.handle if cached else "")
        found[X, x_id] = AccountRef(X, x_id, handle, cached.dir if cached else account_dir(base, X, x_id))
    for did, handle in bluesky:
        found[BLUESKY, did] = AccountRef(BLUESKY, did, handle, account_dir(base, BLUESKY, did))
    for key, ref in on_disk.items():
        found.setdefault(key, ref)
    return sorted(found.values(), key=lambda ref: NETWORKS.index(ref.network) if ref.network in NETWORKS else 99)


def choose(accounts: Sequence[AccountRef], name: str | None, last: str | None = None) -> AccountRef | None:
    """The account ``name`` names; with none named, the one opened ``last``, else the first (None: no account).
    Raises AccountError, listing every account, when the name fits none or more than one."""
    if name:
        hits = [ref for ref in accounts if ref.matches(name)]
        if len(hits) == 1:
            return hits[0]
        known = ", ".join(ref.key for ref in accounts) or "none (sign in with `followtui auth`)"
        why = "fits more than one account" if hits else "is not an account followtui knows"
        raise AccountError(f"{name!r} {why}; the accounts: {known}")
    remembered = next((ref for ref in accounts if last and ref.key == last), None)
    return remembered or (accounts[0] if accounts else None)


def read_last(base: Path) -> str | None:
    """The key of the account opened last (None when none, or the file is unreadable)."""
    try:
        value = json.loads((base / LAST_FILE).read_text(encoding="utf-8")).get("account")
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def remember(base: Path, ref: AccountRef) -> None:
    """Note ``ref`` in its directory (``account.json``) and as the account opened last."""
    ref.dir.mkdir(parents=True, exist_ok=True)
    doc = {"network": ref.network, "id": ref.id, "handle": ref.handle}
    if _read_json(ref.dir / ACCOUNT_FILE) != doc:
        _write_json(ref.dir / ACCOUNT_FILE, doc)
    if read_last(base) != ref.key:
        _write_json(base / LAST_FILE, {"account": ref.key})


def has_legacy_cache(base: Path) -> bool:
    """Whether ``base`` holds a cache from before accounts (its files directly in the data dir)."""
    return (base / STATE_FILE).is_file()


def adopt_legacy_cache(base: Path, target: Path) -> list[str]:
    """Move the files of a cache from before accounts from ``base`` into ``target``; the names moved.

    Every file moves by rename (same file system), ``state.json`` last: until it moves, the next start sees the
    old cache and finishes the move. A file already in ``target`` is never overwritten (the move stops and says
    so). The caller holds no store open on ``base``.
    """
    target.mkdir(parents=True, exist_ok=True)
    names = sorted(
        (p.name for p in base.iterdir() if p.is_file() and p.name not in (LOCK_NAME, LAST_FILE)),
        key=lambda name: name == STATE_FILE,  # the marker of the old cache goes last
    )
    for name in names:
        if (target / name).exists():
            raise AccountError(f"cannot move the old cache into {target}: {name} is there already; nothing lost")
        (base / name).replace(target / name)
    fsync_dir(target)
    fsync_dir(base)
    (base / LOCK_NAME).unlink(missing_ok=True)
    return names


def cached_accounts(base: Path) -> Iterable[AccountRef]:
    """The accounts with a cache under the data dir ``base`` (named by its ``account.json``), by network."""
    for network in NETWORKS:
        folder = base / network
        if not folder.is_dir():
            continue
        for directory in sorted(folder.iterdir()):
            doc = _read_json(directory / ACCOUNT_FILE)
            if doc is None or doc.get("network") != network:
                continue
            yield AccountRef(network, str(doc.get("id") or ""), str(doc.get("handle") or ""), directory)


def _read_json(path: Path) -> dict[str, object] | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def _write_json(path: Path, doc: dict[str, str]) -> None:
    with replacing(path) as fh:
        fh.write(json.dumps(doc).encode())


def _dir_name(account_id: str) -> str:
    """A file name for an ID: ``did:plc:ab12`` becomes ``did_plc_ab12`` (colons are not portable)."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", account_id)


def resolve(base: Path, name: str | None, *, demo: bool = False) -> AccountRef | None:
    """The account to open under the data dir ``base`` (``name`` from ``--account`` or ``[ui] account``).

    Reads the sign-ins (no network) and the caches' ``account.json``; a cache from before accounts is moved into
    its account's directory first. None: no account and no cache (the welcome screen). Blocking file I/O.
    """
    return choose(list_accounts(base, demo=demo, adopt=True), name, read_last(base))


def list_accounts(base: Path, *, demo: bool = False, adopt: bool = False) -> list[AccountRef]:
    """Every account under the data dir ``base``: signed in or cached (``adopt``: move a cache from before
    accounts into its account's directory first). Blocking file I/O."""
    if demo:
        return demo_accounts(base)
    x_id, x_handle = _x_sign_in()
    if adopt and has_legacy_cache(base):
        _adopt(base, x_id, x_handle)
    return known_accounts(base, x_id=x_id, x_handle=x_handle, bluesky=_bluesky_sign_ins())


def demo_accounts(base: Path) -> list[AccountRef]:
    """The demo's accounts, under the demo's data dir ``base`` (a demo cache from before accounts moves too)."""
    from followtui.demo import BSKY_ME, DEMO_ME

    x = AccountRef(X, DEMO_ME.id, DEMO_ME.username, account_dir(base, X, DEMO_ME.id))
    bluesky = AccountRef(BLUESKY, BSKY_ME.id, BSKY_ME.username, account_dir(base, BLUESKY, BSKY_ME.id))
    if has_legacy_cache(base):
        adopt_legacy_cache(base, x.dir)
    return [x, bluesky]


def _adopt(base: Path, x_id: str | None, x_handle: str) -> None:
    """Move a cache from before accounts into its X account's directory (it was always X's)."""
    from followtui.store import Store

    with Store.open(base) as store:  # raises StoreLocked while an older followtui still has it open
        me = store.me()
    account_id = (me.id if me else "") or x_id or ""
    handle = (me.username if me else "") or x_handle
    ref = AccountRef(X, account_id, handle, account_dir(base, X, account_id))
    adopt_legacy_cache(base, ref.dir)
    remember(base, ref)


def _x_sign_in() -> tuple[str | None, str]:
    """X's user ID ("" when not known) and handle when signed in to X, else (None, "")."""
    from followtui import paths
    from followtui.backends.x.credentials import CredentialsError, load_credentials

    try:
        creds = load_credentials(paths.credentials_file())
    except (CredentialsError, ValueError):
        return "", ""  # signed in, but unreadable: the session says why
    return (None, "") if creds is None else (creds.user_id, creds.username)


def _bluesky_sign_ins() -> list[tuple[str, str]]:
    from followtui.backends.bluesky.credentials import load_sessions
    from followtui.backends.x.credentials import CredentialsError

    try:
        return [(s.did, s.handle) for s in load_sessions().values()]
    except CredentialsError:
        return []  # `followtui auth --status` says why
