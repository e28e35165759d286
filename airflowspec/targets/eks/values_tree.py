"""Both charts' values are plain nested dicts; parts built for one area are merged into them."""

from __future__ import annotations

from typing import Any

Values = dict[str, Any]


def merge(values: Values, part: Values) -> None:
    """Deep-merge `part` into `values`: mappings merge key by key, anything else replaces."""
    for key, value in part.items():
        if isinstance(value, dict) and isinstance(values.get(key), dict):
            merge(values[key], value)
        else:
            values[key] = value


def nested(path: tuple[str, ...], leaf: Values) -> Values:
    """`("workers", "celery")`, `{...}` -> `{"workers": {"celery": {...}}}`."""
    for key in reversed(path):
        leaf = {key: leaf}
    return leaf
