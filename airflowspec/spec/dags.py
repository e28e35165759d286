"""`dags:` — where DAG files come from and where Airflow reads them."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StrictInt, StrictStr, WithJsonSchema, model_validator

from airflowspec.spec.base import NAME_PATTERN, SecretRef, SpecModel

AbsolutePath = Annotated[StrictStr, Field(pattern=r"^/[^\x00-\x1f\x7f]*$")]


def _relative(path: str) -> str:
    if not path or path.startswith("/") or ".." in path.split("/") or not path.isprintable():
        raise ValueError("must be a relative path of printable characters, without '..'")
    return path


#: A path below some root: not absolute, no `..` part.
RelativePath = Annotated[
    StrictStr,
    AfterValidator(_relative),
    WithJsonSchema({"type": "string", "pattern": r"^(?!/)(?!(.*/)?\.\.(/|$)).+$"}),
]


class GitCredentials(SpecModel):
    ssh_key: SecretRef | None = Field(
        default=None,
        description="Private SSH key for an `ssh://` or `git@host:` repository.",
        examples=[{"secret": "git-ssh-key"}],
    )
    username: SecretRef | None = Field(default=None, description="HTTPS user name.")
    password: SecretRef | None = Field(default=None, description="HTTPS password or token.")

    @model_validator(mode="after")
    def _one_kind(self) -> GitCredentials:
        https = self.username is not None or self.password is not None
        if self.ssh_key is not None and https:
            raise ValueError("give either sshKey, or username and password, not both")
        if https and (self.username is None or self.password is None):
            raise ValueError("HTTPS credentials need both username and password")
        return self


class GitSource(SpecModel):
    repo: StrictStr = Field(
        description="Repository URL, https or ssh.",
        examples=["git@github.com:example/dags.git"],
        min_length=1,
    )
    ref: StrictStr = Field(default="main", description="Branch to follow.", min_length=1)
    revision: StrictStr | None = Field(
        default=None, description="Tag or commit to check out on that branch; its newest commit when unset."
    )
    sub_path: RelativePath | None = Field(
        default=None, description="Folder inside the repository that holds the DAGs.", examples=["dags"]
    )
    credentials: GitCredentials | None = Field(default=None, description="How to authenticate.")
    known_hosts: StrictStr | None = Field(
        default=None,
        description="known_hosts lines for SSH host-key checking (public keys, not a secret).",
    )
    sync_interval: StrictInt | None = Field(
        default=None, ge=1, description="Seconds between pulls; the chart's default when unset."
    )


class DagSource(SpecModel):
    volume: Annotated[StrictStr, Field(pattern=NAME_PATTERN)] | None = Field(
        default=None,
        description="Name of an entry under `volumes:` that holds the DAG folder.",
        examples=["airflow-efs-dag"],
    )
    git: GitSource | None = Field(default=None, description="Sync DAGs from a git repository.")

    @model_validator(mode="after")
    def _exactly_one(self) -> DagSource:
        if (self.volume is None) == (self.git is None):
            raise ValueError("give exactly one of `volume` or `git`")
        return self


class Dags(SpecModel):
    path: AbsolutePath = Field(
        default="/opt/airflow/dags",
        description="Where Airflow reads DAGs inside the containers. With `from.git` the charts "
        "check the repository out below it, at `<path>/repo/<subPath>`.",
        examples=["/opt/efs/dags"],
    )
    from_: DagSource | None = Field(
        default=None,
        alias="from",
        description="Where the DAG files come from: a volume or a git repository. MWAA reads "
        "them from its source bucket instead.",
    )
