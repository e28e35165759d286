"""MWAA wired into a stack: every value the spec may take from the stack, in every form, with and
without the execution role and the security group the template makes, passes the real cfn-lint; the
template's Parameters, Resources and Outputs are what the spec says; the header deploys them.
Each refusal's exact diagnostic is a case in tests/cases/invalid/mwaa-*."""

from __future__ import annotations

import ast
import itertools
import json
import re
import shlex
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from airflowspec import api
from airflowspec.data import mwaa as facts
from airflowspec.emit import to_yaml

LITERALS = {
    "name": "analytics",
    "sourceBucketArn": "arn:aws:s3:::analytics-airflow",
    "executionRoleArn": "arn:aws:iam::123456789012:role/mwaa-analytics",
    "kmsKey": "arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "vpcId": "vpc-0a1b2c3d",
}
SUBNETS = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
GROUPS = ["sg-0123abcd"]
#: How each value is written: as it is, each from a parameter, each from an export, or the lists
#: each from one parameter of a list type (the other values from parameters).
FORMS = ("literal", "parameter", "import", "list-parameter")
#: The parameter each value would get, and its type.
PARAMETERS = {
    "name": ("EnvironmentName", "String"),
    "sourceBucketArn": ("SourceBucketArn", "String"),
    "executionRoleArn": ("ExecutionRoleArn", "String"),
    "kmsKey": ("KmsKey", "String"),
    "vpcId": ("VpcId", "AWS::EC2::VPC::Id"),
}


def _wired(form: str, key: str) -> Any:
    if form == "literal":
        return LITERALS[key]
    if form == "import":
        return {"import": f"network:{key}"}
    return {"parameter": PARAMETERS[key][0]}


def _list(form: str, literals: list[str], stem: str) -> Any:
    if form == "literal":
        return literals
    if form == "import":
        return [{"import": f"network:{stem}{index}"} for index in range(1, len(literals) + 1)]
    if form == "list-parameter":
        return {"parameter": f"{stem}s"}
    return [{"parameter": f"{stem}{index}"} for index in range(1, len(literals) + 1)]


def spec_document(form: str, *, role: bool, group: bool, kms: bool, secrets: bool) -> dict[str, Any]:
    mwaa: dict[str, Any] = {"name": _wired(form, "name"), "sourceBucketArn": _wired(form, "sourceBucketArn")}
    mwaa |= {"createExecutionRole": True} if role else {"executionRoleArn": _wired(form, "executionRoleArn")}
    network: dict[str, Any] = {"subnetIds": _list(form, SUBNETS, "Subnet")}
    network["securityGroupIds"] = _list(form, GROUPS, "SecurityGroupId")
    if group:
        network["createSecurityGroup"] = {"vpcId": _wired(form, "vpcId")}
    mwaa["network"] = network
    if kms:
        mwaa["kmsKey"] = _wired(form, "kmsKey")
    document: dict[str, Any] = {
        "apiVersion": "airflowspec/v1",
        "name": "demo",
        "airflow": {"version": "2.10.3"},
        "packages": ["pandas"],
        "targets": {"mwaa": mwaa},
    }
    if secrets:
        document["variables"] = {"environment": "production"}
    return document


def render(document: dict[str, Any], folder: Path) -> dict[str, str]:
    spec = folder / "airflowspec.yaml"
    spec.write_text(to_yaml(document), encoding="utf-8")
    validation, artifacts = api.render(spec, "mwaa")
    assert validation.ok, [str(d) for d in validation.diagnostics]
    return {artifact.path: artifact.text for artifact in artifacts}


def lint(template: str) -> list[str]:
    from cfnlint.api import ManualArgs, lint

    matches = lint(template, config=ManualArgs(include_checks=["I"], regions=["us-east-1", "eu-central-1"]))
    return [f"{match.rule.id} {match.message}" for match in matches]


def load(text: str) -> Any:
    return YAML(typ="safe", pure=True).load(text)


COMBINATIONS = list(itertools.product(FORMS, (False, True), (False, True), (False, True), (False, True)))


