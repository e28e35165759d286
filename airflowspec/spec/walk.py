"""Walk a validated spec: every secret reference, with the YAML path where it was written."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel

from airflowspec.diagnostics import SpecPath
from airflowspec.spec.base import SecretRef


def secret_references(node: object, path: SpecPath = ()) -> Iterator[tuple[SpecPath, SecretRef]]:
    """Each `{secret: NAME}` below `node`, in document order."""
    if isinstance(node, SecretRef):
        yield path, node
    elif isinstance(node, BaseModel):
        for name, field in type(node).model_fields.items():
            yield from secret_references(getattr(node, name), (*path, field.alias or name))
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from secret_references(value, (*path, key))
    elif isinstance(node, (list, tuple)):
        for index, value in enumerate(node):
            yield from secret_references(value, (*path, index))


def object_secrets(spec: object) -> dict[str, SpecPath]:
    """Secrets that connections and variables use, each with the first place that uses it. These are
    the ones an Airflow secrets backend serves, rather than a platform setting."""
    used: dict[str, SpecPath] = {}
    for path, ref in secret_references(spec):
        if path[0] in ("connections", "variables"):
            used.setdefault(ref.secret, path)
    return used
