"""Modbus TCP connector (pymodbus 3.x, synchronous ``ModbusTcpClient``): register polling.

All signals of one connection are polled together, so they form one channel group per
value type ("modbus/<connection>" for float32, "modbus/<connection>/<dtype>" for float64
and int64; rate = 1 / poll interval) and each poll is one batch of one sample per signal
and group. Registers that are near each other (gaps up to ``max_gap``) on the same
unit and table are read in one request of at most ``max_registers`` (125, the protocol's
limit); a device that refuses a merged read (illegal data address, because it does not
map the registers in the gap) gets that block split into one read per signal.

Values: int16 / uint16 (one register), int32 / uint32 / float32 (two registers), int64 /
float64 (four registers); ``word_order`` "big" = high word first, "little" = low word
first; bytes within a register are big-endian, as the protocol defines. Then ``value *
scale + offset``, except for an int64 signal, which keeps the register's exact integer
(the plant file refuses a scale on one). A value that is not finite (a float NaN /
infinity word, or one scaled out of range) is bad data unless the binding's
``allow_non_finite``. Each block's reply is handled under the connection's
`MessageGuard`: an exception response, a short reply, a non-finite value or any failure
while decoding is counted against the block ("unit 1 holding 100-112") with its reason and
gives NaN for the signals it concerns in that poll; the link stays up. A lost link
(no TCP, a dead socket) is not bad data: it ends every signal with one NaN,
and the source reconnects with backoff (a few seconds at most by default; the
wait ends as soon as the device accepts TCP connections again).

A unit that does not answer at all (a gateway whose device is off) is not a lost link:
its signals are NaN, the health's problem says "unit N does not respond", its reads are
left out of the polls (which would otherwise stall for ``timeout_s`` each) and tried
again every ``unit_retry_s``; the other units stay polled. Only when no unit answers is
the link taken for lost.
"""

from __future__ import annotations

import logging
import math
import struct
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from pymodbus.client import ModbusTcpClient
from pymodbus.exceptions import ModbusException, ModbusIOException

from twin.batch import Batch, ChannelGroup
from twin.plant.model import Connection, Signal
from twin.sources.connections.backoff import Backoff, tcp_listening, wait_or_probe
from twin.sources.connections.config import MODBUS_MAX_READ, ModbusBinding
from twin.sources.connections.feed import ConnectorSource
from twin.sources.connections.guard import MessageGuard
from twin.sources.connections.health import ConnState
from twin.sources.connections.payload import PayloadError
from twin.values import DTYPES, from_python

log = logging.getLogger(__name__)

_STRUCT = {
    "int16": ">h",
    "uint16": ">H",
    "int32": ">i",
    "uint32": ">I",
    "float32": ">f",
    "int64": ">q",
    "float64": ">d",
}
_ILLEGAL_ADDRESS = 2  # Modbus exception code
MIN_POLL_S = 0.01
UNIT_RETRY_S = 5.0


def decode(registers: Sequence[int], type_: str, word_order: str = "big") -> int | float:
    """The value held in ``registers`` (one to four 16-bit words): an int for the integer
    types (exact), a float for the float types."""
    words = list(registers)
    if word_order == "little":
        words.reverse()
    raw = b"".join(int(w).to_bytes(2, "big") for w in words)
    value = struct.unpack(_STRUCT[type_], raw)[0]
    return value if type_.startswith(("int", "uint")) else float(value)


def _value(registers: Sequence[int], b: ModbusBinding, exact: bool = False) -> float | int:
    """A binding's value from its registers, scaled (an int64 signal's ``exact`` integer
    as it is: the plant file refuses a scale on one); PayloadError if it is not finite and
    the binding does not allow that."""
    raw = decode(registers, b.type, b.word_order)
    if exact and isinstance(raw, int):
        return raw
    value = raw * b.scale + b.offset
    if not (b.allow_non_finite or math.isfinite(value)):
        raise PayloadError(
            "non_finite", f"register {b.register} holds {value!r} (allow_non_finite is off)"
        )
    return value


@dataclass(frozen=True, slots=True)
class ReadBlock:
    """One read request: ``count`` registers from ``start`` of one unit's table, and where
    each member signal's value sits in it."""

    unit_id: int
    kind: str  # "holding" | "input"
    start: int
    count: int
    members: tuple[tuple[int, int, ModbusBinding], ...]  # (signal index, offset, binding)

    @property
    def label(self) -> str:
        return f"unit {self.unit_id} {self.kind} {self.start}-{self.start + self.count - 1}"


def plan_reads(
    bindings: Sequence[ModbusBinding], max_gap: int = 8, max_registers: int = MODBUS_MAX_READ
) -> list[ReadBlock]:
    """Cover every binding with as few reads as possible: registers of one unit and table
    merge while the gap between them is at most ``max_gap`` and a read stays within
    ``max_registers``."""
    return _plan(list(enumerate(bindings)), max_gap, max_registers)


