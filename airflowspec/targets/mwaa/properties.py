"""`targets.mwaa.properties`: more properties of the AWS::MWAA::Environment, merged into the ones the
template writes, last.

Each is checked against CloudFormation's own schema of the resource (`airflowspec.data.mwaa_schema`):
a property it does not have is refused with the nearest one it has (AS450); a value of the wrong
shape is refused where it is written (AS453). A property the spec already sets is refused with the
field that sets it (AS451): every property the template writes has one, so this block holds what a
newer schema adds, once airflowspec's copy has it. Read-only properties (`Arn`, `WebserverUrl`, ...)
are refused (AS452), and so is a `{secret: NAME}` (AS454): a plain string here is text, written into
the template as it is, where `aws mwaa get-environment` shows it. Like every other spec string that
reaches the template, none may be a CloudFormation function or dynamic reference (AS424, AS425).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from airflowspec.data import mwaa_schema
from airflowspec.diagnostics import Diagnostic, SpecPath, error, format_path, quote
from airflowspec.schema_errors import type_name
from airflowspec.spec import MwaaTarget, Spec
from airflowspec.spec.walk import secret_shaped
from airflowspec.targets.mwaa.stack_values import MWAA

PROPERTIES: SpecPath = (*MWAA, "properties")
TYPE = "AWS::MWAA::Environment"

#: Every property the template writes, with the spec field that sets it.
OWNED = {
    "Name": "`targets.mwaa.name` (the spec's `name` when unset)",
    "AirflowVersion": "`airflow.version`",
    "AirflowConfigurationOptions": "`airflow.config` (and `connections`, `variables` for the secrets backend)",
    "EnvironmentClass": "`targets.mwaa.environmentClass`",
    "SourceBucketArn": "`targets.mwaa.sourceBucketArn`",
    "ExecutionRoleArn": "`targets.mwaa.executionRoleArn` or `createExecutionRole`",
    "DagS3Path": "`targets.mwaa.dagS3Path`",
    "RequirementsS3Path": "`targets.mwaa.requirementsS3Path` (with `packages`)",
    "RequirementsS3ObjectVersion": "`targets.mwaa.requirementsS3ObjectVersion`",
    "PluginsS3Path": "`targets.mwaa.pluginsS3Path`",
    "PluginsS3ObjectVersion": "`targets.mwaa.pluginsS3ObjectVersion`",
    "StartupScriptS3Path": "`targets.mwaa.startupScriptS3Path`",
    "StartupScriptS3ObjectVersion": "`targets.mwaa.startupScriptS3ObjectVersion`",
    "NetworkConfiguration": "`targets.mwaa.network`",
    "WebserverAccessMode": "`targets.mwaa.webserverAccessMode`",
    "EndpointManagement": "`targets.mwaa.endpointManagement`",
    "MinWorkers": "`targets.mwaa.workers.min`",
    "MaxWorkers": "`targets.mwaa.workers.max`",
    "Schedulers": "`targets.mwaa.schedulers`",
    "MinWebservers": "`targets.mwaa.webservers.min`",
    "MaxWebservers": "`targets.mwaa.webservers.max`",
    "KmsKey": "`targets.mwaa.kmsKey`",
    "WeeklyMaintenanceWindowStart": "`targets.mwaa.maintenanceWindow`",
    "WorkerReplacementStrategy": "`targets.mwaa.workerReplacementStrategy`",
    "Tags": "`targets.mwaa.tags`",
    "LoggingConfiguration": "`targets.mwaa.logging`",
}


def check_properties(spec: Spec, mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    if not mwaa.properties:  # the schema copy loads on first use
        return
    known = mwaa_schema.environment_schema()["properties"]
    for name, value in mwaa.properties.items():
        path = (*PROPERTIES, name)
        if name in OWNED:
            message = f"the spec sets {name} itself, from {OWNED[name]}"
            yield error("AS451", message, path, f"set {OWNED[name].split(' ')[0]} instead", on_key=True)
        elif name in mwaa_schema.read_only_properties():
            message = f"{name} is read-only: CloudFormation returns it, a template cannot set it"
            yield error("AS452", message, path, "remove it", on_key=True)
        elif name not in known:
            yield error(
                "AS450", f"{TYPE} has no property {quote(name)}", path, _nearest(name, list(known)), on_key=True
            )
        else:
            secrets = list(_secret_references(value, path))
            yield from secrets
            if not secrets:
                yield from _schema_problems(name, value, path)


def _nearest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if not close:
        return "see CloudFormation's reference of the resource for the properties it has"
    if close[0] in OWNED:
        return f"did you mean `{close[0]}`? The spec sets it, from {OWNED[close[0]]}"
    return f"did you mean `{close[0]}`?"


def _secret_references(value: Any, path: SpecPath) -> Iterator[Diagnostic]:
    for where, _ in secret_shaped(value, path):
        yield error(
            "AS454",
            "`properties` take no secrets: what is written here goes into the template as it is",
            where,
            "give MWAA secrets as connections or variables, which it reads from its secrets backend",
        )


def _schema_problems(name: str, value: Any, path: SpecPath) -> Iterator[Diagnostic]:
    import jsonschema  # loaded on first use: a spec without `properties` does not pay for it

    validator = jsonschema.Draft7Validator(mwaa_schema.property_schema(name))
    for problem in sorted(validator.iter_errors(value), key=lambda problem: list(map(str, problem.absolute_path))):
        where = (*path, *problem.absolute_path)
        if problem.validator == "additionalProperties":
            allowed = list(problem.schema.get("properties", {}))
            for key in sorted(set(problem.instance) - set(allowed)):
                message = f"{TYPE} has no {quote(key)} in `{format_path(where[2:])}`"
                yield error("AS450", message, (*where, key), _nearest(key, allowed), on_key=True)
            continue
        yield error("AS453", f"`{format_path(where[2:])}` {_reason(problem)}", where, on_key=isinstance(where[-1], str))


_TYPES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}


def _reason(problem: Any) -> str:
    """What is wrong, in our words where we have them; jsonschema's otherwise, shortened."""
    if problem.validator == "type":
        kinds = problem.validator_value if isinstance(problem.validator_value, list) else [problem.validator_value]
        expected = " or ".join(_TYPES.get(str(kind), str(kind)) for kind in kinds)
        return f"must be {expected}, not {type_name(problem.instance)}"
    if problem.validator == "enum":
        return f"must be one of: {', '.join(map(str, problem.validator_value))}"
    text = problem.message if len(problem.message) <= 120 else problem.message[:119] + "…"
    return f"does not fit CloudFormation's schema: {text}"
