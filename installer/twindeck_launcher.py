"""The frozen bundle's entry script: the ``twindeck`` program, as ``python -m app`` runs it."""

import sys

from app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
