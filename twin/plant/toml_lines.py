"""Best-effort line numbers for places in a TOML document.

tomllib returns plain dicts with no positions, so error messages about a value's meaning
(an unknown area, limits out of order) would otherwise name no line. This module scans the
text for table headers, ``key =`` lines and the inline tables of arrays such as
``signals = [ {...}, {...} ]``, and maps them to the same paths the parsed data has, e.g.
``("assets", 6, "signals", 1)`` for the second ``[[assets.signals]]`` of the seventh
``[[assets]]``. It is not a TOML parser: on text it does not understand it finds a nearby
line or none, never raises.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

TomlPath = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]#]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*([=.])""")
_PART = re.compile(r""""[^"]*"|'[^']*'|[^.\s]+""")
_STRING = re.compile(r""""(?:[^"\\]|\\.)*"|'[^']*'""")
# Inside an array value: brackets, braces and the keys of inline tables.
_ARRAY_TOKEN = re.compile(r"[\[\]{}]|([A-Za-z0-9_-]+)\s*=")


@dataclass
class _Block:
    start: int  # line of the header (1 for the root block)
    keys: dict[str, int] = field(default_factory=dict)  # first line of each key


@dataclass
class _Array:
    """An array value being scanned, possibly over several lines."""

    path: TomlPath
    depth: int = 0
    count: int = 0  # inline tables seen directly in the array
    element: _Block | None = None


class LineIndex:
    """Line numbers of table headers and keys in one TOML text."""

    def __init__(self, text: str) -> None:
        self._blocks: dict[TomlPath, _Block] = {(): _Block(1)}
        self._counts: dict[TomlPath, int] = {}  # arrays of tables seen so far, by path
        self._array: _Array | None = None
        path: TomlPath = ()
        in_string = False
        for lineno, line in enumerate(text.splitlines(), start=1):
            # The inside of a multi-line string holds no keys or headers.
            toggles = (line.count('"""') + line.count("'''")) % 2 == 1
            if in_string:
                in_string = not toggles
                continue
            in_string = toggles
            code = _STRING.sub('""', line).split("#", 1)[0]
            if self._array is not None:
                self._scan_array(code, lineno)
            elif header := _HEADER.match(line):
                path = self._resolve(header.group(2), is_array=header.group(1) == "[[")
                self._blocks.setdefault(path, _Block(lineno))
            elif key := _KEY.match(line):
                name = _unquote(key.group(1))
                self._blocks[path].keys.setdefault(name, lineno)
                value = code[code.find("=") + 1 :].lstrip()
                if key.group(2) == "=" and value.startswith("["):
                    self._array = _Array((*path, name))
                    self._scan_array(value, lineno)

    def _scan_array(self, code: str, lineno: int) -> None:
        array = self._array
        if array is None:
            return
        for token in _ARRAY_TOKEN.finditer(code):
            text = token.group(0)
            if text in "[{":
                if text == "{" and array.depth == 1:
                    array.element = _Block(lineno)
                    self._blocks.setdefault((*array.path, array.count), array.element)
                    array.count += 1
                array.depth += 1
            elif text in "]}":
                array.depth -= 1
                if array.depth == 0:
                    self._array = None
                    return
            elif array.element is not None and array.depth == 2:
                array.element.keys.setdefault(token.group(1), lineno)

    def _resolve(self, dotted: str, *, is_array: bool) -> TomlPath:
        # Same rule as TOML: a header below an array of tables refers to its last element.
        parts = [_unquote(p) for p in _PART.findall(dotted)]
        path: TomlPath = ()
        for part in parts[:-1]:
            path += (part,)
            if path in self._counts:
                path += (self._counts[path] - 1,)
        path += (parts[-1],) if parts else ("",)
        if is_array:
            index = self._counts.get(path, 0)
            self._counts[path] = index + 1
            path += (index,)
        return path

    def find(self, paths: Sequence[TomlPath], key: str | None = None) -> int | None:
        """The line of ``key`` in the first of ``paths`` that has it, else of the nearest
        enclosing table or key of the first path; None if nothing matches."""
        if key is not None:
            for path in paths:
                if (block := self._blocks.get(path)) and key in block.keys:
                    return block.keys[key]
                # A sub-table ([templates.x.params]) or array of tables ([[area]]).
                sub = self._blocks.get((*path, key)) or self._blocks.get((*path, key, 0))
                if sub:
                    return sub.start
        return self._enclosing(paths[0]) if paths else None

    def _enclosing(self, path: TomlPath) -> int | None:
        while path:
            if block := self._blocks.get(path):
                return block.start
            parent = self._blocks.get(path[:-1])
            if parent and isinstance(path[-1], str) and path[-1] in parent.keys:
                return parent.keys[path[-1]]
            path = path[:-1]
        return None


def _unquote(part: str) -> str:
    part = part.strip()
    if len(part) >= 2 and part[0] == part[-1] and part[0] in "\"'":
        return part[1:-1]
    return part
