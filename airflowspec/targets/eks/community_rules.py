"""Rules of the community chart, checked on the spec so that a spec that validates installs.

Each mirrors a `required` call in the chart's templates (reference: community-chart.md §4) or a
trap its users hit (§5), and reports at the spec line that causes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from packaging.version import Version

from airflowspec.data.airflow_releases import AIRFLOW_RELEASES
from airflowspec.diagnostics import Diagnostic, SpecPath, error, quote, warning
from airflowspec.spec import EksTarget, Spec
from airflowspec.targets.eks import community_chart as chart
from airflowspec.targets.eks import community_secret_rules as secret_rules
from airflowspec.targets.eks import community_storage_rules as storage_rules
from airflowspec.targets.eks import logs_rules, package_rules, volume_rules
from airflowspec.targets.eks.chart_rules import check_owned_options, check_printable
from airflowspec.targets.eks.community_access_rules import check_access
from airflowspec.targets.eks.community_component_rules import check_components
from airflowspec.targets.eks.kubernetes import RELEASE_NAME

EKS: SpecPath = ("targets", "eks")
#: Kubernetes' limit on the keys of a Secret's data, where the chart keeps AIRFLOW__SECTION__OPTION.
MAX_SECRET_KEY = 253


def check_community(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    if eks.effective_chart_version() not in chart.CHART_VERSIONS:
        yield error(
            "AS301",
            f"community chart {quote(eks.effective_chart_version())} is not a known release "
            f"({chart.CHART_VERSIONS[0]} to {chart.CHART_VERSIONS[-1]})",
            (*EKS, "chartVersion"),
            f"use {chart.DEFAULT_CHART_VERSION}",
        )
        return
    for rule in (
        _airflow_version,
        _executor,
        _image,
        _config,
        _release_name,
        secret_rules.check_sources,
        secret_rules.check_chart_keys,
        secret_rules.check_extra_secrets,
        _printable,
        secret_rules.check_connection_variables,
        _variables,
        _pools,
        _backing_services,
        _official_only,
        storage_rules.check_volumes,
        storage_rules.check_git,
        volume_rules.check_community,
        logs_rules.check_community_logs,
        package_rules.check_community_packages,
        package_rules.check_community_indexes,
        check_components,
        check_access,
        _values,
        _production_warnings,
    ):
        yield from rule(spec, eks)


def _values(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    if eks.values:  # its checks load on first use: a spec without `values` does not pay for them
        from airflowspec.targets.eks.values_rules import check_values

        yield from check_values(spec, eks)


def _airflow_version(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    version, path = spec.airflow.version, ("airflow", "version")
    if Version(version).major >= 3:
        yield error(
            "AS302",
            f"the community chart does not support Airflow {version}",
            path,
            f"it runs Airflow up to {chart.NEWEST_SUPPORTED_AIRFLOW}; for Airflow 3 use the official chart: "
            "`targets.eks.chart: official`",
        )
        return
    first = chart.first_chart_for(version)
    if first is None and version in AIRFLOW_RELEASES:  # not a release at all: AS211 says so
        yield warning(
            "AS303",
            f"Airflow {version} is newer than the community chart's support table "
            f"(up to {chart.NEWEST_SUPPORTED_AIRFLOW})",
            path,
            "it may work; test it before production",
        )
    elif first is not None and Version(eks.effective_chart_version()) < Version(first):
        yield error(
            "AS302",
            f"community chart {eks.effective_chart_version()} does not support Airflow {version}",
            path,
            f"set `targets.eks.chartVersion` to {first} or later",
        )


def _executor(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    executor = spec.airflow.executor.value
    if executor not in chart.EXECUTORS:
        yield error(
            "AS304",
            f"the community chart does not run {executor}",
            ("airflow", "executor"),
            f"use one of: {', '.join(chart.EXECUTORS)}",
        )
    if executor == "KubernetesExecutor" and eks.redis is not None:
        yield warning("AS305", "KubernetesExecutor uses no Redis; `redis` is ignored", (*EKS, "redis"), on_key=True)


def _image(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    if eks.image is None or eks.image.tag is None:
        return
    tag, path = eks.image.tag, (*EKS, "image", "tag")
    release = re.match(r"\d+\.\d+\.\d+", tag)
    if eks.image.repository == "apache/airflow" and tag.startswith("1."):
        yield error(
            "AS318",
            f"image tag {quote(tag)} is Airflow 1, which the chart runs only in legacy mode",
            path,
            "use an Airflow 2 image",
        )
    elif release and release.group() != spec.airflow.version:
        yield warning(
            "AS319",
            f"image tag {quote(tag)} is not Airflow {spec.airflow.version}, which `airflow.version` says",
            path,
            "make them agree; checks and the constraints use airflow.version",
        )


def _config(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    yield from check_owned_options(spec, chart.CHART_OWNED_OPTIONS)
    for section, options in spec.airflow.config.items():
        for option in options:
            name = f"AIRFLOW__{section.upper()}__{option.upper()}"
            if len(name) > MAX_SECRET_KEY:
                path = ("airflow", "config", section, option)
                message = (
                    f"the chart keeps each option as a key of a Kubernetes Secret, at most {MAX_SECRET_KEY} "
                    f"characters, and {name[:40]}… has {len(name)}"
                )
                yield error("AS350", message, path, "shorten the option's name", on_key=True)


def _printable(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    return check_printable(spec)


def _release_name(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    name = eks.release_name or spec.name
    path = (*EKS, "releaseName") if eks.release_name else ("name",)
    limit = chart.max_release_name(eks.effective_chart_version())
    if not RELEASE_NAME.match(name):
        yield error(
            "AS307",
            f"{quote(name)} is not a release name the chart can use: lowercase letters, digits and '-', "
            "starting with a letter",
            path,
            "set `targets.eks.releaseName`",
        )
    elif len(name) > limit:
        yield error(
            "AS307",
            f"the release name is {len(name)} characters; chart {eks.effective_chart_version()} allows {limit}",
            path,
            "set a shorter `targets.eks.releaseName`",
        )


def _backing_services(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    database, redis = eks.database, eks.redis
    if database is not None and (database.host is None or database.user is None or database.password is None):
        yield error(
            "AS325",
            "the community chart builds the database URL itself: it needs `host`, `user` and `password`",
            (*EKS, "database"),
            "give them instead of `url`",
            on_key=True,
        )
    if redis is not None and redis.host is None:
        yield error(
            "AS325", "the community chart builds the broker URL itself: it needs `host`", (*EKS, "redis"), on_key=True
        )


def _official_only(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    for key, value in (("jwtSecret", eks.jwt_secret), ("pipInstallAtStart", eks.pip_install_at_start or None)):
        if value is not None:
            message = f"`{key}` is a setting of the official chart; the community chart ignores it"
            yield warning("AS326", message, (*EKS, key), on_key=True)


def _pools(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    if "" in spec.pools:
        yield error("AS320", "a pool needs a name; the chart refuses an empty one", ("pools", ""), on_key=True)


def _variables(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    for key, value in spec.variables.items():
        if value == "":
            yield error(
                "AS311",
                f"variable '{key}' is empty; the chart refuses empty values",
                ("variables", key),
                "give it a value or leave it out",
            )


def _production_warnings(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    if spec.packages:
        yield warning(
            "AS315",
            "packages are pip-installed at every pod start (airflow.extraPipPackages)",
            ("packages",),
            "bake them into the image for production",
            on_key=True,
        )
    if eks.database is None:
        yield warning(
            "AS316",
            "no `targets.eks.database`: the chart's embedded PostgreSQL, with its known password `airflow`, "
            "is not for production",
            EKS,
            on_key=True,
        )
    if eks.redis is None and spec.airflow.executor.value != "KubernetesExecutor":
        yield warning(
            "AS351",
            "no `targets.eks.redis`: the chart's embedded Redis keeps its known password `airflow`, so any pod "
            "that reaches it can queue tasks",
            EKS,
            "add `redis: {host: HOST, password: {secret: NAME}}` for a Redis of your own",
            on_key=True,
        )
    if eks.fernet_key is None:
        yield warning(
            "AS317",
            "no `targets.eks.fernetKey`: the chart's default fernet key is public",
            EKS,
            "add `fernetKey: {secret: NAME}`",
            on_key=True,
        )
    if eks.webserver_secret_key is None:
        yield warning(
            "AS329",
            "no `targets.eks.webserverSecretKey`: the chart's default web server secret key is public "
            "(`THIS IS UNSAFE!`), so anyone can sign a session",
            EKS,
            "add `webserverSecretKey: {secret: NAME}`",
            on_key=True,
        )
