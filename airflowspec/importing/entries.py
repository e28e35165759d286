"""Connections and variables as a store holds them: airflowspec's rendered `ssm-parameters.json` and
`secretsmanager-secrets.json` (each secret a `<secret:NAME>` placeholder), or a live dump (`aws ssm
get-parameters-by-path --recursive --with-decryption`, whose SecureString values are secrets).

An entry's name is `<prefix>/<id>`; the prefixes are the template's when it came first, else
`/airflow/connections` and `/airflow/variables` (or the first path segment before `connections` and
`variables`). A live secret's value is never kept: it becomes a `secrets:` entry with an `env` source
named after it, and the report lists it.
"""

from __future__ import annotations

import re
from typing import Any

from airflowspec.importing import Imported
from airflowspec.importing.values_reader import json_or_text, parsed_json
from airflowspec.sensitive import is_sensitive_name

#: A package index's credential that airflowspec's startup.sh reads (`targets.mwaa.package_indexes`).
_INDEX_ENTRY = re.compile(r"/?airflowspec/[^/]+/package-index/(?P<secret>[A-Za-z0-9][A-Za-z0-9_.-]*)\Z")
_PLACEHOLDER = re.compile(r"<secret:([A-Za-z0-9][A-Za-z0-9_.-]*)>\Z")
#: A connection's fields in Airflow's JSON form, and the spec's names for them.
_FIELDS = {
    "conn_type": "type",
    "description": "description",
    "host": "host",
    "port": "port",
    "schema": "schema",
    "login": "login",
    "password": "password",
    "extra": "extra",
}


def import_entries(entries: list[Any], source: str, into: Imported, *, live: bool) -> None:
    """Each entry (`{name, value[, type]}`, or AWS's capitalised keys) under the prefixes as a connection
    or a variable. Of a live store: a connection's password and secret-like `extra` keys, and a variable
    that is a SecureString or has a secret-like key, become secrets."""
    prefixes = _prefixes(into, entries)
    for index, entry in enumerate(entries):
        name, value, kind = _fields(entry)
        if name is None:
            into.not_carried(source, f"[{index}]", "an entry without a name")
            continue
        section, key = _place(name, prefixes)
        index_secret = _INDEX_ENTRY.match(name)
        if index_secret is not None:
            if index_secret["secret"] not in into.spec.get("secrets", {}):
                into.not_carried(source, name, "a package index's credential: import startup.sh with it")
        elif section is None:
            into.not_carried(source, name, "outside the connections and variables prefixes")
        elif not isinstance(value, str):
            into.not_carried(source, name, "an entry without a text value")
        elif section == "connections":
            into.at("connections")[key] = connection(key, value, source, into, live=live)
        else:
            secret = live and (kind == "SecureString" or is_sensitive_name(key))
            into.at("variables")[key] = variable(key, value, source, into, live=secret)


def _fields(entry: Any) -> tuple[str | None, Any, str]:
    """(name, value, type) of an entry as airflowspec renders it, as SSM dumps it (Name, Value, Type) or
    as Secrets Manager does (Name, SecretString)."""
    if not isinstance(entry, dict):
        return None, None, ""
    name = entry.get("name", entry.get("Name"))
    value = entry.get("value", entry.get("Value", entry.get("SecretString")))
    return (name if isinstance(name, str) else None), value, str(entry.get("type", entry.get("Type", "")))


def _prefixes(into: Imported, entries: list[Any]) -> tuple[str, str]:
    """The template's prefixes; without one, those the entries' names show (`.../connections/ID`)."""
    mwaa = into.spec.get("targets", {}).get("mwaa", {})
    store = mwaa.get(mwaa.get("secretsBackend", "ssm"), {})
    if mwaa:
        default = ("airflow/connections", "airflow/variables") if mwaa.get("secretsBackend") else None
        connections, variables = default or ("/airflow/connections", "/airflow/variables")
        return store.get("connectionsPrefix", connections).rstrip("/"), store.get("variablesPrefix", variables).rstrip(
            "/"
        )
    names = [name for name, _, _ in map(_fields, entries) if name]
    return _shown(names, "connections") or "/airflow/connections", _shown(names, "variables") or "/airflow/variables"


