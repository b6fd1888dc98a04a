"""Incident packages: export a range, open it elsewhere (also in a fresh process), and
refuse damaged, hostile or newer packages without writing anything."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from db import ChunkSink, History, HistoryReader, open_history, schema
from db.annotations import AnnotatedBookmarks
from db.bookmarks import Bookmarks
from db.journal import Journal
from db.package import BUILD_SHARE, export_package, open_package
from db.package_manifest import HISTORY, MANIFEST, PLANT, PackageError
from db.sidecar import ORIGIN_SUFFIX
from tests.db.history_helpers import NS, T0, batches, make_group
from tests.db.package_digest import digest
from twin.alarms import Action, AlarmEvent, AlarmKind, AlarmState, Priority
from twin.plant.loader import load_plant

REPO = Path(__file__).resolve().parents[2]
GROUPS = (make_group("a", 3, 100.0), make_group("b", 2, 1000.0), make_group("c", 1, 1.0))
SUBSET = ["a0.sig", "a2.sig", "b1.sig", "c0.sig"]
LEFT_OUT = ["a1.sig", "b0.sig"]
# Half-open range, deliberately not on a second boundary.
R0, R1 = T0 + 10 * NS + NS // 2, T0 + 100 * NS + NS // 4
VIEWS = [{"name": "press line", "position": [1.5, -2.0, 3.0], "focal": [0, 0, 0], "zoom": 1.2}]


def plant_text() -> str:
    parts = ['[plant]\nname = "Incident cell"\n\n[[areas]]\nid = "bay"\nname = "Bay"\n']
    for g in GROUPS:
        for sid in g.signal_ids:
            asset = sid.split(".")[0]
            parts.append(
                f'\n[[assets]]\nid = "{asset}"\nkind = "pump"\narea = "bay"\n'
                f'position = [0, 0, 0]\n[[assets.signals]]\nkey = "sig"\nunit = "bar"\n'
                f"rate_hz = {g.rate_hz}\nnormal = [-5, 5]\n"
            )
    return "".join(parts)


def event(t_s: float, alarm: str, action: Action, to: AlarmState, **kw: object) -> AlarmEvent:
    sid, kind = alarm.split(":")
    frm = kw.pop("frm", AlarmState.NORMAL)
    return AlarmEvent(
        t=T0 + round(t_s * NS),
        alarm_id=alarm,
        signal_id=sid,
        asset_id=sid.split(".")[0],
        kind=AlarmKind(kind),
        action=action,
        from_state=frm,  # type: ignore[arg-type]
        to_state=to,
        priority=Priority.HIGH,
        active=to is not AlarmState.UNACK_RTN,
        value=131.0,
        **kw,  # type: ignore[arg-type]
    )


EVENTS = [
    # raised before the range and still standing in it: must replay from its first frame
    event(5, "a0.sig:HH", Action.RAISE, AlarmState.UNACK_ACTIVE),
    event(20, "a0.sig:HH", Action.ACK, AlarmState.ACK_ACTIVE, frm=AlarmState.UNACK_ACTIVE,
          user="op"),
    event(30, "b1.sig:H", Action.RAISE, AlarmState.UNACK_ACTIVE),
    event(110, "a0.sig:HH", Action.CLEAR, AlarmState.NORMAL, frm=AlarmState.ACK_ACTIVE),
]  # fmt: skip
MARKS = {"before": 3.0, "at t0": 10.5, "in the gap": 50.0, "peak": 60.0, "at t1": 100.25}


@dataclass
class Source:
    history: History
    url: str
    plant_text: str


def record(url: str, tmp: Path) -> Source:
    """About two minutes of three groups (a hole in group a, NaNs in a0), alarm events,
    notes and bookmarks."""
    text = plant_text()
    plant_file = tmp / "cell.toml"
    plant_file.write_text(text, encoding="utf-8")
    h = open_history(url)
    sink = ChunkSink(h, GROUPS, plant=load_plant(plant_file))
    for g in GROUPS:
        for i, b in enumerate(batches(g, 120.0, skip=(40.0, 55.0) if g.key == "a" else None)):
            if g.key == "a" and i % 7 == 3:
                b.v[0, 5] = np.nan
            sink.add(b)
            if i % 50 == 0:
                sink.flush()
    sink.flush(final=True)
    journal = Journal(h)
    journal.write(EVENTS)
    journal.close()
    assert journal.last_error is None
    with h.engine.begin() as conn:
        conn.execute(
            schema.events.insert(),
            [{"t": T0 + 25 * NS, "kind": "note", "comment": "in"},
             {"t": T0 + 105 * NS, "kind": "note", "comment": "out"}],
        )  # fmt: skip
    marks = Bookmarks(h)
    for name, s in MARKS.items():
        marks.add(T0 + round(s * NS), name)
    return Source(h, url, text)


@pytest.fixture
def source(history_url: str, tmp_path: Path) -> Iterator[Source]:
    src = record(history_url, tmp_path)
    yield src
    src.history.close()


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One SQLite-sourced package for the refusal tests to copy and damage."""
    tmp = tmp_path_factory.mktemp("pkg")
    src = record(str(tmp / "src.twinhist"), tmp)
    out = tmp / "incident.twinpkg"
    assert export_package(src.history, src.plant_text, R0, R1, out, signal_ids=SUBSET)
    src.history.close()
    yield out


