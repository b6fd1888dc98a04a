"""Pictures and videos of the 3D view: PNG screenshots and replay-range exports.

Qt-free: the caller passes a function that draws the view at a cursor time and one that
reads its pixels back, so the window can hand in its frame builder and scheduler, and a
test a tiny scene. MP4 goes through imageio-ffmpeg (its wheel carries an ffmpeg binary);
a PNG sequence needs nothing beyond the standard library.
"""

from __future__ import annotations

import math
import os
import shutil
import struct
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication

Progress = Callable[[int, int], bool]  # (frames done, total) -> False to cancel
VIDEO_SUFFIXES = (".mp4", ".mkv", ".mov", ".avi")


class ExportError(Exception):
    """The export could not be written; the message says why."""


def write_png(pixels: np.ndarray, path: str | os.PathLike[str], level: int = 3) -> None:
    """Write an (h, w, 3) uint8 RGB array as a PNG (top row first). Raises OSError."""
    rgb = np.ascontiguousarray(pixels[..., :3], dtype=np.uint8)
    height, width = rgb.shape[:2]
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)  # filter byte 0 on each row
    rows[:, 1:] = rgb.reshape(height, 3 * width)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    data = zlib.compress(rows.tobytes(), level)  # level 3: a 1280x800 frame in ~20 ms
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data))
        f.write(chunk(b"IEND", b""))


def replay_times(start_ns: int, end_ns: int, fps: float) -> list[int]:
    """Cursor times, ``fps`` a second of replay, from ``start_ns`` up to (not including)
    ``end_ns``: 20 s at 30 fps are 600 frames, frame k exactly at start + k / fps."""
    fps = max(fps, 1e-3)
    count = math.ceil(round((int(end_ns) - int(start_ns)) * fps / 1e9, 6))
    return [int(start_ns) + round(k * 1e9 / fps) for k in range(max(count, 0))]


def is_video(out: str | os.PathLike[str]) -> bool:
    return Path(out).suffix.lower() in VIDEO_SUFFIXES


def export_frames(
    draw_at: Callable[[int], None],
    grab: Callable[[], np.ndarray],
    times: Sequence[int],
    out: str | os.PathLike[str],
    progress: Progress | None = None,
    fps: float = 30.0,
) -> bool:
    """Draw the view at each cursor time and write the frames to ``out``.

    ``out`` ending in .mp4 (or .mkv, .mov, .avi) is a video at ``fps``; anything else is a
    folder that receives frame_00000.png, frame_00001.png, ... ``progress(done, total)`` is
    called after each frame; when it returns False the export stops, keeps the frames
    written so far (a shorter video), and the result is False. True when every frame was
    written. Raises ExportError when the output cannot be written.
    """
    target = Path(out)
    writer = _VideoWriter(target, fps) if is_video(target) else _PngWriter(target)
    total = len(times)
    try:
        for done, t in enumerate(times, start=1):
            draw_at(int(t))
            writer.add(grab())
            if progress is not None and not progress(done, total):
                writer.finish()  # stopped: what was made so far is kept
                return False
        writer.finish()
    except OSError as exc:
        writer.discard()
        raise ExportError(
            QCoreApplication.translate("Export", "cannot write %s: %s")
            % (target, exc.strerror or exc)
        ) from None
    except BaseException:
        writer.discard()
        raise
    return True


class _PngWriter:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.created = not folder.exists()
        folder.mkdir(parents=True, exist_ok=True)
        self.written: list[Path] = []

    def add(self, pixels: np.ndarray) -> None:
        path = self.folder / f"frame_{len(self.written):05d}.png"
        write_png(pixels, path)
        self.written.append(path)

    def finish(self) -> None:
        pass

    def discard(self) -> None:
        for path in self.written:
            path.unlink(missing_ok=True)
        if self.created:
            shutil.rmtree(self.folder, ignore_errors=True)


class _VideoWriter:
    """H.264 through imageio-ffmpeg, started on the first frame (which fixes the size)."""

    def __init__(self, path: Path, fps: float) -> None:
        try:
            import imageio_ffmpeg
        except ImportError:
            raise ExportError(
                QCoreApplication.translate(
                    "Export",
                    "video export needs the imageio-ffmpeg package; export a PNG sequence "
                    "(choose a folder) instead",
                )
            ) from None
        self._ffmpeg = imageio_ffmpeg
        self.path = path
        self.fps = fps
        self._gen: Any = None  # imageio-ffmpeg's frame generator
        self._size = (0, 0)

    def add(self, pixels: np.ndarray) -> None:
        if self._gen is None:
            h, w = pixels.shape[:2]
            self._size = (w - w % 2, h - h % 2)  # yuv420p wants even sides
            self._gen = self._ffmpeg.write_frames(
                str(self.path),
                self._size,
                fps=self.fps,
                codec="libx264",
                pix_fmt_in="rgb24",
                pix_fmt_out="yuv420p",
                macro_block_size=2,
                quality=7,
                ffmpeg_log_level="error",
            )
            self._gen.send(None)
        w, h = self._size
        frame = np.zeros((h, w, 3), dtype=np.uint8)  # a resized view: crop or pad
        src = pixels[:h, :w, :3]
        frame[: src.shape[0], : src.shape[1]] = src
        self._gen.send(frame.tobytes())

    def finish(self) -> None:
        if self._gen is not None:
            self._gen.close()
            self._gen = None

    def discard(self) -> None:
        try:
            self.finish()
        finally:
            self.path.unlink(missing_ok=True)
