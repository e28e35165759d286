"""Connections and variables as SSM parameters, in the form Airflow's SSM secrets backend reads.

The same function serves `render` (each secret a placeholder naming it) and `ssm push` (each secret
its value, read at push time); the caller decides by the `reveal` function it passes.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any, Literal

from airflowspec.airflow_forms import Reveal, connection_json
from airflowspec.data import mwaa as facts
from airflowspec.diagnostics import Diagnostic, SpecPath, error, warning
from airflowspec.sensitive import is_sensitive_name
from airflowspec.spec import Connection, MwaaTarget, SecretRef, Spec

_ARN_PREFIX_LENGTH = len("arn:aws:ssm:ap-southeast-2:123456789012:parameter")  # the longest commercial region
_SSM_MAX_NAME = 1011


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
    parameters = [_connection(mwaa, conn_id, conn, reveal) for conn_id, conn in spec.connections.items()]
    for key, value in spec.variables.items():
        secure = isinstance(value, SecretRef) or is_sensitive_name(key)
        text = reveal(value) if isinstance(value, SecretRef) else _text(value)
        parameters.append(Parameter(_name(mwaa.ssm.variables_prefix, key), _type(secure), text, ("variables", key)))
    return parameters


def parameter_problems(parameter: Parameter) -> Iterator[Diagnostic]:
    """What SSM would refuse in a parameter (a warning where it only needs the Advanced tier)."""
    size = len(parameter.value.encode("utf-8"))
    name, source = parameter.name, parameter.source
    if not parameter.value:
        yield error("AS422", f"SSM cannot store an empty value, which {name} has", source, "give it a value")
    if "{{" in parameter.value and "}}" in parameter.value:
        yield error(
            "AS419",
            f"SSM refuses values with `{{{{ }}}}`, which {name} has",
            source,
            "move the template text into the DAG",
        )
    if size > facts.SSM_ADVANCED_VALUE_BYTES:
        yield error("AS420", f"{name} is {size} bytes; SSM takes at most {facts.SSM_ADVANCED_VALUE_BYTES}", source)
    elif size > facts.SSM_STANDARD_VALUE_BYTES:
        message = f"{name} is {size} bytes: it needs the Advanced tier (over {facts.SSM_STANDARD_VALUE_BYTES})"
        yield warning("AS420", message, source)
    if name.count("/") > facts.SSM_MAX_LEVELS or len(name) + _ARN_PREFIX_LENGTH > _SSM_MAX_NAME:
        yield error("AS421", f"SSM cannot name {name}: too deep or too long", source, on_key=True)


def _connection(mwaa: MwaaTarget, conn_id: str, conn: Connection | SecretRef, reveal: Reveal) -> Parameter:
    name = _name(mwaa.ssm.connections_prefix, conn_id)
    if isinstance(conn, SecretRef):  # kept whole in a secret: its value is the parameter's, as written
        return Parameter(name, "SecureString", reveal(conn), ("connections", conn_id))
    parts = (conn.host, conn.login, conn.password, conn.schema_, *(conn.extra or {}).values())
    secure = conn.password is not None or any(isinstance(part, SecretRef) for part in parts)
    value = json.dumps(connection_json(conn, reveal), ensure_ascii=False, separators=(",", ":"))
    return Parameter(name, _type(secure), value, ("connections", conn_id))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _name(prefix: str, key: str) -> str:
    return f"{prefix.rstrip('/')}/{key}"


def _type(secure: bool) -> Literal["String", "SecureString"]:
    return "SecureString" if secure else "String"
