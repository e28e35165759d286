"""Plain Python values that remember where in the file each key and value was written.

The loader builds these; pydantic validates them as ordinary dicts and lists; `locate` reads the
positions back to turn a spec path into `line:col`.
"""

from __future__ import annotations

import math
import re
from typing import Any, cast

#: 1-based (line, column).
Position = tuple[int, int]


class YamlMap(dict[str, Any]):
    """A mapping with the position of itself, of each key and of each value."""

    __slots__ = ("key_positions", "position", "value_positions")

    def __init__(self, position: Position) -> None:
        super().__init__()
        self.position = position
        self.key_positions: dict[str, Position] = {}
        self.value_positions: dict[str, Position] = {}


class YamlSeq(list[Any]):
    """A sequence with the position of itself and of each item."""

    __slots__ = ("item_positions", "position")

    def __init__(self, position: Position) -> None:
        super().__init__()
        self.position = position
        self.item_positions: list[Position] = []


# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#103-core-schema): `yes`, `on` and `0755`
# stay strings, which is what an editor's YAML language server assumes too.
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")


def resolve_plain(text: str) -> Any:
    """The value of an unquoted, untagged scalar."""
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    first = text[0]
    if not (first.isdigit() or first in "+-."):
        return text
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _INF.match(text):
        return -math.inf if text[0] == "-" else math.inf
    if _NAN.match(text):
        return math.nan
    return text


_CORE_TAG = "tag:yaml.org,2002:"


_TAG_TYPES: dict[str, tuple[type, ...]] = {
    "int": (int,),
    "float": (float, int),
    "bool": (bool,),
    "null": (type(None),),
}


def resolve_tagged(tag: str, text: str) -> tuple[bool, Any]:
    """The value of a scalar with an explicit `!!type` tag; (False, None) when the tag is not ours."""
    if tag == _CORE_TAG + "str":
        return True, text
    types = _TAG_TYPES.get(tag.removeprefix(_CORE_TAG)) if tag.startswith(_CORE_TAG) else None
    value: Any = resolve_plain(text)
    if types is None or not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        return False, None
    return True, float(cast(float, value)) if float in types else value
