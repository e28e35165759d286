"""`targets.eks.auth` and `targets.eks.logs` — who may sign in to the UI, and where task logs go."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, StrictInt, StrictStr, Tag

from airflowspec.spec.base import SecretRef, SpecModel, off_or_settings
from airflowspec.spec.dags import RelativePath
from airflowspec.spec.kubernetes import DNS_SUBDOMAIN, QUANTITY

USER_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$"
#: Where remote task logs go: an S3 bucket and an optional key prefix.
S3_URL = r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[A-Za-z0-9!_.*'()/-]*)?$"


class AdminUser(SpecModel):
    username: Annotated[StrictStr, Field(pattern=USER_NAME)] = Field(description="Sign-in name.", examples=["admin"])
    password: SecretRef = Field(
        description="The password, from a secret; never a literal.", examples=[{"secret": "airflow-admin-password"}]
    )
    email: Annotated[StrictStr, Field(pattern=r"^[^@\s]+@[^@\s]+$", max_length=254)] = Field(
        description="E-mail address of the user.", examples=["airflow-admins@example.com"]
    )
    first_name: Annotated[StrictStr, Field(min_length=1, max_length=64)] = Field(
        default="Airflow", description="First name shown in the UI."
    )
    last_name: Annotated[StrictStr, Field(min_length=1, max_length=64)] = Field(
        default="Admin", description="Last name shown in the UI."
    )


class Auth(SpecModel):
    """No user exists unless one is given here (neither chart's `admin`/`admin` is ever rendered)."""

    admin: AdminUser | None = Field(default=None, description="An Admin user, created when the release installs.")
    webserver_config: StrictStr | None = Field(
        default=None,
        description="The text of `webserver_config.py` (Python): Flask AppBuilder auth such as OAuth or LDAP.",
        min_length=1,
    )


class RemoteLogs(SpecModel):
    url: Annotated[StrictStr, Field(pattern=S3_URL, max_length=1024)] = Field(
        description="`s3://bucket/prefix` that receives every task log (`[logging] remote_base_log_folder`).",
        examples=["s3://acme-airflow-logs/prod"],
    )
    connection: Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9_.-]+$")] = Field(
        default="aws_default",
        description="Airflow connection to S3 (`remote_log_conn_id`); `aws_default` with no such connection "
        "uses the pods' IRSA role (`targets.eks.serviceAccount.roleArn`).",
    )


class LogClaim(SpecModel):
    claim: Annotated[StrictStr, Field(pattern=DNS_SUBDOMAIN, max_length=253)] = Field(
        description="An existing PersistentVolumeClaim (ReadWriteMany) for the logs folder.", examples=["airflow-logs"]
    )
    sub_path: RelativePath | None = Field(default=None, description="Folder of the volume to use.")


class LogVolume(SpecModel):
    size: Annotated[StrictStr, Field(pattern=QUANTITY)] = Field(
        description="Size of the claim the chart makes.", examples=["20Gi"]
    )
    storage_class: Annotated[StrictStr, Field(pattern=DNS_SUBDOMAIN, max_length=253)] | None = Field(
        default=None, description="A ReadWriteMany StorageClass (EFS); the cluster's default when unset."
    )


class LogCleanup(SpecModel):
    retention_days: StrictInt = Field(
        ge=1, le=3650, description="Delete log files older than this many days.", examples=[15]
    )


def _claim_or_volume(value: Any) -> str:
    return "<claim>" if isinstance(value, dict) and "claim" in value else "<volume>"


ClaimOrVolume = Annotated[
    Annotated[LogClaim, Tag("<claim>")] | Annotated[LogVolume, Tag("<volume>")], Discriminator(_claim_or_volume)
]


CleanupOrOff = Annotated[
    Annotated[LogCleanup, Tag("<settings>")] | Annotated[Literal[False], Tag("<off>")], Discriminator(off_or_settings)
]


class Logs(SpecModel):
    remote: RemoteLogs | None = Field(default=None, description="Ship task logs to S3 ([logging] remote_*).")
    persistence: ClaimOrVolume | None = Field(
        default=None,
        description="Keep the logs folder on a shared volume: an existing claim, or one the chart makes. The "
        "community chart then runs no log cleanup.",
    )
    cleanup: CleanupOrOff | None = Field(
        default=None,
        description="Delete old log files: the community chart's log-cleanup sidecars (chart 8.6.0 and later, "
        "not beside `persistence`), the official chart's log groomers; false turns them off. The chart's default "
        "(15 days) when unset.",
    )
