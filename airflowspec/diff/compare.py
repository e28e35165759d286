"""Structural comparison of two artifacts: mappings by key, lists of objects by their identity,
text by line, and JSON held in strings (connection extras, SSM values) by what it holds."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any, Literal

from ruamel.yaml import YAML

Kind = Literal["add", "change", "remove"]
#: A mapping key, a list index, or a list item named by (identity key, value); ("", value) for a
#: plain value in a list of plain values.
Part = str | int | tuple[str, str]
Path = tuple[Part, ...]

#: Keys that name a list item, in the order they are tried.
IDENTITY_KEYS = ("id", "key", "name", "Name", "envName")


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


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
    if isinstance(old, dict) and isinstance(new, dict):
        yield from _compare_mappings(old, new, path)
    elif isinstance(old, list) and isinstance(new, list):
        yield from _compare_lists(old, new, path)
    elif (held := _held_pair(old, new)) is not None:
        yield from compare(*held, path)
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
        if all(not isinstance(item, (dict, list)) for item in old + new):
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
    held_old = _held(old)
    held_new = _held(new) if held_old is not None else None
    return None if held_new is None else (held_old, held_new)


def _held(text: str) -> Any:
    """The data a string holds: a JSON object (connection extras, SSM values), or a YAML list of
    mappings (the official chart's `extraEnv`); None for other text."""
    if (data := json_object(text)) is not None:
        return data
    if text.startswith("- ") and "\n" in text:
        try:
            data = YAML(typ="safe").load(text)
        except Exception:  # not YAML after all: plain text
            return None
        if isinstance(data, list) and all(isinstance(item, dict) for item in data):
            return data
    return None


def json_object(text: str) -> dict[str, Any] | None:
    """The JSON object a string holds (`{...}`), or None."""
    if not text.startswith("{"):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def format_path(path: Path) -> str:
    """`airflow.connections[id=warehouse].host`; keys that are not plain words in brackets and quotes."""
    text = ""
    for part in path:
        if isinstance(part, tuple):
            text += f"[{part[0]}={part[1]}]" if part[0] else f"[{part[1]}]"
        elif isinstance(part, int):
            text += f"[{part}]"
        elif str(part).replace("_", "").replace("-", "").isalnum():
            text += f".{part}" if text else str(part)
        else:
            text += f"[{json.dumps(str(part))}]"
    return text
