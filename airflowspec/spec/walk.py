"""Walk a validated spec: every secret reference or string, with the YAML path where it was written."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel

from airflowspec.diagnostics import SpecPath
from airflowspec.spec.base import SecretRef


def secret_references(node: object, path: SpecPath = ()) -> Iterator[tuple[SpecPath, SecretRef]]:
    """Each `{secret: NAME}` below `node`, in document order."""
    if isinstance(node, SecretRef):
        yield path, node
        return
    for part, child in _children(node):
        yield from secret_references(child, (*path, part))


def secret_shaped(node: object, path: SpecPath = ()) -> Iterator[tuple[SpecPath, object]]:
    """Each mapping that is `{secret: ...}` alone in free-form data (Helm values, CloudFormation
    properties), with its path and the `secret` value: a reference written where none is read."""
    if isinstance(node, dict) and set(node) == {"secret"}:
        yield path, node["secret"]
        return
    for part, child in _children(node):
        yield from secret_shaped(child, (*path, part))


def strings(node: object, path: SpecPath = ()) -> Iterator[tuple[SpecPath, str, bool]]:
    """Each string below `node`, mapping keys included, with its path and whether it is a key."""
    if isinstance(node, str):
        yield path, node, False
        return
    if isinstance(node, dict):
        yield from (((*path, key), key, True) for key in node if isinstance(key, str))
    for part, child in _children(node):
        yield from strings(child, (*path, part))


def _children(node: object) -> Iterator[tuple[str | int, object]]:
    """A model's fields by their YAML names, a mapping's items, a list's items."""
    if isinstance(node, BaseModel):
        for name, field in type(node).model_fields.items():
            yield field.alias or name, getattr(node, name)
    elif isinstance(node, dict):
        yield from node.items()
    elif isinstance(node, (list, tuple)):
        yield from enumerate(node)


def object_secrets(spec: object) -> dict[str, SpecPath]:
    """Secrets that connections and variables use, each with the first place that uses it. These are
    the ones an Airflow secrets backend serves, rather than a platform setting."""
    used: dict[str, SpecPath] = {}
    for path, ref in secret_references(spec):
        if path[0] in ("connections", "variables"):
            used.setdefault(ref.secret, path)
    return used
