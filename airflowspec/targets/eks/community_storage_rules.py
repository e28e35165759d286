"""Community-chart rules for what pods mount: volumes, the DAG folder and git-sync."""

from __future__ import annotations

from collections.abc import Iterator

from packaging.version import Version

from airflowspec.diagnostics import Diagnostic, error, warning
from airflowspec.spec import EksTarget, GitSource, Spec
from airflowspec.targets.eks import community_chart as chart
from airflowspec.targets.eks.chart_rules import check_git_access, check_mounts
from airflowspec.targets.eks.kubernetes import clean_path

GIT = ("dags", "from", "git")


def check_volumes(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    version = eks.effective_chart_version()
    if spec.volumes and Version(version) < Version(chart.EXTRA_VOLUMES_SINCE):
        yield error(
            "AS341",
            f"community chart {version} writes `airflow.extraVolumes` into its manifests without a line break "
            "before them, which breaks the YAML of every pod",
            ("volumes",),
            f"set `targets.eks.chartVersion` to {chart.EXTRA_VOLUMES_SINCE} or later",
            on_key=True,
        )
    yield from check_mounts(spec, chart.RESERVED_VOLUME_NAMES, _chart_mount_paths(spec))
    for name in chart.logs_on_a_volume(spec, eks.effective_chart_version()):
        yield warning(
            "AS321",
            f"the chart counts volume '{name}' as holding the logs, since {chart.LOGS_PATH} starts with its "
            "mountPath; its log cleanup is turned off",
            ("volumes", name, "mountPath"),
        )


def _chart_mount_paths(spec: Spec) -> dict[str, str]:
    paths = {}
    source = spec.dags.from_
    if source is not None:
        paths[clean_path(spec.dags.path)] = "the DAG folder"
    if spec.packages:
        paths[chart.PIP_PACKAGES_PATH] = "the pip packages"
    return paths


def check_git(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    yield from check_git_access(spec)
    source = spec.dags.from_
    if source is not None and source.git is not None and _https_secrets_differ(spec, source.git):
        yield error(
            "AS313",
            "the chart reads the git username and password from one Kubernetes Secret",
            (*GIT, "credentials"),
            "keep both keys in the same Secret",
        )


def _https_secrets_differ(spec: Spec, git: GitSource) -> bool:
    credentials = git.credentials
    if credentials is None or credentials.username is None or credentials.password is None:
        return False
    sources = [spec.secrets.get(ref.secret) for ref in (credentials.username, credentials.password)]
    names = {secret.kubernetes.name for secret in sources if secret is not None and secret.kubernetes is not None}
    return len(names) > 1
