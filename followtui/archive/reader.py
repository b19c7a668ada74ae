"""Read the parts of an X data archive followtui uses, from the zip or its extracted folder, validating all of it.

Each data file is a JS assignment of JSON, ``window.YTD.follower.part0 = [ ... ]``; ``data/manifest.js``
(``window.__THAR_CONFIG = { ... }``) lists every data type's files (split parts included) and whose archive it is.
Archives from before 2020 have no manifest: their files sit at the archive's root (or under ``data/``), are found
by their usual names, and the archive's date is the newest of theirs. The files may be one folder deeper than
expected (a folder zipped again, or an archive extracted into a folder of its own name).
Only the files named below are opened (an archive's media can be gigabytes): ``manifest``, ``account``,
``follower``, ``following`` (required), ``lists-created``, ``block`` and ``mute`` (optional). No file may be larger
than ``Limits.file_bytes`` uncompressed, checked against the zip's declared size first and then while reading, so
a zip bomb never gets into memory. Any problem raises ``ArchiveError`` naming the file; nothing is half-read.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from followtui.archive.errors import ArchiveError
from followtui.domain.models import parse_time

MANIFEST = "data/manifest.js"
ACCOUNT_FILE = "account.js"  # what marks the data folder of an archive without a manifest
MANIFEST_GLOBAL = "__THAR_CONFIG"
CHUNK = 1 << 20
MiB = 1024 * 1024

_WRAPPER = re.compile(r"\s*window\.([\w$.]+)\s*=\s*")
_YTD_GLOBAL = re.compile(r"YTD\.(\w+)\.part(\d+)")
_DATA_NAME = re.compile(r"data/[A-Za-z0-9_.-]+\.js")
_USER_LINK_ID = re.compile(r"[?&]user_id=(\d+)")
_LIST_URL = re.compile(
    r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(?P<owner>[^/?#]+)/lists/(?P<tail>[^/?#]+)/?(?:[?#].*)?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Limits:
    """How much an import may read: per data file and in total (uncompressed bytes)."""

    file_bytes: int = 256 * MiB
    total_bytes: int = 1024 * MiB


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class _Kind:
    """One data type: its manifest key, default file, ``YTD.<ytd>.partN`` name and element key."""

    manifest_key: str
    default_file: str
    ytd: str
    element: str
    required: bool


ACCOUNT = _Kind("account", "data/account.js", "account", "account", True)
FOLLOWER = _Kind("follower", "data/follower.js", "follower", "follower", True)
FOLLOWING = _Kind("following", "data/following.js", "following", "following", True)
LISTS = _Kind("listsCreated", "data/lists-created.js", "lists_created", "userListInfo", False)
BLOCK = _Kind("block", "data/block.js", "block", "blocking", False)
MUTE = _Kind("mute", "data/mute.js", "mute", "muting", False)


@dataclass(frozen=True, slots=True)
class ArchiveAccount:
    """Whose archive it is (``account.js``)."""

    account_id: str
    username: str
    display_name: str = ""
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ArchiveList:
    """A list the user created. X's API needs the numeric ID; older archives may name a list by its slug only."""

    id: str
    name: str
    owner: str
    url: str
    numeric: bool


@dataclass(frozen=True, slots=True)
class Archive:
    """Everything followtui takes from one archive, validated."""

    source: str
    account: ArchiveAccount
    generated_at: datetime | None
    followers: tuple[str, ...]  # in the archive's order (newest first)
    following: tuple[str, ...]
    lists: tuple[ArchiveList, ...]
    blocked: frozenset[str]
    muted: frozenset[str]
    warnings: tuple[str, ...]
    fingerprint: str  # sha256 of every file read, in order


def read_archive(path: Path, limits: Limits | None = None) -> Archive:
    """Read and validate the archive at ``path`` (a ``.zip`` or the extracted folder); raises ``ArchiveError``."""
    limits = limits or DEFAULT_LIMITS
    path = Path(path)
    if not path.exists():
        raise ArchiveError(f"{path} does not exist")
    source: _Source = _DirSource(path) if path.is_dir() else _ZipSource(path)
    try:
        return _Reader(source, limits).read()
    finally:
        source.close()


# -- where the bytes come from -----------------------------------------------------------------------------------


class _Source:
    """The archive's files by the names the manifest uses (``data/follower.js``), wherever the data folder is."""

    label: str

    def __init__(self, files: list[str]) -> None:
        self.data_dir, self.manifest = _data_dir(files)
        self._names = {
            "data/" + name[len(self.data_dir) :]: name
            for name in files
            if name.startswith(self.data_dir) and "/" not in name[len(self.data_dir) :]
        }

    def exists(self, name: str) -> bool:
        return name in self._names

    def names(self) -> list[str]:
        return list(self._names)

    def real(self, name: str) -> str:
        """Where the file of this name is in the zip or below the folder."""
        return self._names[name]

    def size(self, name: str) -> int:
        raise NotImplementedError

    def modified(self, name: str) -> datetime | None:
        raise NotImplementedError

    def open(self, name: str) -> IO[bytes]:
        raise NotImplementedError

    def close(self) -> None:
        pass