def _id(combination: tuple[str, bool, bool, bool, bool]) -> str:
    form, role, group, kms, secrets = combination
    flags = [name for name, on in (("role", role), ("group", group), ("kms", kms), ("ssm", secrets)) if on]
    return "-".join([form, *flags])


@pytest.mark.parametrize("combination", COMBINATIONS, ids=[_id(c) for c in COMBINATIONS])
def test_every_combination_is_what_the_spec_says_and_cfn_lint_accepts_it(
    combination: tuple[str, bool, bool, bool, bool], tmp_path: Path
) -> None:
    form, role, group, kms, secrets = combination
    files = render(spec_document(form, role=role, group=group, kms=kms, secrets=secrets), tmp_path)
    template = load(files["template.yaml"])
    assert lint(files["template.yaml"]) == []
    properties = template["Resources"]["Environment"]["Properties"]
    expected_resources = {"Environment"} | ({"ExecutionRole"} if role else set())
    expected_resources |= {"SecurityGroup", "SecurityGroupSelfIngress"} if group else set()
    assert set(template["Resources"]) == expected_resources
    assert _wired_parameters(template) == _expected_parameters(form, role=role, group=group, kms=kms)
    assert properties["Name"] == _expression(form, "name")
    assert properties["SourceBucketArn"] == _expression(form, "sourceBucketArn")
    role_arn = {"Fn::GetAtt": ["ExecutionRole", "Arn"]} if role else _expression(form, "executionRoleArn")
    assert properties["ExecutionRoleArn"] == role_arn
    assert ("KmsKey" in properties) is kms
    assert _deploy_overrides(files["template.yaml"]) == _expected_overrides(template)
    assert ("--capabilities CAPABILITY_IAM" in files["template.yaml"]) is role


def _expression(form: str, key: str) -> Any:
    wired = _wired("parameter" if form == "list-parameter" else form, key)
    if isinstance(wired, str):
        return wired
    return {"Ref": wired["parameter"]} if "parameter" in wired else {"Fn::ImportValue": wired["import"]}


def _wired_parameters(template: Any) -> dict[str, str]:
    parameters = template.get("Parameters", {})
    return {name: value["Type"] for name, value in parameters.items() if not name.endswith("S3ObjectVersion")}


def _expected_parameters(form: str, *, role: bool, group: bool, kms: bool) -> dict[str, str]:
    if form in ("literal", "import"):
        return {}
    keys = ["name", "sourceBucketArn", *([] if role else ["executionRoleArn"])]
    expected = dict(PARAMETERS[key] for key in keys)
    if form == "list-parameter":
        expected |= {"Subnets": "List<AWS::EC2::Subnet::Id>", "SecurityGroupIds": "List<AWS::EC2::SecurityGroup::Id>"}
    else:
        expected |= {"Subnet1": "AWS::EC2::Subnet::Id", "Subnet2": "AWS::EC2::Subnet::Id"}
        expected |= {"SecurityGroupId1": "AWS::EC2::SecurityGroup::Id"}
    if group:
        expected |= dict([PARAMETERS["vpcId"]])
    if kms:
        expected |= dict([PARAMETERS["kmsKey"]])
    return expected


def _deploy_overrides(template_text: str) -> dict[str, str]:
    """The `--parameter-overrides` of the header's deploy command: parameter -> value as written."""
    script = "\n".join(line[4:] for line in template_text.splitlines() if line.startswith("#   "))
    deploy = next(line for line in script.replace("\\\n", "").splitlines() if "cloudformation deploy" in line)
    words = shlex.split(deploy, posix=False)
    overrides = words[words.index("--parameter-overrides") + 1 :] if "--parameter-overrides" in words else []
    return dict(word.split("=", 1) for word in overrides)


def _expected_overrides(template: Any) -> dict[str, str]:
    expected = {}
    for name in template.get("Parameters", {}):
        if name.endswith("S3ObjectVersion"):
            expected[name] = (
                '"$' + re.sub(r"(?<!^)(?=[A-Z])", "_", name.removesuffix("S3ObjectVersion")).upper() + '_VERSION"'
            )
        else:
            expected[name] = f'"${{{name}:?}}"'
    return expected


