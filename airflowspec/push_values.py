"""What a push would write: the spec's entries for the store it chose, each secret read from its `env`
source.

A secret that is not set, or is empty, is an AS501 error. The entries that need it are still built
(each missing secret as its render placeholder, `<secret:NAME>`) and marked as such, so that a dry run
can list them; neither they nor their placeholder are ever written or compared. What the store or
Airflow would refuse (SSM: AS419-AS422; Secrets Manager: AS442-AS444; AS502) is checked on every value
that could be read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping

from airflowspec.airflow_forms import is_connection_form
from airflowspec.diagnostics import Diagnostic, Severity, SpecPath, error
from airflowspec.package_indexes import CREDENTIAL, CREDENTIAL_HINT
from airflowspec.spec import Spec
from airflowspec.spec.walk import secret_references
from airflowspec.targets.mwaa import package_indexes
from airflowspec.targets.mwaa.secret_stores import Parameter, SecretStore, placeholder, pushed_secrets, store_entries
from airflowspec.targets.mwaa.secrets_manager_rules import secret_problems
from airflowspec.targets.mwaa.ssm_parameters import parameter_problems


@dataclasses.dataclass(frozen=True)
class Desired:
    parameters: list[Parameter]  # the entries: SSM parameters or Secrets Manager secrets
    missing: dict[str, tuple[str, ...]]  # entry name -> the secrets its value needs that are not set
    unread: list[Diagnostic]  # AS501, one per secret that is not set
    problems: list[Diagnostic]  # what the store or Airflow would refuse in the values that were read


def desired(spec: Spec, store: SecretStore, environ: Mapping[str, str]) -> Desired:
    """Every entry of the spec in `store`, with the secrets' values from `environ` where they are set."""
    secrets, unread = read_secrets(spec, environ)
    unset = {name for name, value in secrets.items() if not value}
    entries = store_entries(spec, store, lambda ref: secrets[ref.secret] or placeholder(ref))
    needs = _secrets_by_object(spec)
    missing = {e.name: names for e in entries if (names := tuple(n for n in needs.get(e.source, ()) if n in unset))}
    refused = parameter_problems if store.key == "ssm" else secret_problems
    read = [entry for entry in entries if entry.name not in missing]
    problems = [d for entry in read for d in refused(entry) if d.severity is Severity.ERROR]
    problems += _connection_forms(spec, secrets, unset)
    problems += _index_credentials(spec, secrets)
    return Desired(entries, missing, unread, problems)


def read_secrets(spec: Spec, environ: Mapping[str, str]) -> tuple[dict[str, str], list[Diagnostic]]:
    """The value of every secret that connections and variables use, from its `env` source ("" when
    it is not set, with an AS501 error)."""
    values: dict[str, str] = {}
    problems = []
    for name in pushed_secrets(spec):
        variable = spec.secrets[name].env
        if variable and environ.get(variable):
            values[name] = environ[variable]
            continue
        what = f"environment variable {variable} is {'empty' if variable in environ else 'not set'}"
        path = ("secrets", name, "env") if variable else ("secrets", name)
        problems.append(
            error(
                "AS501",
                f"cannot read secret '{name}': {what if variable else 'it has no `env` source'}",
                path,
                "set it before pushing",
            )
        )
        values[name] = ""
    return values, problems


def _secrets_by_object(spec: Spec) -> dict[SpecPath, tuple[str, ...]]:
    """The secrets each connection and variable uses, by its path (`("connections", ID)`), in order; and
    the one each package index entry holds, by the path of its first use."""
    used: dict[SpecPath, dict[str, None]] = {}
    for path, ref in secret_references(spec):
        if path[0] in ("connections", "variables"):
            used.setdefault(path[:2], {})[ref.secret] = None
    by_object = {source: tuple(names) for source, names in used.items()}
    return by_object | {path: (name,) for name, path in package_indexes.stored_secrets(spec).items()}


def _index_credentials(spec: Spec, secrets: Mapping[str, str]) -> Iterator[Diagnostic]:
    """A package index's credential goes into a URL as it is: one that a URL cannot carry is refused,
    unquoted (pip would print the pieces it cut it into)."""
    for name, path in package_indexes.stored_secrets(spec).items():
        if secrets.get(name) and CREDENTIAL.fullmatch(secrets[name]) is None:
            message = f"secret '{name}' holds a character a URL cannot carry as written"
            yield error("AS507", message, path, CREDENTIAL_HINT)


def _connection_forms(spec: Spec, secrets: Mapping[str, str], unset: set[str]) -> Iterator[Diagnostic]:
    """A connection kept whole in a secret is pushed as is: Airflow must be able to read it."""
    for conn_id, ref in spec.secret_connections().items():
        if ref.secret not in unset and not is_connection_form(secrets[ref.secret]):
            yield error(
                "AS502",
                f"secret '{ref.secret}' holds connection '{conn_id}', but its value is neither Airflow's JSON form "
                "(an object with `conn_type`) nor a connection URI",
                ("connections", conn_id),
                'write it as {"conn_type": "postgres", "host": ..., "password": ...} or postgres://user:pass@host',
            )
