"""Load and validate a plant file (TOML) into a `Plant`.

Every problem becomes one `PlantError` whose message names the file, the line where it can
be found, the area/template/asset/signal/fault, and the field, e.g.::

    demo.toml:42: asset "M07", signal "current": warn_high (140.0) is above alarm_high (120.0)

The file format is described in ``assets/plants/demo_workshop.toml``.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, NoReturn

from twin.kinds.registry import kind_names  # importing it registers the built-in kinds
from twin.plant import fields as F
from twin.plant.faults import check_develop, fault_kind
from twin.plant.lines_loader import parse_lines, parse_shifts
from twin.plant.model import (
    Area,
    Asset,
    Connection,
    Fault,
    Limits,
    Plant,
    Signal,
)
from twin.plant.toml_lines import LineIndex, TomlPath
from twin.sources.connections import config as conn_config
from twin.sources.connections.bindings import default_dtype, dtype_conflict


class PlantError(Exception):
    """A plant file that cannot be used. ``str(err)`` is the complete, one-line message;
    the parts are ``path``, ``line`` (or None), ``where`` ('asset "M07", signal "current"',
    or "") and ``reason``."""

    def __init__(self, reason: str, *, path: str, line: int | None = None, where: str = "") -> None:
        self.path, self.line, self.where, self.reason = path, line, where, reason
        place = f"{path}:{line}" if line is not None else path
        super().__init__(f"{place}: {where}: {reason}" if where else f"{place}: {reason}")


def load_plant(path: str | os.PathLike[str]) -> Plant:
    """Read, parse and validate the plant file at ``path``; raises PlantError."""
    name = os.fspath(path)
    try:
        data = Path(name).read_bytes()
    except FileNotFoundError:
        raise PlantError("no such file", path=name) from None
    except IsADirectoryError:
        raise PlantError("is a directory, not a plant file", path=name) from None
    except OSError as exc:
        raise PlantError(f"cannot read the file: {exc.strerror or exc}", path=name) from None
    try:
        text = data.decode("utf-8-sig")  # -sig: tolerate the BOM Windows editors write
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start]
        reason = f"not UTF-8 text (byte 0x{bad:02x} at offset {exc.start}); save it as UTF-8"
        raise PlantError(reason, path=name, line=line) from None
    return parse_plant(text, name)


def parse_plant(text: str, source_path: str) -> Plant:
    """Parse and validate plant-file ``text``; ``source_path`` names it in errors."""
    text = text.removeprefix("\ufeff")
    ctx = _Ctx(source_path, _Text(text), "", ((),))
    top = _clean(_decode(text, source_path), _TOP, ctx, noun="top-level table")
    if "plant" not in top:
        ctx.fail('missing the [plant] table (with name = "...")')
    info = _clean(top["plant"], _PLANT, ctx.sub("[plant]", ("plant",)))
    connections = _connections(top.get("connections", []), ctx)
    ctx = _Ctx(source_path, ctx.text, "", ((),), {c.id: c for c in connections})
    areas = _areas(top.get("areas", []), ctx)
    templates = {name: _template(name, raw, ctx) for name, raw in top.get("templates", {}).items()}
    area_ids = {a.id for a in areas}
    assets: dict[str, Asset] = {}
    first: dict[str, int] = {}  # asset id -> index of its [[assets]] entry
    for index, raw in enumerate(top.get("assets", [])):
        actx = ctx.sub(_label("asset", raw, index), ("assets", index))
        asset = _asset(raw, index, actx, templates, area_ids)
        if asset.id in assets:
            actx.fail(_duplicate("asset id", asset.id, ctx, ("assets", first[asset.id])), "id")
        assets[asset.id], first[asset.id] = asset, index
    faults = tuple(_fault(raw, i, ctx, assets) for i, raw in enumerate(top.get("faults", [])))
    shifts = parse_shifts(top.get("shifts", []), ctx)
    lines = parse_lines(top.get("lines", []), ctx, assets, shifts)
    return Plant(
        name=info["name"],
        source_path=source_path,
        areas=areas,
        assets=tuple(assets.values()),
        faults=faults,
        seed=info.get("seed", 1),
        connections=connections,
        lines=lines,
        shifts=shifts,
    )


# --- context: where we are in the file, for messages -------------------------------------


class _Text:
    """The file text, indexed for line numbers only when an error needs one."""

    def __init__(self, text: str) -> None:
        self.text = text

    @functools.cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.text)


@dataclass(frozen=True)
class _Ctx:
    path: str
    text: _Text
    label: str  # 'asset "M07", signal "current"'
    # TOML paths of the entry's own tables (an asset's override first, then its template's
    # signal); the line index walks up from the first one when the key is in neither.
    blocks: tuple[TomlPath, ...]
    connections: Mapping[str, Connection] = MappingProxyType({})  # by id, for bindings

    def sub(self, label: str, *blocks: TomlPath) -> _Ctx:
        joined = f"{self.label}, {label}" if self.label else label
        return _Ctx(self.path, self.text, joined, blocks or self.blocks, self.connections)

    def fail(self, reason: str, key: str | None = None) -> NoReturn:
        line = self.text.lines.find(self.blocks, key)
        raise PlantError(reason, path=self.path, line=line, where=self.label)


def _label(noun: str, raw: object, index: int) -> str:
    """'asset "M07"' when the id is usable, else 'asset #8' (1-based, file order)."""
    ident = raw.get("id") if isinstance(raw, dict) else None
    if isinstance(ident, str) and F.ID_RE.fullmatch(ident):
        return f'{noun} "{ident}"'
    return f"{noun} #{index + 1}"


_TOML_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


_loads: Callable[[str], dict[str, Any]] = tomllib.loads


def use_toml_decoder(loads: Callable[[str], dict[str, Any]] | None) -> None:
    """Decode plant files with ``loads``, a faster TOML parser than tomllib that the
    application has (None: tomllib again). A text it refuses is decoded again by tomllib,
    whose messages name the line, so errors read the same either way."""
    global _loads
    _loads = loads or tomllib.loads


def _decode(text: str, path: str) -> dict[str, Any]:
    if _loads is not tomllib.loads:
        try:
            return _loads(text)
        except Exception:
            pass  # tomllib says where the mistake is (or accepts what the other did not)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.14 has exc.lineno/colno; before that the position ends the message.
        message = str(exc.args[0]) if exc.args else str(exc)
        line = getattr(exc, "lineno", None)
        if match := _TOML_POS.search(message):
            message = message[: match.start()]
            line = line or int(match.group(1))
            message += f" (column {match.group(2)})"
        raise PlantError(f"TOML syntax error: {message}", path=path, line=line) from None


# --- field specs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Spec:
    check: Callable[[object], object]
    required: bool = False


def _tables(value: object) -> list[object]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise F.FieldError("must be an array of tables ([[...]] entries)")
    return value


def _equipment_kind(value: object) -> str:
    # Read at each check, not at import: kinds registered later (plug-ins, tests) count too.
    return F.one_of(value, kind_names())


_TOP = {
    "plant": _Spec(F.table),
    "areas": _Spec(_tables),
    "templates": _Spec(F.table),
    "assets": _Spec(_tables),
    "faults": _Spec(_tables),
    "connections": _Spec(_tables),
    "lines": _Spec(_tables),
    "shifts": _Spec(_tables),
}
_PLANT = {"name": _Spec(F.name, required=True), "seed": _Spec(F.integer)}
_AREA = {"id": _Spec(F.ident, required=True), "name": _Spec(F.name)}
_TEMPLATE = {
    "kind": _Spec(_equipment_kind, required=True),
    "description": _Spec(F.text),
    "params": _Spec(F.params),
    "signals": _Spec(_tables),
}
_ASSET = {
    "id": _Spec(F.ident, required=True),
    "name": _Spec(F.name),
    "template": _Spec(F.ident),
    "kind": _Spec(_equipment_kind),
    "area": _Spec(F.ident, required=True),
    "position": _Spec(F.vec3, required=True),
    "yaw": _Spec(F.number),
    "params": _Spec(F.params),
    "signals": _Spec(_tables),
}
_SIGNAL = {
    "key": _Spec(F.signal_key, required=True),
    "name": _Spec(F.name),
    "unit": _Spec(F.text),
    "rate_hz": _Spec(F.rate, required=True),
    "normal": _Spec(F.span, required=True),
    **{limit: _Spec(F.number) for limit in F.LIMIT_KEYS},
    "source": _Spec(F.source),
    "dtype": _Spec(F.value_type),
    "alarm": _Spec(F.table),  # its keys are checked with the whole signal (F.alarm_settings)
}
_FAULT = {
    "asset": _Spec(F.ident, required=True),
    "kind": _Spec(fault_kind, required=True),
    "at": _Spec(F.duration, required=True),
    "develop": _Spec(F.duration),
}


def _clean(
    raw: object, specs: Mapping[str, _Spec], ctx: _Ctx, *, noun: str = "key", partial: bool = False
) -> dict[str, Any]:
    """Check a table against its specs: unknown keys first (a typo explains a missing key),
    then each value, then required keys unless ``partial``. Values are checked, hence Any."""
    if not isinstance(raw, dict):
        ctx.fail(f"must be a table, got {F.show(raw)}")
    for key in raw:
        if key not in specs:
            ctx.fail(f'unknown {noun} "{key}"{F.did_you_mean(key, specs)}', key)
    out: dict[str, Any] = {}
    for key, spec in specs.items():
        if key in raw:
            try:
                out[key] = spec.check(raw[key])
            except F.FieldError as exc:
                ctx.fail(f"{key} {exc}", key)
        elif spec.required and not partial:
            ctx.fail(f'missing required key "{key}"')
    return out


# --- areas, templates, assets, signals, faults ----------------------------------------------


def _areas(raws: list[object], ctx: _Ctx) -> tuple[Area, ...]:
    areas: dict[str, Area] = {}
    first: dict[str, int] = {}
    for index, raw in enumerate(raws):
        actx = ctx.sub(_label("area", raw, index), ("areas", index))
        f = _clean(raw, _AREA, actx)
        if f["id"] in areas:
            actx.fail(_duplicate("area id", f["id"], ctx, ("areas", first[f["id"]])), "id")
        areas[f["id"]] = Area(id=f["id"], name=f.get("name", f["id"]))
        first[f["id"]] = index
    return tuple(areas.values())


def _duplicate(what: str, ident: str, ctx: _Ctx, first: TomlPath) -> str:
    line = ctx.text.lines.find([first], "id")
    return f'duplicate {what} "{ident}"' + (f" (first defined at line {line})" if line else "")


@dataclass(frozen=True)
class _Template:
    kind: str
    params: dict[str, float | str]
    signals: dict[str, tuple[dict[str, Any], TomlPath]]  # key -> (checked fields, TOML path)
    # Template signals without a source, built once: an asset that does not override one
    # takes a copy under its own id (10,000 motors need not check the same limits 10,000x).
    built: dict[str, Signal] = field(default_factory=dict)


def _template(name: str, raw: object, ctx: _Ctx) -> _Template:
    tctx = ctx.sub(f'template "{name}"', ("templates", name))
    try:
        F.ident(name)
    except F.FieldError as exc:
        tctx.fail(f"template name {exc}")
    f = _clean(raw, _TEMPLATE, tctx)
    signals: dict[str, tuple[dict[str, Any], TomlPath]] = {}
    prototypes: dict[str, Signal] = {}
    for index, sraw in enumerate(f.get("signals", [])):
        block = ("templates", name, "signals", index)
        sctx = tctx.sub(_signal_label(sraw, index), block)
        s = _clean(sraw, _SIGNAL, sctx)
        if s["key"] in signals:
            sctx.fail(f'duplicate signal key "{s["key"]}"', "key")
        built = _signal(name, s, sctx)  # check the complete signal now: errors name the template
        signals[s["key"]] = (s, block)
        if "source" not in s:  # a source is checked per asset (its {asset} is filled in)
            prototypes[s["key"]] = built
    return _Template(f["kind"], f.get("params", {}), signals, prototypes)


def _asset(
    raw: object, index: int, ctx: _Ctx, templates: Mapping[str, _Template], area_ids: set[str]
) -> Asset:
    f = _clean(raw, _ASSET, ctx)
    template = _Template("", {}, {})
    if "template" in f:
        if f["template"] not in templates:
            hint = F.did_you_mean(f["template"], templates)
            ctx.fail(f'template "{f["template"]}" is not defined{hint}', "template")
        template = templates[f["template"]]
    kind = f.get("kind", template.kind)
    if not kind:
        ctx.fail('needs a template = "..." or a kind = "..."')
    if template.kind and kind != template.kind:
        ctx.fail(f'kind "{kind}" differs from its template\'s kind "{template.kind}"', "kind")
    if f["area"] not in area_ids:
        ctx.fail(f'area "{f["area"]}" is not defined{F.did_you_mean(f["area"], area_ids)}', "area")
    return Asset(
        id=f["id"],
        name=f.get("name", f["id"]),
        kind=kind,
        area_id=f["area"],
        position=f["position"],
        yaw_deg=f.get("yaw", 0.0),
        signals=_asset_signals(f["id"], index, f.get("signals", []), template, ctx),
        params=MappingProxyType({**template.params, **f.get("params", {})}),
    )


def _asset_signals(
    asset_id: str, index: int, raws: list[object], template: _Template, ctx: _Ctx
) -> tuple[Signal, ...]:
    """The template's signals with the asset's entries merged in: an entry whose key is a
    template signal overrides just the fields it gives; other keys add signals."""
    merged = {key: (s, (block,)) for key, (s, block) in template.signals.items()}
    seen: set[str] = set()
    for j, raw in enumerate(raws):
        block = ("assets", index, "signals", j)
        sctx = ctx.sub(_signal_label(raw, j), block)
        s = _clean(raw, _SIGNAL, sctx, partial=True)
        if "key" not in s:
            sctx.fail('missing required key "key"')
        if s["key"] in seen:
            sctx.fail(f'duplicate signal key "{s["key"]}"', "key")
        seen.add(s["key"])
        base, blocks = merged.get(s["key"], ({}, ()))
        combined = {**base, **s}
        if "alarm" in base and "alarm" in s:  # an override changes just the alarm keys it gives
            combined["alarm"] = {**base["alarm"], **s["alarm"]}
        merged[s["key"]] = (combined, (block, *blocks))
    return tuple(
        _copy(template.built[key], asset_id)
        if key in template.built and key not in seen
        else _signal(asset_id, s, ctx.sub(f'signal "{key}"', *blocks))
        for key, (s, blocks) in merged.items()
    )


def _copy(signal: Signal, asset_id: str) -> Signal:
    """A template's signal as one asset's."""
    s = signal  # the constructor, not dataclasses.replace: this runs once per signal
    return Signal(f"{asset_id}.{s.key}", asset_id, s.key, s.name, s.unit, s.rate_hz,
                  s.normal, s.limits, s.source, s.alarm, s.dtype)  # fmt: skip


def _signal_label(raw: object, index: int) -> str:
    key = raw.get("key") if isinstance(raw, dict) else None
    if isinstance(key, str) and F.ID_RE.fullmatch(key):
        return f'signal "{key}"'
    return f"signal #{index + 1}"


def _signal(asset_id: str, s: Mapping[str, Any], ctx: _Ctx) -> Signal:
    """Build one complete signal, checking what needs all its fields together."""
    for key in ("rate_hz", "normal"):
        if key not in s:
            ctx.fail(f'missing required key "{key}"')
    limits = {k: s[k] for k in F.LIMIT_KEYS if k in s}
    if problem := F.limits_order_error(limits):
        ctx.fail(problem[1], problem[0])
    alarm = None
    if "alarm" in s:
        try:
            alarm = F.alarm_settings(s["alarm"], limits, s["rate_hz"])
        except F.FieldError as exc:
            ctx.fail(str(exc), "alarm")
    key = s["key"]
    source, binding = _source(s, ctx)
    return Signal(
        id=f"{asset_id}.{key}",
        asset_id=asset_id,
        key=key,
        name=s.get("name", key.replace("_", " ").capitalize()),
        unit=s.get("unit", ""),
        rate_hz=s["rate_hz"],
        normal=s["normal"],
        limits=Limits(**limits),
        source=source,
        alarm=alarm,
        dtype=_dtype(s, binding, ctx),
    )


def _dtype(s: Mapping[str, Any], binding: object, ctx: _Ctx) -> str:
    """The plant file's dtype, else the binding's own type's (an int32 register: int64)."""
    if "dtype" not in s:
        return default_dtype(binding)
    problem = dtype_conflict(s["dtype"], binding)
    if problem:
        ctx.fail(problem, "dtype")
    return str(s["dtype"])


