"""MWAA's rules for the secrets backend the spec chooses: the block of the store it did not choose
(AS441), Secrets Manager's prefixes (AS440), and what Secrets Manager would refuse in a secret
(AS442-AS444). SSM's own are AS418 (content_rules) and AS419-AS422 (ssm_parameters).

Names are checked as Airflow's SecretsManagerBackend builds them: the prefix less its trailing `/`, a
`/`, the id. A connection id or variable key holds only characters Secrets Manager takes (AS206).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from airflowspec.data import mwaa as facts
from airflowspec.diagnostics import Diagnostic, error, quote
from airflowspec.spec import MwaaTarget, Spec
from airflowspec.targets.mwaa.rules import MWAA
from airflowspec.targets.mwaa.secret_stores import Parameter, secrets_manager_store, store_entries

_NAME = re.compile(facts.SECRETS_MANAGER_NAME_PATTERN)


def check_secrets_backend(spec: Spec, mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    yield from _unused_block(mwaa)
    if mwaa.secrets_backend != "secretsManager":
        return
    yield from _prefixes(mwaa)
    for secret in store_entries(spec, secrets_manager_store(mwaa)):
        yield from secret_problems(secret)


def secret_problems(secret: Parameter) -> Iterator[Diagnostic]:
    """What Secrets Manager would refuse in a secret."""
    size = len(secret.value.encode("utf-8"))
    name, source = secret.name, secret.source
    if not secret.value:
        yield error(
            "AS442", f"Secrets Manager cannot store an empty value, which {name} has", source, "give it a value"
        )
    if size > facts.SECRETS_MANAGER_MAX_VALUE_BYTES:
        limit = facts.SECRETS_MANAGER_MAX_VALUE_BYTES
        yield error("AS443", f"{name} is {size} bytes; Secrets Manager takes at most {limit}", source)
    if len(name) > facts.SECRETS_MANAGER_MAX_NAME:
        message = f"Secrets Manager cannot name {quote(name)}: longer than {facts.SECRETS_MANAGER_MAX_NAME} characters"
        yield error("AS444", message, source, "shorten the prefix or the id", on_key=True)


def _unused_block(mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    """Prefixes for the store the spec did not choose: a spec that meant the other store would push to
    the wrong one, and its environment read nothing."""
    chosen = mwaa.secrets_backend
    default = "" if "secrets_backend" in mwaa.model_fields_set else " (the default)"
    if chosen == "ssm" and "secrets_manager" in mwaa.model_fields_set:
        yield error(
            "AS441",
            f"`secretsManager` is set, but `secretsBackend` is ssm{default}: connections and variables go to SSM, "
            "not under these prefixes",
            (*MWAA, "secretsManager"),
            "add `secretsBackend: secretsManager`, or remove `secretsManager`",
            on_key=True,
        )
    if chosen == "secretsManager" and "ssm" in mwaa.model_fields_set:
        yield error(
            "AS441",
            "`ssm` is set, but `secretsBackend` is secretsManager: connections and variables go to Secrets Manager, "
            "not under these prefixes",
            (*MWAA, "ssm"),
            "move the prefixes to `secretsManager`, or remove `ssm`",
            on_key=True,
        )


def _prefixes(mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    block = (*MWAA, "secretsManager")
    store = secrets_manager_store(mwaa)
    prefixes = {"connectionsPrefix": store.connections_prefix, "variablesPrefix": store.variables_prefix}
    valid = []
    for key, prefix in prefixes.items():
        example = f"give a prefix like airflow/{key.removesuffix('Prefix')}"
        if not prefix.strip("/"):
            message = (
                "a Secrets Manager prefix cannot be empty or only `/`: `secrets push --prune` would reach every secret"
            )
            yield error("AS440", message, (*block, key), example)
        elif not _NAME.match(prefix):  # match() anchors at the start; the pattern ends in \Z
            message = f"Secrets Manager prefix {quote(prefix)} may hold only ASCII letters, digits and /_+=.@-"
            yield error("AS440", message, (*block, key), example)
        else:
            valid.append(prefix.rstrip("/") + "/")
    if len(valid) == 2 and (valid[0].startswith(valid[1]) or valid[1].startswith(valid[0])):
        yield error(
            "AS440",
            "connections and variables need separate Secrets Manager prefixes, neither inside the other",
            (*block, "variablesPrefix"),
            "`secrets push --prune` would delete the one's secrets as the other's",
        )
