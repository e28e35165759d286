"""Whether Airflow on MWAA reads connections and variables from a secrets backend, and what the
execution role the template makes (`createExecutionRole`) may read there: the spec's own, nothing else.

Airflow's backends read one entry at a time: SSM's with `ssm:GetParameter` (with decryption: a
SecureString under the account's `aws/ssm` key needs no grant of its own, that key's policy lets the
account use it through SSM), Secrets Manager's with `secretsmanager:GetSecretValue`. The role gets that
one action on the spec's two prefixes in the store the spec chose, and only when the spec has
connections or variables: without them airflowspec sets no backend, and the role reads no entry at all.
"""

from __future__ import annotations

from typing import Any

from airflowspec.spec import MwaaTarget, Spec
from airflowspec.targets.mwaa.secret_stores import chosen_store, read_statement


def uses_secrets_backend(spec: Spec) -> bool:
    """Whether Airflow on MWAA reads connections and variables from a secrets backend: only the spec's own go there."""
    return bool(spec.connections or spec.variables)


def uses_ssm(spec: Spec) -> bool:
    """Whether Airflow on MWAA reads connections and variables from SSM (the default backend)."""
    mwaa = spec.targets.mwaa
    return uses_secrets_backend(spec) and mwaa is not None and mwaa.secrets_backend == "ssm"


def uses_secrets_manager(spec: Spec) -> bool:
    """Whether Airflow on MWAA reads connections and variables from Secrets Manager."""
    mwaa = spec.targets.mwaa
    return uses_secrets_backend(spec) and mwaa is not None and mwaa.secrets_backend == "secretsManager"


def secrets_read_statements(spec: Spec, mwaa: MwaaTarget) -> list[dict[str, Any]]:
    """The IAM statements that let the made role read the spec's connections and variables where the
    backend looks for them; none when it sets no backend. Both prefixes, whichever the spec fills: the
    backend looks a connection up under its prefix whether or not the spec declares it."""
    return [read_statement(chosen_store(mwaa))] if uses_secrets_backend(spec) else []
