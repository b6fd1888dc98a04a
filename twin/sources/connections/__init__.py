"""Live telemetry connectors: MQTT, OPC UA and Modbus TCP, each a `Source`.

Light on import: the plant loader uses ``config`` (no protocol library). Each protocol has
an entry in ``registry`` (``*_protocol``: options, binding keys and parser, source
factory); importing this package registers the built-in ones. The connector modules
(``mqtt``, ``opcua``, ``modbus``) are imported by their entry's factory only for the
protocols a plant uses. They are the only place in ``twin`` that may import paho-mqtt,
asyncua or pymodbus.
"""

# isort: off
# Registration order is the order plant-file messages list the protocols in.
from twin.sources.connections import mqtt_protocol, opcua_protocol, modbus_protocol  # noqa: F401
# isort: on
