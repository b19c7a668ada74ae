"""Build X data archives in the exact format of X's "Download an archive of your data", as a zip or an extracted
folder, for the tests.

``ArchiveSpec`` says what the archive holds; ``archive_files`` turns it into ``{path: bytes}`` (the manifest,
account, follower/following split into parts, lists in the newer ``url`` or older ``urls`` form, block, mute);
tests break that dict on purpose, then ``write_zip`` / ``write_folder`` put it on disk.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Files = dict[str, bytes]


@dataclass
class ArchiveSpec:
    account_id: str = "100"
    username: str = "me"
    display_name: str = "Me"
    followers: list[str] = field(default_factory=list)
    following: list[str] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)  # list URLs
    lists_form: Literal["url", "urls"] = "url"
    blocked: list[str] = field(default_factory=list)
    muted: list[str] = field(default_factory=list)
    parts: int = 1  # follower and following files split into this many parts
    generated_at: str = "2025-03-02T12:00:00.000Z"
    pretty: bool = True  # the real files are indented; the builder can also write them on one line
    link_only: bool = False  # relationship rows with a userLink and no accountId


def js(global_name: str, data: Any, *, pretty: bool = True) -> bytes:
    """A data file: ``window.<global_name> = <json>``."""
    body = json.dumps(data, indent=2 if pretty else None, ensure_ascii=False)
    return f"window.{global_name} = {body}".encode()


def _rows(key: str, ids: list[str], link_only: bool) -> list[dict[str, Any]]:
    def row(i: str) -> dict[str, Any]:
        link = {"userLink": f"https://twitter.com/intent/user?user_id={i}"}
        return {key: link if link_only else {"accountId": i, **link}}

    return [row(i) for i in ids]


def _split(ids: list[str], parts: int) -> list[list[str]]:
    size = max(1, -(-len(ids) // parts)) if ids else 1
    chunks = [ids[i : i + size] for i in range(0, len(ids), size)] or [[]]
    return chunks


def archive_files(spec: ArchiveSpec) -> Files:
    files: Files = {}
    types: dict[str, Any] = {}

    def add(manifest_key: str, stem: str, ytd: str, element: str, ids: list[str], parts: int = 1) -> None:
        entries = []
        for n, chunk in enumerate(_split(ids, parts)):
            name = f"data/{stem}.js" if n == 0 else f"data/{stem}-part{n}.js"
            global_name = f"YTD.{ytd}.part{n}"
            files[name] = js(global_name, _rows(element, chunk, spec.link_only), pretty=spec.pretty)
            entries.append({"fileName": name, "globalName": global_name, "count": str(len(chunk))})
        types[manifest_key] = {"files": entries}

    account = {
        "account": {
            "email": "me@example.com",
            "createdVia": "web",
            "username": spec.username,
            "accountId": spec.account_id,
            "createdAt": "2015-06-01T10:00:00.000Z",
            "accountDisplayName": spec.display_name,
        }
    }
    files["data/account.js"] = js("YTD.account.part0", [account], pretty=spec.pretty)
    types["account"] = {"files": [{"fileName": "data/account.js", "globalName": "YTD.account.part0", "count": "1"}]}
    add("follower", "follower", "follower", "follower", spec.followers, spec.parts)
    add("following", "following", "following", "following", spec.following, spec.parts)
    add("block", "block", "block", "blocking", spec.blocked)
    add("mute", "mute", "mute", "muting", spec.muted)
    rows: list[dict[str, Any]]
    if spec.lists_form == "url":
        rows = [{"userListInfo": {"url": url}} for url in spec.lists]
    else:
        rows = [{"userListInfo": {"urls": list(spec.lists)}}] if spec.lists else []
    files["data/lists-created.js"] = js("YTD.lists_created.part0", rows, pretty=spec.pretty)
    types["listsCreated"] = {
        "files": [
            {"fileName": "data/lists-created.js", "globalName": "YTD.lists_created.part0", "count": str(len(rows))}
        ]
    }
    types["tweets"] = {"files": [{"fileName": "data/tweets.js", "globalName": "YTD.tweets.part0", "count": "1"}]}
    files["data/tweets.js"] = js("YTD.tweets.part0", [{"tweet": {"id_str": "1", "full_text": "hello"}}])
    manifest = {
        "userInfo": {"accountId": spec.account_id, "userName": spec.username, "displayName": spec.display_name},
        "archiveInfo": {
            "sizeBytes": "1000",
            "generationDate": spec.generated_at,
            "isPartialArchive": False,
            "maxPartSizeBytes": "53687091200",
        },
        "readmeInfo": {"fileName": "data/README.txt", "directory": "data/", "name": "README"},
        "dataTypes": types,
    }
    files["data/manifest.js"] = js("__THAR_CONFIG", manifest, pretty=spec.pretty)
    files["Your archive.html"] = b"<html><body>Your archive</body></html>"
    return files


def write_zip(files: Files, path: Path, *, prefix: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(prefix + name, content)
    return path


def write_folder(files: Files, path: Path) -> Path:
    for name, content in files.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return path


def build(spec: ArchiveSpec, path: Path, *, zipped: bool = True) -> Path:
    """The archive on disk: ``path`` is the zip file, or the folder to extract it into."""
    files = archive_files(spec)
    return write_zip(files, path) if zipped else write_folder(files, path)


def ids(start: int, count: int) -> list[str]:
    """``count`` X-like IDs from ``start`` on."""
    return [str(start + i) for i in range(count)]


def pre2020_files(spec: ArchiveSpec, *, under_data: bool = False) -> Files:
    """An archive as X made them before 2020: no ``manifest.js``; the data files at the root of the zip (or, a
    little later, under ``data/``), named as today, each ``window.YTD.<name>.part0 = [...]``; lists in the one-object
    ``urls`` form; ``account.js`` with the phone number; a ``README.txt`` and the media folders beside them."""
    folder = "data/" if under_data else ""
    account = {
        "account": {
            "phoneNumber": "+15555550100",
            "email": "me@example.com",
            "createdVia": "web",
            "username": spec.username,
            "accountId": spec.account_id,
            "createdAt": "2012-06-01T10:00:00.000Z",
            "accountDisplayName": spec.display_name,
        }
    }
    lists = [{"userListInfo": {"urls": list(spec.lists)}}] if spec.lists else []
    files: Files = {
        f"{folder}account.js": js("YTD.account.part0", [account], pretty=spec.pretty),
        f"{folder}follower.js": js("YTD.follower.part0", _rows("follower", spec.followers, spec.link_only)),
        f"{folder}following.js": js("YTD.following.part0", _rows("following", spec.following, spec.link_only)),
        f"{folder}lists-created.js": js("YTD.lists_created.part0", lists, pretty=spec.pretty),
        f"{folder}block.js": js("YTD.block.part0", _rows("blocking", spec.blocked, False)),
        f"{folder}mute.js": js("YTD.mute.part0", _rows("muting", spec.muted, False)),
        f"{folder}tweet.js": js("YTD.tweet.part0", [{"tweet": {"id_str": "1", "full_text": "hello"}}]),
        f"{folder}tweet_media/1-abc.jpg": b"\xff\xd8\xff",
        "README.txt": b"Twitter archive\n",
    }
    return files


def write_zip_dated(files: Files, path: Path, when: tuple[int, int, int, int, int, int]) -> Path:
    """A zip whose entries carry the date ``when`` (what an archive without a manifest is dated by)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=when), content)
    return path
