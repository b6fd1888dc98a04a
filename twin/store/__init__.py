"""Where samples live in memory: ring buffers per channel group, the signal store over
them, and the one read interface every view and consumer uses (``twin.store.series``)."""
