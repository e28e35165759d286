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
    max_failures: StrictInt | None = Field(
        default=None,
        ge=-1,
        le=2**31 - 1,
        description="Failed pulls in a row git-sync allows before it exits (-1: retry forever after the first "
        "sync); the chart's default (0) when unset.",
        examples=[3],
    )
    depth: StrictInt | None = Field(
        default=None,
        ge=0,
        le=2**31 - 1,
        description="Commits of history to clone (0: all of it); the chart's default (1) when unset.",
        examples=[1],
    )


class DagSource(SpecModel):
    volume: Annotated[StrictStr, Field(pattern=NAME_PATTERN)] | None = Field(
        default=None,
        description="Name of an entry under `volumes:` that holds the DAG folder; with `git`, the volume "
        "git-sync writes the repository into.",
        examples=["airflow-efs-dag"],
    )
    git: GitSource | None = Field(
        default=None,
        description="Sync DAGs from a git repository: into each pod, or with `volume` once into that volume, "
        "which the other pods mount.",
    )

    @model_validator(mode="after")
    def _a_source(self) -> DagSource:
        if self.volume is None and self.git is None:
            raise ValueError("needs `volume`, `git`, or both (git-sync into the volume)")
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
