"""Structural comparison of two artifacts: mappings by key, lists of objects by their identity,
text by line, and data held in strings (JSON objects and arrays in connection extras, variables and SSM
values; the official chart's `extraEnv`) by what it holds.

Every input is untrusted, so the walk is bounded: a string is read as data only when it nests at most
MAX_DEPTH levels (JSON) or passes the spec loader's limits (YAML); below MAX_NESTING levels of path, a
difference is reported whole.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any, Literal

from airflowspec.loader import MAX_DEPTH, load_value
from airflowspec.printable import printable

Kind = Literal["add", "change", "remove"]
#: A mapping key, a list index, or a list item named by (identity key, value); ("", value) for a
#: plain value in a list of plain values.
Part = str | int | tuple[str, str]
Path = tuple[Part, ...]

#: Keys that name a list item, in the order they are tried.
IDENTITY_KEYS = ("id", "key", "name", "Name", "envName")
#: In a masked change's path, an item of a plain-value list (whose path would name the value itself).
HIDDEN_ITEM: tuple[str, str] = ("", "(sensitive value)")
#: How deep comparison (and redaction) walk a path: an input's depth plus that of data held in it.
MAX_NESTING = 2 * MAX_DEPTH


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class _Opaque:
    def __repr__(self) -> str:
        return "OPAQUE"


#: What `held` gives for a string that looks like data it will not read (nested deeper than MAX_DEPTH,
#: or YAML whose aliases expand too far): compared as text, never shown.
OPAQUE: Any = _Opaque()


@dataclasses.dataclass(frozen=True)
class Difference:
    path: Path
    kind: Kind
    old: Any
    new: Any


def compare(old: Any, new: Any, path: Path = ()) -> Iterator[Difference]:
    """Every difference between `old` and `new`, outermost first, in a stable order."""
    if old == new:
        return
    if len(path) >= MAX_NESTING:
        yield Difference(path, "change", old, new)
    elif isinstance(old, dict) and isinstance(new, dict):
        yield from _compare_mappings(old, new, path)
    elif isinstance(old, list) and isinstance(new, list):
        yield from _compare_lists(old, new, path)
    elif (data := _held_pair(old, new)) is not None:
        yield from _compare_held(*data, path)
    else:
        yield Difference(path, "change", old, new)


def compare_lines(old: str, new: str) -> Iterator[Difference]:
    """Text compared as a set of lines (requirements.txt): what was removed, then what was added.
    Comment lines (pip skips them) and blank lines are no change."""
    old_lines, new_lines = _meaningful_lines(old), _meaningful_lines(new)
    added, removed = set(new_lines) - set(old_lines), set(old_lines) - set(new_lines)
    for line in old_lines:
        if line in removed:
            yield Difference((), "remove", line, MISSING)
    for line in new_lines:
        if line in added:
            yield Difference((), "add", MISSING, line)


def _meaningful_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _compare_mappings(old: dict[str, Any], new: dict[str, Any], path: Path) -> Iterator[Difference]:
    for key in [*old, *(key for key in new if key not in old)]:
        if key not in new:
            yield Difference((*path, key), "remove", old[key], MISSING)
        elif key not in old:
            yield Difference((*path, key), "add", MISSING, new[key])
        else:
            yield from compare(old[key], new[key], (*path, key))


def _compare_lists(old: list[Any], new: list[Any], path: Path) -> Iterator[Difference]:
    identity = _identity_key(old + new)
    if identity is None:
        if all(_plain(item) for item in old + new):
            yield from _compare_scalar_lists(old, new, path)
            return
        for index in range(max(len(old), len(new))):
            before = old[index] if index < len(old) else MISSING
            after = new[index] if index < len(new) else MISSING
            yield from _item(before, after, (*path, index))
        return
    olds = {str(item[identity]): item for item in old}
    news = {str(item[identity]): item for item in new}
    for name in [*olds, *(name for name in news if name not in olds)]:
        yield from _item(olds.get(name, MISSING), news.get(name, MISSING), (*path, (identity, name)))


def _compare_scalar_lists(old: list[Any], new: list[Any], path: Path) -> Iterator[Difference]:
    """Lists of plain values (packages, subnets, security groups) as multisets: their order means
    nothing to the platforms, a repeated item does."""
    removed = Counter(map(repr, old)) - Counter(map(repr, new))
    added = Counter(map(repr, new)) - Counter(map(repr, old))
    for item in old:
        if removed[repr(item)]:
            removed[repr(item)] -= 1
            yield Difference((*path, ("", str(item))), "remove", item, MISSING)
    for item in new:
        if added[repr(item)]:
            added[repr(item)] -= 1
            yield Difference((*path, ("", str(item))), "add", MISSING, item)


def _plain(item: Any) -> bool:
    """A value that names itself in a path: not a collection, and no string that holds data (whose
    secrets would show in the path)."""
    return not isinstance(item, (dict, list)) and not (isinstance(item, str) and _readable(held(item)))


def _item(before: Any, after: Any, path: Path) -> Iterator[Difference]:
    if before is MISSING:
        yield Difference(path, "add", MISSING, after)
    elif after is MISSING:
        yield Difference(path, "remove", before, MISSING)
    else:
        yield from compare(before, after, path)


def _identity_key(items: list[Any]) -> str | None:
    if not items or not all(isinstance(item, dict) for item in items):
        return None
    for key in IDENTITY_KEYS:
        values = [item.get(key) for item in items]
        if all(isinstance(value, (str, int)) for value in values):
            return key
    return None


def _held_pair(old: Any, new: Any) -> tuple[Any, Any] | None:
    """What two strings hold, when both hold data."""
    if not (isinstance(old, str) and isinstance(new, str)):
        return None
    held_old = held(old)
    held_new = held(new) if _readable(held_old) else None
    return (held_old, held_new) if _readable(held_new) else None


def _compare_held(old: Any, new: Any, path: Path) -> Iterator[Difference]:
    """Lists compare as multisets, but the order of a list held in a string may mean something to
    whoever reads it: a change that the walk does not name is reported whole."""
    found = list(compare(old, new, path))
    yield from found if found or old == new else [Difference(path, "change", old, new)]


def _readable(data: Any) -> bool:
    return data is not None and data is not OPAQUE


def held(text: str) -> Any:
    """The data a string holds: a JSON object or array (connection extras, variables, SSM values), or a
    YAML list of mappings (the official chart's `extraEnv`); None for other text; OPAQUE for data nested
    deeper than MAX_DEPTH or YAML beyond the loader's limits. The one reader of held data, for comparison and
    masking."""
    start = text.lstrip(" \t\r\n")  # JSON's whitespace, which json.loads and Airflow skip too
    if start.startswith(("{", "[")):
        return _json(text)
    if start.startswith("- ") and "\n" in start:
        return _yaml_list(text)
    return None


def _json(text: str) -> Any:
    if not _json_within_depth(text):
        return OPAQUE
    try:
        data = json.loads(text)
    except ValueError:  # not JSON after all (or an integer of more digits than Python converts): text
        return None
    return data if isinstance(data, (dict, list)) else None


#: A JSON string (its closing quote optional, so that no input makes the match backtrack), or a bracket.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]+|\\.)*"?|[\[\]{}]', re.DOTALL)


def _json_within_depth(text: str) -> bool:
    """Whether brackets outside strings nest at most MAX_DEPTH levels: checked before parsing, so that
    json's recursive parser never meets deeper input."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token == "[" or token == "{":
            depth += 1
            if depth > MAX_DEPTH:
                return False
        elif token == "]" or token == "}":
            depth -= 1
    return True


def _yaml_list(text: str) -> Any:
    """Through the loader, within its limits (depth, alias expansion): beyond them, OPAQUE."""
    data, problem = load_value(text)
    if problem is not None:
        return OPAQUE if problem.code in _TOO_LARGE else None  # a syntax error: not YAML after all, text
    return data if isinstance(data, list) and all(isinstance(item, dict) for item in data) else None


#: The loader's codes for data nested too deeply or expanded too far by aliases.
_TOO_LARGE = frozenset({"AS008", "AS009"})


def format_path(path: Path) -> str:
    """`airflow.connections[id=warehouse].host`; keys that are not plain words, and list items named by
    anything but plain text, in brackets and quotes; nothing a terminal could act on (see printable)."""
    text = ""
    for part in path:
        if part == HIDDEN_ITEM:
            text += f"[{HIDDEN_ITEM[1]}]"
        elif isinstance(part, tuple):
            text += f"[{part[0]}={_item_name(part[1])}]" if part[0] else f"[{_item_name(part[1])}]"
        elif isinstance(part, int):
            text += f"[{part}]"
        elif str(part).replace("_", "").replace("-", "").isalnum():
            text += f".{part}" if text else str(part)
        else:
            text += f"[{_quoted(str(part))}]"
    return text


#: What names a list item unquoted: no space, bracket, quote or backslash, and nothing unsafe to print.
_PLAIN_NAME = re.compile(r'[^\s\[\]"\\]+')


def _item_name(name: str) -> str:
    return name if _PLAIN_NAME.fullmatch(name) and name.isprintable() else _quoted(name)


def _quoted(text: str) -> str:
    return printable(json.dumps(text, ensure_ascii=False))