# The template's sections, exactly.


def test_parameters_take_the_type_and_pattern_of_their_field(tmp_path: Path) -> None:
    document = spec_document("parameter", role=False, group=True, kms=True, secrets=False)
    parameters = load(render(document, tmp_path)["template.yaml"])["Parameters"]
    assert parameters["EnvironmentName"] == {
        "Type": "String",
        "Description": "an MWAA environment name (targets.mwaa.name)",
        "AllowedPattern": "[A-Za-z][A-Za-z0-9_-]*",
        "ConstraintDescription": "must be an MWAA environment name",
        "MinLength": 1,
        "MaxLength": 80,
    }
    assert parameters["SourceBucketArn"]["AllowedPattern"] == facts.BUCKET_ARN
    assert parameters["ExecutionRoleArn"]["AllowedPattern"] == facts.ROLE_ARN
    assert parameters["KmsKey"]["AllowedPattern"] == facts.KMS_KEY  # any form: the role is not made here
    assert parameters["Subnet1"] == {
        "Type": "AWS::EC2::Subnet::Id",
        "Description": "a subnet id (targets.mwaa.network.subnetIds[0])",
    }
    assert parameters["VpcId"]["Type"] == "AWS::EC2::VPC::Id"
    assert list(parameters)[-1] == "RequirementsS3ObjectVersion"  # the stack's values first


@pytest.mark.parametrize(
    ("pattern", "good", "bad"),
    [
        (facts.BUCKET_ARN, "arn:aws:s3:::analytics-airflow", "arn:aws:s3:::Analytics_Airflow"),
        (facts.ROLE_ARN, "arn:aws:iam::123456789012:role/mwaa", "arn:aws:iam::123:role/mwaa"),
        (facts.KMS_KEY_ARN, LITERALS["kmsKey"], "alias/mwaa"),
        (facts.ENVIRONMENT_NAME, "analytics-prod_1", "1analytics"),
    ],
)
def test_an_allowed_pattern_takes_a_whole_value_as_the_literal_rule_does(pattern: str, good: str, bad: str) -> None:
    """CloudFormation matches AllowedPattern against the whole value, as fullmatch does."""
    assert re.fullmatch(pattern, good) and not re.fullmatch(pattern, bad)


def test_a_made_role_takes_a_kms_key_parameter_only_as_a_key_arn(tmp_path: Path) -> None:
    document = spec_document("parameter", role=True, group=False, kms=True, secrets=False)
    assert load(render(document, tmp_path)["template.yaml"])["Parameters"]["KmsKey"]["AllowedPattern"] == (
        facts.KMS_KEY_ARN
    )


def test_one_parameter_used_twice_for_the_same_kind_is_declared_once(tmp_path: Path) -> None:
    document = spec_document("literal", role=False, group=False, kms=False, secrets=False)
    document["targets"]["mwaa"]["network"]["securityGroupIds"] = [{"parameter": "Shared"}, "sg-0123abcd"]
    document["targets"]["mwaa"]["network"]["subnetIds"] = [{"import": "a"}, {"import": "b"}]
    template = load(render(document, tmp_path)["template.yaml"])
    assert _wired_parameters(template) == {"Shared": "AWS::EC2::SecurityGroup::Id"}
    assert template["Resources"]["Environment"]["Properties"]["NetworkConfiguration"] == {
        "SubnetIds": [{"Fn::ImportValue": "a"}, {"Fn::ImportValue": "b"}],
        "SecurityGroupIds": [{"Ref": "Shared"}, "sg-0123abcd"],
    }