def _shown(names: list[str], section: str) -> str | None:
    for name in names:
        head, found, _ = name.partition(f"{section}/")
        if found and (not head or head.endswith("/")):
            return head + section
    return None


def _place(name: str, prefixes: tuple[str, str]) -> tuple[str | None, str]:
    for section, prefix in zip(("connections", "variables"), prefixes, strict=True):
        if name.startswith(prefix + "/") and len(name) > len(prefix) + 1:
            return section, name[len(prefix) + 1 :]
    return None, ""


def variable(key: str, value: str, source: str, into: Imported, *, live: bool) -> Any:
    """A variable's text: a placeholder is its secret; a live secret becomes one; JSON text its data."""
    secret = _placeholder(value)
    if secret is not None:
        return declared_secret(secret, f"variables.{key}", source, into)
    if live:
        return _new_secret(secret_name(key), f"variables.{key}", source, into)
    return json_or_text(value, (",", ":"))


def connection(conn_id: str, value: str | dict[str, Any], source: str, into: Imported, *, live: bool) -> Any:
    """Airflow's JSON form of a connection (text, or already parsed) as the spec's fields."""
    secret = _placeholder(value) if isinstance(value, str) else None
    if secret is not None:  # kept whole in a secret
        return declared_secret(secret, f"connections.{conn_id}", source, into)
    form = value if isinstance(value, dict) else parsed_json(value)
    if not isinstance(form, dict) or not set(form) <= set(_FIELDS):  # a URI, or a form the spec cannot write
        if live:
            return _new_secret(secret_name(conn_id, "connection"), f"connections.{conn_id}", source, into)
        into.not_carried(source, f"connections.{conn_id}", "not Airflow's JSON form of a connection")
        return {"secret": secret_name(conn_id, "connection")}
    connection: dict[str, Any] = {}
    for field, item in form.items():
        connection[_FIELDS[field]] = _part(conn_id, field, item, source, into, live=live)
    return connection


def _part(conn_id: str, field: str, item: Any, source: str, into: Imported, *, live: bool) -> Any:
    """One field of a connection: a placeholder is its secret; a live password (or secret-like key of
    `extra`) becomes one."""
    if isinstance(item, str) and (secret := _placeholder(item)) is not None:
        return declared_secret(secret, f"connections.{conn_id}.{field}", source, into)
    if field == "extra" and isinstance(item, dict):
        return {key: _extra(conn_id, key, value, source, into, live=live) for key, value in item.items()}
    if live and field == "password" and item not in (None, ""):
        return _new_secret(secret_name(conn_id, "password"), f"connections.{conn_id}.password", source, into)
    return item


def _extra(conn_id: str, key: str, value: Any, source: str, into: Imported, *, live: bool) -> Any:
    if isinstance(value, str) and (secret := _placeholder(value)) is not None:
        return declared_secret(secret, f"connections.{conn_id}.extra.{key}", source, into)
    if live and is_sensitive_name(key) and value not in (None, ""):
        return _new_secret(secret_name(conn_id, key), f"connections.{conn_id}.extra.{key}", source, into)
    return value


def _placeholder(text: str) -> str | None:
    match = _PLACEHOLDER.match(text)
    return match[1] if match else None


def declared_secret(name: str, path: str, source: str, into: Imported) -> dict[str, str]:
    """A secret the rendered file names by a placeholder: declared with an `env` source, which a push
    reads, and listed in the report once."""
    secrets = into.at("secrets")
    if name not in secrets:
        secrets[name] = {"env": _variable_name(name)}
        into.secret(source, path, name, secrets[name]["env"])
    return {"secret": name}


def _new_secret(name: str, path: str, source: str, into: Imported) -> dict[str, str]:
    """A live secret: its value stays where it is; the spec references it, the report asks for it."""
    variable = _variable_name(name)
    into.at("secrets")[name] = {"env": variable}
    into.secret(source, path, name, variable)
    return {"secret": name}


def secret_name(*parts: str) -> str:
    name = "-".join(re.sub(r"[^A-Za-z0-9]+", "-", part).strip("-").lower() for part in parts if part)
    return name or "secret"


def _variable_name(secret: str) -> str:
    name = re.sub(r"[^A-Za-z0-9]+", "_", secret).strip("_").upper()
    return name if name and not name[0].isdigit() else f"SECRET_{name}"
