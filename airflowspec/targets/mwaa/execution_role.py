"""The execution role the template makes with `createExecutionRole: true`.

Its policy is the one MWAA's user guide documents ("Amazon MWAA execution role", the sample policies
for an AWS owned key and for a customer managed key), with the guide's placeholders filled from the
spec: publish the environment's health metrics; read the source bucket (and not list the account's
buckets); write and read the environment's CloudWatch log groups `airflow-<name>-*`; put metrics;
use MWAA's Celery queues `airflow-celery-*`, which live in an account of MWAA's (hence `*`); and use
KMS through SQS (and S3, with a customer managed key): with the customer key `kmsKey` names, or
without one any key outside the account (MWAA's own). Then read access to the spec's connections
and variables only (`secrets_backend`), and what the startup script needs for the package indexes
(`package_indexes`). MWAA and its environments may assume it
(`airflow.amazonaws.com`, `airflow-env.amazonaws.com`). The role has no name of its own, so
deploying needs `CAPABILITY_IAM`, not `CAPABILITY_NAMED_IAM`.
"""

from __future__ import annotations

import re
from typing import Any

from airflowspec.data import mwaa as facts
from airflowspec.spec import MwaaTarget, Spec
from airflowspec.spec.stack import StackImport, StackParameter
from airflowspec.targets.mwaa import package_indexes
from airflowspec.targets.mwaa.secret_stores import chosen_store
from airflowspec.targets.mwaa.secrets_backend import secrets_read_statements
from airflowspec.targets.mwaa.stack_values import environment_name, expression

EXECUTION_ROLE = "ExecutionRole"
_ARN = "arn:${AWS::Partition}"
_ACCOUNT = "${AWS::Region}:${AWS::AccountId}"
_LOG_ACTIONS = [
    "logs:CreateLogStream",
    "logs:CreateLogGroup",
    "logs:PutLogEvents",
    "logs:GetLogEvents",
    "logs:GetLogRecord",
    "logs:GetLogGroupFields",
    "logs:GetQueryResults",
]
_SQS_ACTIONS = [
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
    "sqs:ReceiveMessage",
    "sqs:SendMessage",
]
_KEY_ID = re.compile(facts.KMS_KEY_ID)
_KMS_ACTIONS = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*", "kms:Encrypt"]
_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": ["airflow.amazonaws.com", "airflow-env.amazonaws.com"]},
            "Action": "sts:AssumeRole",
        }
    ],
}


def execution_role(spec: Spec, mwaa: MwaaTarget) -> dict[str, Any]:
    statements = [
        *_environment_statements(spec, mwaa),
        _kms_statement(mwaa),
        *secrets_read_statements(spec, mwaa),
        *package_indexes.read_statements(spec, chosen_store(mwaa)),
    ]
    policy = {"PolicyName": "mwaa-execution", "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}
    properties = {
        "Description": "Execution role of an Amazon MWAA environment, with the permissions MWAA documents",
        "AssumeRolePolicyDocument": _TRUST,
        "Policies": [policy],
    }
    return {"Type": "AWS::IAM::Role", "Properties": properties}


def _environment_statements(spec: Spec, mwaa: MwaaTarget) -> list[dict[str, Any]]:
    name = {"EnvironmentName": environment_name(spec, mwaa)}
    bucket = expression(mwaa.source_bucket_arn)
    bucket_and_objects = [bucket, _sub("${SourceBucketArn}/*", {"SourceBucketArn": bucket})]
    return [
        _allow("airflow:PublishMetrics", _sub(f"{_ARN}:airflow:{_ACCOUNT}:environment/${{EnvironmentName}}", name)),
        {"Effect": "Deny", "Action": "s3:ListAllMyBuckets", "Resource": bucket_and_objects},
        _allow(["s3:GetObject*", "s3:GetBucket*", "s3:List*"], bucket_and_objects),
        _allow(_LOG_ACTIONS, [_sub(f"{_ARN}:logs:{_ACCOUNT}:log-group:airflow-${{EnvironmentName}}-*", name)]),
        _allow("logs:DescribeLogGroups", ["*"]),
        _allow("s3:GetAccountPublicAccessBlock", ["*"]),
        _allow("cloudwatch:PutMetricData", "*"),
        _allow(_SQS_ACTIONS, {"Fn::Sub": f"{_ARN}:sqs:${{AWS::Region}}:*:airflow-celery-*"}),
    ]


def _kms_statement(mwaa: MwaaTarget) -> dict[str, Any]:
    through = [{"Fn::Sub": "sqs.${AWS::Region}.amazonaws.com"}]
    if mwaa.kms_key is None:  # MWAA's own key, in an account of MWAA's: any key but the account's own
        statement = _allow(_KMS_ACTIONS, None)
        statement["NotResource"] = {"Fn::Sub": f"{_ARN}:kms:*:${{AWS::AccountId}}:key/*"}
    else:
        statement = _allow(_KMS_ACTIONS, _key_arn(mwaa.kms_key))
        through.append({"Fn::Sub": "s3.${AWS::Region}.amazonaws.com"})
    statement["Condition"] = {"StringLike": {"kms:ViaService": through}}
    return statement


def _key_arn(key: str | StackParameter | StackImport) -> Any:
    """A key ARN as it is; a key id (or `key/` and the id) as the key of that id in the stack's own
    account and Region. An alias is refused before (AS430): IAM grants a key by its ARN."""
    if isinstance(key, str) and _KEY_ID.fullmatch(key):
        return {"Fn::Sub": f"{_ARN}:kms:{_ACCOUNT}:key/{key.removeprefix('key/')}"}
    return expression(key)


def _allow(action: str | list[str], resource: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": "Allow", "Action": action}
    if resource is not None:
        statement["Resource"] = resource
    return statement


def _sub(text: str, variables: dict[str, Any]) -> Any:
    """`Fn::Sub` of `text`; a literal value is written into the text itself, where it cannot hold `${`
    (a name, a bucket ARN: the spec's rules refuse any other). A value the stack gives stays a variable
    (`Fn::Join` would do without one, but cfn-lint prefers this, I1022); `diff` masks a text with a
    `${Variable}` as it does a chart's placeholder, which here changes only when a value moves between a
    literal and the stack."""
    remaining = {}
    for name, value in variables.items():
        if isinstance(value, str):
            text = text.replace(f"${{{name}}}", value)
        else:
            remaining[name] = value
    if "${" not in text:
        return text
    return {"Fn::Sub": [text, remaining] if remaining else text}
