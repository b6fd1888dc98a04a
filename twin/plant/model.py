"""The plant: areas, assets and their signals, as loaded from a plant file.

Plain frozen dataclasses; the loader (`twin.plant.loader`) builds and validates them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from twin.plant.lines import Line, Shift


class FaultKind(StrEnum):
    BEARING_WEAR = "bearing_wear"  # vibration grows, the bearing warms
    OVERLOAD = "overload"  # current steps (or creeps) up, winding temperature follows
    VOLTAGE_SAG = "voltage_sag"  # supply voltage dips for a while
    SENSOR_FREEZE = "sensor_freeze"  # the asset's sensors repeat their last value
    COOLING_LOSS = "cooling_loss"  # fan or fins clogging: the winding runs ever hotter
    SUPPLY_IMBALANCE = "supply_imbalance"  # supply sinks and wavers, unbalanced phases heat
    INSULATION_AGEING = "insulation_ageing"  # dielectric losses warm the winding at any load


# Kinds that happen at one moment; only the others take a development time.
INSTANT_FAULTS = frozenset({FaultKind.VOLTAGE_SAG, FaultKind.SENSOR_FREEZE})


@dataclass(frozen=True, slots=True)
class Limits:
    """Warning and alarm limits of one signal; None where a limit does not apply."""

    alarm_low: float | None = None
    warn_low: float | None = None
    warn_high: float | None = None
    alarm_high: float | None = None


# Alarm priorities, lowest first (ISA-18.2 suggests three or four), and the alarm kinds a
# signal can raise: the four limits, rate of change, and no data (stale or NaN).
ALARM_PRIORITIES = ("low", "medium", "high", "critical")
ALARM_KINDS = ("HH", "H", "L", "LL", "ROC", "NO_DATA")


@dataclass(frozen=True, slots=True)
class AlarmSettings:
    """Alarm handling of one signal: the plant file's ``alarm = { ... }`` table.

    ``priority`` applies to every kind of the signal (None: per-kind defaults, see
    ``twin.alarms.rules``); ``priorities`` overrides it per kind ("HH", "ROC", ...).
    ``deadband`` is in the signal's unit and applies to the limit alarms. ``roc_per_s``
    enables the rate-of-change alarm; ``stale_s`` None means 3 sample periods, at least 2 s.
    """

    priority: str | None = None
    priorities: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    deadband: float = 0.0
    on_delay_s: float = 0.0
    off_delay_s: float = 0.0
    roc_per_s: float | None = None
    roc_window_s: float = 1.0
    stale_s: float | None = None
    no_data: bool = True


@dataclass(frozen=True, slots=True)
class Signal:
    """One measured quantity of an asset. ``id`` is "<asset id>.<key>"."""

    id: str
    asset_id: str
    key: str
    name: str
    unit: str
    rate_hz: float
    normal: tuple[float, float]
    limits: Limits = Limits()
    # Where the value comes from when it is not simulated (MQTT topic, OPC UA node, ...).
    source: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    # Alarm settings from the plant file; None: limit and no-data alarms with defaults.
    alarm: AlarmSettings | None = None
    # Value type, kept exactly end to end (twin.values): "float32", "float64" or "int64".
    dtype: str = "float32"


@dataclass(frozen=True, slots=True)
class Area:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Asset:
    """A piece of equipment: its kind (a name in ``twin.kinds``) decides the 3D shape and
    the simulation model."""

    id: str
    name: str
    kind: str
    area_id: str
    position: tuple[float, float, float]  # metres, z up
    yaw_deg: float
    signals: tuple[Signal, ...]
    params: Mapping[str, float | str] = field(default_factory=lambda: MappingProxyType({}))

    def signal(self, key: str) -> Signal | None:
        """The asset's signal with this key, or None."""
        for sig in self.signals:
            if sig.key == key:
                return sig
        return None


@dataclass(frozen=True, slots=True)
class Fault:
    """A fault scheduled on an asset, ``at_s`` seconds after the simulation starts.

    ``develop_s`` is how long it takes to develop fully (0: a step); None gives the kind's
    default (``twin.sources.sim.faults``). Instant kinds (``INSTANT_FAULTS``) take None only.
    """

    asset_id: str
    kind: FaultKind
    at_s: float
    develop_s: float | None = None


@dataclass(frozen=True)
class Plant:
    name: str
    source_path: str
    areas: tuple[Area, ...]
    assets: tuple[Asset, ...]
    faults: tuple[Fault, ...] = ()
    seed: int = 1
    # Live telemetry connections ([[connections]]); signals bind to them by id.
    connections: tuple[Connection, ...] = ()
    # Production lines and shifts ([[lines]], [[shifts]]), for the line indicators.
    lines: tuple[Line, ...] = ()
    shifts: tuple[Shift, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "_assets_by_id", {a.id: a for a in self.assets})
        object.__setattr__(
            self, "_signals_by_id", {s.id: s for a in self.assets for s in a.signals}
        )

    def asset(self, asset_id: str) -> Asset:
        return self._assets_by_id[asset_id]  # type: ignore[attr-defined]

    def signal(self, signal_id: str) -> Signal:
        return self._signals_by_id[signal_id]  # type: ignore[attr-defined]

    def has_asset(self, asset_id: str) -> bool:
        return asset_id in self._assets_by_id  # type: ignore[attr-defined]

    @property
    def signals(self) -> tuple[Signal, ...]:
        """Every signal of the plant, in file order."""
        return tuple(s for a in self.assets for s in a.signals)

    def assets_in(self, area_id: str) -> tuple[Asset, ...]:
        return tuple(a for a in self.assets if a.area_id == area_id)


@dataclass(frozen=True, slots=True)
class Connection:
    """A live telemetry connection of the plant file (``[[connections]]``): an MQTT broker,
    an OPC UA server or a Modbus TCP device.

    No secret is kept here: ``password_env`` names an environment variable and ``keyring``
    a (service, name) entry of the system keyring. Paths (``ca``, ``cert``, ``key``) are
    absolute, resolved against the plant file's folder. ``options`` holds the
    protocol-specific settings, already checked by ``twin.sources.connections.config``.
    """

    id: str
    protocol: str  # "mqtt" | "opcua" | "modbus"
    host: str
    port: int
    tls: bool = False
    ca: str | None = None
    cert: str | None = None
    key: str | None = None
    username: str | None = None
    password_env: str | None = None
    keyring: tuple[str, str] | None = None
    options: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
