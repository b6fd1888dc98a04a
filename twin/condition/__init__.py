"""Condition monitoring: the health of every asset, computed from its telemetry.

``snapshot`` holds what the rest of the program reads (``FleetHealth``, ``HealthSource``);
the detectors, the health index and the advisories live beside it.
"""
