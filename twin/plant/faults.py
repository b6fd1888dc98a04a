"""Fault specs: the command-line form ``ASSET:KIND@START[+DEVELOP]`` (e.g.
``M07:overload@30``, ``M07:bearing_wear@600+2h``), and the fault-field checks the plant
loader shares with it."""

from __future__ import annotations

import re

from twin.plant import fields
from twin.plant.fields import FieldError
from twin.plant.model import INSTANT_FAULTS, Fault, FaultKind, Plant

SPEC_FORM = "ASSET:KIND@START[+DEVELOP]"
SPEC_EXAMPLE = "M07:overload@30 or M07:bearing_wear@10m+2h"
FAULT_KINDS = tuple(k.value for k in FaultKind)
# '+' separates START and DEVELOP, except as an exponent sign ("1e+2").
_PLUS = re.compile(r"(?<![eE])\+")


def fault_kind(value: object) -> FaultKind:
    """The FaultKind named by ``value``; FieldError lists the valid kinds otherwise."""
    return FaultKind(fields.one_of(value, FAULT_KINDS))


def check_develop(kind: FaultKind, develop_s: float | None) -> None:
    """FieldError (reading after "develop") if ``kind`` happens at once and takes no time."""
    if develop_s is not None and kind in INSTANT_FAULTS:
        raise FieldError(f"does not apply to {kind.value}, which happens at once")


def parse_fault_spec(spec: str, plant: Plant | None = None) -> Fault:
    """Parse ``ASSET:KIND@START[+DEVELOP]`` into a Fault.

    Times are seconds or carry a unit: ``600``, ``600s``, ``10m``, ``1.5h``. Without
    ``+DEVELOP`` the kind's default development applies (``Fault.develop_s`` None). With
    ``plant``, the asset must exist. Raises ValueError naming the malformed part; the message
    does not repeat the spec, so callers prefix it (``--fault M7:overload@30: no asset ...``).
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
        raise ValueError(f"missing '@' before the start time; {form}")
    asset_id = _asset(asset_part.strip(), plant)
    kind = _kind(kind_part.strip())
    start_text, *develop_texts = _PLUS.split(time_part, maxsplit=1)
    at_s = _time(start_text, "start time", "'@'")
    develop = _time(develop_texts[0], "development time", "'+'") if develop_texts else None
    try:
        check_develop(kind, develop)
    except FieldError as exc:
        raise ValueError(f"development time {exc}; drop '+DEVELOP'") from None
    return Fault(asset_id=asset_id, kind=kind, at_s=at_s, develop_s=develop)


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


def _time(text: str, what: str, after: str) -> float:
    if not text.strip():
        raise ValueError(f"missing {what} after {after}")
    try:
        return fields.duration_text(text)
    except FieldError as exc:
        raise ValueError(f"{what} {exc}") from None
