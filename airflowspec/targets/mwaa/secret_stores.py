"""Where Airflow on MWAA reads the spec's connections and variables: SSM Parameter Store (the default)
or Secrets Manager (`secretsBackend: secretsManager`).

Both stores hold one entry per connection or variable, named as Airflow's backends build the name (the
prefix less its trailing `/`, a `/`, the id), with the same value: a connection in Airflow's JSON form
(one kept whole in a secret: the secret's value as is), a variable as text. They differ in what a name
may hold, how large a value may be, and in types: an SSM parameter is a String or a SecureString (when
a secret or a password is involved), every Secrets Manager secret is encrypted and has no type.

The same function serves `render` (each secret a placeholder naming it) and the push (each secret its
value, read at push time); the caller decides by the `reveal` function it passes.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, Literal

from airflowspec.airflow_forms import Reveal, connection_json
from airflowspec.data import mwaa as facts
from airflowspec.diagnostics import SpecPath
from airflowspec.sensitive import is_sensitive_name
from airflowspec.spec import Connection, MwaaTarget, SecretRef, Spec
from airflowspec.spec.walk import object_secrets
from airflowspec.targets.mwaa import package_indexes

StoreKey = Literal["ssm", "secretsManager"]
EntryType = Literal["String", "SecureString", ""]


@dataclasses.dataclass(frozen=True)
class SecretStore:
    key: StoreKey  # the spec's `secretsBackend`, and the `targets.mwaa` block that holds the prefixes
    title: str  # the service, as messages name it
    item: str  # one entry, as messages name it
    backend: str  # Airflow's class that reads the store
    artifact: str  # the rendered file that lists the entries
    entries: str  # that file's list; not `secrets`, a name `diff` would hide every value under
    connections_prefix: str
    variables_prefix: str

    @property
    def typed(self) -> bool:
        return self.key == "ssm"

    @property
    def noun(self) -> str:
        return "parameter" if self.key == "ssm" else "secret"

    @property
    def prefixes(self) -> tuple[str, str]:
        return (self.connections_prefix, self.variables_prefix)

    @property
    def block(self) -> SpecPath:
        return ("targets", "mwaa", self.key)


@dataclasses.dataclass(frozen=True)
class Parameter:
    """One entry of a store: an SSM parameter, or a Secrets Manager secret (whose `type` is empty)."""

    name: str
    type: EntryType
    value: str
    source: SpecPath  # where the spec declares it

    def as_json(self) -> dict[str, str]:
        if not self.type:
            return {"name": self.name, "value": self.value}
        return {"name": self.name, "type": self.type, "value": self.value}


def ssm_store(mwaa: MwaaTarget) -> SecretStore:
    prefixes = (mwaa.ssm.connections_prefix, mwaa.ssm.variables_prefix)
    return SecretStore(
        "ssm", "SSM", "SSM parameter", facts.SECRETS_BACKEND, "ssm-parameters.json", "parameters", *prefixes
    )


def secrets_manager_store(mwaa: MwaaTarget) -> SecretStore:
    prefixes = (mwaa.secrets_manager.connections_prefix, mwaa.secrets_manager.variables_prefix)
    backend, artifact = facts.SECRETS_MANAGER_BACKEND, "secretsmanager-secrets.json"
    return SecretStore("secretsManager", "Secrets Manager", "secret", backend, artifact, "entries", *prefixes)


def chosen_store(mwaa: MwaaTarget) -> SecretStore:
    return secrets_manager_store(mwaa) if mwaa.secrets_backend == "secretsManager" else ssm_store(mwaa)


#: What each backend calls to read one entry, and the ARN of the entries under a prefix (`{prefix}`, less
#: its trailing `/`). An SSM name under a prefix starts with `/`, part of its ARN; a secret's ARN ends in
#: `-` and six random characters, which `/*` covers. Neither backend lists or describes.
_READS = {
    "ssm": ("ssm:GetParameter", "arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter{prefix}/*"),
    "secretsManager": (
        "secretsmanager:GetSecretValue",
        "arn:${{AWS::Partition}}:secretsmanager:${{AWS::Region}}:${{AWS::AccountId}}:secret:{prefix}/*",
    ),
}


def read_statement(store: SecretStore) -> dict[str, Any]:
    """The IAM policy statement (CloudFormation) that lets the execution role read the spec's connections
    and variables from `store`, and nothing else there. A prefix holds none of `${}`: `Fn::Sub` leaves it be."""
    action, resource = _READS[store.key]
    arns = [{"Fn::Sub": resource.format(prefix=prefix.rstrip("/"))} for prefix in store.prefixes]
    return {"Effect": "Allow", "Action": [action], "Resource": arns}


def placeholder(ref: SecretRef) -> str:
    """What a secret looks like in a rendered file: its name, never its value."""
    return f"<secret:{ref.secret}>"


def store_entries(spec: Spec, store: SecretStore, reveal: Reveal = placeholder) -> list[Parameter]:
    """The spec's connections, then its variables, as `store` holds them; then the package indexes'
    credentials that the startup script reads (`package_indexes`), each secret once, encrypted."""
    entries = [_connection(store, conn_id, conn, reveal) for conn_id, conn in spec.connections.items()]
    for key, value in spec.variables.items():
        secure = isinstance(value, SecretRef) or is_sensitive_name(key)
        text = reveal(value) if isinstance(value, SecretRef) else _text(value)
        entries.append(
            Parameter(entry_name(store.variables_prefix, key), _type(store, secure), text, ("variables", key))
        )
    for name, path in package_indexes.stored_secrets(spec).items():
        index_entry = package_indexes.entry_name(spec, store, name)
        entries.append(Parameter(index_entry, _type(store, True), reveal(SecretRef(secret=name)), path))
    return entries


def pushed_secrets(spec: Spec) -> dict[str, SpecPath]:
    """The secrets a push reads, each with the first place that uses it: those of connections and
    variables, then the package indexes' that the startup script reads."""
    return {**package_indexes.stored_secrets(spec), **object_secrets(spec)}


def entry_name(prefix: str, key: str) -> str:
    """As both backends build it: `build_path(prefix.rstrip("/"), key, "/")`."""
    return f"{prefix.rstrip('/')}/{key}"


def _connection(store: SecretStore, conn_id: str, conn: Connection | SecretRef, reveal: Reveal) -> Parameter:
    name = entry_name(store.connections_prefix, conn_id)
    if isinstance(conn, SecretRef):  # kept whole in a secret: its value is the entry's, as written
        return Parameter(name, _type(store, True), reveal(conn), ("connections", conn_id))
    parts = (conn.host, conn.login, conn.password, conn.schema_, *(conn.extra or {}).values())
    secure = conn.password is not None or any(isinstance(part, SecretRef) for part in parts)
    value = json.dumps(connection_json(conn, reveal), ensure_ascii=False, separators=(",", ":"))
    return Parameter(name, _type(store, secure), value, ("connections", conn_id))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _type(store: SecretStore, secure: bool) -> EntryType:
    if not store.typed:
        return ""
    return "SecureString" if secure else "String"
