"""Writing the history: the recorder, its writer thread, the chunk sink and retention."""
