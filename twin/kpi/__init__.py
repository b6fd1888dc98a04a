"""Line performance: cycles detected from signals, and the indicators of machines and lines
(cycle time against target, output against plan, OEE and its losses, energy per part,
the bottleneck), live from the ingest path or in replay through a series reader."""
