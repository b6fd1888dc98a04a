"""Line performance views: the Line panel (each line's indicators and charts)."""
