"""The 3D plant view: equipment shapes, the VTK scene, and its Qt widget."""
