"""The rules of a template wired into a stack: one meaning per parameter name, no name the template
uses itself, one execution role, and a key the made role can name."""

from __future__ import annotations

import re
from collections.abc import Iterator

from airflowspec.data import mwaa as facts
from airflowspec.diagnostics import Diagnostic, error, format_path, quote
from airflowspec.spec import MwaaTarget, Spec
from airflowspec.spec.stack import StackParameter
from airflowspec.targets.mwaa.execution_role import EXECUTION_ROLE
from airflowspec.targets.mwaa.security_group import SECURITY_GROUP, SELF_INGRESS
from airflowspec.targets.mwaa.stack_values import MWAA, Use, wired_values

#: Logical ids the template gives its own resources and parameters, and what each is.
TEMPLATE_NAMES = {
    "Environment": "the MWAA environment",
    EXECUTION_ROLE: "the execution role it makes",
    SECURITY_GROUP: "the security group it makes",
    SELF_INGRESS: "that group's rule",
    "RequirementsS3ObjectVersion": "the version of requirements.txt",
    "PluginsS3ObjectVersion": "the version of the plugins",
    "StartupScriptS3ObjectVersion": "the version of the startup script",
}
_KEY_ARN_OR_ID = re.compile(f"{facts.KMS_KEY_ARN}|{facts.KMS_KEY_ID}")


def check_wiring(spec: Spec, mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    yield from _parameters(spec, mwaa)
    yield from _execution_role(mwaa)
    yield from _key_of_made_role(mwaa)


def _parameters(spec: Spec, mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    first: dict[str, Use] = {}
    for use in wired_values(spec, mwaa):
        if not isinstance(use.value, StackParameter):
            continue
        name, path = use.value.parameter, (*use.path, "parameter")
        if name in TEMPLATE_NAMES:
            message = f"the template names {TEMPLATE_NAMES[name]} {quote(name)} itself"
            yield error("AS428", message, path, "give the parameter another name")
        elif name in first and first[name].kind != use.kind:
            earlier = first[name]
            message = (
                f"parameter {quote(name)} is {earlier.kind.noun} at {format_path(earlier.path)}, not {use.kind.noun}"
            )
            yield error("AS427", message, path, "give each value its own parameter")
        first.setdefault(name, use)


def _execution_role(mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    if mwaa.create_execution_role and mwaa.execution_role_arn is not None:
        yield error(
            "AS429",
            "`createExecutionRole` makes the role that `executionRoleArn` names too: give one or the other",
            (*MWAA, "createExecutionRole"),
            "remove `executionRoleArn` to use the made role, or this to use yours",
            on_key=True,
        )
    elif not mwaa.create_execution_role and mwaa.execution_role_arn is None:
        yield error(
            "AS429",
            "MWAA needs an execution role",
            MWAA,
            "give `executionRoleArn`, or `createExecutionRole: true` to have the template make one",
            on_key=True,
        )


def _key_of_made_role(mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    """IAM grants a KMS key by its ARN: the made role can name a key ARN or id, not an alias."""
    key = mwaa.kms_key
    if (
        mwaa.create_execution_role
        and isinstance(key, str)
        and not re.fullmatch(rf"{facts.KMS_KEY_ARN}|{facts.KMS_KEY_ID}", key)
    ):
        yield error(
            "AS430",
            f"the execution role the template makes needs the key's ARN or id, not {quote(key)}",
            (*MWAA, "kmsKey"),
            "IAM grants a key by its ARN, which an alias does not give",
        )
