"""Exporting recorded data: the dialog that asks what to export, and the job that does it."""
