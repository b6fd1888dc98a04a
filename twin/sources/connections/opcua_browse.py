"""Browsing an OPC UA server: the variables under a node, for the browse dialog.

``browse`` runs its own event loop: call it from a worker thread, not the GUI thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from asyncua import Client, ua

from twin.plant.model import Connection
from twin.sources.connections.config import ConfigError, resolve_password
from twin.sources.connections.opcua_security import configure_security
from twin.sources.connections.opcua_text import error_text

SERVER_OBJECT = "i=2253"  # the server's own diagnostics: large and rarely wanted


@dataclass(frozen=True, slots=True)
class BrowseEntry:
    """One variable found by `browse`."""

    node_id: str
    display_name: str
    data_type: str
    path: str  # display names from the start node, "/"-separated


def browse(
    endpoint: str,
    root: str = "i=85",
    *,
    max_depth: int = 5,
    max_nodes: int = 5000,
    connection: Connection | None = None,
    env: Mapping[str, str] | None = None,
    timeout_s: float = 5.0,
) -> list[BrowseEntry]:
    """The variables under ``root`` (default: the Objects folder), depth first, at most
    ``max_nodes``. With ``connection``, its user, password and security settings are used.
    Blocking: run it off the GUI thread. Raises ConnectionError with a readable message."""
    return asyncio.run(_browse(endpoint, root, max_depth, max_nodes, connection, env, timeout_s))


async def _browse(
    endpoint: str,
    root: str,
    max_depth: int,
    max_nodes: int,
    conn: Connection | None,
    env: Mapping[str, str] | None,
    timeout_s: float,
) -> list[BrowseEntry]:
    client = Client(endpoint, timeout=timeout_s)
    try:
        if conn is not None:
            if conn.username is not None:
                client.set_user(conn.username)
                password = resolve_password(conn, env)
                if password is not None:
                    client.set_password(password)
            if conn.options.get("security_policy", "None") == "Basic256Sha256":
                await configure_security(client, conn)
        await asyncio.wait_for(client.connect(), timeout_s)
    except ConfigError as exc:
        raise ConnectionError(f"{endpoint}: cannot browse: {exc}") from exc
    except (OSError, TimeoutError, ua.UaError, ConnectionError) as exc:
        raise ConnectionError(f"{endpoint}: cannot browse: {error_text(exc)}") from exc
    out: list[BrowseEntry] = []
    type_names: dict[ua.NodeId, str] = {}
    try:
        stack: list[tuple[Any, str, int]] = [(client.get_node(root), "", 0)]
        seen: set[ua.NodeId] = set()
        while stack and len(out) < max_nodes:
            node, path, depth = stack.pop()
            refs = await node.get_children_descriptions()
            for ref in reversed(refs):
                nid = ref.NodeId
                if nid in seen or nid.to_string() == SERVER_OBJECT:
                    continue
                seen.add(nid)
                child = client.get_node(nid)
                name = ref.DisplayName.Text or ref.BrowseName.Name
                child_path = f"{path}/{name}"
                if ref.NodeClass == ua.NodeClass.Variable:
                    out.append(
                        BrowseEntry(
                            nid.to_string(),
                            name,
                            await _type_name(client, child, type_names),
                            child_path,
                        )
                    )
                if depth + 1 < max_depth:
                    stack.append((child, child_path, depth + 1))
    finally:
        await client.disconnect()
    return out[:max_nodes]


async def _type_name(client: Client, node: Any, cache: dict[ua.NodeId, str]) -> str:
    try:
        dtype = await node.read_data_type()
    except ua.UaError:
        return ""
    if dtype not in cache:
        try:
            cache[dtype] = (await client.get_node(dtype).read_display_name()).Text or ""
        except ua.UaError:
            cache[dtype] = dtype.to_string()
    return cache[dtype]
