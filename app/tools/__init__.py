"""Tools the window opens on demand (the OPC UA browser)."""
