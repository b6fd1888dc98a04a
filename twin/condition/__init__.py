"""Condition monitoring: the health of every asset, computed from its telemetry.

``snapshot`` holds what the rest of the program reads (``FleetHealth``, ``HealthSource``);
``monitor.HealthMonitor`` is the live source (an ingest sink). The detectors (``iso``,
``thermal``, ``trend``, ``spectra``), the evaluation (``windows``, ``evaluator``,
``severity``, ``text``) and the advisories live beside it; ARCHITECTURE.md has the map.
"""