def _data_dir(files: list[str]) -> tuple[str, bool]:
    """The prefix of the data folder among ``files`` (relative paths), and whether it holds a manifest.

    The current layout has ``data/manifest.js``; older archives only ``account.js``, under ``data/`` or at the
    root. The shallowest match wins (a folder zipped again, or extracted into one more folder, is one level down).
    """
    by_depth = sorted(files, key=lambda n: (n.count("/"), n))
    for name in by_depth:
        if name == MANIFEST or name.endswith("/" + MANIFEST):
            return name[: -len("manifest.js")], True
    for name in by_depth:
        if name == ACCOUNT_FILE or name.endswith("/" + ACCOUNT_FILE):
            return name[: -len(ACCOUNT_FILE)], False
    return "data/", False


class _ZipSource(_Source):
    def __init__(self, path: Path) -> None:
        self.label = str(path)
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
            raise ArchiveError(f"{path.name} is not a zip archive, or it is truncated ({exc})") from None
        except OSError as exc:
            raise ArchiveError(f"cannot read {path}: {exc.strerror or exc}") from None
        self._entries = {info.filename: info for info in self._zip.infolist() if not info.is_dir()}
        super().__init__(list(self._entries))

    def size(self, name: str) -> int:
        return self._entries[self.real(name)].file_size

    def modified(self, name: str) -> datetime | None:
        try:
            return datetime(*self._entries[self.real(name)].date_time, tzinfo=UTC)
        except ValueError:
            return None

    def open(self, name: str) -> IO[bytes]:
        return self._zip.open(self._entries[self.real(name)])

    def close(self) -> None:
        self._zip.close()


class _DirSource(_Source):
    def __init__(self, path: Path) -> None:
        self.label = str(path)
        # the extracted folder, its data/ folder itself, or a folder with the extracted one inside
        self._root = path.parent
        super().__init__(_shallow_files(path, path.name + "/"))

    def size(self, name: str) -> int:
        return (self._root / self.real(name)).stat().st_size

    def modified(self, name: str) -> datetime | None:
        try:
            return datetime.fromtimestamp((self._root / self.real(name)).stat().st_mtime, UTC)
        except (OSError, ValueError, OverflowError):
            return None

    def open(self, name: str) -> IO[bytes]:
        return (self._root / self.real(name)).open("rb")


def _shallow_files(folder: Path, prefix: str, depth: int = 2) -> list[str]:
    """The files in ``folder`` and in its subfolders ``depth`` levels down, as ``prefix``-ed relative paths.

    Deep enough for ``<folder>/<extracted>/data/x.js``; the media folders inside ``data/`` are not walked.
    """
    out: list[str] = []
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return out
    for entry in entries:
        if entry.is_file():
            out.append(prefix + entry.name)
        elif depth > 0 and entry.is_dir():
            out += _shallow_files(entry, f"{prefix}{entry.name}/", depth - 1)
    return out


# -- reading ---------------------------------------------------------------------------------------------------


