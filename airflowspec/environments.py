"""`environments:` — one spec, several deployments: each environment is a partial spec laid over the base.

Merge rules, as Helm merges several `-f` files: mappings merge key by key, a list or a scalar replaces
what the base has, and `null` removes the key. The merged document is built from the loaded ones, so
every value keeps the position it was written at — in the base or in the overlay — and a diagnostic
about the merged spec points at the line that supplied the value, never at a copy.
A mapping that the overlay removed a key from is placed at the overlay's mapping, so "missing key"
points at the overlay that removed it.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from airflowspec.diagnostics import Diagnostic, SpecPath, error, quote, warning
from airflowspec.document import YamlMap

KEY = "environments"
#: What the base is called among environments, in diagnostics.
BASE = "base"
#: An environment's name becomes a folder (`rendered/<env>/<target>/`): a DNS label, nothing a path reads.
NAME = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\Z")
_FIXED = ("apiVersion", KEY)  # what an overlay cannot change
#: Names an environment cannot have: the base's, and the targets' (`rendered/eks/` is the base's folder).
RESERVED = {
    BASE: "is what the spec without an environment is called",
    "eks": "is a target's name",
    "mwaa": "is a target's name",
}


@dataclasses.dataclass(frozen=True)
class Split:
    """A loaded spec taken apart: the base, and each environment's overlay by name, in file order."""

    base: YamlMap
    overlays: dict[str, YamlMap]
    problems: tuple[Diagnostic, ...] = ()
    #: Every name under `environments:`, those with problems too.
    written: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.overlays)


def split(document: YamlMap) -> Split:
    """The base (the document without `environments`) and the overlays; a malformed `environments:`
    block, or entry of it, is an error and leaves that part out."""
    if KEY not in document:
        return Split(document, {})
    base = _without(document, KEY)
    block = document[KEY]
    if block is None:
        return Split(base, {})
    if not isinstance(block, YamlMap):
        problem = error(
            "AS110",
            "`environments` must be a mapping: environment name -> the keys that differ from the base",
            (KEY,),
            hint="e.g. `environments: {prod: {name: data-prod}}`",
        )
        return Split(base, {}, (problem,))
    overlays: dict[str, YamlMap] = {}
    problems: list[Diagnostic] = []
    for name, overlay in block.items():
        found = _problems(name, overlay)
        problems += found
        if not found:
            overlays[name] = overlay if overlay is not None else YamlMap(block.value_positions[name])
    return Split(base, overlays, tuple(problems), tuple(block))


def _problems(name: str, overlay: Any) -> list[Diagnostic]:
    path: SpecPath = (KEY, name)
    if name in RESERVED or not NAME.match(name):
        why = RESERVED.get(name, "is not a DNS label")
        return [
            error(
                "AS110",
                f"environment name {quote(name)} {why}",
                path,
                hint="use lowercase letters, digits and '-', at most 63, e.g. dev, staging, prod-eu",
                on_key=True,
            )
        ]
    if overlay is not None and not isinstance(overlay, YamlMap):
        return [error("AS111", f"environment `{name}` must be a mapping of the keys that differ from the base", path)]
    fixed = [key for key in _FIXED if overlay is not None and key in overlay]
    return [
        error("AS112", f"an environment cannot set `{key}`", (*path, key), hint="set it once, in the base", on_key=True)
        for key in fixed
    ]


def within_budget(parts: Split, weight: int, budget: int) -> Split:
    """`parts`, or none of its environments when checking each would cost more than the largest spec
    airflowspec reads (`budget` bytes): each environment is checked whole, so a thousand empty ones in a
    large file would otherwise take hours."""
    count = len(parts.overlays)
    if not count or weight * (count + 1) <= budget:
        return parts
    problem = error(
        "AS117",
        f"{count} environments of a spec of {weight // 1024} KiB: checking each would read "
        f"{weight * (count + 1) // 2**20} MiB, more than the {budget // 2**20} MiB airflowspec reads",
        (KEY,),
        hint="split it into several specs",
        on_key=True,
    )
    return Split(parts.base, {}, (*parts.problems, problem), parts.written)


def merge(base: YamlMap, overlay: YamlMap) -> YamlMap:
    """`overlay` laid over `base` (neither is changed; unchanged parts are shared, not copied)."""
    merged = _without(base, None)
    for key, value in overlay.items():
        if value is None:
            if key in merged:
                del merged[key], merged.key_positions[key], merged.value_positions[key]
                merged.position = overlay.position
            continue
        old = merged.get(key)
        if isinstance(old, YamlMap) and isinstance(value, YamlMap):
            child = merge(old, value)
            merged[key] = child
            if child.position != old.position:  # the overlay removed a key in it: the overlay's place
                merged.key_positions[key] = overlay.key_positions[key]
                merged.value_positions[key] = child.position
            continue
        merged[key] = value
        merged.key_positions[key] = overlay.key_positions[key]
        merged.value_positions[key] = overlay.value_positions[key]
    return merged


def no_ops(base: YamlMap, overlay: YamlMap, path: SpecPath) -> list[Diagnostic]:
    """Warnings for what an overlay at `path` writes that changes nothing: a value the base already has,
    a `null` for a key the base does not set."""
    found = []
    for key, value in overlay.items():
        where = (*path, key)
        if key not in base:
            if value is None:
                found.append(
                    warning("AS114", f"`{key}: null` removes nothing: the base does not set it", where, on_key=True)
                )
            continue
        old = base[key]
        if isinstance(old, YamlMap) and isinstance(value, YamlMap) and value:
            found += no_ops(old, value, where)
        elif same(old, value):
            found.append(
                warning(
                    "AS113",
                    f"`{key}` repeats the base's value",
                    where,
                    hint="remove it from the environment; it inherits the base's",
                    on_key=True,
                )
            )
    return found


def same(a: Any, b: Any) -> bool:
    """Equal as YAML values: `1`, `1.0` and `true` differ, as they render differently."""
    if type(a) is not type(b):
        return isinstance(a, (YamlMap, dict)) and isinstance(b, (YamlMap, dict)) and _same_maps(a, b)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return _same_maps(a, b)
    return bool(a == b)


def _same_maps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a.keys() == b.keys() and all(same(a[key], b[key]) for key in a)


def _without(document: YamlMap, key: str | None) -> YamlMap:
    """A shallow copy of `document`, positions included, less `key`."""
    copy = YamlMap(document.position)
    for name, value in document.items():
        if name != key:
            copy[name] = value
            copy.key_positions[name] = document.key_positions[name]
            copy.value_positions[name] = document.value_positions[name]
    return copy


def unknown(name: str, names: tuple[str, ...]) -> Diagnostic:
    """`--env NAME` for an environment the spec does not declare."""
    import difflib

    if not names:
        return error("AS115", f"--env {quote(name)}: the spec declares no environments", hint="leave out --env")
    close = difflib.get_close_matches(name, names, n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    return error(
        "AS115", f"--env {quote(name)}: the spec has no such environment", hint=f"{hint}it has {', '.join(names)}"
    )
