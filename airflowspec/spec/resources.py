"""The objects an environment holds: volumes, connections, pools and secrets."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Discriminator, Field, StrictBool, StrictInt, StrictStr, Tag, model_validator

from airflowspec.spec.base import SecretRef, SpecModel, StrOrSecret, ValueOrSecret
from airflowspec.spec.dags import AbsolutePath, RelativePath
from airflowspec.spec.kubernetes import DNS_SUBDOMAIN, QUANTITY

MountPath = Annotated[
    AbsolutePath, Field(description="Where every Airflow container mounts it.", examples=["/opt/efs"])
]
SubPath = Annotated[RelativePath | None, Field(description="Folder of the volume to mount instead of its root.")]
ReadOnly = Annotated[StrictBool, Field(description="Mount it read-only.")]
ObjectName = Annotated[StrictStr, Field(pattern=DNS_SUBDOMAIN, max_length=253)]


class ClaimVolume(SpecModel):
    """An existing PersistentVolumeClaim."""

    claim: ObjectName = Field(
        description="Name of an existing PersistentVolumeClaim in the release namespace.",
        examples=["efs-storage-claim"],
    )
    mount_path: MountPath
    sub_path: SubPath = None
    read_only: ReadOnly = False


class NewClaim(SpecModel):
    """A PersistentVolumeClaim the chart makes and keeps with the release."""

    size: Annotated[StrictStr, Field(pattern=QUANTITY, max_length=64)] = Field(
        description="Storage the claim requests.", examples=["5Gi"]
    )
    storage_class: ObjectName | None = Field(
        default=None, description="StorageClass of the claim (EFS for ReadWriteMany); the cluster's default when unset."
    )
    access_mode: Literal["ReadWriteMany", "ReadOnlyMany", "ReadWriteOnce"] = Field(
        default="ReadWriteMany",
        description="Access mode of the claim; ReadWriteMany lets pods on every node mount it.",
    )


class CreatedVolume(SpecModel):
    """A claim the chart makes: only the DAG volume can be one, mounted at `dags.path` (the charts make no
    other). The chart decides whether Airflow mounts it read-only."""

    create: NewClaim = Field(
        description="The claim the chart makes for the DAG folder.",
        examples=[{"size": "5Gi", "storageClass": "efs-sc", "accessMode": "ReadWriteMany"}],
    )
    mount_path: MountPath
    sub_path: SubPath = None


def _key_path(path: str) -> str:
    if path.startswith(".."):
        raise ValueError("must not start with '..'")
    return path


class KeyToPath(SpecModel):
    key: Annotated[StrictStr, Field(pattern=r"^[-._a-zA-Z0-9]+$", max_length=253)] = Field(
        description="Key in the object's data.", examples=["ca.crt"]
    )
    path: Annotated[RelativePath, AfterValidator(_key_path)] = Field(
        description="File the key becomes, relative to the mount path.", examples=["ca.crt"]
    )


class ObjectFiles(SpecModel):
    """A Kubernetes Secret or ConfigMap in the release namespace, its keys mounted as files."""

    name: ObjectName = Field(description="Name of the Secret or ConfigMap.", examples=["corp-ca"])
    items: tuple[KeyToPath, ...] | None = Field(
        default=None,
        description="The keys to mount, each as a file; every key, named as it is, when unset.",
        examples=[[{"key": "ca.crt", "path": "ca.crt"}]],
    )

    @model_validator(mode="after")
    def _distinct_paths(self) -> ObjectFiles:
        if self.items == ():
            raise ValueError("lists no `items`; leave `items` out to mount every key")
        paths = [item.path for item in self.items or ()]
        twice = next((path for path in paths if paths.count(path) > 1), None)
        if twice is not None:
            raise ValueError(f"lists two items that become the file '{twice}'")
        return self


class SecretVolume(SpecModel):
    """A Kubernetes Secret mounted as files (Kubernetes mounts it read-only)."""

    secret: ObjectFiles = Field(
        description="The Secret and the keys to mount.",
        examples=[{"name": "corp-ca", "items": [{"key": "ca.crt", "path": "ca.crt"}]}],
    )
    mount_path: MountPath
    sub_path: SubPath = None
    read_only: ReadOnly = False


class ConfigMapVolume(SpecModel):
    """A Kubernetes ConfigMap mounted as files (Kubernetes mounts it read-only)."""

    config_map: ObjectFiles = Field(
        description="The ConfigMap and the keys to mount.",
        examples=[{"name": "airflow-settings", "items": [{"key": "settings.json", "path": "settings.json"}]}],
    )
    mount_path: MountPath
    sub_path: SubPath = None
    read_only: ReadOnly = False


#: The key that names each form of a volume, and its tag.
VOLUME_FORMS = {"claim": "<claim>", "create": "<create>", "secret": "<secret-volume>", "configMap": "<config-map>"}


def _volume_form(value: Any) -> str | None:
    """A mapping with more than one form's key is read as the first form, so the other key is the one
    error (`unknown key`, with a hint); with none, one error lists the forms."""
    if not isinstance(value, dict):
        return "<claim>"  # reported as not a mapping
    return next((tag for key, tag in VOLUME_FORMS.items() if key in value), None)


#: A volume: exactly one of an existing claim, a claim the chart makes, a Secret or a ConfigMap.
Volume = Annotated[
    Annotated[ClaimVolume, Tag("<claim>")]
    | Annotated[CreatedVolume, Tag("<create>")]
    | Annotated[SecretVolume, Tag("<secret-volume>")]
    | Annotated[ConfigMapVolume, Tag("<config-map>")],
    Discriminator(
        _volume_form,
        custom_error_type="value_missing",
        custom_error_message="needs one of `claim`, `create`, `secret` or `configMap`",
    ),
]


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
