"""The plant file's ``[[lines]]`` and ``[[shifts]]`` tables, checked into `Line`/`Shift`.

Errors go through the loader's context (``ctx.sub``/``ctx.fail``), so they name the file,
line, entry and field like every other plant-file error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, NoReturn, Protocol

from twin.plant import fields as F
from twin.plant.lines import CYCLE_RULES, DEFAULT_CAUSES, CycleRule, Line, Shift
from twin.plant.model import Asset
from twin.plant.toml_lines import TomlPath


class Ctx(Protocol):
    """What the loader's context offers: a sub-context for an entry, and a located error."""

    def sub(self, label: str, *blocks: TomlPath) -> Ctx: ...

    def fail(self, reason: str, key: str | None = None) -> NoReturn: ...


_CLOCK_RE = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")


def clock_time(value: object) -> float:
    """ "HH:MM" -> seconds after midnight."""
    if not isinstance(value, str) or not (m := _CLOCK_RE.fullmatch(value.strip())):
        raise F.FieldError(f'must be a time of day as "HH:MM", got {F.show(value)}')
    return int(m.group(1)) * 3600.0 + int(m.group(2)) * 60.0


def _positive(value: object) -> float:
    number = F.number(value)
    if number <= 0:
        raise F.FieldError(f"must be > 0, got {F.show(value)}")
    return number


