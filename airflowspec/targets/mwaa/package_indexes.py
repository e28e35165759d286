"""The spec's package indexes on MWAA, as MWAA's user guide documents private repositories.

MWAA installs requirements.txt with pip on every component. An index that needs no credentials is an
option line of requirements.txt (`--index-url URL`, `--extra-index-url URL`), written only from these
fields, never from a package. An index that needs them is never written into a file in the bucket with
its credentials: as the guide's "Refreshing a CodeArtifact token" does, the rendered `startup.sh`, which
MWAA sources on every component before it installs requirements.txt, reads each credential at start with
the execution role and exports `PIP_INDEX_URL` / `PIP_EXTRA_INDEX_URL`, which pip reads. A CodeArtifact
index gets a fresh token (`aws codeartifact get-authorization-token`); any other reads its password (and
a user name kept in a secret) from the store the spec chose, where `airflowspec secrets push` writes it
from the secret's `env` source, as `/airflowspec/<name>/package-index/<secret>` (Secrets Manager: without
the first `/`). Then every index goes through the startup script, and none through requirements.txt:
an `--index-url` line there would replace the one the script sets.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pydantic.alias_generators import to_snake

from airflowspec.diagnostics import Diagnostic, SpecPath, error, warning
from airflowspec.package_indexes import CODE_ARTIFACT_USER, CodeArtifact, Index, pip_urls, spec_indexes
from airflowspec.spec import MwaaTarget, SecretRef, Spec

if TYPE_CHECKING:
    from airflowspec.targets.mwaa.secret_stores import SecretStore


STARTUP_SCRIPT = "startup.sh"
_ARN = "arn:${AWS::Partition}"


def uses_startup_script(spec: Spec) -> bool:
    """Whether pip needs credentials that only the rendered startup script can give it."""
    return bool(spec.packages) and any(_read_at_start(index) for index in spec_indexes(spec))


def _read_at_start(index: Index) -> bool:
    """A CodeArtifact token, or a credential kept in a secret: what only the execution role can read."""
    return index.code_artifact is not None or any(
        isinstance(value, SecretRef) for value in (index.index.username, index.index.password)
    )


def requirement_options(spec: Spec) -> list[str]:
    """The option lines of requirements.txt: the indexes, when none needs a credential read at start (a
    user name written in the spec goes into the URL)."""
    if not spec.packages or uses_startup_script(spec):
        return []
    lines = []
    for index in spec_indexes(spec):
        username = index.index.username
        assert not isinstance(username, SecretRef)  # a user name in a secret is read at start
        option = "--extra-index-url" if index.extra else "--index-url"
        lines.append(f"{option} {index.with_credentials(username, None)}")
    return lines


def check_startup_script(spec: Spec, mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    """MWAA runs one startup script: when a package index needs airflowspec's, the spec names no other.
    A role the template does not make must be given what the script reads (AS432)."""
    if not uses_startup_script(spec):
        return
    if not mwaa.create_execution_role:
        from airflowspec.targets.mwaa.secret_stores import chosen_store  # which imports this module

        reads = sorted({statement["Action"] for statement in read_statements(spec, chosen_store(mwaa))})
        yield warning(
            "AS432",
            f"startup.sh reads the package indexes' credentials with the execution role: it needs {', '.join(reads)}",
            ("targets", "mwaa", "executionRoleArn"),
            "grant them (`createExecutionRole: true` makes a role that has them)",
            on_key=True,
        )
    for field in ("startupScriptS3Path", "startupScriptS3ObjectVersion"):
        if getattr(mwaa, to_snake(field)) is not None:
            yield error(
                "AS431",
                f"a package index needs the startup script airflowspec renders ({STARTUP_SCRIPT}), and MWAA runs "
                f"only one: `{field}` names a script of your own",
                ("targets", "mwaa", field),
                "remove it, and move what your script does elsewhere (or add its lines to the rendered one)",
                on_key=True,
            )


def stored_secrets(spec: Spec) -> dict[str, SpecPath]:
    """The secrets the startup script reads from the store, each with the first place that uses it."""
    used: dict[str, SpecPath] = {}
    if not uses_startup_script(spec):
        return used
    for index in spec_indexes(spec):
        if index.code_artifact is None:
            for field, value in (("username", index.index.username), ("password", index.index.password)):
                if isinstance(value, SecretRef):
                    used.setdefault(value.secret, (*index.path, field))
    return used


def entry_name(spec: Spec, store: SecretStore, secret: str) -> str:
    return f"{index_prefix(spec.name, store)}/{secret}"


def index_prefix(environment: str, store: SecretStore) -> str:
    """Where a push keeps the environment's index credentials: a prefix `push --prune` cleans up too."""
    prefix = f"airflowspec/{environment}/package-index"
    return f"/{prefix}" if store.key == "ssm" else prefix


