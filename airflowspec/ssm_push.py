"""`airflowspec ssm push`: write the spec's connections and variables to SSM Parameter Store.

Secrets are read from their `env` source at push time, all of them before anything is written.
Parameters whose value and type already match are left alone; `prune` deletes parameters under the
prefixes that the spec no longer has. What is printed names parameters, never values.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from airflowspec.data import mwaa as facts
from airflowspec.diagnostics import Diagnostic, error
from airflowspec.spec import MwaaTarget, Spec
from airflowspec.spec.walk import secret_references
from airflowspec.targets.mwaa.ssm_parameters import Parameter, ssm_parameters

Verb = Literal["create", "update", "unchanged", "delete"]
_BATCH = 10  # GetParameters and DeleteParameters take at most ten names


@dataclasses.dataclass(frozen=True)
class Action:
    verb: Verb
    name: str
    type: str = ""

    def describe(self, dry_run: bool) -> str:
        done = {"create": "created", "update": "updated", "unchanged": "unchanged", "delete": "deleted"}[self.verb]
        text = f"would {self.verb}" if dry_run and self.verb != "unchanged" else done
        return f"{text} {self.name}" + (f" ({self.type})" if self.type else "")


def read_secrets(spec: Spec, environ: Mapping[str, str]) -> tuple[dict[str, str], list[Diagnostic]]:
    """The value of every secret that connections and variables use, from its `env` source."""
    values: dict[str, str] = {}
    problems = []
    for path, ref in secret_references(spec):
        if path[0] not in ("connections", "variables") or ref.secret in values:
            continue
        secret = spec.secrets[ref.secret]
        if secret.env is None or secret.env not in environ:
            where = ("secrets", ref.secret, "env") if secret.env else ("secrets", ref.secret)
            what = f"environment variable {secret.env} is not set" if secret.env else "it has no `env` source"
            problems.append(
                error("AS501", f"cannot read secret '{ref.secret}': {what}", where, "set it before pushing")
            )
            values[ref.secret] = ""
            continue
        values[ref.secret] = environ[secret.env]
    return values, problems


def desired_parameters(spec: Spec, mwaa: MwaaTarget, secrets: Mapping[str, str]) -> list[Parameter]:
    return ssm_parameters(spec, mwaa, lambda ref: secrets[ref.secret])


def too_large(parameters: list[Parameter]) -> list[Diagnostic]:
    """Limits that only the secrets' values can break, checked before anything is written."""
    problems = []
    for parameter in parameters:
        size = len(parameter.value.encode("utf-8"))
        if size > facts.SSM_ADVANCED_VALUE_BYTES:
            message = (
                f"{parameter.name} is {size} bytes with its secrets; SSM takes at most {facts.SSM_ADVANCED_VALUE_BYTES}"
            )
            problems.append(error("AS502", message, parameter.source))
        elif "{{" in parameter.value and "}}" in parameter.value:
            problems.append(
                error("AS502", f"SSM refuses {parameter.name}: a secret's value holds `{{{{ }}}}`", parameter.source)
            )
    return problems


def plan(client: Any, desired: list[Parameter], prefixes: list[str], prune: bool) -> list[Action]:
    existing = _current(client, [parameter.name for parameter in desired])
    actions = []
    for parameter in desired:
        current = existing.get(parameter.name)
        verb: Verb = (
            "create" if current is None else "unchanged" if current == (parameter.value, parameter.type) else "update"
        )
        actions.append(Action(verb, parameter.name, parameter.type))
    if prune:
        wanted = {parameter.name for parameter in desired}
        stale = sorted({name for prefix in prefixes for name in _names_under(client, prefix)} - wanted)
        actions += [Action("delete", name) for name in stale]
    return actions


def apply(client: Any, actions: list[Action], desired: list[Parameter]) -> Iterator[Action]:
    """Carry out the plan, yielding each action once it is done."""
    by_name = {parameter.name: parameter for parameter in desired}
    for action in actions:
        if action.verb in ("create", "update"):
            parameter = by_name[action.name]
            tier = "Advanced" if len(parameter.value.encode("utf-8")) > facts.SSM_STANDARD_VALUE_BYTES else "Standard"
            client.put_parameter(
                Name=parameter.name, Value=parameter.value, Type=parameter.type, Overwrite=True, Tier=tier
            )
        if action.verb != "delete":
            yield action
    deletions = [action for action in actions if action.verb == "delete"]
    for start in range(0, len(deletions), _BATCH):
        batch = deletions[start : start + _BATCH]
        client.delete_parameters(Names=[action.name for action in batch])
        yield from batch


def _current(client: Any, names: list[str]) -> dict[str, tuple[str, str]]:
    found = {}
    for start in range(0, len(names), _BATCH):
        response = client.get_parameters(Names=names[start : start + _BATCH], WithDecryption=True)
        for parameter in response["Parameters"]:
            found[parameter["Name"]] = (parameter["Value"], parameter["Type"])
    return found


def _names_under(client: Any, prefix: str) -> Iterator[str]:
    paginator = client.get_paginator("get_parameters_by_path")
    for page in paginator.paginate(Path=prefix.rstrip("/") or "/", Recursive=True):
        for parameter in page["Parameters"]:
            yield parameter["Name"]


@dataclasses.dataclass(frozen=True)
class Options:
    dry_run: bool = False
    prune: bool = False
    profile: str | None = None
    region: str | None = None


def push(spec: Spec, options: Options, environ: Mapping[str, str]) -> Iterator[Action]:
    """Plan and (unless a dry run) carry out the push. Raises PushProblems before any write, and
    boto3's own errors from the SSM API."""
    mwaa = spec.targets.mwaa
    assert mwaa is not None  # the mwaa rules report a missing block first
    secrets, problems = read_secrets(spec, environ)
    desired = [] if problems else desired_parameters(spec, mwaa, secrets)
    problems += too_large(desired)
    if problems:
        raise PushProblems(problems)
    client = _client(options)
    actions = plan(client, desired, [mwaa.ssm.connections_prefix, mwaa.ssm.variables_prefix], options.prune)
    return iter(actions) if options.dry_run else apply(client, actions, desired)


class PushProblems(Exception):
    """The spec cannot be pushed as the environment stands; nothing was written."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(f"{len(diagnostics)} problems")
        self.diagnostics = diagnostics


def summary(actions: list[Action], dry_run: bool) -> str:
    """`2 created, 1 updated, 5 unchanged, 0 deleted` (with `would be` on a dry run)."""
    counts = {verb: sum(1 for action in actions if action.verb == verb) for verb in ("create", "update", "delete")}
    unchanged = len(actions) - sum(counts.values())
    done = "would be " if dry_run else ""
    return (
        f"{counts['create']} {done}created, {counts['update']} {done}updated, {unchanged} unchanged, "
        f"{counts['delete']} {done}deleted"
    )


def describe_aws_error(exc: Exception) -> str | None:
    """One line for an error of boto3 or of the SSM API; None for anything else. API errors are told
    by their code only: their messages may quote what was sent."""
    from botocore.exceptions import BotoCoreError, ClientError

    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code", "an error")
        return f"SSM refused {exc.operation_name}: {code}"
    if isinstance(exc, BotoCoreError):
        return f"cannot reach SSM: {exc}"
    return None


def _client(options: Options) -> Any:
    import boto3  # the `aws` extra; imported here so that other commands start without it

    session = boto3.Session(profile_name=options.profile, region_name=options.region)
    return session.client("ssm")
