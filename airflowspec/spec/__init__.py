"""The spec: one typed description of an Airflow environment, with no knowledge of any target."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StrictStr

from airflowspec.spec.airflow import Airflow, Executor
from airflowspec.spec.base import DNS_LABEL, NAME_PATTERN, SecretRef, SpecModel
from airflowspec.spec.dags import Dags, DagSource, GitCredentials, GitSource
from airflowspec.spec.mwaa import MwaaTarget
from airflowspec.spec.packages import PackageIndex
from airflowspec.spec.resources import (
    ClaimVolume,
    ConfigMapVolume,
    Connection,
    ConnectionOrSecret,
    CreatedVolume,
    KubernetesSecret,
    Pool,
    Secret,
    SecretVolume,
    Variable,
    Volume,
)
from airflowspec.spec.service_account import ServiceAccount
from airflowspec.spec.targets import Database, EksTarget, Image, Redis, Targets

API_VERSION = "airflowspec/v1"
DIAGNOSTIC_CODE = r"^[Aa][Ss][0-9]{3}$"

Name = Annotated[StrictStr, Field(pattern=NAME_PATTERN)]
VolumeName = Annotated[StrictStr, Field(pattern=DNS_LABEL, max_length=63)]


class Spec(SpecModel):
    """An Airflow environment, for EKS or MWAA."""

    api_version: Literal["airflowspec/v1"] = Field(description="Version of this file format.")
    name: StrictStr = Field(
        description="Name of the environment: the MWAA environment name and the default Helm release name.",
        pattern=r"^[A-Za-z][A-Za-z0-9_-]*$",
        max_length=80,
        examples=["data-platform"],
    )
    airflow: Airflow = Field(description="The Airflow release, executor and configuration.")
    dags: Dags = Field(default_factory=Dags, description="Where DAGs come from.")
    packages: tuple[StrictStr, ...] = Field(
        default=(),
        description="Extra pip requirements (PEP 508). Not `apache-airflow` itself.",
        examples=[["pandas>=2.1,<3", "apache-airflow-providers-amazon"]],
    )
    package_index: PackageIndex | None = Field(
        default=None,
        description="The index pip installs `packages` from instead of PyPI (pip's `--index-url`).",
        examples=[
            {
                "url": "https://nexus.example.com/repository/pypi/simple/",
                "username": "deploy",
                "password": {"secret": "nexus-password"},
            }
        ],
    )
    extra_package_indexes: tuple[PackageIndex, ...] = Field(
        default=(),
        description="Indexes pip searches besides the first one (pip's `--extra-index-url`).",
    )
    volumes: dict[VolumeName, Volume] = Field(
        default_factory=dict,
        description="Volumes mounted in every Airflow container, by Kubernetes volume name: each an existing "
        "claim, a claim the chart makes (the DAG volume only), a Secret or a ConfigMap.",
    )
    variables: dict[StrictStr, Variable] = Field(
        default_factory=dict,
        description="Airflow variables: key -> value. Mappings and lists are stored as JSON text.",
        examples=[{"environment": "production", "slack_token": {"secret": "slack-token"}}],
    )
    connections: dict[StrictStr, ConnectionOrSecret] = Field(
        default_factory=dict,
        description="Airflow connections by id: each written field by field, or `{secret: NAME}` for a connection "
        "kept whole in one secret, whose value is Airflow's JSON (or URI) form of the connection.",
    )
    pools: dict[StrictStr, Pool] = Field(default_factory=dict, description="Airflow pools by name.")
    secrets: dict[Name, Secret] = Field(
        default_factory=dict, description="Where each referenced secret lives, per platform."
    )
    targets: Targets = Field(default_factory=Targets, description="Platform-specific settings.")
    acknowledge: tuple[Annotated[StrictStr, Field(pattern=DIAGNOSTIC_CODE)], ...] = Field(
        default=(),
        description="Warning codes this spec has weighed and accepts, e.g. AS315: they are not printed. "
        "An error cannot be acknowledged.",
        examples=[["AS315", "AS316"]],
    )
    environments: dict[StrictStr, Any] = Field(
        default_factory=dict,
        description="Deployments of this spec by name (dev, staging, prod): each a partial spec laid over the rest "
        "of the file. Mappings merge key by key, a list or a value replaces the base's, `null` removes a key. "
        "Commands take one with `--env NAME`. Applied before the spec is built, so a built spec's is empty.",
        examples=[{"prod": {"name": "orders-prod", "targets": {"eks": {"namespace": "orders-prod"}}}}],
    )

    def field_connections(self) -> dict[str, Connection]:
        """The connections written field by field."""
        return {key: value for key, value in self.connections.items() if isinstance(value, Connection)}

    def secret_connections(self) -> dict[str, SecretRef]:
        """The connections kept whole in one secret each."""
        return {key: value for key, value in self.connections.items() if isinstance(value, SecretRef)}


__all__ = [
    "API_VERSION",
    "Airflow",
    "ClaimVolume",
    "ConfigMapVolume",
    "Connection",
    "CreatedVolume",
    "DagSource",
    "Dags",
    "Database",
    "EksTarget",
    "Executor",
    "GitCredentials",
    "GitSource",
    "Image",
    "KubernetesSecret",
    "MwaaTarget",
    "PackageIndex",
    "Pool",
    "Redis",
    "Secret",
    "SecretRef",
    "SecretVolume",
    "ServiceAccount",
    "Spec",
    "Targets",
    "Variable",
    "Volume",
]