def _plan(
    indexed: list[tuple[int, ModbusBinding]], max_gap: int, max_registers: int
) -> list[ReadBlock]:
    by_table: dict[tuple[int, str], list[tuple[int, ModbusBinding]]] = {}
    for index, b in indexed:
        by_table.setdefault((b.unit_id, b.kind), []).append((index, b))
    blocks: list[ReadBlock] = []
    for (unit, kind), items in sorted(by_table.items()):
        items.sort(key=lambda item: item[1].register)
        current: list[tuple[int, ModbusBinding]] = []
        start = end = 0  # [start, end) of the current block
        for index, b in items:
            stop = b.register + b.words
            if current and b.register <= end + max_gap and max(end, stop) - start <= max_registers:
                end = max(end, stop)
            else:
                if current:
                    blocks.append(_block(unit, kind, start, end, current))
                current, start, end = [], b.register, stop
            current.append((index, b))
        if current:
            blocks.append(_block(unit, kind, start, end, current))
    return blocks


def _block(
    unit: int, kind: str, start: int, end: int, items: list[tuple[int, ModbusBinding]]
) -> ReadBlock:
    members = tuple((index, b.register - start, b) for index, b in items)
    return ReadBlock(unit, kind, start, end - start, members)


def _groups_by_dtype(
    connection_id: str, signals: Sequence[Signal], rate_hz: float
) -> tuple[list[ChannelGroup], list[np.ndarray]]:
    """One group per value type present (float32 first, under the connection's plain
    key) and the signal indices of each group's channels."""
    groups, members = [], []
    for dtype in DTYPES:
        idx = [i for i, s in enumerate(signals) if s.dtype == dtype]
        if idx:
            key = f"modbus/{connection_id}" + ("" if dtype == "float32" else f"/{dtype}")
            ids = tuple(signals[i].id for i in idx)
            groups.append(ChannelGroup(key, ids, rate_hz, dtype))
            members.append(np.array(idx, np.intp))
    return groups, members


