"""Reading the history: raw and overview reads, replay feeders and loaders, exports."""
