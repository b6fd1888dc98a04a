"""The plant in VTK: equipment instances coloured by state and moved by signals.

A plain adapter around a vtkRenderer (no Qt): the Qt view owns the window, this owns what
is drawn in it. Colours and positions are touched only when they change, so a frame with
a steady plant costs almost nothing before the render itself.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from vtkmodules.vtkRenderingCore import vtkRenderer

from app.scene.beacons import Beacons
from app.scene.equipment import LOD_FULL, LOD_LOW, Shape, ShapeLibrary, instance_scale
from app.scene.floor import add_area_labels, add_floor, footprint
from app.scene.instances import PartGroup, ShapeInstances
from app.scene.lod import LevelOfDetail
from app.scene.overlays import HealthLegend, HeatOverlay, NoDataMarks, SelectionOverlay
from app.theme import DETAIL_RGB, STATE_RGB, health_rgb
from twin.condition.plant_rows import PlantRows
from twin.condition.snapshot import FleetHealth
from twin.plant.model import Plant
from twin.status import State
from twin.timebase import NS_PER_S

MAX_STEP_S = 1.0  # a longer gap between frames is a seek: speeds are not integrated over it


class VtkPlantScene:
    """Builds and updates what a plant looks like inside ``renderer``.

    Assets that look alike share one shape, drawn as instances (one glyph mapper per part
    of each shape), so the number of actors does not grow with the number of assets.
    """

    def __init__(self, plant: Plant, renderer: vtkRenderer, lod: int | None = None) -> None:
        self.plant = plant
        self.renderer = renderer
        n = len(plant.assets)
        self.lod = lod  # None: each asset by its size on screen (see LevelOfDetail)
        self._asset_index = {a.id: i for i, a in enumerate(plant.assets)}
        self._signal_index = {s.id: i for i, s in enumerate(plant.signals)}
        self._states = np.full(n, -1, dtype=np.int8)
        self._palette = np.array([STATE_RGB[s] for s in sorted(State)], dtype=np.uint8)
        self._dimmed = np.zeros(n, dtype=bool)  # flashing, "off" phase
        self.by_health = False  # colour bodies by health instead of state
        self._health_rows = PlantRows(plant)
        self._health = np.full(n, np.nan, dtype=np.float32)  # plant asset order
        self._health_t: int | None = None  # t_ns of the snapshot in _health
        self._last_cursor: int | None = None
        self._bounds: np.ndarray | None = None  # all_bounds() until something moves
        self._setup_renderer()
        self.library = ShapeLibrary(Path(plant.source_path).parent)
        self.detail = LevelOfDetail(renderer)
        self.shapes = self._build_instances()
        self.model_messages = self.library.models.report()  # one line per unreadable file
        add_floor(plant, renderer)
        add_area_labels(plant, renderer)
        self.selection = SelectionOverlay(self, renderer)
        self.no_data = NoDataMarks(self, renderer)
        self.beacons = Beacons(self, renderer)
        self.heat = HeatOverlay(self, renderer)
        self.health_legend = HealthLegend(renderer)
        self.set_asset_states(np.full(n, State.NO_DATA, dtype=np.int8))

    # -- construction -------------------------------------------------------------------
    def _setup_renderer(self) -> None:
        # A plain background (the floor's colour, see add_floor): a gradient is a
        # full-screen shaded quad, ~20 ms a frame on llvmpipe.
        self.renderer.GradientBackgroundOff()
        self.renderer.UseFXAAOff()

    def _build_instances(self) -> list[ShapeInstances]:
        plant = self.plant
        full = LOD_FULL if self.lod is None else self.lod
        keys: dict[tuple[object, ...], list[int]] = {}
        for i, asset in enumerate(plant.assets):
            shape = self.library.shape(asset.kind, asset.params, asset.id, full)
            keys.setdefault(shape.key, []).append(i)
        n = len(plant.assets)
        self._shape_of = np.zeros(n, dtype=np.int32)  # asset -> index into self.shapes
        self._alt_of = np.full(n, -1, dtype=np.int32)  # asset -> its low-detail shape, if any
        self._slot_of = np.zeros(n, dtype=np.int32)  # asset -> its instance in those shapes
        out: list[ShapeInstances] = []
        for members in keys.values():
            assets = np.array(members, dtype=np.int64)
            first = plant.assets[members[0]]
            self._shape_of[assets] = len(out)
            self._slot_of[assets] = np.arange(len(assets))
            primary = self._instances(
                self.library.shape(first.kind, first.params, "", full), assets
            )
            out.append(primary)
            if self.lod is None and self.library.has_low_detail(first.kind, first.params):
                self._alt_of[assets] = len(out)
                low = self._instances(
                    self.library.shape(first.kind, first.params, "", LOD_LOW), assets
                )
                out.append(low)
                self.detail.add(primary, low)
        return out

    def _instances(self, shape: Shape, assets: np.ndarray) -> ShapeInstances:
        chosen = [self.plant.assets[i] for i in assets]
        signal_keys = {m.signal_key for p in shape.parts for m in p.motions}
        index = {
            k: np.array([self._signal_index[s.id] if (s := a.signal(k)) else -1 for a in chosen])
            for k in signal_keys
        }
        instances = ShapeInstances(
            shape,
            assets,
            np.array([a.position for a in chosen], dtype=np.float64).reshape(-1, 3),
            np.array([a.yaw_deg for a in chosen], dtype=np.float64),
            np.array([instance_scale(a.kind, a.params) for a in chosen], dtype=np.float64),
            index,
        )
        for group in instances.groups.values():
            if not group.body:
                group.colours[:] = DETAIL_RGB
            self.renderer.AddActor(group.actor)
        return instances

    # -- what the view asks -------------------------------------------------------------
    @property
    def groups(self) -> list[PartGroup]:
        return [g for s in self.shapes for g in s.groups.values()]

    def index_of(self, asset_id: str) -> int:
        return self._asset_index[asset_id]

    def parts_of(self, asset_id: str, low_detail: bool = True) -> list[tuple[PartGroup, int]]:
        """(part group, instance) of each part of an asset, in its full shape and (if
        ``low_detail``) its low-poly one."""
        i = self._asset_index[asset_id]
        shapes = [self.shapes[self._shape_of[i]]]
        if low_detail and self._alt_of[i] >= 0:
            shapes.append(self.shapes[self._alt_of[i]])
        return [(g, int(self._slot_of[i])) for s in shapes for g in s.groups.values()]

    def part_names(self, asset_id: str) -> tuple[str, ...]:
        i = self._asset_index[asset_id]
        return self.shapes[self._shape_of[i]].shape.part_names

    def asset_bounds(self, asset_id: str) -> tuple[float, ...]:
        """World bounds (xmin, xmax, ymin, ymax, zmin, zmax) of an asset's parts, at full
        detail whichever detail it is drawn at, so that they do not jump as it changes."""
        self._settle()
        parts = self.parts_of(asset_id, low_detail=False)
        corners = np.concatenate([g.world_corners(k) for g, k in parts])
        lo, hi = corners.min(axis=0), corners.max(axis=0)
        return tuple(float(v) for pair in zip(lo, hi, strict=True) for v in pair)

    def asset_centre(self, asset_id: str) -> tuple[float, float, float]:
        b = self.asset_bounds(asset_id)
        return ((b[0] + b[1]) / 2, (b[2] + b[3]) / 2, (b[4] + b[5]) / 2)

    def pick_ray(self, origin: np.ndarray, direction: np.ndarray) -> tuple[str, str] | None:
        """(asset id, part name) of the nearest part box the ray meets, or None."""
        best, found = np.inf, None
        for group in self.groups:
            if not group.actor.GetVisibility():  # all its instances at the other detail
                continue
            t = group.ray_hits(origin, direction)
            k = int(np.argmin(t))
            if t[k] < best:
                best, found = float(t[k]), (int(group.assets[k]), group.part.name)
        if found is None:
            return None
        return self.plant.assets[found[0]].id, found[1]

    def all_bounds(self) -> np.ndarray:
        """(assets, 6) world bounds of every asset as drawn, in plant asset order."""
        self._settle()
        if self._bounds is None:
            self._bounds = self._compute_bounds()
        return self._bounds.copy()

    def _compute_bounds(self) -> np.ndarray:
        n = len(self.plant.assets)
        lo, hi = np.full((n, 3), np.inf), np.full((n, 3), -np.inf)
        for g in self.groups:
            # A box turned by R, scaled by s and moved by t spans, around its turned centre,
            # |R| applied to its scaled half size: exactly its corners' extent, 8x cheaper.
            b = g.local_bounds
            mid, half = (b[0::2] + b[1::2]) / 2, (b[1::2] - b[0::2]) / 2
            s = g.scale[:, None, None]
            centre = np.matmul(g.world_r, mid[None, :, None] * s)[:, :, 0] + g.world_t
            reach = np.matmul(np.abs(g.world_r), half[None, :, None] * s)[:, :, 0]
            a = g.assets
            if np.unique(a).size == a.size:  # one instance per asset: no repeated index
                lo[a] = np.minimum(lo[a], centre - reach)
                hi[a] = np.maximum(hi[a], centre + reach)
            else:  # ufunc.at is ~50x slower, for the shapes an asset has several of
                np.minimum.at(lo, a, centre - reach)
                np.maximum.at(hi, a, centre + reach)
        out = np.empty((n, 6))
        out[:, 0::2], out[:, 1::2] = lo, hi
        return out

    def _settle(self) -> None:
        """Pose the parts whose motion was not drawn (see ``ShapeInstances.apply``)."""
        for shape in self.shapes:
            if shape.pending and shape.settle():
                self._bounds = None

    def footprint(self, margin: float) -> tuple[float, float, float, float]:
        return footprint(self.plant, margin)

    # -- updates --------------------------------------------------------------------------
    @property
    def states(self) -> np.ndarray:
        return self._states

    def set_asset_states(self, states: np.ndarray) -> bool:
        """Colour each asset's body parts by its state (plant asset order); True if changed."""
        if np.array_equal(states, self._states):
            return False
        self._states = np.asarray(states, dtype=np.int8).copy()
        self.repaint()
        self.no_data.update(self._states == State.NO_DATA)
        self.beacons.update(self._states)
        return True

    @property
    def health(self) -> np.ndarray:
        """Health per plant asset (NaN: unknown), as last set."""
        return self._health

    def set_health(self, health: FleetHealth | None) -> bool:
        """Note the fleet's health; True if the colours changed. A snapshot of the same
        time as the last one costs nothing."""
        t = None if health is None else health.t_ns
        if t == self._health_t:
            return False
        self._health_t = t
        if health is None:
            self._health[:] = np.nan
        else:
            self._health = self._health_rows.health_in_plant_order(health)
        if self.by_health:
            self.repaint()
        return self.by_health

    def colour_by_health(self, on: bool) -> None:
        """Body colours from health (with its colour scale) instead of alarm state."""
        self.by_health = on
        self.health_legend.show(on)
        self.repaint()

    def flash(self, asset_ids: frozenset[str], on: bool) -> None:
        """Blink assets with unacknowledged alarms: dimmed in the "off" phase."""
        self._dimmed[:] = False
        if not on:
            for asset_id in asset_ids:
                self._dimmed[self._asset_index[asset_id]] = True
        self.repaint()

    def repaint(self) -> None:
        """Write every body part's state (or health) colour, dimmed while flashing off,
        then heat."""
        rgb = health_rgb(self._health) if self.by_health else self._palette[self._states]
        # Dim, not dark: the alarm colour stays recognisable in the "off" phase too.
        rgb[self._dimmed] = (rgb[self._dimmed] * 0.55).astype(np.uint8)
        for group in self.groups:
            if group.body:
                group.colours[:] = rgb[group.assets]
                group.colours_changed()
        self.heat.repaint()

    def apply_motion(self, values: np.ndarray, cursor_ns: int | None = None) -> bool:
        """Move parts driven by signals (``values`` in plant signal order); True if a drawn
        part moved (motion of parts drawn at the other level of detail waits until shown).

        Speeds (shafts, belts) integrate over the cursor time since the previous call, so a
        replay draws the same motion as the live run; a seek (a jump back, or more than a
        second forward) moves nothing for that frame.
        """
        dt = 0.0
        if cursor_ns is not None:
            if self._last_cursor is not None:
                dt = (cursor_ns - self._last_cursor) / NS_PER_S
                dt = dt if 0.0 < dt <= MAX_STEP_S else 0.0
            self._last_cursor = cursor_ns
        moved = False
        for shape in self.shapes:
            moved |= shape.apply(values, dt)
        if moved:
            self._bounds = None
        return moved

    def set_values(self, values: np.ndarray) -> bool:
        """Heat colours and the selected asset's value label; True if either changed."""
        changed = self.heat.update(values)
        return self.selection.update(values, self._states) or changed

    def select(self, asset_id: str | None) -> None:
        """Outline and label ``asset_id`` (None clears it)."""
        valid = asset_id is not None and self.plant.has_asset(asset_id)
        self.selection.show(asset_id if valid else None)

    def set_heat(
        self,
        asset_id: str,
        part_name: str,
        signal_id: str,
        lo: float,
        hi: float,
        unit: str = "",
    ) -> None:
        """Colour one part of an asset by a signal on a lo..hi scale, with a colour bar."""
        self.heat.set(asset_id, part_name, signal_id, lo, hi, unit)

    def clear_heat(self) -> None:
        self.heat.clear()

    def close(self) -> None:
        """Let go of the renderer's observers (they would keep this scene alive)."""
        self.detail.close()

    def reset_camera(self) -> None:
        """An elevated three-quarter view that fits the whole floor."""
        from app.scene.camera import overview

        overview(self)
