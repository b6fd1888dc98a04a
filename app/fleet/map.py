"""The fleet map: every asset of every area as a small tile coloured by health, an area per
block with its name above. Hover tells the asset and its cause; a click selects it.

Drawn from a cached image, rebuilt (with numpy, not a paint call per tile) only when a
snapshot of another time arrives or the widget is resized; the selection outline is
painted over it.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.fleet.text import describe_row
from app.fleet.tiles import TileLayout, plan_tiles
from app.frame.builder import Frame
from app.theme import BACKGROUND_BOTTOM_RGB, SELECTION_RGB, health_rgb
from twin.condition.plant_rows import PlantRows
from twin.condition.snapshot import FleetHealth, Ne107
from twin.plant.model import Plant

LABEL_RGB = (200, 204, 208)
ATTENTION_RGB = (240, 150, 60)  # a block label's count of assets out of spec or failing


def _words(rgb: np.ndarray) -> np.ndarray:
    """(n, 3) uint8 colours as QImage RGB32 words (0xffRRGGBB)."""
    c = rgb.astype(np.uint32)
    return np.uint32(0xFF000000) | (c[:, 0] << 16) | (c[:, 1] << 8) | c[:, 2]


_BACKGROUND = int(_words(np.array([BACKGROUND_BOTTOM_RGB], dtype=np.uint8))[0])


class QtFleetMap(QWidget):
    """Tiles by area, coloured by health; emits ``asset_activated`` on a click."""

    asset_activated = Signal(str)

    def __init__(self, plant: Plant, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plant = plant
        self.rows = PlantRows(plant)
        areas = {a.id: i for i, a in enumerate(plant.areas)}
        # Each area's assets in plant order: a tile keeps its place as colours change.
        self.members = [
            np.array([i for i, a in enumerate(plant.assets) if a.area_id == area.id], np.int64)
            for area in plant.areas
        ]
        stray = [i for i, a in enumerate(plant.assets) if a.area_id not in areas]
        self.names = [a.name for a in plant.areas] + (
            [QCoreApplication.translate("QtFleetMap", "Other")] if stray else []
        )
        if stray:
            self.members.append(np.array(stray, dtype=np.int64))
        self._index = {a.id: i for i, a in enumerate(plant.assets)}
        self._place = np.zeros((len(plant.assets), 2), dtype=np.int64)  # (block, tile)
        for block, members in enumerate(self.members):
            self._place[members, 0], self._place[members, 1] = block, np.arange(len(members))
        self.health: FleetHealth | None = None
        self.layout_: TileLayout | None = None
        self._image: QImage | None = None
        self._buffer = np.zeros((0, 0), dtype=np.uint32)
        self._selected: int | None = None  # plant asset index
        self.renders = 0  # images built: a steady fleet builds none
        self.setMouseTracking(True)
        self.setMinimumSize(240, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    # -- frames and selection -------------------------------------------------------------
    def update_frame(self, frame: Frame) -> None:
        health, old = frame.health, self.health
        if health is old or (health is not None and old is not None and health.t_ns == old.t_ns):
            return
        self.health = health
        self._image = None
        self.update()

    def select(self, asset_id: str | None) -> None:
        """Outline ``asset_id``'s tile (None: no outline); emits nothing."""
        ok = asset_id is not None and self.plant.has_asset(asset_id)
        self._selected = self._index[asset_id] if ok and asset_id is not None else None
        self.update()

    # -- geometry ---------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return QSize(560, 620)  # room for 10,000 readable tiles beside the 3D view

    def _layout(self) -> TileLayout:
        if self.layout_ is None:
            metrics = self.fontMetrics()
            label_h = metrics.height() + 3
            # A block is at least as wide as its name and a count: labels never overlap.
            label_w = max(metrics.horizontalAdvance(f"{n}  999 ⚠") for n in self.names)
            counts = [len(m) for m in self.members]
            self.layout_ = plan_tiles(counts, self.width(), self.height(), label_h, label_w)
        return self.layout_

    def asset_at(self, pos: QPoint) -> int | None:
        """The plant asset index of the tile under ``pos``."""
        hit = self._layout().hit(pos.x(), pos.y())
        return None if hit is None else int(self.members[hit[0]][hit[1]])

    def tile_rect(self, asset_id: str) -> QRect:
        """Where ``asset_id``'s tile is drawn (widget coordinates)."""
        layout = self._layout()
        block, k = self._place[self._index[asset_id]]
        x, y = layout.origin(int(block), int(k))
        return QRect(x, y, layout.tile, layout.tile)

    def hover_text(self, index: int) -> str:
        asset = self.plant.assets[index]
        health = self.health
        row = int(self.rows.row_of_asset(health)[index]) if health is not None else -1
        if health is None or row < 0:
            return f"<b>{asset.name}</b> ({asset.id})<br>{self.tr('health not monitored')}"
        return describe_row(health, row, asset.name)

    # -- drawing ---------------------------------------------------------------------------
    def _render(self) -> QImage:
        layout = self._layout()
        w, h = max(1, self.width()), max(1, self.height())
        # One 32-bit word a pixel: fills and copies run as whole words, several times faster
        # than three-byte pixels.
        pixels = np.full((h, w), _BACKGROUND, dtype=np.uint32)
        colours = _words(self._colours())
        for block, members in zip(layout.blocks, self.members, strict=True):
            self._paint_block(pixels, layout, block.x, block.y + layout.label_h,
                              block.columns, colours[members])  # fmt: skip
        self._buffer = pixels  # the image draws from it: kept as long as the image
        image = QImage(pixels.data, w, h, 4 * w, QImage.Format.Format_RGB32)
        self._paint_labels(image, layout)
        self.renders += 1
        return image

    def _colours(self) -> np.ndarray:
        health = self.health
        n = len(self.plant.assets)
        values = (
            np.full(n, np.nan, np.float32)
            if health is None
            else self.rows.health_in_plant_order(health)
        )
        return health_rgb(values)

    @staticmethod
    def _paint_block(
        pixels: np.ndarray, layout: TileLayout, x: int, y: int, columns: int, words: np.ndarray
    ) -> None:
        if columns < 1 or not len(words):
            return
        rows = -(-len(words) // columns)
        grid = np.full(rows * columns, _BACKGROUND, dtype=np.uint32)
        grid[: len(words)] = words
        p, t = layout.pitch, layout.tile
        block = np.repeat(np.repeat(grid.reshape(rows, columns), p, axis=0), p, axis=1)
        block[(np.arange(rows * p) % p) >= t] = _BACKGROUND  # the gaps between tiles
        block[:, (np.arange(columns * p) % p) >= t] = _BACKGROUND
        target = pixels[y : y + block.shape[0], x : x + block.shape[1]]
        target[:] = block[: target.shape[0], : target.shape[1]]

    def _paint_labels(self, image: QImage, layout: TileLayout) -> None:
        painter = QPainter(image)
        metrics = self.fontMetrics()
        status = self._status_in_plant_order()
        for block, name, members in zip(layout.blocks, self.names, self.members, strict=True):
            width = max(block.columns * layout.pitch, 40)
            attention = int((status[members] >= Ne107.OUT_OF_SPECIFICATION).sum())
            note = f"  {attention} ⚠" if attention else ""
            text = metrics.elidedText(
                name, Qt.TextElideMode.ElideRight, width - metrics.horizontalAdvance(note)
            )
            painter.setPen(QColor(*LABEL_RGB))
            painter.drawText(block.x, block.y + metrics.ascent() + 1, text)
            if note:
                painter.setPen(QColor(*ATTENTION_RGB))
                painter.drawText(
                    block.x + metrics.horizontalAdvance(text), block.y + metrics.ascent() + 1, note
                )
        painter.end()

    def _status_in_plant_order(self) -> np.ndarray:
        health = self.health
        out = np.zeros(len(self.plant.assets), dtype=np.int8)
        if health is not None:
            rows = self.rows.row_of_asset(health)
            out[rows >= 0] = health.status[rows[rows >= 0]]
        return out

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._image is None or self._image.size() != self.size():
            self._image = None  # let go of the old image before its buffer goes
            self._image = self._render()
        painter = QPainter(self)
        painter.drawImage(0, 0, self._image)
        if self._selected is not None:
            rect = self.tile_rect(self.plant.assets[self._selected].id).adjusted(-2, -2, 2, 2)
            painter.setPen(QPen(QColor(*SELECTION_RGB), 2))
            painter.drawRect(rect)
        painter.end()

    # -- Qt events -------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        self.layout_ = None
        self._image = None
        super().resizeEvent(event)

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip:
            index = self.asset_at(event.pos())
            if index is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.hover_text(index), self)
            return True
        return super().event(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            index = self.asset_at(event.position().toPoint())
            if index is not None:
                self._selected = index
                self.update()
                self.asset_activated.emit(self.plant.assets[index].id)
        super().mouseReleaseEvent(event)
