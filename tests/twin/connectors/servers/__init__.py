"""Real servers on 127.0.0.1 for the connector tests: Mosquitto (a subprocess with its own
config file), an asyncua OPC UA server and a pymodbus TCP server (each on a thread with its
own event loop), plus certificates made with ``cryptography``."""

from __future__ import annotations

import asyncio
import datetime as dt
import getpass
import ipaddress
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

LOOPBACK = "127.0.0.1"
REQUIRE_ENV = "TWINDECK_REQUIRE_SERVERS"


def skip_or_fail(reason: str) -> None:
    """Skip locally; fail where the servers are required (CI sets TWINDECK_REQUIRE_SERVERS=1)."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


def wait_until(predicate: Callable[[], object], timeout: float = 5.0, what: str = "") -> None:
    """Poll ``predicate`` until it is true; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}")
        time.sleep(0.01)


def port_open(port: int) -> bool:
    try:
        with socket.create_connection((LOOPBACK, port), timeout=0.2):
            return True
    except OSError:
        return False


# --- certificates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Pki:
    """A CA, a server certificate for 127.0.0.1/localhost and a client certificate (PEM)."""

    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path


def make_pki(folder: Path) -> Pki:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    def key() -> rsa.RSAPrivateKey:
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    now = dt.datetime.now(dt.UTC)
    ca_key = key()
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("twindeck test CA"))
        .issuer_name(name("twindeck test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )

    def leaf(cn: str) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
        k = key()
        san = x509.SubjectAlternativeName(
            [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(LOOPBACK))]
        )
        cert = (
            x509.CertificateBuilder()
            .subject_name(name(cn))
            .issuer_name(ca.subject)
            .public_key(k.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(san, critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        return cert, k

    folder.mkdir(parents=True, exist_ok=True)

    def write(path: Path, cert: x509.Certificate | None, k: rsa.RSAPrivateKey | None) -> Path:
        if cert is not None:
            path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        if k is not None:
            path.write_bytes(
                k.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.TraditionalOpenSSL,
                    serialization.NoEncryption(),
                )
            )
        return path

    server, server_key = leaf("localhost")
    client, client_key = leaf("twindeck-client")
    return Pki(
        ca=write(folder / "ca.pem", ca, None),
        server_cert=write(folder / "server.pem", server, None),
        server_key=write(folder / "server.key", None, server_key),
        client_cert=write(folder / "client.pem", client, None),
        client_key=write(folder / "client.key", None, client_key),
    )


def make_opcua_cert(folder: Path, name: str, uri: str) -> tuple[Path, Path]:
    """A self-signed OPC UA application certificate (DER) and key (PEM) with ``uri``."""
    from asyncua.crypto import cert_gen
    from cryptography import x509
    from cryptography.x509.oid import ExtendedKeyUsageOID

    key = cert_gen.generate_private_key()
    cert = cert_gen.generate_self_signed_app_certificate(
        key,
        uri,
        {},
        [x509.UniformResourceIdentifier(uri), x509.DNSName("localhost")],
        extended=[ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH],
        days=2,
    )
    from cryptography.hazmat.primitives.serialization import Encoding

    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / f"{name}.der", folder / f"{name}.pem"
    cert_path.write_bytes(cert.public_bytes(Encoding.DER))
    key_path.write_bytes(cert_gen.dump_private_key_as_pem(key))
    return cert_path, key_path


# --- Mosquitto --------------------------------------------------------------------------------


class Mosquitto:
    """A mosquitto broker on 127.0.0.1 with a config file of its own; restartable on the
    same port. ``users`` turns on password authentication; ``pki`` adds a TLS listener that
    requires a client certificate (``tls_port``)."""

    def __init__(
        self,
        folder: Path,
        *,
        users: Mapping[str, str] | None = None,
        pki: Pki | None = None,
        extra: str = "",
    ) -> None:
        binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        if not Path(binary).exists():
            skip_or_fail("the mosquitto broker is not installed (apt-get install mosquitto)")
        self.binary = binary
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.tls_port = free_port() if pki else None
        lines = [
            f"user {getpass.getuser()}",  # as root, mosquitto would switch to its own user
            f"listener {self.port} {LOOPBACK}",
            "persistence false",
            f"log_dest file {folder / 'mosquitto.log'}",
            "max_queued_messages 0",  # no limit: a slow subscriber must not lose QoS 1
            "max_inflight_messages 100",
        ]
        if users:
            pw = folder / "passwd"
            pw.touch()
            for user, password in users.items():
                subprocess.run(
                    ["mosquitto_passwd", "-b", str(pw), user, password], check=True, timeout=10
                )
            lines += ["allow_anonymous false", f"password_file {pw}"]
        else:
            lines.append("allow_anonymous true")
        if pki:
            lines += [
                f"listener {self.tls_port} {LOOPBACK}",
                f"cafile {pki.ca}",
                f"certfile {pki.server_cert}",
                f"keyfile {pki.server_key}",
                "require_certificate true",
            ]
        self.conf = folder / "mosquitto.conf"
        self.conf.write_text("\n".join(lines) + "\n" + extra)
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "-c", str(self.conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while not port_open(self.port):
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                raise RuntimeError(f"mosquitto exited: {err}")
            if time.monotonic() > deadline:
                raise RuntimeError("mosquitto did not open its port within 10 s")
            time.sleep(0.01)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.proc is not None and self.proc.stderr is not None:
            self.proc.stderr.close()
        self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()


# --- servers on an event loop thread -----------------------------------------------------------


class LoopThread:
    """An asyncio loop on a daemon thread, for servers that are asyncio-only."""

    def __init__(self, name: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name=name, daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, Any], timeout: float = 15.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        async def cancel_all() -> None:  # server tasks still waiting on timers
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        self.run(cancel_all())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


class UaServer:
    """An asyncua server with a few variables under ns=<idx>;s=M01.*, restartable on the
    same port. ``secure`` = (cert, key) turns on Basic256Sha256 only, ``users`` a user
    name/password check (anonymous refused)."""

    PATH = "/twindeck/"

    def __init__(
        self,
        loop: LoopThread,
        *,
        secure: tuple[Path, Path] | None = None,
        users: Mapping[str, str] | None = None,
    ) -> None:
        self.loop = loop
        self.port = free_port()
        self.secure, self.users = secure, users
        self.endpoint = f"opc.tcp://{LOOPBACK}:{self.port}{self.PATH}"
        self.server: Any = None
        self.vars: dict[str, Any] = {}
        self.objects: dict[str, Any] = {}
        self.ns = 2

    def node(self, name: str) -> str:
        return f"ns={self.ns};s={name}"

    def start(self) -> None:
        # asyncua's server builds its whole address space in Python: seconds on a busy
        # machine, more than the default wait.
        self.loop.run(self._start(), timeout=60.0)

    async def _start(self) -> None:
        from asyncua import Server, ua
        from asyncua.crypto.permission_rules import User, UserRole
        from asyncua.server.user_managers import UserManager

        users = self.users

        class Users(UserManager):
            def get_user(
                self,
                iserver: Any,
                username: Any = None,
                password: Any = None,
                certificate: Any = None,
            ) -> Any:
                if users is None or users.get(username) == password:
                    return User(role=UserRole.User)
                return None

        server = Server(user_manager=Users())
        await server.init()
        server.set_endpoint(self.endpoint)
        if self.secure:
            await server.load_certificate(str(self.secure[0]))
            await server.load_private_key(str(self.secure[1]))
            server.set_security_policy([ua.SecurityPolicyType.Basic256Sha256_SignAndEncrypt])
        if self.users is not None:
            server.set_identity_tokens([ua.UserNameIdentityToken])
        self.ns = await server.register_namespace("urn:twindeck:test")
        obj = await server.nodes.objects.add_object(self.ns, "M01")
        self.objects = {"M01": obj}
        initial = {"M01.Temp": 20.0, "M01.Current": 5.0, "M01.Running": True, "M01.Name": "m1"}
        for name, value in initial.items():
            node_id = ua.NodeId(name, self.ns)  # type: ignore[arg-type]
            var = await obj.add_variable(node_id, name.split(".")[1], value)
            self.vars[name] = var
        await server.start()
        self.server = server

    def add_variable(self, obj_name: str, name: str, value: float) -> str:
        """A Double variable ``name`` under a new or existing object ``obj_name`` (at the
        Objects folder), as ``ns=<idx>;s=<obj_name>.<name>``; returns that node id."""
        self.loop.run(self._add_variable(obj_name, name, value))
        return self.node(f"{obj_name}.{name}")

    async def _add_variable(self, obj_name: str, name: str, value: float) -> None:
        from asyncua import ua

        objects = self.server.nodes.objects
        obj = self.objects.get(obj_name)
        if obj is None:
            obj = self.objects[obj_name] = await objects.add_object(self.ns, obj_name)
        node_id = ua.NodeId(f"{obj_name}.{name}", self.ns)  # type: ignore[arg-type]
        self.vars[f"{obj_name}.{name}"] = await obj.add_variable(node_id, name, value)

    def write(
        self, name: str, value: float, source_ns: int | None = None, good: bool = True
    ) -> None:
        from asyncua import ua

        stamp: Any = None
        if source_ns is not None:
            stamp = dt.datetime.fromtimestamp(source_ns / 1e9, dt.UTC).replace(tzinfo=None)
        variant = ua.Variant(value, ua.VariantType.Double)
        code: Any = ua.StatusCodes.Good if good else ua.StatusCodes.BadSensorFailure
        now: Any = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        dv = ua.DataValue(
            variant,
            StatusCode=ua.StatusCode(code),
            SourceTimestamp=stamp,
            ServerTimestamp=now,
        )
        self.loop.run(self.vars[name].write_value(dv))

    def fail_monitoring(self, name: str, code: int) -> None:
        """From now on, a request to monitor a set of nodes that includes ``name`` fails
        with status ``code`` (as a server at its limits or with a broken node would)."""
        from asyncua.common import utils

        service = self.server.iserver.subscription_service
        create = service.create_monitored_items

        async def failing(params: Any) -> Any:
            if any(i.ItemToMonitor.NodeId.Identifier == name for i in params.ItemsToCreate):
                raise utils.ServiceError(code)
            return await create(params)

        service.create_monitored_items = failing

    def silence_subscriptions(self) -> None:
        """End the publishing of every current subscription (no data, no keep-alive) while
        the sessions and their connections stay up: a server whose subscription died."""

        async def silence() -> None:
            for sub in list(self.server.iserver.subscription_service.subscriptions.values()):
                await sub.stop()

        self.loop.run(silence())

    def stop(self) -> None:
        if self.server is not None:
            self.loop.run(self.server.stop())
            self.server = None


class _KnownUnitsOnly:
    """A pymodbus server context that raises NoSuchIdException for a unit id it does not
    hold, which is what makes the server leave the request unanswered (the simulator's own
    context raises KeyError instead)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def _check(self, device_id: int) -> None:
        from pymodbus.exceptions import NoSuchIdException

        if device_id not in self._inner.device_ids():
            raise NoSuchIdException(f"unit {device_id}")

    async def async_getValues(self, device_id: int, *args: Any) -> Any:
        self._check(device_id)
        return await self._inner.async_getValues(device_id, *args)

    async def async_setValues(self, device_id: int, *args: Any) -> Any:
        self._check(device_id)
        return await self._inner.async_setValues(device_id, *args)


class ModbusServer:
    """A pymodbus TCP server (unit 1) whose holding and input registers are given as
    {address: word}; restartable on the same port. Requests for other unit ids get an
    exception response, or none at all when ``silent_units`` (as from a gateway whose
    device is off)."""

    def __init__(
        self,
        loop: LoopThread,
        holding: Mapping[int, int],
        inputs: Mapping[int, int],
        silent_units: bool = False,
    ) -> None:
        self.loop = loop
        self.silent_units = silent_units
        self.port = free_port()
        self.holding, self.inputs = dict(holding), dict(inputs)
        self.server: Any = None
        self._task: Any = None

    def _device(self) -> Any:
        from pymodbus.simulator import DataType, SimData, SimDevice

        def block(regs: Mapping[int, int]) -> list[Any]:
            return [
                SimData(address=a, values=[w], datatype=DataType.REGISTERS)
                for a, w in sorted(regs.items())
            ]

        bits = [SimData(address=0, values=[False] * 16, datatype=DataType.BITS)]
        return SimDevice(id=1, simdata=(bits, list(bits), block(self.holding), block(self.inputs)))

    def start(self) -> None:
        async def start() -> None:
            from pymodbus.server import ModbusTcpServer

            self.server = ModbusTcpServer(
                self._device(),
                address=(LOOPBACK, self.port),
                ignore_missing_devices=self.silent_units,
            )
            if self.silent_units:
                self.server.context = _KnownUnitsOnly(self.server.context)
            self._task = asyncio.ensure_future(self.server.serve_forever())

        self.loop.run(start())
        wait_until(lambda: port_open(self.port), 5, "the modbus server")

    def stop(self) -> None:
        if self.server is not None:
            self.loop.run(self.server.shutdown())
            self.server = None
