"""PyInstaller runtime hook: programs TwinDeck starts get the system's libraries.

On Linux the bootloader puts the bundle's ``_internal`` folder on LD_LIBRARY_PATH (and
the user's own value, if any, in LD_LIBRARY_PATH_ORIG). This process has already read
it, so it is only passed on: to ffmpeg (video export), xdg-open and whatever they start,
which would otherwise load the bundle's copies of libssl, libz or sqlite instead of the
system's and can fail on a newer distribution.
"""

import os
import sys

if sys.platform.startswith("linux") and getattr(sys, "frozen", False):
    original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if original is None:
        os.environ.pop("LD_LIBRARY_PATH", None)
    else:
        os.environ["LD_LIBRARY_PATH"] = original
