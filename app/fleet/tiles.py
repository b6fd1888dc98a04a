"""Where the fleet map puts its tiles: one block per area, its name above, blocks in rows,
every tile as large as the widget allows (10,000 assets fit a docked half screen)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MARGIN = 6
BLOCK_GAP = 12  # between blocks, across and down
GAP = 1  # between tiles
LARGEST, SMALLEST = 28, 2


@dataclass(frozen=True)
class Block:
    """An area's tiles: the label's top-left at (x, y), tiles in ``columns`` below it."""

    x: int
    y: int
    columns: int
    count: int


@dataclass(frozen=True)
class TileLayout:
    tile: int  # px, square
    label_h: int
    blocks: tuple[Block, ...]

    @property
    def pitch(self) -> int:
        return self.tile + GAP

    def origin(self, block: int, k: int) -> tuple[int, int]:
        """Top-left pixel of the ``k``-th tile of ``block``."""
        b = self.blocks[block]
        row, col = divmod(k, b.columns)
        return b.x + col * self.pitch, b.y + self.label_h + row * self.pitch

    def hit(self, x: int, y: int) -> tuple[int, int] | None:
        """(block, tile) at pixel (x, y); None between tiles and outside blocks."""
        p = self.pitch
        for i, b in enumerate(self.blocks):
            dx, dy = x - b.x, y - b.y - self.label_h
            if dx < 0 or dy < 0 or dx % p >= self.tile or dy % p >= self.tile:
                continue
            col, row = dx // p, dy // p
            k = row * b.columns + col
            if col < b.columns and k < b.count:
                return i, k
        return None


def plan_tiles(
    counts: Sequence[int], width: int, height: int, label_h: int, label_w: int = 0
) -> TileLayout:
    """The layout with the largest tiles that fits ``counts`` tiles per block in
    width x height, each block at least ``label_w`` wide; the smallest tiles (clipped)
    when none does."""
    for tile in range(LARGEST, SMALLEST - 1, -1):
        layout = _fit(counts, width, height, label_h, label_w, tile)
        if layout is not None:
            return layout
    return _arrange(counts, 1, width, label_h, SMALLEST)[0]


def _fit(
    counts: Sequence[int], width: int, height: int, label_h: int, label_w: int, tile: int
) -> TileLayout | None:
    for per_row in range(1, max(1, len(counts)) + 1):
        layout, bottom = _arrange(counts, per_row, width, label_h, tile)
        narrow = any(b.columns < 1 for b in layout.blocks)
        if narrow or (per_row > 1 and _block_width(width, per_row) < label_w):
            return None  # blocks this narrow: more per row would be narrower still
        if bottom <= height - MARGIN:
            return layout
    return None


def _block_width(width: int, per_row: int) -> int:
    return (width - 2 * MARGIN - (per_row - 1) * BLOCK_GAP) // per_row


def _arrange(
    counts: Sequence[int], per_row: int, width: int, label_h: int, tile: int
) -> tuple[TileLayout, int]:
    pitch = tile + GAP
    block_w = _block_width(width, per_row)
    columns = min(block_w // pitch, max(counts, default=1))
    blocks: list[Block] = []
    y = MARGIN
    for start in range(0, len(counts), per_row):
        chunk = counts[start : start + per_row]
        for j, n in enumerate(chunk):
            blocks.append(Block(MARGIN + j * (block_w + BLOCK_GAP), y, columns, n))
        rows = math.ceil(max(chunk) / columns) if columns > 0 else 0
        y += label_h + rows * pitch + BLOCK_GAP
    return TileLayout(tile, label_h, tuple(blocks)), y - BLOCK_GAP
