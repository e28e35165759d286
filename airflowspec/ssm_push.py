"""`airflowspec ssm push`: write the spec's connections and variables to SSM Parameter Store.

Secrets are read from their `env` source at push time, all of them before anything is written.
Parameters whose value and type already match are left alone (not written, not re-tagged), whoever
owns them. A parameter is this environment's when its `airflowspec:environment` tag names the spec;
push changes (value, type, tags) or deletes no other parameter: one that would change is refused
(AS504) before anything is written, unless `--adopt` takes it over. `--prune` deletes only this
environment's parameters that the spec no longer has. What is printed names parameters, never values.

SSM cannot change a parameter's type in place (AWS documents HierarchyTypeMismatchException), so a
type change is tried in place first and, when refused, is a delete and a create; should the create
fail, the old value (read before anything is written) is put back. When a push fails midway,
`PushStopped` says what was written, what was not, and any value lost; a re-run converges.

The region is the AWS CLI's: `--region`, then AWS_REGION, then AWS_DEFAULT_REGION, then the profile's
`region`. botocore reads the last two itself; AWS_REGION it ignores, so `aws_session` reads it. A dry run
is `airflowspec.ssm_preview`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import urllib.parse
from collections.abc import Iterator, Mapping
from typing import Any

from airflowspec.diagnostics import Diagnostic, error, quote
from airflowspec.spec import Spec
from airflowspec.ssm_actions import Action, PushStopped, Step, summary
from airflowspec.ssm_values import desired
from airflowspec.targets.mwaa.ssm_parameters import Parameter

TAG_KEY = "airflowspec:environment"
NO_REGION = "no AWS region is set (--region, AWS_REGION, AWS_DEFAULT_REGION or the profile's region)"
_BATCH = 10  # GetParameters and DeleteParameters take at most ten names
_TYPE_IN_PLACE_REFUSED = "HierarchyTypeMismatchException"

__all__ = ["Action", "PushStopped", "summary"]


@dataclasses.dataclass(frozen=True)
class Options:
    prune: bool = False
    adopt: bool = False
    profile: str | None = None
    region: str | None = None


@dataclasses.dataclass(frozen=True)
class Current:
    """A parameter as SSM holds it; `tags` are read only for those the push would change."""

    value: str = dataclasses.field(repr=False)
    type: str
    tags: tuple[tuple[str, str], ...] = ()

    @property
    def owner(self) -> str | None:
        return dict(self.tags).get(TAG_KEY)

    def holds(self, parameter: Parameter) -> bool:
        return (self.value, self.type) == (parameter.value, parameter.type)


@dataclasses.dataclass(frozen=True)
class Plan:
    actions: list[Action]
    before: dict[str, Current]  # each existing parameter that an action changes, as it was


class PushProblems(Exception):
    """The spec cannot be pushed as the environment stands; nothing was written."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(f"{len(diagnostics)} problems")
        self.diagnostics = diagnostics


class EndpointError(Exception):
    """The SSM endpoint URL (AWS_ENDPOINT_URL and the like) is not one botocore can use."""


def push(spec: Spec, options: Options, environ: Mapping[str, str]) -> Iterator[Action]:
    """Plan and carry out the push; each action is yielded once done. `environ` gives the secrets'
    values and AWS_REGION.

    Raises PushProblems before any write (every secret must be set); EndpointError and boto3's errors
    before any write; and PushStopped, naming what was and was not done, when a write fails."""
    mwaa = spec.targets.mwaa
    assert mwaa is not None  # the mwaa rules report a missing block first
    wanted = desired(spec, mwaa, environ)
    if wanted.unread or wanted.problems:
        raise PushProblems([*wanted.unread, *wanted.problems])
    client = ssm_client(aws_session(options, environ))
    prefixes = [mwaa.ssm.connections_prefix, mwaa.ssm.variables_prefix]
    planned = plan(client, wanted.parameters, prefixes, spec.name, options)
    return apply(client, planned, wanted.parameters, spec.name)


