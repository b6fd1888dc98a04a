"""The window and its views: each draws the frames the scheduler hands it."""
