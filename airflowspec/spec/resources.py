"""The objects an environment holds: volumes, connections, pools and secrets."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Discriminator, Field, StrictBool, StrictInt, StrictStr, Tag, model_validator

from airflowspec.spec.base import SecretRef, SpecModel, StrOrSecret, ValueOrSecret
from airflowspec.spec.dags import AbsolutePath, RelativePath


class Volume(SpecModel):
    claim: StrictStr = Field(
        description="Name of an existing PersistentVolumeClaim in the release namespace.",
        examples=["efs-storage-claim"],
        pattern=r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$",
        max_length=253,
    )
    mount_path: AbsolutePath = Field(description="Where every Airflow container mounts it.", examples=["/opt/efs"])
    sub_path: RelativePath | None = Field(
        default=None, description="Folder of the volume to mount instead of its root."
    )
    read_only: StrictBool = Field(default=False, description="Mount it read-only.")


class Connection(SpecModel):
    type: StrictStr = Field(description="Airflow connection type (`conn_type`).", examples=["postgres"], min_length=1)
    description: StrictStr | None = Field(default=None, description="Free text shown in the UI.")
    host: StrOrSecret | None = Field(default=None, description="Host name; literal or a secret.")
    port: StrictInt | None = Field(default=None, ge=1, le=65535, description="TCP port.")
    schema_: StrOrSecret | None = Field(
        default=None, alias="schema", description="Schema or database name; literal or a secret."
    )
    login: StrOrSecret | None = Field(default=None, description="User name; literal or a secret.")
    password: StrOrSecret | None = Field(
        default=None,
        description="Password: a secret reference, e.g. `{secret: warehouse-password}`.",
        examples=[{"secret": "warehouse-password"}],
    )
    extra: dict[str, ValueOrSecret] | None = Field(
        default=None,
        description="Extra fields as a mapping; each value literal or a secret. Rendered as JSON text.",
        examples=[{"sslmode": "require"}],
    )


def _connection_or_secret(value: Any) -> str:
    return "<secret-ref>" if isinstance(value, dict) and set(value) == {"secret"} else "<connection>"


#: A connection written field by field, or kept whole in one secret (its value Airflow's JSON or URI
#: form), so that no secret value is ever pasted into text that another secret could change.
ConnectionOrSecret = Annotated[
    Annotated[Connection, Tag("<connection>")] | Annotated[SecretRef, Tag("<secret-ref>")],
    Discriminator(_connection_or_secret),
]


class Pool(SpecModel):
    slots: StrictInt = Field(description="Number of slots; -1 for unlimited.", ge=-1, le=2**31 - 1, examples=[8])
    description: StrictStr | None = Field(default=None, description="Shown in the UI; defaults to the pool's name.")
    include_deferred: StrictBool | None = Field(
        default=None, description="Count deferred tasks against the pool (Airflow 2.7+)."
    )


class KubernetesSecret(SpecModel):
    name: StrictStr = Field(
        description="Name of the Kubernetes Secret in the release namespace.",
        pattern=r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$",
        max_length=253,
        examples=["airflow-warehouse"],
    )
    key: StrictStr = Field(
        description="Key inside the Secret's data.", pattern=r"^[-._a-zA-Z0-9]+$", examples=["password"]
    )


class Secret(SpecModel):
    kubernetes: KubernetesSecret | None = Field(default=None, description="Where the secret lives on EKS.")
    env: Annotated[StrictStr, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")] | None = Field(
        default=None,
        description="Environment variable that holds the value when `airflowspec secrets push` runs (MWAA).",
        examples=["WAREHOUSE_PASSWORD"],
    )

    @model_validator(mode="after")
    def _has_a_source(self) -> Secret:
        if self.kubernetes is None and self.env is None:
            raise ValueError("a secret needs at least one source: `kubernetes` or `env`")
        return self


Variable = ValueOrSecret