class _Reader:
    def __init__(self, source: _Source, limits: Limits) -> None:
        self.source = source
        self.limits = limits
        self.total = 0
        self.hash = hashlib.sha256()
        self.warnings: list[str] = []

    def read(self) -> Archive:
        if not self.source.manifest and not self.source.exists(ACCOUNT.default_file):
            raise ArchiveError(
                f"{MANIFEST} is missing, and there is no {ACCOUNT_FILE} either: "
                f"is {Path(self.source.label).name} an X data archive?"
            )
        manifest = self._js(MANIFEST, MANIFEST_GLOBAL, None) if self.source.manifest else {}
        if not isinstance(manifest, dict):
            raise ArchiveError("should hold an object", MANIFEST)
        types = manifest.get("dataTypes")
        types = types if isinstance(types, dict) else {}
        archive_info = _object(manifest.get("archiveInfo"))
        if archive_info.get("isPartialArchive") is True:
            self.warnings.append("the manifest says this is a partial archive: followers or following may be missing")

        account = self._account(types)
        user_info = _object(manifest.get("userInfo"))
        manifest_id = str(user_info.get("accountId") or "")
        if manifest_id and manifest_id != account.account_id:
            raise ArchiveError(
                f"the manifest is for account {manifest_id} but data/account.js for {account.account_id}", MANIFEST
            )
        followers = self._ids(types, FOLLOWER, unique=True)
        following = self._ids(types, FOLLOWING, unique=True)
        lists = self._lists(types)
        blocked = frozenset(self._ids(types, BLOCK, unique=False))
        muted = frozenset(self._ids(types, MUTE, unique=False))
        generated = parse_time(_str(archive_info.get("generationDate"))) or self._files_date()
        return Archive(
            source=self.source.label,
            account=account,
            generated_at=generated,
            followers=tuple(followers),
            following=tuple(following),
            lists=tuple(lists),
            blocked=blocked,
            muted=muted,
            warnings=tuple(self.warnings),
            fingerprint=self.hash.hexdigest(),
        )

    def _files_date(self) -> datetime | None:
        """An archive without a manifest was made when its newest follow file was written."""
        names = [n for kind in (ACCOUNT, FOLLOWER, FOLLOWING) for n, _, _ in self._files({}, kind)]
        times = [t for n in names if (t := self.source.modified(n)) is not None]
        if not times:
            return None
        newest = max(times)
        self.warnings.append(f"no manifest (an archive from before 2020): taken as made on {newest:%Y-%m-%d}")
        return newest

    # -- one data type ----------------------------------------------------------------------------------

    def _files(self, types: dict[str, Any], kind: _Kind) -> list[tuple[str, str | None, int | None]]:
        """(file name, global name, declared count) of every part of ``kind``; the required ones must exist."""
        entry = types.get(kind.manifest_key)
        listed = entry.get("files") if isinstance(entry, dict) else None
        files: list[tuple[str, str | None, int | None]] = []
        if isinstance(listed, list) and listed:
            for item in listed:
                if not isinstance(item, dict) or not isinstance(item.get("fileName"), str):
                    raise ArchiveError(f'the "{kind.manifest_key}" entry has a file without a fileName', MANIFEST)
                name = _data_name(item["fileName"])
                count = _str(item.get("count"))
                files.append((name, _str(item.get("globalName")), int(count) if count.isdigit() else None))
        else:  # not in the manifest: the default file and any parts next to it
            stem = kind.default_file.removesuffix(".js")
            parts = sorted(
                (n for n in self.source.names() if re.fullmatch(re.escape(stem) + r"-part\d+\.js", n)),
                key=lambda n: int(n.rsplit("part", 1)[1].removesuffix(".js")),
            )
            files = [(n, None, None) for n in [kind.default_file, *parts] if self.source.exists(n)]
        missing = [name for name, _, _ in files if not self.source.exists(name)]
        if missing:
            raise ArchiveError(f"{missing[0]} is missing (the manifest lists it): the archive is incomplete")
        if not files and kind.required:
            raise ArchiveError(f"{kind.default_file} is missing: the archive is incomplete")
        return files

    def _elements(self, types: dict[str, Any], kind: _Kind) -> Iterator[tuple[str, int, dict[str, Any]]]:
        """(file, position from 1, inner object) of every element of every part, each file checked whole first."""
        for name, global_name, count in self._files(types, kind):
            data = self._js(name, global_name, kind.ytd)
            if not isinstance(data, list):
                raise ArchiveError("should hold a list after `window.YTD.… =`", name)
            if count is not None and count != len(data):
                self.warnings.append(f"{name} holds {len(data):,} entries, the manifest says {count:,}")
            for position, item in enumerate(data, 1):
                inner = item.get(kind.element) if isinstance(item, dict) else None
                if not isinstance(inner, dict):
                    raise ArchiveError(f'entry {position} has no "{kind.element}" object', name)
                yield name, position, inner

    def _ids(self, types: dict[str, Any], kind: _Kind, *, unique: bool) -> list[str]:
        seen: dict[str, str] = {}
        for name, position, inner in self._elements(types, kind):
            account_id = _account_id(inner, name, position)
            if account_id in seen:
                if unique:
                    where = "" if seen[account_id] == name else f" (also in {seen[account_id]})"
                    raise ArchiveError(f"account {account_id} is listed twice{where}: the archive is damaged", name)
                continue
            seen[account_id] = name
        return list(seen)

    def _account(self, types: dict[str, Any]) -> ArchiveAccount:
        elements = list(self._elements(types, ACCOUNT))
        if not elements:
            raise ArchiveError("holds no account", ACCOUNT.default_file)
        name, position, inner = elements[0]
        account_id = _str(inner.get("accountId"))
        if not _canonical(account_id):
            raise ArchiveError(f"entry {position} has no accountId", name)
        return ArchiveAccount(
            account_id=account_id,
            username=_str(inner.get("username")),
            display_name=_str(inner.get("accountDisplayName")),
            created_at=parse_time(_str(inner.get("createdAt")) or None),
        )

    def _lists(self, types: dict[str, Any]) -> list[ArchiveList]:
        found: dict[str, ArchiveList] = {}
        for name, position, inner in self._elements(types, LISTS):
            urls = inner.get("urls") if "urls" in inner else [inner.get("url")]  # older archives: one object, "urls"
            if not isinstance(urls, list):
                raise ArchiveError(f'entry {position}: "urls" should be a list', name)
            for url in urls:
                parsed = _list_from_url(url)
                if parsed is None:
                    self.warnings.append(f"{name}: skipped entry {position}, not a list URL: {str(url)[:80]!r}")
                elif parsed.id not in found:
                    found[parsed.id] = parsed
        return list(found.values())

    # -- one file ----------------------------------------------------------------------------------------

    def _js(self, name: str, global_name: str | None, ytd: str | None) -> Any:
        raw = self._bytes(name)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ArchiveError(f"is not UTF-8 text (byte {exc.start})", name) from None
        match = _WRAPPER.match(text)
        if match is None:
            raise ArchiveError("does not start with `window.<name> = ` like an X archive data file", name)
        found = match.group(1)
        if ytd is not None:
            ytd_match = _YTD_GLOBAL.fullmatch(found)
            if ytd_match is None or ytd_match.group(1) != ytd:
                raise ArchiveError(f"holds window.{found}, expected window.YTD.{ytd}.partN", name)
        if global_name is not None and found != global_name:
            raise ArchiveError(f"holds window.{found}, the manifest says window.{global_name}", name)
        body = text[match.end() :].rstrip().removesuffix(";")
        try:
            return json.loads(body)
        except json.JSONDecodeError as exc:
            raise ArchiveError(
                f"is not valid JSON after `window.{found} =` (line {exc.lineno}: {exc.msg})", name
            ) from None
        except RecursionError:
            raise ArchiveError("is nested too deeply to be an X archive file", name) from None

    def _bytes(self, name: str) -> bytes:
        """The file's bytes, refusing before reading when it says it is too large, and while reading if it is."""
        cap = self.limits.file_bytes
        try:
            declared = self.source.size(name)
        except OSError as exc:
            raise ArchiveError(f"cannot be read ({exc.strerror or exc})", name) from None
        if declared > cap:
            raise ArchiveError(f"is {_mib(declared)} uncompressed, more than the {_mib(cap)} allowed per file", name)
        chunks: list[bytes] = []
        size = 0
        try:
            with self.source.open(name) as stream:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > cap:
                        raise ArchiveError(f"is larger than the {_mib(cap)} allowed per file", name)
                    if self.total + size > self.limits.total_bytes:
                        raise ArchiveError(f"the files read add up to more than {_mib(self.limits.total_bytes)}", name)
                    chunks.append(chunk)
        except ArchiveError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
            raise ArchiveError(f"is damaged in the zip ({exc})", name) from None
        except (RuntimeError, NotImplementedError) as exc:  # encrypted, or an unknown compression method
            raise ArchiveError(f"cannot be unpacked ({exc})", name) from None
        except OSError as exc:
            raise ArchiveError(f"cannot be read ({exc.strerror or exc})", name) from None
        self.total += size
        raw = b"".join(chunks)
        self.hash.update(name.encode() + b"\0" + raw + b"\0")
        return raw


