"""Versions: `airflow.version` is a real Airflow release, and features match it."""

from __future__ import annotations

from collections.abc import Iterator

from packaging.version import Version

from airflowspec.data.airflow_releases import AIRFLOW_RELEASES
from airflowspec.diagnostics import Diagnostic, error
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
