"""A literal value where a secret belongs is a warning that shows how to reference it instead."""

from __future__ import annotations

from collections.abc import Iterator

from airflowspec.diagnostics import Diagnostic, SpecPath, warning
from airflowspec.sensitive import is_sensitive_name
from airflowspec.spec import Spec


def check_literal_secrets(spec: Spec) -> Iterator[Diagnostic]:
    for conn_id, connection in spec.connections.items():
        if isinstance(connection.password, str):
            yield _literal(("connections", conn_id, "password"))
        for key, value in (connection.extra or {}).items():
            if isinstance(value, str) and is_sensitive_name(key):
                yield _literal(("connections", conn_id, "extra", key))
    for key, value in spec.variables.items():
        if isinstance(value, str) and is_sensitive_name(key):
            yield _literal(("variables", key))
    for section, options in spec.airflow.config.items():
        for option, value in options.items():
            if isinstance(value, str) and is_sensitive_name(option) and not option.endswith(("_cmd", "_secret")):
                yield _literal(("airflow", "config", section, option))


def _literal(path: SpecPath) -> Diagnostic:
    return warning(
        "AS210",
        f"`{path[-1]}` holds a literal value that looks like a secret",
        path,
        "declare it under `secrets:` and write `{secret: NAME}` here",
    )