def test_round_trip(source: Source, tmp_path: Path) -> None:
    seen: list[float] = []

    def progress(f: float) -> bool:
        seen.append(f)
        return True

    out = tmp_path / "incident.twinpkg"
    assert export_package(
        source.history, source.plant_text, R0, R1, out, signal_ids=SUBSET, views=VIEWS,
        title="Bearing trip", description="M01 tripped on HH", progress=progress,
    )  # fmt: skip
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    assert not out.with_name(out.name + ".partial").exists()
    src = HistoryReader(source.history)
    workdir = tmp_path / "work"
    with open_package(out, workdir) as pkg:
        m = pkg.manifest
        assert (m.t0, m.t1, m.signal_ids, m.plant_name) == (R0, R1, tuple(SUBSET), "Incident cell")
        assert (m.title, m.description) == ("Bearing trip", "M01 tripped on HH")
        assert m.format_version == 1 and m.counts["bookmarks"] == 3
        assert pkg.views == tuple(VIEWS) and pkg.plant_text == source.plant_text
        assert pkg.history_path.parent.parent == workdir
        with pkg.open_history() as h:
            assert h.read_only
            check_samples(src, HistoryReader(h), m.counts["samples"])
            check_pyramid(src, HistoryReader(h))
            check_rows(source.history, h)
        # A rollback-journal file: opening it read-only left no companions behind (only
        # the note of the package it stands for, written when it was extracted).
        names = sorted(p.name for p in pkg.history_path.parent.iterdir())
        assert names == [HISTORY, HISTORY + ORIGIN_SUFFIX]
    assert list(workdir.iterdir()) == []


def check_samples(src: HistoryReader, pkg: HistoryReader, counted: int) -> None:
    assert pkg.signal_ids() == sorted(SUBSET)
    total = 0
    for sid in SUBSET:
        t, v = src.read(sid, R0, R1)
        t2, v2 = pkg.read(sid, T0 - 3600 * NS, T0 + 3600 * NS)  # nothing outside the range
        np.testing.assert_array_equal(t2, t)
        np.testing.assert_array_equal(v2.view(np.uint32), v.view(np.uint32))  # bit for bit
        total += t.size
    assert np.isnan(pkg.read("a0.sig", R0, R1)[1]).any()
    assert not pkg.read("a0.sig", T0 + 41 * NS, T0 + 54 * NS)[0].size  # the hole is kept
    for sid in LEFT_OUT:
        assert not pkg.read(sid, R0, R1)[0].size
    assert counted == total
    first, last = pkg.time_range() or (0, 0)
    assert first >= R0 and last < R1


