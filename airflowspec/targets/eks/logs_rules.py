"""Rules for `targets.eks.logs` on both charts: what a chart (version) cannot do with the logs, and
settings that would leave remote logs without a way to S3."""

from __future__ import annotations

import re
from collections.abc import Iterator

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from airflowspec.diagnostics import Diagnostic, SpecPath, error, warning
from airflowspec.spec import EksTarget, Spec
from airflowspec.spec.eks import LogClaim, LogCleanup, RemoteLogs
from airflowspec.targets.eks import community_chart
from airflowspec.targets.eks import logs_chart as facts

LOGS: SpecPath = ("targets", "eks", "logs")
#: Plain YAML scalars that Helm's YAML parser (go-yaml v2, YAML 1.1) reads as something other than the text:
#: booleans, null, numbers, and dates (which become timestamps, then other text).
YAML_WORDS = frozenset({"y", "yes", "n", "no", "true", "false", "on", "off", "null", "~"})
YAML_NUMBER = re.compile(
    r"[-+]?(\.?[0-9][0-9_]*(\.[0-9_]*)?(e[-+]?[0-9]+)?|0[xob][0-9a-f_]+|\.(inf|nan))\Z", re.IGNORECASE
)
YAML_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")
#: The connection Airflow's AWS hooks fall back to, and which then uses boto3's own credentials (IRSA).
AWS_DEFAULT = "aws_default"


