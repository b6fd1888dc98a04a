"""Ingest: sources' batches into the signal store and on to every sink, on one thread."""
