"""Live telemetry connectors: MQTT, OPC UA and Modbus TCP, each a `Source`.

Light on import: the plant loader uses ``config`` (no protocol library); the protocol
modules (``mqtt``, ``opcua``, ``modbus``) are imported by ``factory.build_sources`` only
for the protocols a plant uses. These modules are the only place in ``twin`` that may
import paho-mqtt, asyncua or pymodbus.
"""
