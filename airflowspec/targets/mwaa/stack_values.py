"""Values the template takes from the stack around it: each as a template expression (a literal as
it is, `{parameter: P}` as `Ref: P`, `{import: E}` as `Fn::ImportValue: E`), and the parameters
they declare, each of the type its field needs."""

from __future__ import annotations

import dataclasses
from typing import Any

from airflowspec.data import mwaa as facts
from airflowspec.diagnostics import SpecPath, format_path
from airflowspec.spec import MwaaTarget, Spec
from airflowspec.spec.stack import StackImport, StackParameter

#: A literal, or a value from the stack.
Value = str | StackParameter | StackImport
MWAA: SpecPath = ("targets", "mwaa")


@dataclasses.dataclass(frozen=True)
class Kind:
    """What a template parameter holds: its CloudFormation type and constraints, and how to say it."""

    noun: str
    type: str = "String"
    pattern: str | None = None
    max_length: int | None = None

    def declaration(self, path: SpecPath) -> dict[str, Any]:
        declaration: dict[str, Any] = {"Type": self.type, "Description": f"{self.noun} ({format_path(path)})"}
        if self.pattern is not None:
            declaration |= {"AllowedPattern": self.pattern, "ConstraintDescription": f"must be {self.noun}"}
        if self.max_length is not None:
            declaration |= {"MinLength": 1, "MaxLength": self.max_length}
        return declaration


NAME = Kind("an MWAA environment name", pattern=facts.ENVIRONMENT_NAME, max_length=80)
BUCKET = Kind("an S3 bucket ARN", pattern=facts.BUCKET_ARN)
ROLE = Kind("an IAM role ARN", pattern=facts.ROLE_ARN)
KMS_KEY = Kind("a KMS key id, key ARN, alias or alias ARN", pattern=facts.KMS_KEY)
KMS_KEY_ARN = Kind("a KMS key ARN", pattern=facts.KMS_KEY_ARN)
SUBNET = Kind("a subnet id", "AWS::EC2::Subnet::Id")
SUBNETS = Kind("a list of subnet ids", "List<AWS::EC2::Subnet::Id>")
GROUP = Kind("a security group id", "AWS::EC2::SecurityGroup::Id")
GROUPS = Kind("a list of security group ids", "List<AWS::EC2::SecurityGroup::Id>")
VPC = Kind("a VPC id", "AWS::EC2::VPC::Id")


@dataclasses.dataclass(frozen=True)
class Use:
    """One value the spec wires, where it is written, and the kind of parameter it would be."""

    path: SpecPath
    value: Value
    kind: Kind


def wired_values(spec: Spec, mwaa: MwaaTarget) -> list[Use]:
    """Every value that may come from the stack, in the order of the spec's fields."""
    uses = [Use((*MWAA, "name"), mwaa.name, NAME)] if mwaa.name is not None else []
    uses.append(Use((*MWAA, "sourceBucketArn"), mwaa.source_bucket_arn, BUCKET))
    if mwaa.execution_role_arn is not None:
        uses.append(Use((*MWAA, "executionRoleArn"), mwaa.execution_role_arn, ROLE))
    network = (*MWAA, "network")
    uses += _list_uses((*network, "subnetIds"), mwaa.network.subnet_ids, SUBNET, SUBNETS)
    uses += _list_uses((*network, "securityGroupIds"), mwaa.network.security_group_ids, GROUP, GROUPS)
    if mwaa.network.create_security_group is not None:
        uses.append(Use((*network, "createSecurityGroup", "vpcId"), mwaa.network.create_security_group.vpc_id, VPC))
    if mwaa.kms_key is not None:
        uses.append(Use((*MWAA, "kmsKey"), mwaa.kms_key, KMS_KEY_ARN if mwaa.create_execution_role else KMS_KEY))
    return uses


def _list_uses(path: SpecPath, values: tuple[Value, ...] | StackParameter, item: Kind, whole: Kind) -> list[Use]:
    if isinstance(values, StackParameter):
        return [Use(path, values, whole)]
    return [Use((*path, index), value, item) for index, value in enumerate(values)]


def template_parameters(spec: Spec, mwaa: MwaaTarget) -> dict[str, Any]:
    """The parameters the spec's `{parameter: P}` values declare, each as its first use needs it (a
    second use of another kind is refused, AS427)."""
    declared: dict[str, Any] = {}
    for use in wired_values(spec, mwaa):
        if isinstance(use.value, StackParameter) and use.value.parameter not in declared:
            declared[use.value.parameter] = use.kind.declaration(use.path)
    return declared


def expression(value: Value) -> Any:
    if isinstance(value, StackParameter):
        return {"Ref": value.parameter}
    if isinstance(value, StackImport):
        return {"Fn::ImportValue": value.import_}
    return value


def environment_name(spec: Spec, mwaa: MwaaTarget) -> Any:
    """The Name property: `targets.mwaa.name`, or the spec's name."""
    return expression(mwaa.name) if mwaa.name is not None else spec.name


def list_expression(values: tuple[Value, ...] | StackParameter) -> Any:
    return expression(values) if isinstance(values, StackParameter) else [expression(value) for value in values]