def check_pyramid(src: HistoryReader, pkg: HistoryReader) -> None:
    with pkg.history.engine.connect() as conn:
        levels = set(conn.execute(select(schema.rollup.c.signal, schema.rollup.c.level)).all())
    assert {lv for _s, lv in levels} == set(schema.LEVELS_S) and len(levels) == 3 * len(SUBSET)
    a, b = T0 + 12 * NS, T0 + 100 * NS  # whole seconds inside the range: 2 s bins
    for sid in SUBSET:
        got, want = pkg.read_decimated(sid, a, b, 44), src.read_decimated(sid, a, b, 44)
        for x, y in zip(got, want, strict=True):
            np.testing.assert_array_equal(x, y)
        _t, v = pkg.read(sid, R0, R1)
        t1, lo, hi = pkg.read_decimated(sid, R0, R1, 1)  # the 1 min level, edges clipped
        assert (t1.tolist(), lo[0], hi[0]) == ([R0], np.nanmin(v), np.nanmax(v))


def check_rows(src: History, pkg: History) -> None:
    ours, theirs = Journal(pkg), Journal(src)
    assert ours.read(-(2**62), 2**62) == theirs.read(R0, R1)
    for t in (R0, T0 + 25 * NS, T0 + 35 * NS, R1 - 1):
        assert ours.states_at(t) == theirs.states_at(t)
    assert "a0.sig:HH" in ours.states_at(R0)
    with pkg.engine.connect() as conn:
        notes = conn.execute(select(schema.events.c.comment).where(schema.events.c.kind == "note"))
        assert notes.scalars().all() == ["in"]
        recs = conn.execute(select(schema.recordings)).all()
    assert len(recs) == 1 and R0 <= recs[0].first_t <= recs[0].last_t < R1
    assert recs[0].plant_toml == plant_text()
    marks = Bookmarks(pkg).in_range()
    assert [b.name for b in marks] == ["at t0", "in the gap", "peak"]
    by_name = {b.name: b for b in Bookmarks(src).in_range()}
    assert all(by_name[b.name].created_at == b.created_at for b in marks)


