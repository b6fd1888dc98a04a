"""Fault specs: the command-line form ``ASSET:KIND@SECONDS`` (e.g. ``M07:overload@30``),
and the fault-field checks the plant loader shares with it."""

from __future__ import annotations

import math

from twin.plant import fields
from twin.plant.fields import FieldError
from twin.plant.model import Fault, FaultKind, Plant

SPEC_FORM = "ASSET:KIND@SECONDS"
SPEC_EXAMPLE = "M07:overload@30"
FAULT_KINDS = tuple(k.value for k in FaultKind)


def fault_kind(value: object) -> FaultKind:
    """The FaultKind named by ``value``; FieldError lists the valid kinds otherwise."""
    return FaultKind(fields.one_of(value, FAULT_KINDS))


def parse_fault_spec(spec: str, plant: Plant | None = None) -> Fault:
    """Parse ``ASSET:KIND@SECONDS`` into a Fault.

    A trailing "s" on the time is accepted ("@30s"). With ``plant``, the asset must exist.
    Raises ValueError naming the malformed part; the message does not repeat the spec, so
    callers prefix it (``--fault M7:overload@30: no asset "M7" ...``).
    """
    text = spec.strip()
    form = f"expected {SPEC_FORM}, e.g. {SPEC_EXAMPLE}"
    if not text:
        raise ValueError(f"empty fault spec; {form}")
    asset_part, colon, rest = text.partition(":")
    if not colon:
        raise ValueError(f"missing ':' between asset and kind; {form}")
    kind_part, at_sign, time_part = rest.partition("@")
    if not at_sign:
        raise ValueError(f"missing '@' before the time in seconds; {form}")
    return Fault(
        asset_id=_asset(asset_part.strip(), plant),
        kind=_kind(kind_part.strip()),
        at_s=_seconds(time_part.strip()),
    )


def _asset(asset_id: str, plant: Plant | None) -> str:
    if not asset_id:
        raise ValueError("missing asset id before ':'")
    try:
        fields.ident(asset_id)
    except FieldError as exc:
        raise ValueError(f"asset id {exc}") from None
    if plant is not None and not plant.has_asset(asset_id):
        close = fields.suggest(asset_id, (a.id for a in plant.assets), n=3)
        hint = f"; close: {', '.join(close)}" if close else ""
        raise ValueError(f'no asset "{asset_id}" in plant "{plant.name}"{hint}')
    return asset_id


def _kind(kind: str) -> FaultKind:
    if not kind:
        raise ValueError("missing fault kind between ':' and '@'")
    try:
        return fault_kind(kind)
    except FieldError as exc:
        raise ValueError(f"fault kind {exc}") from None


def _seconds(time_text: str) -> float:
    if not time_text:
        raise ValueError("missing time in seconds after '@'")
    shown = fields.show(time_text)
    try:
        seconds = float(time_text.removesuffix("s").strip())
    except ValueError:
        raise ValueError(f"time {shown} is not a number of seconds") from None
    if not math.isfinite(seconds) or seconds < 0.0:
        raise ValueError(f"time must be a finite number >= 0, got {shown}")
    return seconds
