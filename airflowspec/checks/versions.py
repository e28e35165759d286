"""Versions: `airflow.version` is a real Airflow release, and features match it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from packaging.version import Version

from airflowspec.data.airflow3_config import MOVED_IN_AIRFLOW_3, REMOVED_IN_AIRFLOW_3
from airflowspec.data.airflow_releases import AIRFLOW_RELEASES
from airflowspec.diagnostics import Diagnostic, error, warning
from airflowspec.spec import Spec


def check_airflow_version(spec: Spec) -> Iterator[Diagnostic]:
    version = spec.airflow.version
    path = ("airflow", "version")
    if version not in AIRFLOW_RELEASES:
        yield error("AS211", f"Airflow {version} is not a release", path, f"pick a released version: {_nearest(spec)}")
    elif Version(version) < Version("2.0.0"):
        yield error("AS212", f"Airflow {version} is end of life and not supported", path, "upgrade to Airflow 2 or 3")


def _nearest(spec: Spec) -> str:
    """The release to suggest for a version that is none: the newest of its minor, else of its major,
    else the newest, among those every declared target runs."""
    runnable = [release for release in AIRFLOW_RELEASES if all(runs(release) for runs in _target_limits(spec))]
    candidates = sorted(runnable or AIRFLOW_RELEASES, key=Version)
    wanted = spec.airflow.version.split(".")
    for prefix in (wanted[:2], wanted[:1]):
        same = [release for release in candidates if release.split(".")[: len(prefix)] == prefix]
        if same:
            return same[-1]
    return candidates[-1]


def _target_limits(spec: Spec) -> list[Callable[[str], bool]]:
    """Which Airflow releases each declared target runs (the targets' own rules say more)."""
    from airflowspec.data.mwaa import MWAA_VERSIONS
    from airflowspec.targets.eks import community_chart, official_chart

    limits: list[Callable[[str], bool]] = []
    eks = spec.targets.eks
    if eks is not None and eks.chart == "community":
        newest = Version(community_chart.NEWEST_SUPPORTED_AIRFLOW)
        limits.append(lambda release: Version(release).release[:2] <= newest.release[:2])
    if eks is not None and eks.chart == "official":
        oldest = Version(official_chart.OLDEST_AIRFLOW.get(eks.effective_chart_version(), "2.0.0"))
        limits.append(lambda release: Version(release) >= oldest)
    if spec.targets.mwaa is not None:
        limits.append(lambda release: release in MWAA_VERSIONS)
    return limits


def check_pools(spec: Spec) -> Iterator[Diagnostic]:
    if Version(spec.airflow.version) >= Version("2.7.0"):
        return
    for name, pool in spec.pools.items():
        if pool.include_deferred is not None:
            yield error(
                "AS213",
                f"pool '{name}' sets includeDeferred, which needs Airflow 2.7 or later",
                ("pools", name, "includeDeferred"),
                on_key=True,
            )


AIRFLOW_3_REMOVED_EXECUTORS = ("CeleryKubernetesExecutor", "LocalKubernetesExecutor", "SequentialExecutor")


def check_airflow_3(spec: Spec) -> Iterator[Diagnostic]:
    """Airflow 3 removed executors and moved or dropped configuration options."""
    if spec.airflow.version not in AIRFLOW_RELEASES or Version(spec.airflow.version).major < 3:
        return
    executor = spec.airflow.executor.value
    if executor in AIRFLOW_3_REMOVED_EXECUTORS:
        yield error(
            "AS217",
            f"Airflow 3 removed {executor}",
            ("airflow", "executor"),
            "use CeleryExecutor, KubernetesExecutor or LocalExecutor",
        )
    for section, options in spec.airflow.config.items():
        for option in options:
            path = ("airflow", "config", section, option)
            moved = MOVED_IN_AIRFLOW_3.get((section, option))
            if moved:
                new = f"{moved[0]}.{moved[1]}"
                message = f"Airflow 3 reads {section}.{option} as {new}"
                yield warning("AS218", message, path, f"write `{new}`", on_key=True)
            elif (section, option) in REMOVED_IN_AIRFLOW_3:
                yield warning("AS219", f"Airflow 3 no longer reads {section}.{option}", path, "remove it", on_key=True)