def test_bookmarks_of_a_read_only_recording_and_of_a_package_live_in_sidecars(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    src = record(str(tmp_path / "src.twinhist"), tmp_path)
    src.history.close()
    with open_history(tmp_path / "src.twinhist", read_only=True) as h:
        marks = AnnotatedBookmarks(h)
        by_name = {b.name: b for b in marks.in_range()}
        marks.add(T0 + 70 * NS, "trainer: look here")
        marks.rename(by_name["peak"].id, "peak current")
        marks.delete(by_name["in the gap"].id)
    out = tmp_path / "lesson.twinpkg"
    # Exported from the path, as the window does: the sidecar's bookmarks go along.
    assert export_package(tmp_path / "src.twinhist", src.plant_text, R0, R1, out)
    names = ["at t0", "peak current", "trainer: look here"]
    with open_package(out) as pkg, pkg.open_history() as h:
        assert pkg.manifest.counts["bookmarks"] == 3
        assert [b.name for b in Bookmarks(h).in_range()] == names  # rows of the package
        AnnotatedBookmarks(h).add(T0 + 80 * NS, "trainee: why?")  # replaying the package
    assert (tmp_path / "lesson.twinpkg.bookmarks.sqlite").is_file()  # beside the package
    with open_package(out) as pkg, pkg.open_history() as h:  # extracted afresh
        assert [b.name for b in AnnotatedBookmarks(h).in_range()] == [*names, "trainee: why?"]
        assert [b.name for b in Bookmarks(h).in_range()] == names


def test_round_trip_in_a_fresh_process(source: Source, tmp_path: Path) -> None:
    out = tmp_path / "made-here.twinpkg"
    # The source as a URL/path: export opens (and closes) it read-only itself.
    assert export_package(source.url, source.plant_text, R0, R1, out, signal_ids=SUBSET)
    elsewhere = tmp_path / "other-machine"
    elsewhere.mkdir()
    copy = Path(shutil.copy(out, elsewhere / "incident.twinpkg"))
    tmpdir = elsewhere / "tmp"
    tmpdir.mkdir()
    env = {**os.environ, "TMPDIR": str(tmpdir), "PYTHONPATH": str(REPO)}
    res = subprocess.run(
        [sys.executable, "-m", "tests.db.package_digest", str(copy)],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    lines = dict(line.split(" ", 1) for line in res.stdout.splitlines())
    want, n = digest(HistoryReader(source.history), SUBSET, R0, R1)
    assert lines["DIGEST"] == f"{want} {n}" and n > 50_000
    assert lines["CLEAN"] == "True" and list(tmpdir.iterdir()) == []


@pytest.mark.parametrize("stop", ["at once", "building", "zipping"])
def test_cancel_leaves_nothing(source: Source, tmp_path: Path, stop: str) -> None:
    limit = {"at once": -1.0, "building": 0.3, "zipping": BUILD_SHARE}[stop]
    calls: list[float] = []

    def progress(f: float) -> bool:
        calls.append(f)
        return f <= limit

    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "cancelled.twinpkg"
    assert not export_package(
        source.history, source.plant_text, R0, R1, out, signal_ids=SUBSET, progress=progress
    )
    assert calls and calls[-1] > limit
    assert list(out_dir.iterdir()) == []  # no package, no .partial, no temp folder


def test_export_rejects_bad_arguments(source: Source, tmp_path: Path) -> None:
    out = tmp_path / "x.twinpkg"
    with pytest.raises(ValueError, match="empty time range"):
        export_package(source.history, source.plant_text, R1, R0, out)
    with pytest.raises(ValueError, match=r"no recorded signal nope\.sig"):
        export_package(source.history, source.plant_text, R0, R1, out, signal_ids=["nope.sig"])
    with pytest.raises(ValueError, match="views must be JSON"):
        export_package(source.history, source.plant_text, R0, R1, out, views=[{"x": object()}])
    assert list(tmp_path.glob("x.twinpkg*")) == []


# --- refusals ---------------------------------------------------------------------------------


def rezip(path: Path, out: Path, change: Callable[[dict[str, bytes]], dict[str, bytes]]) -> Path:
    """Rewrite a package with its members changed (zipfile recomputes the CRCs)."""
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in change(members).items():
            zf.writestr(zipfile.ZipInfo(name, (2025, 1, 1, 0, 0, 0)), data)
    return out


def declare_size(path: Path, out: Path, name: str, size: int) -> Path:
    """Patch the uncompressed size the ZIP directory declares for ``name``."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        pos = zf.start_dir
    while data[pos : pos + 4] == b"PK\x01\x02":
        n, m, k = (int.from_bytes(data[pos + o : pos + o + 2], "little") for o in (28, 30, 32))
        if data[pos + 46 : pos + 46 + n] == name.encode():
            data[pos + 24 : pos + 28] = size.to_bytes(4, "little")
            out.write_bytes(bytes(data))
            return out
        pos += 46 + n + m + k
    raise AssertionError(f"{name} not in the ZIP directory")


def refused(path: Path, tmp_path: Path, match: str) -> PackageError:
    workdir = tmp_path / "work"
    before = set(tmp_path.rglob("*"))
    with pytest.raises(PackageError, match=match) as info:
        open_package(path, workdir)
    assert str(path) in str(info.value)
    assert not workdir.exists() or list(workdir.iterdir()) == []
    assert set(tmp_path.rglob("*")) == before  # nothing written anywhere
    return info.value


def test_refuses_a_file_that_is_not_a_zip(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.twinpkg"
    bogus.write_text("meeting notes, not a package\n" * 50)
    assert refused(bogus, tmp_path, "is not a TwinDeck incident package").kind == "not_package"
    empty = rezip_bytes(tmp_path / "empty.twinpkg", {"readme.txt": b"hello"})
    refused(empty, tmp_path, r"is not a TwinDeck incident package \(it has no manifest.json\)")


def rezip_bytes(out: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out


def test_refuses_a_truncated_package(package: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.twinpkg"
    data = package.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    assert refused(cut, tmp_path, "is damaged or truncated").kind == "damaged"


def test_refuses_a_corrupted_member(package: Path, tmp_path: Path) -> None:
    data = bytearray(package.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo(HISTORY)
    head = info.header_offset
    n, m = (int.from_bytes(data[head + o : head + o + 2], "little") for o in (26, 28))
    data[head + 30 + n + m + info.compress_size // 2] ^= 0xFF  # inside the stored history
    bad = tmp_path / "flipped.twinpkg"
    bad.write_bytes(bytes(data))
    refused(bad, tmp_path, f"is damaged: member '{HISTORY}' cannot be read.*CRC")


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("../evil.txt", "climbs out of its folder"),
        ("sub/../../evil.txt", "climbs out of its folder"),
        ("/tmp/twindeck-evil.txt", "is an absolute path"),
        ("..\\evil.txt", "contains a backslash"),
        ("C:/evil.txt", "names a drive"),
    ],
)
def test_refuses_zip_slip(package: Path, tmp_path: Path, name: str, why: str) -> None:
    evil = rezip(package, tmp_path / "evil.twinpkg", lambda m: {**m, name: b"pwned"})
    err = refused(evil, tmp_path, f"member {name!r} {why}".replace("\\", "\\\\"))
    assert err.kind == "unsafe" and "Nothing was extracted" in str(err)
    assert not Path("/tmp/twindeck-evil.txt").exists()
    assert not (tmp_path.parent / "evil.txt").exists()


def test_refuses_unexpected_members(package: Path, tmp_path: Path) -> None:
    extra = rezip(package, tmp_path / "extra.twinpkg", lambda m: {**m, "run-me.sh": b"rm -rf"})
    refused(extra, tmp_path, "unexpected member.*'run-me.sh'")


@pytest.mark.parametrize("member", [PLANT, HISTORY])
def test_refuses_a_tampered_member(package: Path, tmp_path: Path, member: str) -> None:
    def tamper(m: dict[str, bytes]) -> dict[str, bytes]:
        data = bytearray(m[member])
        data[len(data) // 2] ^= 0x01  # one bit: the size still matches the manifest
        return {**m, member: bytes(data)}

    bad = rezip(package, tmp_path / "tampered.twinpkg", tamper)
    err = refused(bad, tmp_path, f"{member} does not match the size and SHA-256 checksum")
    assert err.kind == "checksum"


def test_refuses_a_newer_format(package: Path, tmp_path: Path) -> None:
    def newer(m: dict[str, bytes]) -> dict[str, bytes]:
        doc = json.loads(m[MANIFEST])
        doc["format_version"] = 99
        return {**m, MANIFEST: json.dumps(doc).encode()}

    bad = rezip(package, tmp_path / "v99.twinpkg", newer)
    err = refused(bad, tmp_path, "was made by a newer TwinDeck .*format 99")
    assert err.kind == "newer_version"


def test_refuses_a_zip_bomb(package: Path, tmp_path: Path) -> None:
    bomb = declare_size(package, tmp_path / "bomb.twinpkg", HISTORY, 0xFFFF0000)
    err = refused(bomb, tmp_path, f"member '{HISTORY}' would unpack to 4,294,901,760 bytes")
    assert err.kind == "too_large" and "ZIP bomb" in str(err)


def test_opens_the_untouched_package(package: Path, tmp_path: Path) -> None:
    """The fixture itself is fine (so the refusals above are about their damage)."""
    with open_package(package, tmp_path / "work") as pkg, pkg.open_history() as h:
        assert HistoryReader(h).signal_ids() == sorted(SUBSET)