def plan(
    client: Any,
    desired: list[Parameter],
    prefixes: list[str],
    environment: str,
    options: Options,
    missing: Mapping[str, tuple[str, ...]] | None = None,
) -> Plan:
    """What to do per parameter; raises PushProblems (AS504) for each parameter of another owner that
    would change, unless `options.adopt`. With `options.prune`, also delete this environment's
    parameters that are no longer desired. `missing` (a dry run's) names the parameters whose value
    is not known: only their existence and type are compared, and one whose type matches is `write`."""
    missing = missing or {}
    found = _current(client, [parameter.name for parameter in desired])
    changing = [p.name for p in desired if p.name in found and _differs(found[p.name], p, p.name in missing)]
    before = {name: dataclasses.replace(found[name], tags=_tags(client, name)) for name in changing}
    actions: list[Action] = []
    problems: list[Diagnostic] = []
    for parameter in desired:
        action = _action(parameter, parameter.name in found, before.get(parameter.name), environment, options.adopt)
        if isinstance(action, Diagnostic):
            problems.append(action)
        elif parameter.name in missing:
            verb = "write" if action.verb == "unchanged" else action.verb
            actions.append(dataclasses.replace(action, verb=verb, missing=missing[parameter.name]))
        else:
            actions.append(action)
    if problems:
        raise PushProblems(problems)
    if options.prune:
        wanted = {parameter.name for parameter in desired}
        tagged = {name for prefix in prefixes for name in _tagged_under(client, prefix, environment)}
        actions += [Action("delete", name) for name in sorted(tagged - wanted)]
    return Plan(actions, before)


def apply(client: Any, planned: Plan, desired: list[Parameter], environment: str) -> Iterator[Action]:
    """Carry out the plan, yielding each action once it is done; raises PushStopped when one fails."""
    by_name = {parameter.name: parameter for parameter in desired}
    groups = list(_groups(planned.actions))
    for index, group in enumerate(groups):
        step, first = Step(), group[0]
        try:
            if first.verb == "delete":
                client.delete_parameters(Names=[action.name for action in group])  # one gone since: as good as deleted
            elif first.verb != "unchanged":
                _write(client, first, by_name[first.name], planned.before.get(first.name), environment, step)
        except BaseException as exc:  # also an interrupt: whatever stops the push, say what it left
            left = [action for later in groups[index:] for action in later]
            raise PushStopped(exc, first, step, left[1:]) from exc
        yield from group


def describe_aws_error(exc: BaseException) -> str | None:
    """One line for an error of boto3 or of the SSM API; None for anything else. API errors are told
    by their code only: their messages may quote what was sent."""
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError, ProfileNotFound

    if isinstance(exc, EndpointError):
        where = "check AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_SSM or the profile's endpoint_url"
        return f"the SSM endpoint URL is not valid: {quote(str(exc), 200)}; {where}"
    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code", "an error")
        return f"SSM refused {exc.operation_name}: {code}"
    if isinstance(exc, (NoCredentialsError, ProfileNotFound)):
        return f"no AWS credentials: {exc}"
    if isinstance(exc, NoRegionError):
        return NO_REGION
    if isinstance(exc, BotoCoreError):
        return f"cannot reach SSM: {exc}"
    return None


def _action(
    parameter: Parameter, exists: bool, before: Current | None, environment: str, adopt: bool
) -> Action | Diagnostic:
    """`before` is set for an existing parameter whose value or type differs."""
    name, kind = parameter.name, parameter.type
    if not exists:
        return Action("create", name, kind)
    if before is None:
        return Action("unchanged", name, kind)
    old_type = before.type if before.type != kind else ""
    if before.owner == environment:
        return Action("update", name, kind, old_type)
    if adopt:
        return Action("adopt", name, kind, old_type, owner=before.owner)
    owned = "has no airflowspec tag (made by hand or by another tool)"
    if before.owner is not None:
        owned = f"belongs to another environment {quote(before.owner)}"
    message = f"SSM parameter {name} {owned}, so push will not change it"
    return error("AS504", message, parameter.source, "pass --adopt to take it over", on_key=True)