def _fault(raw: object, index: int, ctx: _Ctx, assets: Mapping[str, Asset]) -> Fault:
    fctx = ctx.sub(f"fault #{index + 1}", ("faults", index))
    f = _clean(raw, _FAULT, fctx)
    if f["asset"] not in assets:
        hint = F.did_you_mean(f["asset"], assets)
        fctx.fail(f'asset "{f["asset"]}" is not defined{hint}', "asset")
    try:
        check_develop(f["kind"], f.get("develop"))
    except F.FieldError as exc:
        fctx.fail(f"develop {exc}", "develop")
    return Fault(asset_id=f["asset"], kind=f["kind"], at_s=f["at"], develop_s=f.get("develop"))


# --- live connections and signal bindings (twin.sources.connections.config) --------------


def _connections(raws: list[object], ctx: _Ctx) -> tuple[Connection, ...]:
    base_dir = Path(ctx.path).parent  # certificate paths are relative to the plant file
    out: dict[str, Connection] = {}
    first: dict[str, int] = {}
    for index, raw in enumerate(raws):
        cctx = ctx.sub(_label("connection", raw, index), ("connections", index))
        try:
            conn = conn_config.parse_connection(raw, base_dir)
        except conn_config.ConfigError as exc:
            cctx.fail(exc.reason, exc.key)
        if conn.id in out:
            where = ("connections", first[conn.id])
            cctx.fail(_duplicate("connection id", conn.id, ctx, where), "id")
        out[conn.id], first[conn.id] = conn, index
    return tuple(out.values())


def _source(s: Mapping[str, Any], ctx: _Ctx) -> tuple[Mapping[str, object], object]:
    """The signal's source table, checked against the connection it names, and the typed
    binding it makes (None without one)."""
    source = s.get("source", MappingProxyType({}))
    binding = None
    if source:
        try:
            binding = conn_config.parse_binding(source, ctx.connections)
        except conn_config.ConfigError as exc:
            ctx.fail(exc.reason, "source")
    return source, binding
