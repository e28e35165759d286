"""Values checked against the key tree of a chart release (`airflowspec.data.chart_facts`): a key the
release does not have, or a value of another shape than the key's default (a mapping where the chart
has a string). Below a `free` mapping, a subchart's section, a list or a null default, anything goes:
those hold Kubernetes objects, annotations, a subchart's own values, or what the chart leaves open."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

from airflowspec.data.chart_facts import chart_keys, key_kind

#: What a value of each kind may be; None (Helm: remove the key) fits every kind.
_SHAPES: dict[str, tuple[type, ...]] = {
    "map": (dict,),
    "free": (dict,),
    "subchart": (dict,),
    "list": (list,),
    "value": (str, int, float, bool),
}
SHAPE_NAMES = {"map": "a mapping", "free": "a mapping", "subchart": "a mapping", "list": "a list", "value": "a value"}


@dataclasses.dataclass(frozen=True)
class KeyProblem:
    """`path` is not a key of the release (`expected` is None), or holds another shape than `expected`."""

    path: tuple[str, ...]
    expected: str | None = None
    given: str = ""  # the shape of the value given, when it is not the expected one
    siblings: tuple[str, ...] = ()  # the keys the release has beside it, for a suggestion


def key_problems(
    chart: str, version: str, values: Mapping[str, Any], path: tuple[str, ...] = (), depth: int | None = None
) -> Iterator[KeyProblem]:
    """Problems in `values` (found at `path`), in document order; `depth` limits how far down keys are
    checked (1: top-level keys only)."""
    for key, value in values.items():
        here = (*path, key)
        kind = None if "." in key else key_kind(chart, version, ".".join(here))  # no chart key holds a dot
        if kind is None:
            yield KeyProblem(here, siblings=_children(chart, version, path))
        elif value is not None and kind in _SHAPES and not isinstance(value, _SHAPES[kind]):
            yield KeyProblem(here, expected=kind, given=shape_of(value))
        elif kind == "map" and isinstance(value, dict) and (depth is None or depth > 1):
            yield from key_problems(chart, version, value, here, None if depth is None else depth - 1)


def shape_of(value: Any) -> str:
    return "a mapping" if isinstance(value, dict) else "a list" if isinstance(value, list) else "a value"


def _children(chart: str, version: str, path: tuple[str, ...]) -> tuple[str, ...]:
    prefix = ".".join(path) + "." if path else ""
    names = {key[len(prefix) :].split(".")[0] for key in chart_keys(chart, version) if key.startswith(prefix)}
    return tuple(sorted(names))
