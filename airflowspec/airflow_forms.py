"""The forms Airflow reads connections and variables in, whichever platform carries them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from airflowspec.spec import Connection, SecretRef

#: What a secret reference becomes: a placeholder naming it, or (for `ssm push`) its value.
Reveal = Callable[[SecretRef], str]


def connection_json(conn: Connection, reveal: Reveal) -> dict[str, Any]:
    """Airflow's JSON form of a connection (`Connection.from_json`), with `reveal` for each secret."""
    fields: dict[str, Any] = {
        "conn_type": conn.type,
        "description": conn.description,
        "host": conn.host,
        "port": conn.port,
        "schema": conn.schema_,
        "login": conn.login,
        "password": conn.password,
        "extra": conn.extra,
    }
    return {key: resolve(value, reveal) for key, value in fields.items() if value is not None}


def resolve(value: Any, reveal: Reveal) -> Any:
    if isinstance(value, SecretRef):
        return reveal(value)
    if isinstance(value, dict):
        return {key: resolve(item, reveal) for key, item in value.items()}
    return value


def variable_text(value: Any) -> str:
    """A variable as Airflow stores it: text as is, anything else as JSON text."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def secret_parts(conn: Connection) -> list[tuple[tuple[str, ...], SecretRef]]:
    """Where a connection takes a secret: (`password`,) or (`extra`, KEY), with the reference."""
    fields: dict[str, object] = {
        "host": conn.host,
        "login": conn.login,
        "password": conn.password,
        "schema": conn.schema_,
    }
    parts = [((key,), value) for key, value in fields.items() if isinstance(value, SecretRef)]
    extra = (conn.extra or {}).items()
    return parts + [(("extra", key), value) for key, value in extra if isinstance(value, SecretRef)]


_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def is_connection_form(value: str) -> bool:
    """What Airflow's secrets backends read as a connection: a JSON object with a conn_type, or a URI."""
    if not value.lstrip().startswith("{"):
        return bool(_URI.match(value))
    try:
        data = json.loads(value)
    except (ValueError, RecursionError):
        return False
    return isinstance(data, dict) and isinstance(data.get("conn_type"), str)
