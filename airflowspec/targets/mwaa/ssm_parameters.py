"""Connections and variables as SSM parameters, in the form Airflow's SSM secrets backend reads.

The same function serves `render` (each secret a placeholder naming it) and `ssm push` (each secret
its value, read at push time); the caller decides by the `reveal` function it passes.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any, Literal

from airflowspec.diagnostics import SpecPath
from airflowspec.sensitive import is_sensitive_name
from airflowspec.spec import Connection, MwaaTarget, SecretRef, Spec

Reveal = Callable[[SecretRef], str]


@dataclasses.dataclass(frozen=True)
class Parameter:
    name: str
    type: Literal["String", "SecureString"]
    value: str
    source: SpecPath  # where the spec declares it

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "type": self.type, "value": self.value}


def placeholder(ref: SecretRef) -> str:
    """What a secret looks like in a rendered file: its name, never its value."""
    return f"<secret:{ref.secret}>"


def ssm_parameters(spec: Spec, mwaa: MwaaTarget, reveal: Reveal = placeholder) -> list[Parameter]:
    parameters = [_connection(spec, mwaa, conn_id, conn, reveal) for conn_id, conn in spec.connections.items()]
    for key, value in spec.variables.items():
        secure = isinstance(value, SecretRef) or is_sensitive_name(key)
        text = reveal(value) if isinstance(value, SecretRef) else _text(value)
        parameters.append(Parameter(_name(mwaa.ssm.variables_prefix, key), _type(secure), text, ("variables", key)))
    return parameters


def connection_json(conn: Connection, reveal: Reveal) -> dict[str, Any]:
    """Airflow's JSON form of a connection (`Connection.from_json`), secrets revealed or not."""
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
    return {key: _resolve(value, reveal) for key, value in fields.items() if value is not None}


def _connection(spec: Spec, mwaa: MwaaTarget, conn_id: str, conn: Connection, reveal: Reveal) -> Parameter:
    parts = (conn.host, conn.login, conn.password, conn.schema_, *(conn.extra or {}).values())
    secure = conn.password is not None or any(isinstance(part, SecretRef) for part in parts)
    value = json.dumps(connection_json(conn, reveal), ensure_ascii=False, separators=(",", ":"))
    return Parameter(_name(mwaa.ssm.connections_prefix, conn_id), _type(secure), value, ("connections", conn_id))


def _resolve(value: Any, reveal: Reveal) -> Any:
    if isinstance(value, SecretRef):
        return reveal(value)
    if isinstance(value, dict):
        return {key: _resolve(item, reveal) for key, item in value.items()}
    return value


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _name(prefix: str, key: str) -> str:
    return f"{prefix.rstrip('/')}/{key}"


def _type(secure: bool) -> Literal["String", "SecureString"]:
    return "SecureString" if secure else "String"
