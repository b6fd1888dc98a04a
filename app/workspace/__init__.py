"""The saved workspace (restored per plant at start) and named layouts (View > Layouts)."""
