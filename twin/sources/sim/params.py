"""Reading asset params (plant-file values) into per-asset numpy arrays with defaults."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from twin.plant.model import Asset


class Params:
    """The params of the assets of one kind, read column-wise."""

    def __init__(self, assets: Sequence[Asset]) -> None:
        self._assets = tuple(assets)

    def num(self, name: str, default: float | np.ndarray) -> np.ndarray:
        """Float param per asset, shape (n,); ``default`` is a scalar or a per-asset array."""
        out = np.broadcast_to(np.asarray(default, dtype=float), (len(self._assets),)).copy()
        for row, asset in enumerate(self._assets):
            value = asset.params.get(name)
            if value is None:
                continue
            try:
                out[row] = float(value)
            except ValueError:
                raise ValueError(
                    f"asset {asset.id!r}: param {name!r} must be a number, got {value!r}"
                ) from None
        return out

    def text(self, name: str, default: str, choices: Sequence[str]) -> list[str]:
        """String param per asset, checked against ``choices``."""
        out = []
        for asset in self._assets:
            value = str(asset.params.get(name, default))
            if value not in choices:
                raise ValueError(
                    f"asset {asset.id!r}: param {name!r} must be one of {list(choices)}, "
                    f"got {value!r}"
                )
            out.append(value)
        return out
