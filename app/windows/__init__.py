"""Windows beyond the main one: detached docks, second views, placement on screens."""
