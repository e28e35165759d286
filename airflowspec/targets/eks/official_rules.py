"""Rules of the official chart (apache-airflow/airflow 1.x), checked on the spec so that a spec that
validates is a spec the chart installs and runs: what the chart cannot do is a located diagnostic."""

from __future__ import annotations

from collections.abc import Iterator

from packaging.version import Version

from airflowspec.checks.versions import AIRFLOW_3_REMOVED_EXECUTORS
from airflowspec.diagnostics import Diagnostic, SpecPath, error, quote, warning
from airflowspec.spec import EksTarget, SecretRef, Spec
from airflowspec.targets.eks import logs_rules, official_component_rules, package_rules, volume_rules
from airflowspec.targets.eks import official_chart as chart
from airflowspec.targets.eks.chart_rules import (
    check_git_access,
    check_mounts,
    check_owned_options,
    check_pasted_secrets,
    check_printable,
    check_secret_sources,
)
from airflowspec.targets.eks.kubernetes import RELEASE_NAME, clean_path

EKS: SpecPath = ("targets", "eks")
RESERVED_VOLUME_NAMES = frozenset({"config", "dags", "git-sync-ssh-key", "kerberos-ccache", "kerberos-keytab", "logs"})


def check_official(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    version = eks.effective_chart_version()
    if version not in chart.CHART_VERSIONS:
        yield error(
            "AS330",
            f"official chart {quote(version)} is not a release airflowspec knows",
            (*EKS, "chartVersion"),
            f"use one of: {', '.join(chart.CHART_VERSIONS)}",
        )
        return
    for rule in (
        _airflow_version,
        _executor,
        _config,
        _release_name,
        _secret_sources,
        _environment_names,
        _pasted_secrets,
        _printable,
        _fixed_secret_keys,
        _packages,
        package_rules.check_official_packages,
        package_rules.check_official_indexes,
        _pools,
        _volumes,
        volume_rules.check_official,
        _git,
        logs_rules.check_official_logs,
        _values,
        _production_warnings,
        official_component_rules.check_components,
        official_component_rules.check_auth,
        official_component_rules.check_routing,
        official_component_rules.check_helm_hooks,
    ):
        yield from rule(spec, eks)


def _values(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    if eks.values:  # its checks load on first use: a spec without `values` does not pay for them
        from airflowspec.targets.eks.values_rules import check_values

        yield from check_values(spec, eks)


def _airflow_version(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    version = eks.effective_chart_version()
    oldest = chart.OLDEST_AIRFLOW[version]
    if Version(spec.airflow.version) < Version(oldest):
        yield error(
            "AS331",
            f"official chart {version} runs Airflow {oldest} and later, not {spec.airflow.version}",
            ("airflow", "version"),
            f"upgrade Airflow, or set `targets.eks.chartVersion: {chart.LAST_FOR_AIRFLOW_2_10}`, the last release "
            "for older Airflow",
        )


def _executor(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    executor = spec.airflow.executor.value
    airflow_3 = chart.is_airflow_3(spec.airflow.version)
    if executor in AIRFLOW_3_REMOVED_EXECUTORS and airflow_3:
        return  # AS217 says it for every target
    allowed = chart.AIRFLOW_3_EXECUTORS if airflow_3 else chart.EXECUTORS
    if executor not in allowed:
        message = f"the official chart does not run {executor}"
        yield error("AS332", message, ("airflow", "executor"), f"use one of: {', '.join(allowed)}")


def _config(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    return check_owned_options(spec, chart.CHART_OWNED_OPTIONS)


def _release_name(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    name = eks.release_name or spec.name
    path = (*EKS, "releaseName") if eks.release_name else ("name",)
    if not RELEASE_NAME.match(name) or len(name) > chart.MAX_RELEASE_NAME:
        yield error(
            "AS307",
            f"{quote(name)} is not a release name the chart can use: at most {chart.MAX_RELEASE_NAME} lowercase "
            "letters, digits and '-', starting with a letter",
            path,
            "set `targets.eks.releaseName`",
        )


def _environment_names(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    """Connections and variables become AIRFLOW_CONN_<ID> / AIRFLOW_VAR_<KEY>: ids that differ only in
    case would share one variable."""
    if any(conn_id.upper() == "AIRFLOW_DB" for conn_id in spec.connections):
        conn_id = next(key for key in spec.connections if key.upper() == "AIRFLOW_DB")
        message = "the chart sets AIRFLOW_CONN_AIRFLOW_DB itself, to the metadata database"
        yield error("AS333", message, ("connections", conn_id), "pick another connection id", on_key=True)
    for section, prefix in (("connections", "AIRFLOW_CONN_"), ("variables", "AIRFLOW_VAR_")):
        seen: dict[str, str] = {}
        for key in getattr(spec, section):
            name = prefix + key.upper()
            if name in seen:
                message = f"'{seen[name]}' and '{key}' both become the environment variable {name}"
                yield error("AS333", message, (section, key), "ids must differ in more than case", on_key=True)
            seen.setdefault(name, key)


def _secret_sources(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    return check_secret_sources(spec)


def _pasted_secrets(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    return check_pasted_secrets(spec, extra_only=False)


def _printable(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    return check_printable(spec)


def _git(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    return check_git_access(spec)


def _fixed_secret_keys(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    """Secrets the chart reads under a key name of its own choosing."""
    source = spec.dags.from_
    git = source.git if source else None
    fixed: list[tuple[SecretRef | None, str, str]] = [
        (eks.database.url if eks.database else None, chart.CONNECTION_KEY, "the metadata database URL"),
        (eks.redis.url if eks.redis else None, chart.CONNECTION_KEY, "the broker URL"),
        (git.credentials.ssh_key if git and git.credentials else None, chart.GIT_SSH_KEY, "the git SSH key"),
    ]
    for ref, key, what in fixed:
        secret = spec.secrets.get(ref.secret) if ref else None
        if secret is not None and secret.kubernetes is not None and secret.kubernetes.key != key:
            yield error(
                "AS334",
                f"the official chart reads {what} from key `{key}` of its Secret, not `{secret.kubernetes.key}`",
                ("secrets", ref.secret if ref else "", "kubernetes", "key"),
                f"store it under `{key}`",
            )
    for field, service in (("database", "metadata database"), ("redis", "broker")):
        settings = getattr(eks, field)
        if settings is not None and settings.url is None:
            yield error(
                "AS335",
                f"the official chart takes the {service} as one URL in a Secret",
                (*EKS, field),
                f"add `url: {{secret: NAME}}`, a Secret whose key `{chart.CONNECTION_KEY}` holds the URL",
                on_key=True,
            )


def _packages(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    if not spec.packages:
        return
    if not eks.pip_install_at_start:
        yield error(
            "AS336",
            "the official chart cannot install pip packages",
            ("packages",),
            "bake them into an image (`targets.eks.image`), or set `pipInstallAtStart: true` to try them out",
            on_key=True,
        )
        return
    yield warning(
        "AS336",
        "every container pip-installs the packages at start (_PIP_ADDITIONAL_REQUIREMENTS): not for production",
        (*EKS, "pipInstallAtStart"),
        "bake them into the image",
    )  # what the image's unquoted expansion would change in a package is package_rules' (AS340)


def _pools(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    for name in spec.pools:
        yield warning(
            "AS337",
            f"the official chart cannot declare pool '{name}'; it is left out",
            ("pools", name),
            "create it once with `airflow pools set`, or `airflow pools import` from a Job",
            on_key=True,
        )


def _volumes(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    taken = dict(chart.CHART_FILES)
    if spec.dags.from_ is not None:
        dag_folder = clean_path(spec.dags.path)
        if dag_folder in taken:
            message = f"dags.path {spec.dags.path} is where the chart mounts {taken[dag_folder]}"
            yield error("AS323", message, ("dags", "path"), "put the DAG folder somewhere else")
        taken[dag_folder] = "the DAG folder"
    yield from check_mounts(spec, RESERVED_VOLUME_NAMES, taken)


def _production_warnings(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    if eks.database is None:
        yield warning(
            "AS316",
            "no `targets.eks.database`: the chart's embedded PostgreSQL is not for production",
            EKS,
            on_key=True,
        )
    airflow_3 = chart.is_airflow_3(spec.airflow.version)
    if airflow_3 and eks.jwt_secret is None:
        message = "no `targets.eks.jwtSecret`: the chart makes a new random JWT secret at every upgrade"
        yield warning("AS338", message, EKS, "add `jwtSecret: {secret: NAME}`", on_key=True)
    if not airflow_3 and eks.jwt_secret is not None:
        message = "`jwtSecret` is for Airflow 3; Airflow 2 has no JWT secret and it is left out"
        yield warning("AS338", message, (*EKS, "jwtSecret"), on_key=True)
    if eks.webserver_secret_key is None:
        message = "no `targets.eks.webserverSecretKey`: the chart makes a new random secret key at every upgrade"
        yield warning("AS339", message, EKS, "add `webserverSecretKey: {secret: NAME}`", on_key=True)
