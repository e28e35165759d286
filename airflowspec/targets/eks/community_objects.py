"""Variables, connections and pools for the community chart's sync pods.

Secret parts never enter the values: each becomes a `${NAME}` placeholder that the chart's sync pod
fills, with `string.Template.safe_substitute`, from the Kubernetes Secret named in
`connectionsTemplates` / `variablesTemplates`. A placeholder is always a whole field (host, login,
password, schema, a variable's value), so a secret's value is never pasted into other text; a secret
inside `extra`, which the chart keeps as JSON text, is refused by the rules. A connection kept whole
in a secret is not synced: it reaches every pod as an AIRFLOW_CONN_<ID> variable (community_values).
"""

from __future__ import annotations

import json
from typing import Any

from airflowspec.spec import Connection, Pool, SecretRef, Spec
from airflowspec.targets.eks import community_chart as chart
from airflowspec.targets.eks.kubernetes import kubernetes_source

Values = dict[str, Any]


def compile_objects(spec: Spec) -> Values:
    section: Values = {}
    variables = _Templated(spec, any(isinstance(value, SecretRef) for value in spec.variables.values()))
    section["variables"] = [{"key": key, "value": variables.text(value)} for key, value in spec.variables.items()]
    section["variablesTemplates"] = variables.templates
    by_field = spec.field_connections()
    connections = _Templated(spec, any(_has_secret(conn) for conn in by_field.values()))
    section["connections"] = [_connection(conn_id, conn, connections) for conn_id, conn in by_field.items()]
    section["connectionsTemplates"] = connections.templates
    section["pools"] = [_pool(name, pool) for name, pool in spec.pools.items()]
    return {key: value for key, value in section.items() if value}


def secret_key_ref(spec: Spec, ref: SecretRef) -> dict[str, str]:
    """`{name, key}` of the Kubernetes Secret that holds a referenced secret."""
    source = kubernetes_source(spec, ref)
    return {"name": source.name, "key": source.key}


def _has_secret(conn: Connection) -> bool:
    fields = (conn.host, conn.login, conn.password, conn.schema_, *(conn.extra or {}).values())
    return any(isinstance(value, SecretRef) for value in fields)


def _pool(name: str, pool: Pool) -> Values:
    item: Values = {"name": name, "slots": pool.slots, "description": pool.description or name}
    if pool.include_deferred is not None:
        item["include_deferred"] = pool.include_deferred
    return item


def _connection(conn_id: str, conn: Connection, templated: _Templated) -> Values:
    item: Values = {"id": conn_id, "type": conn.type}
    if conn.description:
        item["description"] = conn.description
    for key, value in (
        ("host", conn.host),
        ("login", conn.login),
        ("password", conn.password),
        ("schema", conn.schema_),
    ):
        if value is not None:
            item[key] = templated.text(value)
    if conn.port is not None:
        item["port"] = conn.port
    if conn.extra is not None:
        item["extra"] = json.dumps(templated.json(conn.extra), ensure_ascii=False)
    return item


class _Templated:
    """Text for fields that the chart's sync script passes through `string.Template.safe_substitute`.

    A secret becomes `${NAME}`, naming a template entry that points at its Kubernetes Secret. When
    templates are in use, every literal `$` is doubled so that substitution gives it back unchanged.
    """

    def __init__(self, spec: Spec, active: bool) -> None:
        self.spec = spec
        self.active = active
        self.templates: Values = {}

    def text(self, value: Any) -> str:
        """A field's text: a placeholder, a string, or any other value as JSON text."""
        if isinstance(value, SecretRef):
            return self._placeholder(value)
        return self._escape(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))

    def json(self, value: Any) -> Any:
        """A JSON value with placeholders for secrets and escaped literal strings and keys, for `extra`."""
        if isinstance(value, SecretRef):
            return self._placeholder(value)
        if isinstance(value, str):
            return self._escape(value)
        if isinstance(value, dict):
            return {self._escape(key): self.json(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.json(item) for item in value]
        return value

    def _placeholder(self, ref: SecretRef) -> str:
        name = chart.template_name(ref.secret)
        self.templates[name] = {"kind": "secret", **secret_key_ref(self.spec, ref)}
        return f"${{{name}}}"

    def _escape(self, text: str) -> str:
        return text.replace("$", "$$") if self.active else text
