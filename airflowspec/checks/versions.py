"""Versions: `airflow.version` is a real Airflow release, and features match it."""

from __future__ import annotations

from collections.abc import Iterator

from packaging.version import Version

from airflowspec.data.airflow3_config import MOVED_IN_AIRFLOW_3, REMOVED_IN_AIRFLOW_3
from airflowspec.data.airflow_releases import AIRFLOW_RELEASES
from airflowspec.diagnostics import Diagnostic, error, warning
from airflowspec.spec import Spec


def check_airflow_version(spec: Spec) -> Iterator[Diagnostic]:
    version = spec.airflow.version
    path = ("airflow", "version")
    if version not in AIRFLOW_RELEASES:
        newest = max(AIRFLOW_RELEASES, key=Version)
        yield error("AS211", f"Airflow {version} is not a release", path, f"pick a released version, e.g. {newest}")
    elif Version(version) < Version("2.0.0"):
        yield error("AS212", f"Airflow {version} is end of life and not supported", path, "upgrade to Airflow 2 or 3")


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