def read_statements(spec: Spec, store: SecretStore) -> list[dict[str, Any]]:
    """What the execution role the template makes needs for the startup script: a CodeArtifact token for
    each CodeArtifact index (and reading its repository with it), the store's entries for the others."""
    if not uses_startup_script(spec):
        return []
    statements = []
    repositories = [index.code_artifact for index in spec_indexes(spec) if index.code_artifact is not None]
    if repositories:
        domains = {f"{_ARN}:codeartifact:{r.region}:{r.owner}:domain/{r.domain}" for r in repositories}
        repos = {f"{_ARN}:codeartifact:{r.region}:{r.owner}:repository/{r.domain}/{r.repository}" for r in repositories}
        statements += [
            _allow("codeartifact:GetAuthorizationToken", [{"Fn::Sub": arn} for arn in sorted(domains)]),
            _allow("codeartifact:ReadFromRepository", [{"Fn::Sub": arn} for arn in sorted(repos)]),
            {  # GetAuthorizationToken needs a bearer token for CodeArtifact, and for nothing else
                **_allow("sts:GetServiceBearerToken", "*"),
                "Condition": {"StringEquals": {"sts:AWSServiceName": "codeartifact.amazonaws.com"}},
            },
        ]
    names = [entry_name(spec, store, secret) for secret in stored_secrets(spec)]
    if names:
        action, resource = _READS[store.key]
        statements.append(_allow(action, [{"Fn::Sub": resource.format(name=name)} for name in names]))
    return statements


#: The call that reads one entry, and its ARN; a secret's ARN ends in `-` and six random characters.
_READS = {
    "ssm": ("ssm:GetParameter", "arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter{name}"),
    "secretsManager": (
        "secretsmanager:GetSecretValue",
        "arn:${{AWS::Partition}}:secretsmanager:${{AWS::Region}}:${{AWS::AccountId}}:secret:{name}-??????",
    ),
}


def _allow(action: str, resource: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource}


def startup_script(spec: Spec, store: SecretStore, header: str) -> str:
    """The rendered startup.sh, when `uses_startup_script`. Every word from the spec is shell-quoted or, in
    a URL, of the characters AS223 lets through (no quote, `$` or `\\`)."""
    lines = [
        "#!/bin/bash",
        f"# Generated by airflowspec from {header}. Do not edit: change the spec and render again.",
        "# MWAA sources this on every component before it installs requirements.txt; pip reads what it exports.",
        "# It holds no credential: each is read at start with the execution role.",
    ]
    reads: list[tuple[str, _Read]] = []

    def credential(index: Index, field: str, value: str | SecretRef | None) -> str | None:
        found = index.code_artifact
        if found is not None and field == "username":
            return CODE_ARTIFACT_USER  # the spec's user name and password for CodeArtifact serve EKS
        if found is not None:
            read = _Read(_token_read(found), f"a CodeArtifact token of {found.domain}")
        elif isinstance(value, SecretRef):
            read = _Read(_store_read(store, entry_name(spec, store, value.secret)), f"secret {value.secret}")
        else:
            return value
        variable = f"{index.variable}_{field.upper()}"
        reads.append((variable, read))
        return f"${{{variable}}}"

    exports = pip_urls(spec, credential)
    lines += [f'{variable}="$({read.command})" || echo {shlex.quote(read.failure)} >&2' for variable, read in reads]
    lines += [f'export {name}="{urls}"' for name, urls in exports.items()]
    if reads:
        lines.append(f"unset {' '.join(variable for variable, _ in reads)}")
    return "\n".join(lines) + "\n"


class _Read:
    """A credential read at start: the command that prints it, and what to say when it fails."""

    def __init__(self, command: str, what: str) -> None:
        self.command = command
        self.failure = f"airflowspec startup.sh: could not read {what}; pip cannot use that package index"


def _token_read(found: CodeArtifact) -> str:
    where = ["--domain", found.domain, "--domain-owner", found.owner, "--region", found.region]
    words = ["aws", "codeartifact", "get-authorization-token", *where, "--query", "authorizationToken"]
    return shlex.join([*words, "--output", "text"])


def _store_read(store: SecretStore, name: str) -> str:
    if store.key == "ssm":
        words = ["aws", "ssm", "get-parameter", "--name", name, "--with-decryption", "--query", "Parameter.Value"]
    else:
        words = ["aws", "secretsmanager", "get-secret-value", "--secret-id", name, "--query", "SecretString"]
    return shlex.join([*words, "--output", "text"])
