"""The incident package archive: ``manifest.json``, the package error, writing the ZIP,
and the checks an archive must pass before anything in it is extracted (db.package builds
the history and is the API).

``verify`` checks, in this order, refusing the whole package at the first failure: a ZIP
at all, with a readable directory (else: truncated); member names plain (no absolute path,
drive, backslash, NUL, ``..`` or empty part: zip-slip); no duplicate or encrypted member;
unpacked sizes at most MAX_RATIO times packed, per member and in total, manifest and plant
capped (zip bombs); the manifest's format and version (newer: refused); exactly the three
members (unknown extras are refused: a format that adds members bumps format_version); the
size and SHA-256 of each member against the manifest (zipfile checks CRCs on the way).

The manifest is UTF-8 JSON, one object::

    {
      "format": "twindeck-incident",        # FORMAT
      "format_version": 1,                  # FORMAT_VERSION; a bigger one is refused
      "app_version": "0.1.0",               # TwinDeck that made it
      "created_at": "2025-06-15T15:06:40Z", # UTC, ISO 8601
      "t0": 1750000010000000000,            # range [t0, t1), int64 ns since the epoch
      "t1": 1750000100000000000,
      "plant_name": "Demo workshop",
      "history_schema": 2,                  # schema of history.twinhist
      "signal_ids": ["M01.temp", ...],      # exactly the signals the history holds
      "counts": {"signals": 3, "samples": 27000, "events": 4, "bookmarks": 1,
                 "recordings": 1},
      "members": {"plant.toml": {"size": 1234, "sha256": "<64 hex>"},
                  "history.twinhist": {"size": 81920, "sha256": "<64 hex>"}},
      "views": [{...}, ...],                # saved camera views, opaque JSON objects
      "title": "...", "description": "..."
    }

``members`` covers every member except the manifest itself; sizes are uncompressed bytes.
``counts["events"]`` includes the "alarm.snapshot" row at t0, when there is one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from db import schema

FORMAT = "twindeck-incident"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PLANT = "plant.toml"
HISTORY = "history.twinhist"
MEMBERS = (MANIFEST, PLANT, HISTORY)
BLOCK = 1 << 20
MAX_RATIO = 100  # unpacked / packed; the stored history is ~1, deflated text ~5-10
RATIO_SLACK = 1 << 20
MAX_MANIFEST = 1 << 20
MAX_PLANT = 64 << 20
ZIP_MAGIC = b"PK\x03\x04"
_SHA256 = re.compile(r"[0-9a-f]{64}")


class PackageError(Exception):
    """An incident package cannot be written or opened. ``str(err)`` names the file and
    what is wrong; ``kind`` is a short tag: "missing", "not_package", "damaged", "unsafe",
    "newer_version", "checksum", "too_large", "no_space", "io"."""

    def __init__(self, message: str, *, kind: str = "damaged", where: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.where = where


@dataclass(frozen=True, slots=True)
class MemberInfo:
    """Uncompressed size and SHA-256 (lowercase hex) of one package member."""

    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """What ``manifest.json`` says about the package (see the module docstring)."""

    t0: int
    t1: int
    plant_name: str
    signal_ids: tuple[str, ...]
    members: Mapping[str, MemberInfo]
    counts: Mapping[str, int] = field(default_factory=dict)
    views: tuple[Mapping[str, Any], ...] = ()
    title: str = ""
    description: str = ""
    app_version: str = ""
    created_at: str = ""
    history_schema: int = schema.SCHEMA_VERSION
    format_version: int = FORMAT_VERSION

    def to_json(self) -> bytes:
        doc = {
            "format": FORMAT,
            "format_version": self.format_version,
            "app_version": self.app_version,
            "created_at": self.created_at,
            "t0": self.t0,
            "t1": self.t1,
            "plant_name": self.plant_name,
            "history_schema": self.history_schema,
            "signal_ids": list(self.signal_ids),
            "counts": dict(self.counts),
            "members": {k: {"size": m.size, "sha256": m.sha256} for k, m in self.members.items()},
            "views": [dict(v) for v in self.views],
            "title": self.title,
            "description": self.description,
        }
        return json.dumps(doc, indent=1, ensure_ascii=False, allow_nan=False).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes, where: str) -> Manifest:
        """Parse and validate; raises PackageError naming ``where``."""
        try:
            doc = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise _bad(where, f"its manifest is not valid JSON ({exc})") from None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise PackageError(
                f"{where} is not a TwinDeck incident package (its manifest.json is not of "
                f"the {FORMAT!r} format).",
                kind="not_package",
                where=where,
            )
        version = doc.get("format_version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise _bad(where, f"its manifest has no valid format_version ({version!r})")
        hist_schema = doc.get("history_schema", schema.SCHEMA_VERSION)
        if version > FORMAT_VERSION or (
            isinstance(hist_schema, int) and hist_schema > schema.SCHEMA_VERSION
        ):
            raise PackageError(
                f"{where} was made by a newer TwinDeck (incident package format {version}, "
                f"history schema {hist_schema}; this version reads up to format "
                f"{FORMAT_VERSION}, schema {schema.SCHEMA_VERSION}). Update TwinDeck to "
                "open it.",
                kind="newer_version",
                where=where,
            )
        try:
            return cls._fields(doc, version, hist_schema)
        except (KeyError, TypeError, ValueError) as exc:
            raise _bad(where, f"its manifest is malformed ({exc})") from None

    @classmethod
    def _fields(cls, doc: dict[str, Any], version: int, hist_schema: Any) -> Manifest:
        t0, t1 = _int(doc["t0"], "t0"), _int(doc["t1"], "t1")
        if t1 <= t0:
            raise ValueError("t1 is not after t0")
        members: dict[str, MemberInfo] = {}
        for name, m in _typed(doc["members"], dict, "members").items():
            size, digest = _int(m["size"], "size"), _typed(m["sha256"], str, "sha256")
            if size < 0 or not _SHA256.fullmatch(digest):
                raise ValueError(f"bad size or sha256 for member {name!r}")
            members[name] = MemberInfo(size, digest)
        ids = _typed(doc["signal_ids"], list, "signal_ids")
        views = _typed(doc.get("views", []), list, "views")
        if not all(isinstance(s, str) for s in ids) or not all(isinstance(v, dict) for v in views):
            raise ValueError("signal_ids must be strings and views objects")
        counts = _typed(doc.get("counts", {}), dict, "counts")
        return cls(
            t0=t0,
            t1=t1,
            plant_name=str(doc.get("plant_name") or ""),
            signal_ids=tuple(ids),
            members=members,
            counts={str(k): _int(v, str(k)) for k, v in counts.items()},
            views=tuple(views),
            title=str(doc.get("title") or ""),
            description=str(doc.get("description") or ""),
            app_version=str(doc.get("app_version") or ""),
            created_at=str(doc.get("created_at") or ""),
            history_schema=_int(hist_schema, "history_schema"),
            format_version=version,
        )


def _zip_info(name: str, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    return info


def write_archive(
    partial: Path, plant_text: str, hist: Path, manifest: Manifest, tick: Callable[[float], None]
) -> None:
    """Write the package to ``partial``: plant, history (stored, streamed), manifest with
    their checksums last. ``tick(fraction)`` may raise to cancel."""
    plant = plant_text.encode("utf-8")
    size = hist.stat().st_size
    digest = hashlib.sha256()
    with open(partial, "wb") as f:
        with zipfile.ZipFile(f, "w") as zf:
            zf.writestr(_zip_info(PLANT, zipfile.ZIP_DEFLATED), plant)
            info = _zip_info(HISTORY, zipfile.ZIP_STORED)
            info.file_size = size  # lets zipfile pick ZIP64 up front for a big history
            with open(hist, "rb") as src, zf.open(info, "w") as dst:
                done = 0
                while block := src.read(BLOCK):
                    digest.update(block)
                    dst.write(block)
                    done += len(block)
                    tick(done / max(size, 1))
            members = {
                PLANT: MemberInfo(len(plant), hashlib.sha256(plant).hexdigest()),
                HISTORY: MemberInfo(size, digest.hexdigest()),
            }
            body = replace(manifest, members=members).to_json()
            zf.writestr(_zip_info(MANIFEST, zipfile.ZIP_DEFLATED), body)
        f.flush()
        os.fsync(f.fileno())
    tick(1.0)


def open_zip(f: IO[bytes], where: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(f)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as exc:
        f.seek(0)
        if f.read(len(ZIP_MAGIC)) == ZIP_MAGIC:
            raise PackageError(
                f"{where} is damaged or truncated: its ZIP directory is missing or unreadable "
                f"({exc}). Copy the package again from where it was made.",
                kind="damaged",
                where=where,
            ) from None
        raise PackageError(
            f"{where} is not a TwinDeck incident package (not a ZIP file).",
            kind="not_package",
            where=where,
        ) from None


def verify(zf: zipfile.ZipFile, archive_size: int, where: str) -> Manifest:
    infos = zf.infolist()
    _check_names(infos, where)
    _check_sizes(infos, archive_size, where)
    names = {i.filename for i in infos}
    if MANIFEST not in names:
        raise PackageError(
            f"{where} is not a TwinDeck incident package (it has no {MANIFEST}).",
            kind="not_package",
            where=where,
        )
    manifest = Manifest.from_json(read_member(zf, zf.getinfo(MANIFEST), where), where)
    extra = sorted(names - set(MEMBERS))
    if extra:
        raise PackageError(
            f"{where} is refused: it holds unexpected member(s) {', '.join(map(repr, extra))}"
            f" besides {', '.join(MEMBERS)}. Nothing was extracted.",
            kind="unsafe",
            where=where,
        )
    listed = set(manifest.members)
    for name in (PLANT, HISTORY):
        if name not in names or name not in listed:
            raise PackageError(
                f"{where} is a damaged TwinDeck incident package: {name} is missing "
                f"{'from the archive' if name not in names else 'from its manifest'}.",
                kind="damaged",
                where=where,
            )
        info, want = zf.getinfo(name), manifest.members[name]
        if info.file_size != want.size or _digest(zf, info, where) != want.sha256:
            raise checksum_error(where, name)
    return manifest


def _unsafe_name(name: str) -> str | None:
    if "\x00" in name:
        return "contains a NUL byte"
    if "\\" in name:
        return "contains a backslash"
    if name.startswith("/"):
        return "is an absolute path"
    if ":" in name:
        return "names a drive or stream (':')"
    parts = name.split("/")
    if ".." in parts:
        return "climbs out of its folder ('..')"
    if any(p in ("", ".") for p in parts):
        return "has an empty or '.' path part"
    return None


def _check_names(infos: list[zipfile.ZipInfo], where: str) -> None:
    seen: set[str] = set()
    for info in infos:
        for name in (info.orig_filename, info.filename):
            why = _unsafe_name(name)
            if why is not None:
                raise PackageError(
                    f"{where} is refused: member {name!r} {why}, so it could be written "
                    "outside the folder it is unpacked into. Nothing was extracted.",
                    kind="unsafe",
                    where=where,
                )
        if info.filename in seen:
            raise PackageError(
                f"{where} is refused: it holds two members named {info.filename!r}. "
                "Nothing was extracted.",
                kind="unsafe",
                where=where,
            )
        if info.flag_bits & 0x1:
            raise PackageError(
                f"{where} is refused: member {info.filename!r} is encrypted.",
                kind="unsafe",
                where=where,
            )
        seen.add(info.filename)


def _check_sizes(infos: list[zipfile.ZipInfo], archive_size: int, where: str) -> None:
    caps = {MANIFEST: MAX_MANIFEST, PLANT: MAX_PLANT}
    total = 0
    for info in infos:
        cap = min(caps.get(info.filename, 2**63), MAX_RATIO * info.compress_size + RATIO_SLACK)
        if info.file_size > cap:
            raise _bomb(where, f"member {info.filename!r}", info.file_size, info.compress_size)
        total += info.file_size
    if total > MAX_RATIO * archive_size + RATIO_SLACK:
        raise _bomb(where, "its members", total, archive_size)


def _bomb(where: str, what: str, unpacked: int, packed: int) -> PackageError:
    return PackageError(
        f"{where} is refused: {what} would unpack to {unpacked:,} bytes from {packed:,} "
        f"(more than {MAX_RATIO}x, or over the size limit) — a damaged file or a ZIP bomb. "
        "Nothing was extracted.",
        kind="too_large",
        where=where,
    )


def checksum_error(where: str, name: str) -> PackageError:
    return PackageError(
        f"{where} is refused: {name} does not match the size and SHA-256 checksum in its "
        "manifest, so the package was altered or damaged. Nothing was extracted.",
        kind="checksum",
        where=where,
    )


_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError)


def member_blocks(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> Iterator[bytes]:
    """The member's bytes in blocks; zipfile stops at the declared size and checks CRC."""
    try:
        with zf.open(info) as member:
            while block := member.read(BLOCK):
                yield block
    except _READ_ERRORS as exc:
        raise PackageError(
            f"{where} is damaged: member {info.filename!r} cannot be read ({exc}).",
            kind="damaged",
            where=where,
        ) from None


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> bytes:
    return b"".join(member_blocks(zf, info, where))


def _digest(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> str:
    h = hashlib.sha256()
    for block in member_blocks(zf, info, where):
        h.update(block)
    return h.hexdigest()


def _int(value: Any, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{name} is not an integer")
    return value


def _typed(value: Any, kind: type, name: str) -> Any:
    if not isinstance(value, kind):
        raise ValueError(f"{name} is not a {kind.__name__}")
    return value


def _bad(where: str, what: str) -> PackageError:
    return PackageError(
        f"{where} is a damaged TwinDeck incident package: {what}.", kind="damaged", where=where
    )
