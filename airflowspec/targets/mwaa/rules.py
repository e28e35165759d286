"""MWAA's rules for the environment itself: versions, sizes, network, ARNs, bucket paths, executor.

The CloudFormation schema and cfn-lint catch few of these (reference: mwaa.md §6); the MWAA API
rejects them at deploy time, twenty minutes later.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from packaging.version import Version

from airflowspec.data import mwaa as facts
from airflowspec.diagnostics import Diagnostic, SpecPath, error, quote, warning
from airflowspec.spec import MwaaTarget, Spec
from airflowspec.spec.mwaa import Network
from airflowspec.spec.stack import StackParameter

MWAA: SpecPath = ("targets", "mwaa")

_BUCKET_ARN = re.compile(facts.BUCKET_ARN + r"\Z")
_ROLE_ARN = re.compile(facts.ROLE_ARN + r"\Z")
_KMS_KEY = re.compile(facts.KMS_KEY + r"\Z")
_MAINTENANCE_WINDOW = re.compile(r"(MON|TUE|WED|THU|FRI|SAT|SUN):([01][0-9]|2[0-3]):(00|30)\Z")


def check_environment(spec: Spec, mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    for rule in (_version, _executor, _sizes, _network, _arns, _bucket_paths, _requirements, _access_mode, _tags):
        yield from rule(spec, mwaa)


def _version(spec: Spec, mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    version, path = spec.airflow.version, ("airflow", "version")
    known = facts.MWAA_VERSIONS.get(version)
    creatable = [v for v, info in facts.MWAA_VERSIONS.items() if info.creatable]
    if known is None:
        yield error("AS401", f"MWAA does not run Airflow {version}", path, f"MWAA runs {', '.join(creatable)}")
    elif not known.creatable:
        same_major = [v for v in creatable if v.split(".")[0] == version.split(".")[0]]
        newest = (same_major or creatable)[-1]
        yield error("AS401", f"MWAA no longer creates environments with Airflow {version}", path, f"use {newest}")


def _executor(spec: Spec, mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    if spec.airflow.executor.value != "CeleryExecutor":
        yield error(
            "AS402",
            f"MWAA runs only CeleryExecutor, not {spec.airflow.executor.value}",
            ("airflow", "executor"),
            "use CeleryExecutor; MWAA scales its Celery workers between workers.min and workers.max",
        )


def _sizes(spec: Spec, mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    if mwaa.environment_class not in facts.ENVIRONMENT_CLASSES:
        yield error(
            "AS403",
            f"{quote(mwaa.environment_class)} is not an MWAA environment class",
            (*MWAA, "environmentClass"),
            f"use one of: {', '.join(facts.ENVIRONMENT_CLASSES)}",
        )
        return
    if mwaa.workers.max > facts.DEFAULT_WORKER_QUOTA:
        message = f"workers.max {mwaa.workers.max} is above the default quota of {facts.DEFAULT_WORKER_QUOTA} workers"
        yield warning("AS404", message, (*MWAA, "workers", "max"), "ask AWS to raise the quota first")
    if mwaa.workers.min > mwaa.workers.max:
        yield error(
            "AS404",
            f"workers.min ({mwaa.workers.min}) is more than workers.max ({mwaa.workers.max})",
            (*MWAA, "workers"),
        )
    if mwaa.webservers is not None and mwaa.webservers.min > mwaa.webservers.max:
        yield error(
            "AS404",
            f"webservers.min ({mwaa.webservers.min}) is more than webservers.max ({mwaa.webservers.max})",
            (*MWAA, "webservers"),
        )
    yield from _components_per_class(mwaa)


def _components_per_class(mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    micro = mwaa.environment_class == facts.SINGLE_COMPONENT_CLASS
    low, high = (1, 1) if micro else (2, facts.MAX_COMPONENTS)
    counts: list[tuple[SpecPath, int]] = []
    if mwaa.schedulers is not None:
        counts.append(((*MWAA, "schedulers"), mwaa.schedulers))
    if mwaa.webservers is not None:
        counts += [
            ((*MWAA, "webservers", "min"), mwaa.webservers.min),
            ((*MWAA, "webservers", "max"), mwaa.webservers.max),
        ]
    for path, count in counts:
        if not low <= count <= high:
            allowed = "1" if micro else f"{low} to {high}"
            key = ".".join(str(part) for part in path[2:])
            yield error("AS405", f"{key} must be {allowed} on {mwaa.environment_class}, not {count}", path)
    if micro and "workers" in mwaa.model_fields_set and mwaa.workers.max > 1:
        yield warning(
            "AS405",
            "mw1.micro runs one combined scheduler and worker; it does not scale workers",
            (*MWAA, "workers", "max"),
        )


def _network(spec: Spec, mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    network = (*MWAA, "network")
    subnets = mwaa.network.subnet_ids
    if isinstance(subnets, StackParameter):  # a list the stack gives: its parameter type checks the ids
        pass
    elif len(set(subnets)) != len(subnets):
        yield error(
            "AS406", "the subnets repeat one another", (*network, "subnetIds"), "give subnets in two availability zones"
        )
    elif len(subnets) != 2:
        yield error(
            "AS406",
            f"MWAA takes exactly two subnets, not {len(subnets)}",
            (*network, "subnetIds"),
            "give two private subnets in different availability zones",
        )
    yield from _security_groups(mwaa.network, (*network, "securityGroupIds"))


def _security_groups(network: Network, path: SpecPath) -> Iterator[Diagnostic]:
    groups = network.security_group_ids
    if isinstance(groups, StackParameter):
        return
    made = network.create_security_group is not None
    count = len(groups) + made
    if len(set(groups)) != len(groups):
        yield error("AS407", "the security groups repeat one another", path)
    elif not 1 <= count <= 5:
        message = f"MWAA takes one to five security groups, not {count}"
        if made:
            message += f" ({len(groups)} listed and the one `createSecurityGroup` makes)"
        yield error("AS407", message, path, "" if count else "list one, or make one with `createSecurityGroup`")


def _arns(spec: Spec, mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    """The literal ones; a parameter's AllowedPattern checks its value, an import is the stack's."""
    checks = [
        ("sourceBucketArn", mwaa.source_bucket_arn, _BUCKET_ARN, "an S3 bucket ARN like arn:aws:s3:::my-bucket"),
        (
            "executionRoleArn",
            mwaa.execution_role_arn,
            _ROLE_ARN,
            "an IAM role ARN like arn:aws:iam::123456789012:role/NAME",
        ),
        ("kmsKey", mwaa.kms_key, _KMS_KEY, "a KMS key id, key ARN, alias/NAME or alias ARN"),
        (
            "maintenanceWindow",
            mwaa.maintenance_window,
            _MAINTENANCE_WINDOW,
            "DAY:HH:MM in UTC on the hour or half hour, e.g. SUN:03:00",
        ),
    ]
    for key, value, pattern, meaning in checks:
        if isinstance(value, str) and not pattern.match(value):  # match() anchors at the start; \Z at the end
            yield error("AS408", f"`{key}` {quote(value)} is not {meaning}", (*MWAA, key))


def _bucket_paths(spec: Spec, mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    paths = {
        "dagS3Path": mwaa.dag_s3_path,
        "requirementsS3Path": mwaa.requirements_s3_path,
        "pluginsS3Path": mwaa.plugins_s3_path,
        "startupScriptS3Path": mwaa.startup_script_s3_path,
    }
    for key, value in paths.items():
        if value is not None and _leaves_the_bucket(value):
            yield error(
                "AS409",
                f"`{key}` {quote(value)} is not a key inside the source bucket",
                (*MWAA, key),
                "MWAA reads everything from the one bucket: give a relative key like `dags` or `requirements.txt`",
            )
        elif value is not None and not value.isprintable():  # the API's `.*` stops at a line break
            yield error("AS409", f"`{key}` {quote(value)} holds a line break or control character", (*MWAA, key))


def _requirements(spec: Spec, mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    """Without packages the template installs no requirements.txt: its key and version go unused."""
    if spec.packages:
        return
    fields = {
        "requirementsS3Path": "requirements_s3_path",
        "requirementsS3ObjectVersion": "requirements_s3_object_version",
    }
    for key, field in fields.items():
        if field in mwaa.model_fields_set:
            yield warning(
                "AS426",
                f"the spec lists no packages, so the template installs no requirements.txt and `{key}` is not used",
                (*MWAA, key),
                "list the packages under `packages:`, or remove it",
                on_key=True,
            )


def _leaves_the_bucket(key: str) -> bool:
    return "://" in key or key.startswith("/") or ".." in key.split("/")


def _access_mode(spec: Spec, mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    if mwaa.webserver_access_mode == "PUBLIC_AND_PRIVATE" and Version(spec.airflow.version) < Version("3.2.0"):
        yield error(
            "AS410", "PUBLIC_AND_PRIVATE access needs Airflow 3.2 or later on MWAA", (*MWAA, "webserverAccessMode")
        )


def _tags(spec: Spec, mwaa: MwaaTarget) -> Iterator[Diagnostic]:
    path = (*MWAA, "tags")
    if len(mwaa.tags) > facts.MAX_TAGS:
        yield error("AS423", f"MWAA takes at most {facts.MAX_TAGS} tags, not {len(mwaa.tags)}", path)
    for key, value in mwaa.tags.items():
        if not 1 <= len(key) <= 128 or not _tag_text(key) or key.lower().startswith("aws:"):
            message = f"tag key {quote(key)} must be 1-128 letters, digits, spaces or _.:/=+-@, not starting aws:"
            yield error("AS423", message, (*path, key), on_key=True)
        if not 1 <= len(value) <= 256 or not _tag_text(value):
            message = f"tag {quote(key)} needs a value of 1-256 letters, digits, spaces or _.:/=+-@"
            yield error("AS423", message, (*path, key))


def _tag_text(text: str) -> bool:
    """The API's `[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*`."""
    return all(char.isalnum() or char in "_.:/=+-@" or unicodedata.category(char).startswith("Z") for char in text)