def _idents(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise F.FieldError(f"must be a non-empty array of asset ids, got {F.show(value)}")
    return tuple(F.ident(v) for v in value)


def _parts(value: object) -> int:
    number = F.integer(value)
    if number < 0:
        raise F.FieldError(f"must be >= 0 parts, got {F.show(value)}")
    return number


_SHIFT: dict[str, tuple[Callable[[object], Any], bool]] = {
    "id": (F.ident, True),
    "name": (F.name, False),
    "start": (clock_time, True),
    "length": (F.duration, True),
}
_LINE: dict[str, tuple[Callable[[object], Any], bool]] = {
    "id": (F.ident, True),
    "name": (F.name, False),
    "machines": (_idents, True),
    "target_cycle_s": (_positive, True),
    "output": (F.ident, False),
    "cycle": (F.table, True),
    "cycles": (F.table, False),
    "causes": (F.table, False),
    "plan": (F.table, False),
}
_RULE: dict[str, tuple[Callable[[object], Any], bool]] = {
    "rule": (lambda v: F.one_of(v, CYCLE_RULES), True),
    "signal": (F.signal_key, True),
    "top": (F.number, False),
    "dwell_s": (F.non_negative, False),
    "running": (F.number, False),
    "state": (F.signal_key, False),
    "power": (F.signal_key, False),
    "energy": (F.signal_key, False),
    "scrap": (F.signal_key, False),
}


def _check(
    raw: object, specs: Mapping[str, tuple[Callable[[object], Any], bool]], ctx: Ctx
) -> dict[str, Any]:
    if not isinstance(raw, dict):
        ctx.fail(f"must be a table, got {F.show(raw)}")
    for key in raw:
        if key not in specs:
            ctx.fail(f'unknown key "{key}"{F.did_you_mean(key, specs)}', key)
    out: dict[str, Any] = {}
    for key, (check, required) in specs.items():
        if key in raw:
            try:
                out[key] = check(raw[key])
            except F.FieldError as exc:
                ctx.fail(f"{key} {exc}", key)
        elif required:
            ctx.fail(f'missing required key "{key}"')
    return out


def parse_shifts(raws: list[object], ctx: Ctx) -> tuple[Shift, ...]:
    """The ``[[shifts]]`` entries; ids are unique, lengths at most a day."""
    shifts: dict[str, Shift] = {}
    for index, raw in enumerate(raws):
        sctx = ctx.sub(f"shift #{index + 1}", ("shifts", index))
        f = _check(raw, _SHIFT, sctx)
        if f["id"] in shifts:
            sctx.fail(f'duplicate shift id "{f["id"]}"', "id")
        if not 0 < f["length"] <= 86400:
            sctx.fail(
                f"length must be more than 0 and at most 24h, got {f['length']:g} s", "length"
            )
        shifts[f["id"]] = Shift(f["id"], f.get("name", f["id"]), f["start"], f["length"])
    return tuple(shifts.values())


def parse_lines(
    raws: list[object], ctx: Ctx, assets: Mapping[str, Asset], shifts: tuple[Shift, ...]
) -> tuple[Line, ...]:
    """The ``[[lines]]`` entries, checked against the assets, their signals and the shifts."""
    lines: dict[str, Line] = {}
    for index, raw in enumerate(raws):
        lctx = ctx.sub(f"line #{index + 1}", ("lines", index))
        f = _check(raw, _LINE, lctx)
        if f["id"] in lines:
            lctx.fail(f'duplicate line id "{f["id"]}"', "id")
        lines[f["id"]] = _line(f, lctx, assets, {s.id for s in shifts})
    return tuple(lines.values())


def _line(f: dict[str, Any], ctx: Ctx, assets: Mapping[str, Asset], shift_ids: set[str]) -> Line:
    machines = f["machines"]
    for asset_id in machines:
        if asset_id not in assets:
            ctx.fail(
                f'machines: asset "{asset_id}" is not defined{F.did_you_mean(asset_id, assets)}',
                "machines",
            )
    if len(set(machines)) != len(machines):
        ctx.fail("machines lists an asset twice", "machines")
    output = f.get("output", machines[-1])
    if output not in machines:
        ctx.fail(f'output "{output}" is not one of the line\'s machines', "output")
    overrides = f.get("cycles", {})
    for asset_id in overrides:
        if asset_id not in machines:
            ctx.fail(f'cycles: "{asset_id}" is not one of the line\'s machines', "cycles")
    rules = {}
    for asset_id in machines:
        raw = {**f["cycle"], **overrides.get(asset_id, {})}
        where = "cycles" if asset_id in overrides else "cycle"
        rule_ctx = ctx.sub(f'machine "{asset_id}"')
        rules[asset_id] = _rule(raw, rule_ctx, where, assets[asset_id])
    plan = {}
    for shift_id, parts in f.get("plan", {}).items():
        if shift_id not in shift_ids:
            ctx.fail(
                f'plan: shift "{shift_id}" is not defined{F.did_you_mean(shift_id, shift_ids)}',
                "plan",
            )
        try:
            plan[shift_id] = _parts(parts)
        except F.FieldError as exc:
            ctx.fail(f"plan: {shift_id} {exc}", "plan")
    return Line(
        id=f["id"],
        name=f.get("name", f["id"]),
        machines=machines,
        target_cycle_s=f["target_cycle_s"],
        output=output,
        rules=MappingProxyType(rules),
        causes=_causes(f.get("causes"), ctx),
        plan=MappingProxyType(plan),
    )


def _rule(raw: object, ctx: Ctx, key: str, asset: Asset) -> CycleRule:
    if not isinstance(raw, dict):
        ctx.fail(f"{key} must be a table, got {F.show(raw)}", key)
    for name in raw:
        if name not in _RULE:
            ctx.fail(f'{key}: unknown key "{name}"{F.did_you_mean(name, _RULE)}', key)
    out: dict[str, Any] = {}
    for name, (check, required) in _RULE.items():
        if name in raw:
            try:
                out[name] = check(raw[name])
            except F.FieldError as exc:
                ctx.fail(f"{key}: {name} {exc}", key)
        elif required:
            ctx.fail(f'{key}: missing required key "{name}"', key)
    keys = {s.key for s in asset.signals}
    for name in ("signal", "state", "power", "energy", "scrap"):
        if name in out and out[name] not in keys:
            hint = F.did_you_mean(out[name], keys)
            ctx.fail(f'{key}: {name}: the asset has no signal "{out[name]}"{hint}', key)
    if "power" in out and "energy" in out:
        ctx.fail(f"{key}: give power or energy, not both", key)
    return CycleRule(**out)


def _causes(raw: dict[str, object] | None, ctx: Ctx) -> Mapping[int, str]:
    if raw is None:
        return DEFAULT_CAUSES
    out = {}
    for code, name in raw.items():
        if not code.isdigit() or int(code) < 2:
            ctx.fail(
                f'causes: state code "{code}" must be a whole number >= 2 (0 idle, 1 running)',
                "causes",
            )
        try:
            out[int(code)] = F.name(name)
        except F.FieldError as exc:
            ctx.fail(f"causes: {code} {exc}", "causes")
    return MappingProxyType(out)
