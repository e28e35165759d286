"""`airflowspec ssm push`: write the spec's connections and variables to SSM Parameter Store.

Secrets are read from their `env` source at push time, all of them before anything is written.
Parameters whose value and type already match are left alone. Each parameter written is tagged
with the environment's name, and `prune` deletes only parameters with that tag that the spec no
longer has, so it never touches parameters made by hand or by another environment under the same
prefixes. What is printed names parameters, never values.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from airflowspec.diagnostics import Diagnostic, Severity, error
from airflowspec.spec import MwaaTarget, Spec
from airflowspec.spec.walk import object_secrets
from airflowspec.targets.mwaa.ssm_parameters import Parameter, parameter_problems, ssm_parameters

Verb = Literal["create", "update", "unchanged", "delete"]
TAG_KEY = "airflowspec:environment"
_BATCH = 10  # GetParameters and DeleteParameters take at most ten names
_PAST = {"create": "created", "update": "updated", "unchanged": "unchanged", "delete": "deleted"}


@dataclasses.dataclass(frozen=True)
class Options:
    dry_run: bool = False
    prune: bool = False
    profile: str | None = None
    region: str | None = None


@dataclasses.dataclass(frozen=True)
class Action:
    verb: Verb
    name: str
    type: str = ""
    old_type: str = ""  # set when an update changes the type, which SSM makes a delete and a create

    def describe(self, dry_run: bool) -> str:
        done = f"would be {_PAST[self.verb]}" if dry_run and self.verb != "unchanged" else _PAST[self.verb]
        kind = f"{self.old_type} -> {self.type}" if self.old_type else self.type
        return f"{done} {self.name}" + (f" ({kind})" if kind else "")


class PushProblems(Exception):
    """The spec cannot be pushed as the environment stands; nothing was written."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(f"{len(diagnostics)} problems")
        self.diagnostics = diagnostics


def push(spec: Spec, options: Options, environ: Mapping[str, str]) -> Iterator[Action]:
    """Plan, and unless it is a dry run carry out, the push; each action is yielded once done.

    Raises PushProblems before any write, and boto3's errors from the SSM API."""
    mwaa = spec.targets.mwaa
    assert mwaa is not None  # the mwaa rules report a missing block first
    desired = _desired(spec, mwaa, environ)
    client = _client(options)
    prefixes = [mwaa.ssm.connections_prefix, mwaa.ssm.variables_prefix]
    actions = plan(client, desired, prefixes, spec.name if options.prune else None)
    return iter(actions) if options.dry_run else apply(client, actions, desired, spec.name)


def read_secrets(spec: Spec, environ: Mapping[str, str]) -> tuple[dict[str, str], list[Diagnostic]]:
    """The value of every secret that connections and variables use, from its `env` source."""
    values: dict[str, str] = {}
    problems = []
    for name in object_secrets(spec):
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


def plan(client: Any, desired: list[Parameter], prefixes: list[str], prune_tag: str | None) -> list[Action]:
    """What to do per parameter. With `prune_tag`, also delete this environment's parameters that are
    no longer desired."""
    existing = _current(client, [parameter.name for parameter in desired])
    actions = [_action(parameter, existing.get(parameter.name)) for parameter in desired]
    if prune_tag is not None:
        wanted = {parameter.name for parameter in desired}
        tagged = {name for prefix in prefixes for name in _tagged_under(client, prefix, prune_tag)}
        actions += [Action("delete", name) for name in sorted(tagged - wanted)]
    return actions


def apply(client: Any, actions: list[Action], desired: list[Parameter], environment: str) -> Iterator[Action]:
    """Carry out the plan, yielding each action once it is done."""
    by_name = {parameter.name: parameter for parameter in desired}
    tags = [{"Key": TAG_KEY, "Value": environment}]
    for action in actions:
        if action.verb in ("create", "update"):
            _write(client, by_name[action.name], action, tags)
        if action.verb != "delete":
            yield action
    deletions = [action for action in actions if action.verb == "delete"]
    for start in range(0, len(deletions), _BATCH):
        batch = deletions[start : start + _BATCH]
        client.delete_parameters(Names=[action.name for action in batch])
        yield from batch


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
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, ProfileNotFound

    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code", "an error")
        return f"SSM refused {exc.operation_name}: {code}"
    if isinstance(exc, (NoCredentialsError, ProfileNotFound)):
        return f"no AWS credentials: {exc}"
    if isinstance(exc, BotoCoreError):
        return f"cannot reach SSM: {exc}"
    return None


def _desired(spec: Spec, mwaa: MwaaTarget, environ: Mapping[str, str]) -> list[Parameter]:
    secrets, problems = read_secrets(spec, environ)
    desired = [] if problems else ssm_parameters(spec, mwaa, lambda ref: secrets[ref.secret])
    problems += [d for parameter in desired for d in parameter_problems(parameter) if d.severity is Severity.ERROR]
    if problems:
        raise PushProblems(problems)
    return desired


def _action(parameter: Parameter, current: tuple[str, str] | None) -> Action:
    if current is None:
        return Action("create", parameter.name, parameter.type)
    value, kind = current
    if (value, kind) == (parameter.value, parameter.type):
        return Action("unchanged", parameter.name, parameter.type)
    return Action("update", parameter.name, parameter.type, old_type=kind if kind != parameter.type else "")


def _write(client: Any, parameter: Parameter, action: Action, tags: list[dict[str, str]]) -> None:
    # Intelligent-Tiering takes the Advanced tier only when a value needs it, and never fails on a
    # value that shrinks back under the Standard limit.
    fields = {"Name": parameter.name, "Value": parameter.value, "Type": parameter.type, "Tier": "Intelligent-Tiering"}
    if action.old_type:  # SSM does not change a parameter's type in place
        client.delete_parameter(Name=parameter.name)
    if action.verb == "create" or action.old_type:
        client.put_parameter(**fields, Tags=tags)  # tags cannot go with Overwrite
    else:
        client.put_parameter(**fields, Overwrite=True)
        client.add_tags_to_resource(ResourceType="Parameter", ResourceId=parameter.name, Tags=tags)


def _current(client: Any, names: list[str]) -> dict[str, tuple[str, str]]:
    found = {}
    for start in range(0, len(names), _BATCH):
        response = client.get_parameters(Names=names[start : start + _BATCH], WithDecryption=True)
        for parameter in response["Parameters"]:
            found[parameter["Name"]] = (parameter["Value"], parameter["Type"])
    return found


def _tagged_under(client: Any, prefix: str, environment: str) -> Iterator[str]:
    filters = [
        {"Key": "Path", "Option": "Recursive", "Values": [prefix.rstrip("/")]},
        {"Key": f"tag:{TAG_KEY}", "Values": [environment]},
    ]
    for page in client.get_paginator("describe_parameters").paginate(ParameterFilters=filters):
        for parameter in page["Parameters"]:
            yield parameter["Name"]


def _client(options: Options) -> Any:
    import boto3  # the `aws` extra; imported here so that other commands start without it

    session = boto3.Session(profile_name=options.profile, region_name=options.region)
    return session.client("ssm")