def _write(
    client: Any, action: Action, parameter: Parameter, before: Current | None, environment: str, step: Step
) -> None:
    # Intelligent-Tiering takes the Advanced tier only when a value needs it, and never fails on a
    # value that shrinks back under the Standard limit.
    fields = {"Name": parameter.name, "Value": parameter.value, "Type": parameter.type, "Tier": "Intelligent-Tiering"}
    tags = [{"Key": TAG_KEY, "Value": environment}]
    if action.verb == "create":
        client.put_parameter(**fields, Tags=tags)  # never Overwrite: one made since the plan is not taken over
        return
    assert before is not None
    if action.verb == "adopt":  # tagged first: should the write fail, a re-run updates it without --adopt
        client.add_tags_to_resource(ResourceType="Parameter", ResourceId=parameter.name, Tags=tags)
        step.tagged = True
    try:
        client.put_parameter(**fields, Overwrite=True)  # tags cannot go with Overwrite
    except Exception as exc:
        if not action.old_type or _code(exc) != _TYPE_IN_PLACE_REFUSED:
            raise
        _recreate(client, fields, before, environment, step)


def _recreate(client: Any, fields: dict[str, str], before: Current, environment: str, step: Step) -> None:
    """A type change as SSM allows it: delete, create; if the create fails, put the old value back."""
    tags = {key: value for key, value in before.tags if not key.startswith("aws:")} | {TAG_KEY: environment}
    tag_list = [{"Key": key, "Value": value} for key, value in tags.items()]
    client.delete_parameter(Name=fields["Name"])
    step.deleted = True
    try:
        client.put_parameter(**fields, Tags=tag_list)
    except BaseException:
        with contextlib.suppress(Exception):  # if this fails too, the report says the value is lost
            client.put_parameter(**fields | {"Value": before.value, "Type": before.type}, Tags=tag_list)
            step.restored = True
        raise


def _groups(actions: list[Action]) -> Iterator[list[Action]]:
    """Each write alone; the deletions (last in a plan) ten at a time, as DeleteParameters takes them."""
    deletions = [action for action in actions if action.verb == "delete"]
    yield from ([action] for action in actions if action.verb != "delete")
    for start in range(0, len(deletions), _BATCH):
        yield deletions[start : start + _BATCH]


def _code(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    return str(response.get("Error", {}).get("Code", "")) if isinstance(response, dict) else ""


def _current(client: Any, names: list[str]) -> dict[str, Current]:
    found = {}
    for start in range(0, len(names), _BATCH):
        response = client.get_parameters(Names=names[start : start + _BATCH], WithDecryption=True)
        for parameter in response["Parameters"]:
            found[parameter["Name"]] = Current(parameter["Value"], parameter["Type"])
    return found


def _tags(client: Any, name: str) -> tuple[tuple[str, str], ...]:
    response = client.list_tags_for_resource(ResourceType="Parameter", ResourceId=name)
    return tuple((tag["Key"], tag["Value"]) for tag in response.get("TagList", []))


def _tagged_under(client: Any, prefix: str, environment: str) -> Iterator[str]:
    filters = [
        {"Key": "Path", "Option": "Recursive", "Values": [prefix.rstrip("/")]},
        {"Key": f"tag:{TAG_KEY}", "Values": [environment]},
    ]
    for page in client.get_paginator("describe_parameters").paginate(ParameterFilters=filters):
        for parameter in page["Parameters"]:
            yield parameter["Name"]


def _differs(current: Current, parameter: Parameter, value_unknown: bool) -> bool:
    return current.type != parameter.type if value_unknown else not current.holds(parameter)


def aws_session(options: Options, environ: Mapping[str, str]) -> Any:
    """A boto3 session in the region the AWS CLI would use; the one place the region is chosen."""
    import boto3  # the `aws` extra; imported here so that other commands start without it

    region = options.region or environ.get("AWS_REGION") or None  # then botocore's: AWS_DEFAULT_REGION, profile
    return boto3.Session(profile_name=options.profile, region_name=region)


def ssm_client(session: Any) -> Any:
    from botocore.exceptions import BotoCoreError

    try:
        client = session.client("ssm")
        # botocore reads the port only when it signs the first request, where a bad one is a ValueError
        if urllib.parse.urlsplit(client.meta.endpoint_url).port == 0:
            raise ValueError("port 0")
    except ValueError as exc:
        if isinstance(exc, BotoCoreError):  # a bad region, for example: described as botocore's errors are
            raise
        raise EndpointError(str(exc)) from exc
    return client
