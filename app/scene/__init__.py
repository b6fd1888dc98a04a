"""The 3D plant view: equipment shapes, the VTK scene, and its Qt widget.

- ``parts``, ``primitives``, ``equipment*``: equipment built in code from named parts
  (``equipment.build_parts``), and ``user_models`` for glTF/OBJ/STL files named in a plant.
- ``kinematics``, ``instances``, ``lod``: assets drawn as glyph instances, one mapper per
  part of each shared shape; signals move parts (robot joint chains, rams, cars, shafts,
  belts); small-on-screen assets switch to low-poly shapes.
- ``overlays``, ``floor``, ``camera``: selection outline and value label, no-data marks,
  heat colouring with a colour bar; the floor grid and area names; saved and preset views.
- ``vtk_plant_scene.VtkPlantScene`` (no Qt) and ``qt_scene_view.QtSceneView`` (the widget).
"""
