"""The OPC UA secure channel: Basic256Sha256 with the connection's certificate and key."""

from __future__ import annotations

from asyncua import Client, ua
from asyncua.crypto import uacrypto
from asyncua.crypto.security_policies import SecurityPolicyBasic256Sha256
from cryptography import x509

from twin.plant.model import Connection
from twin.sources.connections.config import ConfigError


async def configure_security(client: Client, conn: Connection) -> None:
    """Basic256Sha256 with the connection's client certificate and key; the client's
    application URI is taken from the certificate (servers check that they match)."""
    if conn.cert is None or conn.key is None:
        raise ConfigError("security_policy Basic256Sha256 needs cert and key")
    opts = conn.options
    mode = (
        ua.MessageSecurityMode.Sign
        if opts.get("security_mode") == "Sign"
        else ua.MessageSecurityMode.SignAndEncrypt
    )
    try:
        cert = await uacrypto.load_certificate(conn.cert)
    except FileNotFoundError:
        raise ConfigError(f"no such certificate file: {conn.cert}") from None
    uri = opts.get("application_uri") or _cert_uri(cert)
    if uri:
        client.application_uri = str(uri)
    server_cert = opts.get("server_cert")
    try:
        await client.set_security(
            SecurityPolicyBasic256Sha256,
            certificate=conn.cert,
            private_key=conn.key,
            server_certificate=None if server_cert is None else str(server_cert),
            mode=mode,
        )
    except ua.UaStatusCodeError as exc:
        if server_cert is not None:
            raise
        # Without server_cert, the server's certificate is read from its endpoints over an
        # unsecured channel, which a server with secured endpoints only refuses.
        raise ConfigError(
            f"the server refused an unsecured channel to tell its certificate "
            f"({type(exc).__name__}): set server_cert to the server's certificate file",
            "server_cert",
        ) from exc


def _cert_uri(cert: x509.Certificate) -> str | None:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return None
    uris = san.value.get_values_for_type(x509.UniformResourceIdentifier)
    return uris[0] if uris else None
