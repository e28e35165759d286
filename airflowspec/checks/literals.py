"""A literal value where a secret belongs is a warning that shows how to reference it instead."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from airflowspec.checks.config import sensitive_option
from airflowspec.diagnostics import Diagnostic, SpecPath, error, warning
from airflowspec.sensitive import URL_WITH_PASSWORD, looks_like_a_secret
from airflowspec.spec import Spec

_HINT = "declare it under `secrets:` and write `{secret: NAME}` here"


def check_literal_secrets(spec: Spec) -> Iterator[Diagnostic]:
    for conn_id, connection in spec.field_connections().items():
        path: SpecPath = ("connections", conn_id)
        if isinstance(connection.password, str):
            yield _literal((*path, "password"))
        yield from _sensitive_entries(connection.extra or {}, (*path, "extra"))
        yield from _urls(connection.host, (*path, "host"))
    for key, value in spec.variables.items():
        if _is_literal(value, key) and looks_like_a_secret(key):
            yield _literal(("variables", key))
        yield from _sensitive_entries(value, ("variables", key))
    for section, options in spec.airflow.config.items():
        for option, value in options.items():
            path = ("airflow", "config", section, option)
            sensitive = sensitive_option(spec.airflow.version, section, option)
            if sensitive is None:  # not in the reference: go by its name
                sensitive = looks_like_a_secret(option) and not option.endswith(("_cmd", "_secret"))
            if sensitive and _is_literal(value, option):
                yield _literal(path)
            yield from _urls(value, path)
    yield from _urls_in_sources(spec)


def check_nested_references(spec: Spec) -> Iterator[Diagnostic]:
    """`{secret: NAME}` deeper than a whole value is plain data, not a reference: say so."""
    tops: list[tuple[SpecPath, Any]] = [(("variables", key), value) for key, value in spec.variables.items()]
    for conn_id, connection in spec.field_connections().items():
        tops += [(("connections", conn_id, "extra", key), value) for key, value in (connection.extra or {}).items()]
    for path, value in tops:
        for inner_path, inner in _nested_values(value, path):
            if isinstance(inner, dict) and set(inner) == {"secret"}:
                yield _nested(inner_path)


def _nested(path: SpecPath) -> Diagnostic:
    return error(
        "AS214",
        "a secret reference here would be plain data",
        path,
        "`{secret: NAME}` works as a whole variable value or a whole top-level `extra` value",
    )


def _nested_values(value: Any, path: SpecPath) -> Iterator[tuple[SpecPath, Any]]:
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield (*path, key), child
        yield from _nested_values(child, (*path, key))


def _sensitive_entries(value: Any, path: SpecPath) -> Iterator[Diagnostic]:
    nested_references = set()  # reported by check_nested_references
    for inner_path, inner in [(path, value), *_nested_values(value, path)]:
        if isinstance(inner, dict) and set(inner) == {"secret"}:
            nested_references.add(inner_path)
        if inner_path[:-1] in nested_references:
            continue
        name = str(inner_path[-1])
        if inner_path != path and _is_literal(inner, name) and looks_like_a_secret(name):
            yield _literal(inner_path)
        elif isinstance(inner, str):
            yield from _urls(inner, inner_path)


def _urls_in_sources(spec: Spec) -> Iterator[Diagnostic]:
    source = spec.dags.from_
    if source is not None and source.git is not None:
        yield from _urls(source.git.repo, ("dags", "from", "git", "repo"))
    for index, package in enumerate(spec.packages):
        yield from _urls(package, ("packages", index))


def _urls(value: object, path: SpecPath) -> Iterator[Diagnostic]:
    if isinstance(value, str) and URL_WITH_PASSWORD.search(value):
        yield warning("AS215", "this URL carries a password", path, "move the credentials into a secret")


def _is_literal(value: object, name: str) -> bool:
    """A value that could be a secret: non-empty text, or a number at a name that ends in a secret's word
    (`smtp_password: 123456`, not `bearer_token_ttl: 3600`); never a boolean or an empty value."""
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return name.lower().replace("-", "_").rsplit("_", 1)[-1] in _SECRET_ENDINGS
    return False


_SECRET_ENDINGS = frozenset({"key", "passphrase", "passwd", "password", "pin", "secret", "token"})


def _literal(path: SpecPath) -> Diagnostic:
    return warning("AS210", f"`{path[-1]}` holds a literal value that looks like a secret", path, _HINT)