def check_community_logs(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    yield from _shared(spec, eks)
    yield from _unquoted_claim(eks)
    logs = eks.logs
    if logs is None:
        return
    version = eks.effective_chart_version()
    held_by = community_chart.logs_on_a_volume(spec, version)
    if logs.persistence is not None and held_by:
        yield error(
            "AS385",
            f"the community chart refuses `logs.persistence` beside volume '{held_by[0]}', which holds the logs "
            f"folder ({community_chart.LOGS_PATH} is under its mountPath)",
            (*LOGS, "persistence"),
            "keep the logs on one of them",
            on_key=True,
        )
    if not isinstance(logs.cleanup, LogCleanup):
        return
    if not facts.community_has_cleanup(version):
        yield error(
            "AS383",
            f"community chart {version} has no log cleanup; it came in {facts.COMMUNITY_CLEANUP_SINCE}",
            (*LOGS, "cleanup"),
            f"set `targets.eks.chartVersion` to {facts.COMMUNITY_CLEANUP_SINCE} or later, or leave out `cleanup`",
            on_key=True,
        )
    elif logs.persistence is not None or held_by:
        where = "`logs.persistence`" if logs.persistence is not None else f"volume '{held_by[0]}'"
        yield error(
            "AS384",
            f"the community chart runs no log cleanup on a shared logs volume, and the logs are on {where}",
            (*LOGS, "cleanup"),
            "leave out `cleanup` (or set it to false) and clean the volume another way",
            on_key=True,
        )


def check_official_logs(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    yield from _shared(spec, eks)
    yield from _unquoted_claim(eks)
    logs = eks.logs
    if logs is None:
        return
    version = eks.effective_chart_version()
    claim = logs.persistence if isinstance(logs.persistence, LogClaim) else None
    if claim is not None and claim.sub_path and not facts.official_has_sub_path(version):
        yield error(
            "AS386",
            f"official chart {version} has no subPath for the logs claim; it came in {facts.OFFICIAL_SUB_PATH_SINCE}",
            (*LOGS, "persistence", "subPath"),
            f"set `targets.eks.chartVersion` to {facts.OFFICIAL_SUB_PATH_SINCE} or later, or use the whole claim",
            on_key=True,
        )
    if logs.persistence is not None:
        yield from _unused_component_volumes(eks)


def _unquoted_claim(eks: EksTarget) -> Iterator[Diagnostic]:
    """Both charts write the claim's name (`claimName: {{ ... }}`) and subPath unquoted: `true` or `2024`
    would reach Kubernetes as a boolean or a number, which it refuses."""
    claim = eks.logs.persistence if eks.logs is not None else None
    if not isinstance(claim, LogClaim):
        return
    for key, what, text in (("claim", "claim name", claim.claim), ("subPath", "subPath", claim.sub_path)):
        if text is not None and not _yaml_reads_as_text(text):
            yield error(
                "AS389",
                f"the charts write the {what} unquoted, and YAML reads '{text}' as a boolean, null, number or date",
                (*LOGS, "persistence", key),
                "use one that YAML reads as text, e.g. starting with a letter",
            )


def _yaml_reads_as_text(text: str) -> bool:
    return not (text.lower() in YAML_WORDS or YAML_NUMBER.match(text) or YAML_DATE.match(text))


def _shared(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    remote = eks.logs.remote if eks.logs else None
    if remote is None:
        return
    yield from _options_set_twice(spec)
    yield from _connection(spec, eks, remote)
    yield from _slim_image(spec, eks)


def _options_set_twice(spec: Spec) -> Iterator[Diagnostic]:
    """`logs.remote` owns the remote options; the same option in `airflow.config` is refused, whatever its
    value, so that one place says where the logs go (also its `_cmd`/`_secret` and pre-2.0 `[core]` forms)."""
    for section in facts.REMOTE_SECTIONS:
        for option in spec.airflow.config.get(section, {}):
            if option.removesuffix("_cmd").removesuffix("_secret") in facts.REMOTE_OPTIONS:
                yield error(
                    "AS380",
                    f"{section}.{option} is set by `targets.eks.logs.remote`",
                    ("airflow", "config", section, option),
                    "remove it here; `logs.remote` says where the logs go",
                    on_key=True,
                )


def _connection(spec: Spec, eks: EksTarget, remote: RemoteLogs) -> Iterator[Diagnostic]:
    path = (*LOGS, "remote", "connection")
    connection = spec.connections.get(remote.connection)
    connection_type = getattr(connection, "type", None)  # None for a connection kept whole in a secret
    if connection_type is not None and connection_type != "aws":
        message = f"connection '{remote.connection}' is of type '{connection_type}'; S3 logs need an `aws` connection"
        yield warning("AS381", message, ("connections", remote.connection, "type"), "set `type: aws`")
    if connection is not None:
        return
    if remote.connection != AWS_DEFAULT:
        yield warning(
            "AS381",
            f"connection '{remote.connection}' is not in `connections`",
            path,
            "define it there, or make sure Airflow finds it elsewhere (a secrets backend)",
        )
    elif not _has_service_account(eks):
        yield warning(
            "AS382",
            f"without a connection '{AWS_DEFAULT}' the pods reach S3 with their IAM role (IRSA), and no "
            "service account is given",
            (*LOGS, "remote"),
            "set `targets.eks.serviceAccount.roleArn`, or define connection `aws_default`",
            on_key=True,
        )


def _has_service_account(eks: EksTarget) -> bool:
    """A role, or an account of the user's own (which may carry one): anything but the chart's bare accounts."""
    account = eks.service_account
    if account is not None and (account.role_arn or account.name):
        return True
    components = eks.components
    if components is None:
        return False
    for name in type(components).model_fields:
        component_account = getattr(getattr(components, name), "service_account", None)
        if component_account is not None and (component_account.role_arn or not component_account.create):
            return True
    return False


def _slim_image(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    """Airflow's `slim-*` images carry no providers, so no S3 task handler."""
    image = eks.image
    if image is None or image.repository != "apache/airflow" or not (image.tag or "").startswith("slim-"):
        return
    installed = eks.chart == "community" or eks.pip_install_at_start
    if installed and facts.AMAZON_PROVIDER in _package_names(spec):
        return
    yield warning(
        "AS387",
        f"image tag '{image.tag}' is Airflow's slim image, which has no Amazon provider to write logs to S3",
        ("targets", "eks", "image", "tag"),
        f"use the full image, or an image with {facts.AMAZON_PROVIDER}",
    )


def _package_names(spec: Spec) -> set[str]:
    names: set[str] = set()
    for text in spec.packages:
        try:
            names.add(canonicalize_name(Requirement(text).name))
        except InvalidRequirement:  # reported by the package checks
            continue
    return names


def _unused_component_volumes(eks: EksTarget) -> Iterator[Diagnostic]:
    """The official chart's workers and triggerer keep logs on a volume each only without `logs.persistence`."""
    components = eks.components
    for name, volume in (("workers", "each worker's own log volume"), ("triggerer", "the triggerer's log volume")):
        component = getattr(components, name) if components is not None else None
        if component is not None and component.persistence:
            yield warning(
                "AS388",
                f"`logs.persistence` replaces {volume} on the official chart, which then makes none",
                ("targets", "eks", "components", name, "persistence"),
                "leave it out",
                on_key=True,
            )
