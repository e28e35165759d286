"""`targets.mwaa:` — an Amazon MWAA environment."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, JsonValue, StrictBool, StrictInt, StrictStr, WithJsonSchema

from airflowspec.spec.base import SpecModel
from airflowspec.spec.stack import SecurityGroupIds, SubnetIds, WiredName, WiredText, WiredVpc

LogLevel = Literal["CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"]
#: A component's CloudWatch logs: the level to send from, or `false` to send none.
LogSetting = Literal["CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG", False]
#: A key in the source bucket: relative, no `s3://`, no `..` part.
BucketKey = Annotated[StrictStr, Field(min_length=1, max_length=1024)]
ObjectVersion = Annotated[StrictStr, Field(min_length=1, max_length=1024)]


class CreateSecurityGroup(SpecModel):
    vpc_id: WiredVpc = Field(
        description="The VPC of the subnets: a VPC id, `{parameter: Name}` or `{import: ExportName}`.",
        examples=["vpc-0a1b2c3d4e5f60718"],
    )


class Network(SpecModel):
    subnet_ids: SubnetIds = Field(
        description="Exactly two private subnets in different availability zones of one VPC: each an id, "
        "`{parameter: Name}` or `{import: ExportName}`; or one `{parameter: Name}` for both.",
        examples=[["subnet-0a1b2c3d", "subnet-4e5f6a7b"]],
    )
    security_group_ids: SecurityGroupIds = Field(
        default=(),
        description="Security groups, each an id, `{parameter: Name}` or `{import: ExportName}`, or one "
        "`{parameter: Name}` for all; one to five with the one `createSecurityGroup` makes. One needs a rule "
        "that lets the group reach itself.",
        examples=[["sg-0123abcd"]],
    )
    create_security_group: CreateSecurityGroup | None = Field(
        default=None,
        description="The template also makes a security group in this VPC that lets the environment's parts "
        "reach one another (a self-referencing rule, as MWAA needs), and gives it to the environment.",
        examples=[{"vpcId": {"parameter": "VpcId"}}],
    )


class Range(SpecModel):
    min: StrictInt = Field(default=1, ge=1, le=2**31 - 1, description="Fewest running at any time.")
    max: StrictInt = Field(default=10, ge=1, le=2**31 - 1, description="Most running at any time.")


class Logging(SpecModel):
    """Which component logs MWAA sends to CloudWatch, at what level; `false` turns a component's logs off.
    As the MWAA console does, task logs (which the Airflow UI shows) default to INFO and the others to off."""

    dag_processing: LogSetting = Field(default=False, description="DAG processing logs: a level, or false for none.")
    scheduler: LogSetting = Field(default=False, description="Scheduler logs: a level, or false for none.")
    task: LogSetting = Field(
        default="INFO", description="Task logs, which the Airflow UI shows: a level, or false for none."
    )
    webserver: LogSetting = Field(default=False, description="Web server logs: a level, or false for none.")
    worker: LogSetting = Field(default=False, description="Worker logs: a level, or false for none.")


class Ssm(SpecModel):
    connections_prefix: StrictStr = Field(
        default="/airflow/connections", description="SSM path under which connections are stored."
    )
    variables_prefix: StrictStr = Field(
        default="/airflow/variables", description="SSM path under which variables are stored."
    )


class SecretsManager(SpecModel):
    connections_prefix: StrictStr = Field(
        default="airflow/connections", description="Secrets Manager name prefix under which connections are stored."
    )
    variables_prefix: StrictStr = Field(
        default="airflow/variables", description="Secrets Manager name prefix under which variables are stored."
    )


class MwaaTarget(SpecModel):
    name: WiredName | None = Field(
        default=None,
        description="The environment's name: a name, `{parameter: Name}` or `{import: ExportName}`; "
        "the spec's `name` when unset.",
        examples=[{"parameter": "EnvironmentName"}],
    )
    environment_class: StrictStr = Field(
        default="mw1.small",
        description="Environment class: mw1.micro, mw1.small, mw1.medium, mw1.large, mw1.xlarge or mw1.2xlarge.",
        examples=["mw1.medium"],
    )
    source_bucket_arn: WiredText = Field(
        description="ARN of the one S3 bucket that holds DAGs, requirements, plugins and the startup script: "
        "an ARN, `{parameter: Name}` or `{import: ExportName}`.",
        examples=["arn:aws:s3:::airflow-data-platform"],
    )
    dag_s3_path: BucketKey = Field(default="dags", description="Key prefix of the DAG folder in the bucket.")
    requirements_s3_path: BucketKey = Field(
        default="requirements.txt", description="Key of the rendered requirements.txt in the bucket."
    )
    requirements_s3_object_version: ObjectVersion | None = Field(
        default=None, description="Default for the template's RequirementsS3ObjectVersion parameter."
    )
    plugins_s3_path: BucketKey | None = Field(default=None, description="Key of plugins.zip in the bucket.")
    plugins_s3_object_version: ObjectVersion | None = Field(
        default=None, description="Default for the template's PluginsS3ObjectVersion parameter."
    )
    startup_script_s3_path: BucketKey | None = Field(
        default=None, description="Key of the startup script in the bucket."
    )
    startup_script_s3_object_version: ObjectVersion | None = Field(
        default=None, description="Default for the template's StartupScriptS3ObjectVersion parameter."
    )
    execution_role_arn: WiredText | None = Field(
        default=None,
        description="IAM role the environment runs as: an ARN, `{parameter: Name}` or `{import: ExportName}`; "
        "or `createExecutionRole`.",
        examples=["arn:aws:iam::123456789012:role/mwaa-data-platform"],
    )
    create_execution_role: StrictBool = Field(
        default=False,
        description="The template also makes the execution role, with the permissions MWAA documents and read "
        "access to the spec's connections and variables only; instead of `executionRoleArn`.",
    )
    network: Network = Field(description="Subnets and security groups.")
    webserver_access_mode: Literal["PRIVATE_ONLY", "PUBLIC_ONLY", "PUBLIC_AND_PRIVATE"] = Field(
        default="PRIVATE_ONLY", description="Who can reach the Airflow UI."
    )
    endpoint_management: Literal["SERVICE", "CUSTOMER"] = Field(
        default="SERVICE", description="Who creates the VPC endpoints: MWAA, or you (shared VPCs)."
    )
    workers: Range = Field(default_factory=Range, description="Celery workers, scaled between min and max.")
    schedulers: StrictInt | None = Field(default=None, ge=1, description="Schedulers; MWAA's default when unset.")
    webservers: Range | None = Field(default=None, description="Web servers, scaled between min and max.")
    logging: Logging = Field(
        default_factory=Logging,
        description="CloudWatch logs per component: task logs at INFO and the others off unless set.",
    )
    kms_key: WiredText | None = Field(
        default=None,
        description="Customer-managed KMS key: a key id, key ARN, alias, `{parameter: Name}` or "
        "`{import: ExportName}` (a key ARN with `createExecutionRole`); AWS-owned when unset.",
    )
    tags: dict[StrictStr, StrictStr] = Field(default_factory=dict, description="Tags of the environment.")
    maintenance_window: StrictStr | None = Field(
        default=None,
        description="Weekly maintenance start, `DAY:HH:MM` in UTC, on the hour or half hour.",
        examples=["SUN:03:00"],
    )
    worker_replacement_strategy: Literal["FORCED", "GRACEFUL"] | None = Field(
        default=None, description="How updates replace workers: stop them now, or let running tasks finish."
    )
    secrets_backend: Literal["ssm", "secretsManager"] = Field(
        default="ssm",
        description="Where Airflow reads the spec's connections and variables: SSM Parameter Store or Secrets Manager.",
        examples=["secretsManager"],
    )
    ssm: Ssm = Field(default_factory=Ssm, description="Where connections and variables live in SSM Parameter Store.")
    secrets_manager: SecretsManager = Field(
        default_factory=SecretsManager,
        description="Where connections and variables live in Secrets Manager, with `secretsBackend: secretsManager`.",
    )
    properties: Annotated[
        dict[StrictStr, JsonValue], WithJsonSchema({"type": "object", "additionalProperties": {}})
    ] = Field(
        default_factory=dict,
        description="More properties of the AWS::MWAA::Environment, merged in last: checked against its "
        "CloudFormation schema; one the spec sets elsewhere is refused with the field to use.",
    )
