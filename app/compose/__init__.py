"""Composition: one function per mode (live, replay, package, self-test) builds a session
from named parts. Nothing below this package wires parts together."""
