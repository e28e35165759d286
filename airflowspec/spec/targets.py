"""`targets:` — facts only one platform needs."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, JsonValue, StrictBool, StrictInt, StrictStr, WithJsonSchema, model_validator

from airflowspec.spec.base import DNS_LABEL, SecretRef, SpecModel, StrOrSecret
from airflowspec.spec.components import Components
from airflowspec.spec.eks import Auth, Logs
from airflowspec.spec.mwaa import MwaaTarget
from airflowspec.spec.service_account import ServiceAccount

#: An image repository as the OCI distribution spec names one: a registry host (and port), then
#: lowercase path components. The charts write it unquoted, so nothing else may reach them.
IMAGE_REPOSITORY = r"^[A-Za-z0-9][A-Za-z0-9._-]*(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)*$"
IMAGE_TAG = r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"


class Image(SpecModel):
    repository: StrictStr = Field(
        default="apache/airflow", description="Image repository.", pattern=IMAGE_REPOSITORY, max_length=255
    )
    tag: StrictStr | None = Field(
        default=None,
        description="Image tag; defaults to `airflow.version`.",
        examples=["2.8.4-python3.11"],
        pattern=IMAGE_TAG,
    )


class Database(SpecModel):
    type: Literal["postgres", "mysql"] = Field(default="postgres", description="Database engine.")
    host: StrictStr | None = Field(default=None, description="Host name of the metadata database.", min_length=1)
    port: StrictInt | None = Field(default=None, ge=1, le=65535, description="Port; the engine's default when unset.")
    database: StrictStr = Field(default="airflow", description="Database name.", min_length=1)
    user: StrOrSecret | None = Field(default=None, description="User name; literal or a secret.")
    password: SecretRef | None = Field(default=None, description="Password, from a secret.")
    properties: StrictStr | None = Field(
        default=None, description="Appended to the connection URL.", examples=["?sslmode=require"]
    )
    url: SecretRef | None = Field(
        default=None,
        description="The whole SQLAlchemy URL, from a secret whose Kubernetes key is `connection` "
        "(the official chart's `data.metadataSecretName`).",
    )

    @model_validator(mode="after")
    def _parts_or_url(self) -> Database:
        if self.url is None and (self.host is None or self.user is None or self.password is None):
            raise ValueError("give `host`, `user` and `password`, or `url`")
        return self


class Redis(SpecModel):
    host: StrictStr | None = Field(default=None, description="Host name of the Celery broker.", min_length=1)
    port: StrictInt = Field(default=6379, ge=1, le=65535, description="Port.")
    database_number: StrictInt = Field(default=1, ge=0, description="Redis database number.")
    password: SecretRef | None = Field(default=None, description="Password, from a secret.")
    properties: StrictStr | None = Field(
        default=None, description="Appended to the broker URL.", examples=["?ssl_cert_reqs=CERT_OPTIONAL"]
    )
    url: SecretRef | None = Field(
        default=None,
        description="The whole broker URL, from a secret whose Kubernetes key is `connection` "
        "(the official chart's `data.brokerUrlSecretName`).",
    )

    @model_validator(mode="after")
    def _host_or_url(self) -> Redis:
        if self.host is None and self.url is None:
            raise ValueError("give `host` or `url`")
        return self


DEFAULT_CHART_VERSIONS = {"community": "8.9.0", "official": "1.21.0"}


class EksTarget(SpecModel):
    chart: Literal["community", "official"] = Field(
        default="community",
        description="Which Helm chart: `community` (airflow-helm/charts 8.x, Airflow 2 up to 2.9) or "
        "`official` (apache-airflow/airflow 1.x: Airflow 3, and Airflow 2 from 2.11, or any Airflow 2 up to 1.19.0).",
    )
    chart_version: StrictStr | None = Field(
        default=None,
        description="Chart release the values are for: community 8.0.0 to 8.9.0 (8.9.0 when unset), official "
        "1.18.0 to 1.21.0 (1.21.0 when unset).",
    )
    namespace: StrictStr = Field(default="airflow", description="Namespace of the release.", pattern=DNS_LABEL)
    release_name: StrictStr | None = Field(
        default=None, description="Helm release name; defaults to the spec's `name`.", pattern=DNS_LABEL
    )
    image: Image | None = Field(default=None, description="Override the Airflow image.")
    service_account: ServiceAccount | None = Field(default=None, description="The pods' service account (IRSA).")
    fernet_key: SecretRef | None = Field(
        default=None, description="Fernet key that encrypts connections in the database."
    )
    webserver_secret_key: SecretRef | None = Field(
        default=None, description="Secret key of the web UI: [webserver] secret_key, on Airflow 3 [api] secret_key."
    )
    jwt_secret: SecretRef | None = Field(
        default=None, description="Airflow 3 only: [api_auth] jwt_secret, which signs task tokens (official chart)."
    )
    database: Database | None = Field(
        default=None, description="External metadata database; the chart's embedded PostgreSQL when unset."
    )
    redis: Redis | None = Field(
        default=None, description="External Redis for Celery; the chart's embedded Redis when unset."
    )
    pip_install_at_start: StrictBool = Field(
        default=False,
        description="Official chart: install `packages` at every container start through the image's "
        "_PIP_ADDITIONAL_REQUIREMENTS. For trying things out only, never production: bake them into the image.",
    )
    components: Components | None = Field(
        default=None, description="Each component's size, placement and scheduling, and the bundled parts."
    )
    auth: Auth | None = Field(default=None, description="The UI's admin user and `webserver_config.py`.")
    logs: Logs | None = Field(default=None, description="Remote task logs, the logs volume and log cleanup.")
    use_helm_hooks: StrictBool | None = Field(
        default=None,
        description="Official chart: false runs the database migration and user jobs as plain Jobs, for "
        "Argo CD and Flux, which do not run Helm hooks.",
    )
    values: Annotated[dict[StrictStr, JsonValue], WithJsonSchema({"type": "object"})] = Field(
        default_factory=dict,
        description="Helm values for what the spec cannot say, merged over the rendered values last (mappings key "
        "by key, anything else replaced). Checked against the chart release: its values.schema.json (official), "
        "the keys of its values.yaml (community). Keys the spec sets, secret values and `{secret: NAME}` are refused.",
        examples=[{"scheduler": {"podAnnotations": {"team": "data"}}}],
    )

    def effective_chart_version(self) -> str:
        return self.chart_version or DEFAULT_CHART_VERSIONS[self.chart]


class Targets(SpecModel):
    eks: EksTarget | None = Field(default=None, description="Amazon EKS with a Helm chart.")
    mwaa: MwaaTarget | None = Field(default=None, description="Amazon Managed Workflows for Apache Airflow.")