def test_outputs_export_the_arn_and_the_web_server_url_under_the_stack_name(tmp_path: Path) -> None:
    document = spec_document("literal", role=False, group=False, kms=False, secrets=False)
    assert load(render(document, tmp_path)["template.yaml"])["Outputs"] == {
        "WebserverUrl": {
            "Description": "Host name of the Airflow UI (web server URL)",
            "Value": {"Fn::GetAtt": ["Environment", "WebserverUrl"]},
            "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-WebserverUrl"}},
        },
        "EnvironmentArn": {
            "Description": "ARN of the MWAA environment",
            "Value": {"Fn::GetAtt": ["Environment", "Arn"]},
            "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-EnvironmentArn"}},
        },
    }


def test_the_made_security_group_reaches_itself_and_comes_first(tmp_path: Path) -> None:
    document = spec_document("import", role=False, group=True, kms=False, secrets=False)
    resources = load(render(document, tmp_path)["template.yaml"])["Resources"]
    group_id = {"Fn::GetAtt": ["SecurityGroup", "GroupId"]}
    assert resources["SecurityGroup"] == {
        "Type": "AWS::EC2::SecurityGroup",
        "Properties": {
            "GroupDescription": "Amazon MWAA environment: all traffic between its own parts, all traffic out",
            "VpcId": {"Fn::ImportValue": "network:vpcId"},
        },
    }
    assert resources["SecurityGroupSelfIngress"]["Properties"] == {
        "GroupId": group_id,
        "IpProtocol": "-1",
        "SourceSecurityGroupId": group_id,
        "Description": "Amazon MWAA: all traffic between the parts of the environment",
    }
    groups = resources["Environment"]["Properties"]["NetworkConfiguration"]["SecurityGroupIds"]
    assert groups == [group_id, {"Fn::ImportValue": "network:SecurityGroupId1"}]


def test_the_made_group_and_a_list_parameter_are_joined_into_one_list(tmp_path: Path) -> None:
    document = spec_document("list-parameter", role=False, group=True, kms=False, secrets=False)
    properties = load(render(document, tmp_path)["template.yaml"])["Resources"]["Environment"]["Properties"]
    group_id = {"Fn::GetAtt": ["SecurityGroup", "GroupId"]}
    assert properties["NetworkConfiguration"] == {
        "SubnetIds": {"Ref": "Subnets"},
        "SecurityGroupIds": {
            "Fn::Split": [",", {"Fn::Join": [",", [group_id, {"Fn::Join": [",", {"Ref": "SecurityGroupIds"}]}]]}]
        },
    }


# The execution role: the policy MWAA's user guide documents, filled from the spec.

ENVIRONMENT = "arn:${AWS::Partition}:airflow:${AWS::Region}:${AWS::AccountId}:environment/analytics"
LOG_GROUPS = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:airflow-analytics-*"
BUCKET = ["arn:aws:s3:::analytics-airflow", "arn:aws:s3:::analytics-airflow/*"]
DOCUMENTED = [
    {"Effect": "Allow", "Action": "airflow:PublishMetrics", "Resource": {"Fn::Sub": ENVIRONMENT}},
    {"Effect": "Deny", "Action": "s3:ListAllMyBuckets", "Resource": BUCKET},
    {"Effect": "Allow", "Action": ["s3:GetObject*", "s3:GetBucket*", "s3:List*"], "Resource": BUCKET},
    {
        "Effect": "Allow",
        "Action": [
            "logs:CreateLogStream",
            "logs:CreateLogGroup",
            "logs:PutLogEvents",
            "logs:GetLogEvents",
            "logs:GetLogRecord",
            "logs:GetLogGroupFields",
            "logs:GetQueryResults",
        ],
        "Resource": [{"Fn::Sub": LOG_GROUPS}],
    },
    {"Effect": "Allow", "Action": "logs:DescribeLogGroups", "Resource": ["*"]},
    {"Effect": "Allow", "Action": "s3:GetAccountPublicAccessBlock", "Resource": ["*"]},
    {"Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*"},
    {
        "Effect": "Allow",
        "Action": [
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
            "sqs:ReceiveMessage",
            "sqs:SendMessage",
        ],
        "Resource": {"Fn::Sub": "arn:${AWS::Partition}:sqs:${AWS::Region}:*:airflow-celery-*"},
    },
]
KEY_IN_STACK = "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}"
KMS_ACTIONS = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*", "kms:Encrypt"]
THROUGH_SQS = {"Fn::Sub": "sqs.${AWS::Region}.amazonaws.com"}
THROUGH_S3 = {"Fn::Sub": "s3.${AWS::Region}.amazonaws.com"}
SSM = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter"


