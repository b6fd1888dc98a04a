"""TwinDeck core: plant model, signals, ring buffers, sources. numpy + stdlib only."""