# -- small parsers ------------------------------------------------------------------------------------------------


def _object(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: object) -> str:
    return "" if value is None else str(value)


def _canonical(value: str) -> bool:
    """An X ID: ASCII digits, no leading zero."""
    return value.isascii() and value.isdecimal() and not value.startswith("0")


def _account_id(inner: dict[str, Any], name: str, position: int) -> str:
    value = inner.get("accountId")
    account_id = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""
    if not account_id:  # some archives carry only the link
        link = inner.get("userLink")
        found = _USER_LINK_ID.search(link) if isinstance(link, str) else None
        account_id = found.group(1) if found else ""
    if not _canonical(account_id):
        shown = f" ({account_id[:30]!r})" if account_id else ""
        raise ArchiveError(f"entry {position} has no valid account ID{shown}", name)
    return account_id


def _data_name(file_name: str) -> str:
    name = file_name.removeprefix("./")
    if not _DATA_NAME.fullmatch(name):
        raise ArchiveError(f"lists a file outside data/: {file_name[:80]!r}", MANIFEST)
    return name


def _list_from_url(url: object) -> ArchiveList | None:
    if not isinstance(url, str):
        return None
    match = _LIST_URL.fullmatch(url.strip())
    if match is None:
        return None
    owner, tail = match.group("owner"), match.group("tail")
    if _canonical(tail):
        return ArchiveList(id=tail, name=f"list {tail}", owner=owner, url=url, numeric=True)
    name = re.sub(r"[-_]+", " ", tail).strip() or tail
    return ArchiveList(id=f"slug:{owner}/{tail}", name=name, owner=owner, url=url, numeric=False)


def _mib(size: int) -> str:
    return f"{size / MiB:,.1f} MiB" if size >= MiB else f"{size:,} bytes"