class ModbusSource(ConnectorSource):
    """Signals of one Modbus TCP device (or gateway). ``bindings[i]`` binds ``signals[i]``."""

    protocol = "modbus"
    _pushes = False

    def __init__(
        self,
        connection: Connection,
        signals: Sequence[Signal],
        bindings: Sequence[ModbusBinding],
        clock: Callable[[], int] = time.time_ns,
    ) -> None:
        opts = connection.options
        fastest = max((s.rate_hz for s in signals), default=1.0)
        default_ms = max(MIN_POLL_S, 1.0 / fastest) * 1000
        self.poll_s = float(opts.get("poll_interval_ms", default_ms)) / 1000  # type: ignore[arg-type]
        groups, self._members = _groups_by_dtype(connection.id, signals, 1.0 / self.poll_s)
        endpoint = f"modbus://{connection.host}:{connection.port}"
        super().__init__(connection, signals, endpoint, groups=groups, clock=clock)
        self.bindings = tuple(bindings)
        self.blocks = plan_reads(
            self.bindings,
            int(opts.get("max_gap", 8)),  # type: ignore[call-overload]
            int(opts.get("max_registers", MODBUS_MAX_READ)),  # type: ignore[call-overload]
        )
        self._last_t = 0
        self._live = False  # the last batch had a value that no NaN has ended yet
        self.units = frozenset(b.unit_id for b in self.bindings)
        self.unit_retry_s = float(opts.get("unit_retry_s", UNIT_RETRY_S))  # type: ignore[arg-type]
        self._silent: dict[int, float] = {}  # unit id -> monotonic time of its next try
        self._guard = MessageGuard(self.health)

    def _run(self) -> None:
        opts = self.connection.options
        backoff = Backoff.for_options(opts)
        timeout = float(opts.get("timeout_s", 2.0))  # type: ignore[arg-type]
        host, port = self.connection.host, self.connection.port
        while not self._stop.is_set():
            client = ModbusTcpClient(
                self.connection.host, port=self.connection.port, timeout=timeout, retries=0
            )
            try:
                if client.connect():
                    self._silent.clear()  # a new link: every unit gets a fresh try
                    self.health.set_state(ConnState.CONNECTED)
                    backoff.reset()
                    error = self._poll_until_lost(client)
                else:
                    error = "cannot connect (is the device on and the port right?)"
            finally:
                client.close()
            self._end_gap()
            if self._stop.is_set():
                break
            delay = backoff.next()
            self.health.set_state(ConnState.RECONNECTING, f"{self.endpoint}: {error}")
            log.info("%s: %s; retrying in %.1f s", self.name, error, delay)
            wait_or_probe(self._stop, delay, lambda: tcp_listening(host, port))

    def _poll_until_lost(self, client: ModbusTcpClient) -> str:
        """Poll at a fixed rate until the link fails (returns why) or stop()."""
        next_at = time.monotonic()
        while not self._stop.is_set():
            t_ns = max(self._clock(), self._last_t + 1)
            # Python numbers: an int64 register's value stays an exact int until its batch.
            values = np.full(len(self.signals), np.nan, dtype=object)
            try:
                self._read_units(client, values)
            except (ModbusException, OSError) as exc:
                return f"read failed: {exc}"
            if self.units and self._silent.keys() >= self.units:
                return f"no unit responds: {self._silent_text()}"
            self._emit_values(t_ns, values)
            self._last_t = t_ns
            self._live = any(not (isinstance(x, float) and math.isnan(x)) for x in values)
            self.health.count_messages(data=self._live)
            next_at += self.poll_s
            now = time.monotonic()
            if next_at < now:  # fell behind (slow device): skip the missed polls
                next_at = now
            self._stop.wait(next_at - now)
        return "stopped"

    def _read_units(self, client: ModbusTcpClient, out: np.ndarray) -> None:
        """One poll of every block whose unit answers (or is due for another try); a unit
        that leaves a read unanswered while the link stays up is marked silent."""
        for block in list(self.blocks):
            unit = block.unit_id
            if unit in self._silent and time.monotonic() < self._silent[unit]:
                continue
            try:
                self._read(client, block, out)
            except ModbusIOException:
                if not client.connected:
                    raise
                self._unit_silent(unit)
            except (ModbusException, OSError):
                raise  # the link: reconnect
            except Exception as exc:  # a reply we could not handle is the block's bad data
                self._guard.failed(block.label, exc)
                self._unit_answered(unit)
            else:
                self._unit_answered(unit)

    def _unit_silent(self, unit: int) -> None:
        first = unit not in self._silent
        self._silent[unit] = time.monotonic() + self.unit_retry_s
        if first:
            self.health.set_problem(self._silent_text())
            self.health.log_once(f"unit {unit}", f"unit {unit} does not respond")

    def _unit_answered(self, unit: int) -> None:
        if self._silent.pop(unit, None) is not None:
            log.info("%s: unit %d responds again", self.name, unit)
            self.health.set_problem(self._silent_text() if self._silent else None)

    def _silent_text(self) -> str:
        units = sorted(self._silent)
        if len(units) == 1:
            return f"unit {units[0]} does not respond"
        return f"units {', '.join(map(str, units))} do not respond"

    def _read(self, client: ModbusTcpClient, block: ReadBlock, out: np.ndarray) -> None:
        read = (
            client.read_holding_registers
            if block.kind == "holding"
            else client.read_input_registers
        )
        rr = read(block.start, count=block.count, device_id=block.unit_id)
        if rr.isError():
            code = getattr(rr, "exception_code", None)
            if code == _ILLEGAL_ADDRESS and len(block.members) > 1:
                self._split(block)  # the gap may hold registers the device does not map
            self.health.bad_payload(block.label, "exception_response", f"device answered {rr}")
            return
        regs = rr.registers
        if len(regs) < block.count:
            self.health.bad_payload(block.label, "short_response", f"{len(regs)} registers")
            return
        for index, offset, b in block.members:
            exact = self.signals[index].dtype == "int64"
            value = self._guard.run(block.label, _value, regs[offset : offset + b.words], b, exact)
            out[index] = np.nan if value is None else value

    def _split(self, block: ReadBlock) -> None:
        """Replace a refused read by reads of its contiguous runs, or, if it was one run
        already, by one read per signal."""
        members = [(i, b) for i, _, b in block.members]
        parts = _plan(members, 0, MODBUS_MAX_READ)
        if len(parts) == 1:
            parts = [
                _block(block.unit_id, block.kind, b.register, b.register + b.words, [(i, b)])
                for i, b in members
            ]
        log.info(
            "%s: %s refused as one read; reading it as %d reads", self.name, block.label, len(parts)
        )
        at = self.blocks.index(block)
        self.blocks[at : at + 1] = parts

    def _end_gap(self) -> None:
        """The link is down: one NaN per signal, so that plots and history show the gap."""
        if not self._live or not self.signals:
            return
        t_ns = max(self._clock(), self._last_t + 1)
        self._emit_values(t_ns, np.full(len(self.signals), np.nan, dtype=object))
        self._last_t, self._live = t_ns, False

    def _emit_values(self, t_ns: int, values: np.ndarray) -> None:
        """One batch per value-type group of one poll's values (Python numbers, NaN)."""
        t = np.array([t_ns], np.int64)
        for group, members in zip(self._groups, self._members, strict=True):
            v = from_python(values[members].tolist(), group.dtype)
            self._emit(Batch(group.key, t, v[:, None]))

    def _set_down(self, down: bool) -> None:
        if down:
            self._end_gap()