def _role(document: dict[str, Any], folder: Path) -> Any:
    return load(render(document, folder)["template.yaml"])["Resources"]["ExecutionRole"]


def test_the_made_role_has_the_documented_policy_for_an_aws_owned_key(tmp_path: Path) -> None:
    role = _role(spec_document("literal", role=True, group=False, kms=False, secrets=False), tmp_path)
    assert role["Type"] == "AWS::IAM::Role"
    assert "RoleName" not in role["Properties"]  # CAPABILITY_IAM, not CAPABILITY_NAMED_IAM
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"Service": ["airflow.amazonaws.com", "airflow-env.amazonaws.com"]},
            "Action": "sts:AssumeRole",
        }
    ]
    (policy,) = role["Properties"]["Policies"]
    assert policy["PolicyDocument"]["Statement"] == [
        *DOCUMENTED,
        {
            "Effect": "Allow",
            "Action": KMS_ACTIONS,
            "NotResource": {"Fn::Sub": "arn:${AWS::Partition}:kms:*:${AWS::AccountId}:key/*"},
            "Condition": {"StringLike": {"kms:ViaService": [THROUGH_SQS]}},
        },
    ]


@pytest.mark.parametrize(
    ("key", "resource"),
    [
        (LITERALS["kmsKey"], LITERALS["kmsKey"]),
        (
            "1234abcd-12ab-34cd-56ef-1234567890ab",
            {"Fn::Sub": f"{KEY_IN_STACK}:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
        ),
        (
            "key/1234abcd-12ab-34cd-56ef-1234567890ab",
            {"Fn::Sub": f"{KEY_IN_STACK}:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
        ),
        ({"parameter": "KeyArn"}, {"Ref": "KeyArn"}),
        ({"import": "keys-AirflowKeyArn"}, {"Fn::ImportValue": "keys-AirflowKeyArn"}),
    ],
    ids=["arn", "id", "key-id", "parameter", "import"],
)
def test_the_made_role_uses_a_customer_key_through_sqs_and_s3(key: Any, resource: Any, tmp_path: Path) -> None:
    document = spec_document("literal", role=True, group=False, kms=True, secrets=False)
    document["targets"]["mwaa"]["kmsKey"] = key
    files = render(document, tmp_path)
    statements = load(files["template.yaml"])["Resources"]["ExecutionRole"]["Properties"]["Policies"][0]
    assert statements["PolicyDocument"]["Statement"][-1] == {
        "Effect": "Allow",
        "Action": KMS_ACTIONS,
        "Resource": resource,
        "Condition": {"StringLike": {"kms:ViaService": [THROUGH_SQS, THROUGH_S3]}},
    }
    assert lint(files["template.yaml"]) == []


def test_the_made_role_reads_the_specs_ssm_prefixes_and_nothing_else(tmp_path: Path) -> None:
    document = spec_document("literal", role=True, group=False, kms=False, secrets=True)
    document["targets"]["mwaa"]["ssm"] = {"connectionsPrefix": "/analytics/connections/", "variablesPrefix": "/v"}
    statements = _role(document, tmp_path)["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    reads = [statement for statement in statements if "ssm" in json.dumps(statement["Action"])]
    assert reads == [
        {
            "Effect": "Allow",
            "Action": ["ssm:GetParameter"],  # all that SystemsManagerParameterStoreBackend calls
            "Resource": [
                {"Fn::Sub": f"{SSM}/analytics/connections/*"},
                {"Fn::Sub": f"{SSM}/v/*"},
            ],
        }
    ]


def test_the_made_role_reads_the_specs_secrets_manager_prefixes_and_no_parameter(tmp_path: Path) -> None:
    document = spec_document("literal", role=True, group=False, kms=False, secrets=True)
    document["targets"]["mwaa"]["secretsBackend"] = "secretsManager"
    document["targets"]["mwaa"]["secretsManager"] = {"connectionsPrefix": "prod/conns/", "variablesPrefix": "prod/vars"}
    statements = _role(document, tmp_path)["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    secret = "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret"
    assert "ssm:" not in json.dumps(statements)
    assert [statement for statement in statements if "secretsmanager" in json.dumps(statement["Action"])] == [
        {
            "Effect": "Allow",
            "Action": ["secretsmanager:GetSecretValue"],  # all that SecretsManagerBackend calls
            "Resource": [{"Fn::Sub": f"{secret}:prod/conns/*"}, {"Fn::Sub": f"{secret}:prod/vars/*"}],
        }
    ]


def test_without_connections_or_variables_the_made_role_reads_no_parameter(tmp_path: Path) -> None:
    role = _role(spec_document("literal", role=True, group=False, kms=False, secrets=False), tmp_path)
    assert "ssm:" not in json.dumps(role)


def test_the_made_role_names_the_environment_and_bucket_the_stack_gives(tmp_path: Path) -> None:
    statements = _role(spec_document("import", role=True, group=False, kms=False, secrets=False), tmp_path)
    policy = statements["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    name = {"EnvironmentName": {"Fn::ImportValue": "network:name"}}
    bucket = {"Fn::ImportValue": "network:sourceBucketArn"}
    assert policy[0]["Resource"] == {"Fn::Sub": [ENVIRONMENT.replace("analytics", "${EnvironmentName}"), name]}
    assert policy[2]["Resource"] == [bucket, {"Fn::Sub": ["${SourceBucketArn}/*", {"SourceBucketArn": bucket}]}]
    assert policy[3]["Resource"] == [{"Fn::Sub": [LOG_GROUPS.replace("analytics", "${EnvironmentName}"), name]}]


# The header's commands, run as printed by the real AWS CLI against moto's S3, EC2, IAM and
# CloudFormation (moto makes no MWAA environment; it makes the rest, so the role's resolved policy and
# the security group can be read back).

NETWORK_STACK = {
    "Resources": {
        "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "analytics-airflow"}},
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
        "Subnet1": {
            "Type": "AWS::EC2::Subnet",
            "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "eu-central-1a"},
        },
        "Subnet2": {
            "Type": "AWS::EC2::Subnet",
            "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.0.2.0/24", "AvailabilityZone": "eu-central-1b"},
        },
        "Group": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "x", "VpcId": {"Ref": "Vpc"}}},
    },
    "Outputs": {
        name: {"Value": value, "Export": {"Name": f"network:{name}"}}
        for name, value in {
            "sourceBucketArn": {"Fn::GetAtt": ["Bucket", "Arn"]},
            "vpcId": {"Ref": "Vpc"},
            "Subnet1": {"Ref": "Subnet1"},
            "Subnet2": {"Ref": "Subnet2"},
            "SecurityGroupId1": {"Fn::GetAtt": ["Group", "GroupId"]},
            "name": "analytics",
        }.items()
    },
}


@pytest.fixture
def aws(tmp_path: Path) -> Any:
    """(environment for the AWS CLI, boto3 client factory), against a moto server; the network stack exists."""
    import os
    import shutil

    if shutil.which("aws") is None:
        pytest.skip("needs the AWS CLI (`aws`) on PATH")
    moto_server = pytest.importorskip("moto.server", reason="needs moto[server] (the test extra)")
    boto3 = pytest.importorskip("boto3", reason="needs boto3 (the aws extra)")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    credentials = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env |= credentials | {"AWS_ENDPOINT_URL": f"http://{host}:{port}", "AWS_DEFAULT_REGION": "eu-central-1"}

    def client(service: str) -> Any:
        keys = {key.lower(): value for key, value in credentials.items()}
        return boto3.client(service, endpoint_url=env["AWS_ENDPOINT_URL"], region_name="eu-central-1", **keys)

    urllib.request.urlopen(urllib.request.Request(f"{env['AWS_ENDPOINT_URL']}/moto-api/reset", method="POST"))
    cloudformation = client("cloudformation")
    cloudformation.create_stack(StackName="network", TemplateBody=json.dumps(NETWORK_STACK))
    client("s3").put_bucket_versioning(Bucket="analytics-airflow", VersioningConfiguration={"Status": "Enabled"})
    yield env, client
    server.stop()


def _deploy(files: dict[str, str], folder: Path, env: dict[str, str]) -> None:
    import subprocess

    out = folder / "rendered"
    out.mkdir()
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
    script = "\n".join(line[4:] for line in files["template.yaml"].splitlines() if line.startswith("#   "))
    run = subprocess.run(
        ["bash", "-c", "set -eu\n" + script], cwd=out, env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr


def _listed(value: str) -> str:
    """A List<> parameter's value as it was passed: moto shows it as a Python list."""
    return ",".join(ast.literal_eval(value)) if value.startswith("[") else value


def _exports(client: Any) -> dict[str, str]:
    return {export["Name"]: export["Value"] for export in client("cloudformation").list_exports()["Exports"]}


def _made(client: Any, stack: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The made execution role's policy, with its resources as CloudFormation resolved them, and the made group."""
    listed = client("cloudformation").describe_stack_resources(StackName=stack)["StackResources"]
    resources = {item.get("LogicalResourceId"): item.get("PhysicalResourceId") for item in listed}
    iam = client("iam")
    role = iam.get_role(RoleName=resources["ExecutionRole"].rpartition("/")[2])["Role"]
    services = role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"]
    assert sorted(services) == ["airflow-env.amazonaws.com", "airflow.amazonaws.com"]
    (name,) = iam.list_role_policies(RoleName=role["RoleName"])["PolicyNames"]
    document = iam.get_role_policy(RoleName=role["RoleName"], PolicyName=name)["PolicyDocument"]
    if isinstance(document, str):  # moto keeps a policy a template gives as the Python text of it
        document = ast.literal_eval(document)
    policy = {json.dumps(statement["Action"]): statement.get("Resource") for statement in document["Statement"]}
    (group,) = client("ec2").describe_security_groups(GroupIds=[resources["SecurityGroup"]])["SecurityGroups"]
    return policy, group


def _assert_made(policy: dict[str, Any], group: dict[str, Any], vpc: str) -> None:
    assert policy['"airflow:PublishMetrics"'] == "arn:aws:airflow:eu-central-1:123456789012:environment/analytics"
    assert policy['["s3:GetObject*", "s3:GetBucket*", "s3:List*"]'] == [
        "arn:aws:s3:::analytics-airflow",
        "arn:aws:s3:::analytics-airflow/*",
    ]
    assert policy['["ssm:GetParameter"]'] == [
        "arn:aws:ssm:eu-central-1:123456789012:parameter/airflow/connections/*",
        "arn:aws:ssm:eu-central-1:123456789012:parameter/airflow/variables/*",
    ]
    assert group["VpcId"] == vpc
    (rule,) = group["IpPermissions"]
    assert rule["IpProtocol"] == "-1"
    assert [pair["GroupId"] for pair in rule["UserIdGroupPairs"]] == [group["GroupId"]]


@pytest.mark.filterwarnings("ignore:Tried to parse AWS.*but it.s not supported:UserWarning")
def test_the_header_passes_each_parameter_from_the_shell_variable_of_its_name(aws: Any, tmp_path: Path) -> None:
    env, client = aws
    exports = _exports(client)
    values = {
        "EnvironmentName": "analytics",
        "SourceBucketArn": "arn:aws:s3:::analytics-airflow",
        "Subnets": f"{exports['network:Subnet1']},{exports['network:Subnet2']}",
        "SecurityGroupIds": exports["network:SecurityGroupId1"],
        "VpcId": exports["network:vpcId"],
    }
    files = render(spec_document("list-parameter", role=True, group=True, kms=False, secrets=True), tmp_path)
    _deploy(files, tmp_path, env | values)
    stack = client("cloudformation").describe_stacks(StackName="STACK")["Stacks"][0]
    passed = {item["ParameterKey"]: _listed(item["ParameterValue"]) for item in stack["Parameters"]}
    latest = client("s3").list_object_versions(Bucket="analytics-airflow")["Versions"][0]
    assert passed == values | {"RequirementsS3ObjectVersion": latest["VersionId"]}
    _assert_made(*_made(client, "STACK"), vpc=values["VpcId"])


@pytest.mark.filterwarnings("ignore:Tried to parse AWS.*but it.s not supported:UserWarning")
def test_a_stack_wired_by_imports_makes_its_role_and_group_from_them(aws: Any, tmp_path: Path) -> None:
    """Created directly: moto resolves no import in a change set, which `deploy` makes; and without the
    outputs, whose `Fn::GetAtt` of an environment moto cannot check on creating a stack."""
    _, client = aws
    files = render(spec_document("import", role=True, group=True, kms=False, secrets=True), tmp_path)
    template = load(files["template.yaml"])
    body = json.dumps({key: value for key, value in template.items() if key != "Outputs"})
    parameters = [{"ParameterKey": "RequirementsS3ObjectVersion", "ParameterValue": "v1"}]
    client("cloudformation").create_stack(
        StackName="wired", TemplateBody=body, Parameters=parameters, Capabilities=["CAPABILITY_IAM"]
    )
    _assert_made(*_made(client, "wired"), vpc=_exports(client)["network:vpcId"])


def test_the_header_stops_when_a_parameter_is_not_set(tmp_path: Path) -> None:
    import subprocess

    files = render(spec_document("parameter", role=False, group=False, kms=False, secrets=False), tmp_path)
    deploy = next(line for line in files["template.yaml"].splitlines() if "cloudformation deploy" in line)
    script = "aws() { echo called; }\n" + deploy[4:].removesuffix("\\") + ' EnvironmentName="${EnvironmentName:?}"'
    run = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert run.returncode != 0 and "EnvironmentName" in run.stderr and "called" not in run.stdout


def test_diff_against_a_live_environment_leaves_out_what_the_stack_gives(tmp_path: Path) -> None:
    """`aws mwaa get-environment` holds the values the stack gave; the template holds functions for them.
    They are not compared, and a KmsKey the stack gives is not taken for one the spec removed."""
    from typer.testing import CliRunner

    from airflowspec.cli import app

    document = spec_document("parameter", role=True, group=True, kms=True, secrets=False)
    properties = load(render(document, tmp_path)["template.yaml"])["Resources"]["Environment"]["Properties"]
    live = {key: value for key, value in properties.items() if "Ref" not in json.dumps(value)}
    live |= {
        "Name": "analytics",
        "SourceBucketArn": LITERALS["sourceBucketArn"],
        "ExecutionRoleArn": "arn:aws:iam::123456789012:role/STACK-ExecutionRole-1",
        "KmsKey": LITERALS["kmsKey"],
        "NetworkConfiguration": {"SubnetIds": SUBNETS, "SecurityGroupIds": ["sg-0fedcba9", *GROUPS]},
        "RequirementsS3ObjectVersion": "v1",
        "Arn": "arn:aws:airflow:eu-central-1:123456789012:environment/analytics",
    }
    (tmp_path / "live.json").write_text(json.dumps({"Environment": live}), encoding="utf-8")
    spec = str(tmp_path / "airflowspec.yaml")
    result = CliRunner().invoke(app, ["diff", spec, "--against", str(tmp_path / "live.json"), "-t", "mwaa"])
    assert (result.exit_code, result.stdout) == (0, "0 to add, 0 to change, 0 to remove\n")
    live["MaxWorkers"] = 3  # and a real difference is still found
    (tmp_path / "live.json").write_text(json.dumps({"Environment": live}), encoding="utf-8")
    result = CliRunner().invoke(app, ["diff", spec, "--against", str(tmp_path / "live.json"), "-t", "mwaa"])
    assert result.exit_code == 1 and "MaxWorkers" in result.stdout
