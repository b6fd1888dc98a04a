"""Frames: what every view draws at the cursor, built once per tick by one scheduler."""
