"""Rules of the official chart for `targets.eks.components`, `auth` and `useHelmHooks`: a setting the
chart has no place for, or for a pod it does not run, is an error at its line that names the chart."""

from __future__ import annotations

from collections.abc import Iterator

from airflowspec.diagnostics import Diagnostic, SpecPath, error, warning
from airflowspec.spec import EksTarget, Spec
from airflowspec.spec.components import Component
from airflowspec.targets.eks import official_chart as chart
from airflowspec.targets.eks import official_component_facts as facts

COMPONENTS: SpecPath = ("targets", "eks", "components")
#: Components the chart runs only when switched on (dagProcessor: on Airflow 2).
OFF_BY_DEFAULT = ("flower", "pgbouncer")
FAB = "airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager"
#: Component fields, the ChartPod flag that says the chart has them, and what the message calls them.
FIELDS = (
    ("pod_disruption_budget", "pdb", "podDisruptionBudget", "PodDisruptionBudget"),
    ("safe_to_evict", "safe_to_evict", "safeToEvict", "safe-to-evict setting"),
    ("replicas", "replicas", "replicas", "replica count"),
    ("enabled", "enabled", "enabled", "on/off switch"),
    ("service_account", "service_account", "serviceAccount", "service account of its own"),
)


def check_components(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    components = eks.components
    if components is None:
        return
    version = eks.effective_chart_version()
    for name, pod in facts.PODS.items():
        component: Component | None = getattr(components, name)
        if component is None:
            continue
        path = (*COMPONENTS, facts.SPEC_NAMES[name])
        absent = _not_run(spec, eks, name, component)
        if absent:
            yield error(absent[0], absent[1], path, absent[2], on_key=True)
            continue
        for field, flag, key, what in FIELDS:
            if getattr(component, field) is not None and not getattr(pod, flag):
                message = f"official chart {version} has no {what} for {facts.SPEC_NAMES[name]}"
                yield error("AS362", message, (*path, key), _field_hint(name, key), on_key=True)
        if name != "postgresql":
            yield from _release_lacks(spec, version, name, component, path)
        yield from _workers(spec, name, component, path)


#: Component fields that came in a later release than the oldest airflowspec supports, and their key.
_BY_RELEASE = (
    ("pod_disruption_budget", "podDisruptionBudget", "PodDisruptionBudget"),
    ("labels", "labels", "labels of its own"),
)


def _release_lacks(spec: Spec, version: str, name: str, component: Component, path: SpecPath) -> Iterator[Diagnostic]:
    """A field the component has in 1.21.0 but not in the spec's release (1.18.0: no budget for workers)."""
    from airflowspec.data.chart_facts import chart_has, versions_with  # read on first use

    for field, key, what in _BY_RELEASE:
        chart_key = f"{facts.values_key(name, spec)}.{key}"
        if getattr(component, field) is None or chart_has("official", version, chart_key):
            continue
        later = versions_with("official", chart_key)
        if not later:
            continue  # no release has it: FIELDS says so
        hint = f"set `targets.eks.chartVersion` to {later[0]} or later, or remove it"
        message = f"official chart {version} has no {what} for {facts.SPEC_NAMES[name]}"
        yield error("AS362", message, (*path, key), hint, on_key=True)


def _not_run(spec: Spec, eks: EksTarget, name: str, component: Component) -> tuple[str, str, str] | None:
    """Why the chart runs no such pod for this spec (code, message, hint), or None."""
    executor = spec.airflow.executor.value
    if name in ("workers", "flower", "redis") and not facts.celery(spec):
        if name == "workers" and facts.kubernetes_pods(spec):
            return None  # the KubernetesExecutor's task pods
        return "AS361", f"the official chart runs no {name} with {executor}", "remove it, or use CeleryExecutor"
    if name == "redis" and eks.redis is not None:
        return _external("redis", "Redis")
    if name == "postgresql" and eks.database is not None:
        return _external("database", "PostgreSQL")
    if component.enabled is False:
        return None
    if name == "pgbouncer" and eks.database is not None:
        return _pgbouncer_without_credentials()
    airflow_3 = chart.is_airflow_3(spec.airflow.version)
    if (name in OFF_BY_DEFAULT or (name == "dag_processor" and not airflow_3)) and component.enabled is None:
        when = " with Airflow 2" if name == "dag_processor" else ""
        message = f"the official chart runs no {facts.SPEC_NAMES[name]}{when} unless it is enabled"
        return "AS361", message, "add `enabled: true`"
    return None


def _pgbouncer_without_credentials() -> tuple[str, str, str]:
    """The chart writes PgBouncer's pgbouncer.ini and users.txt from `data.metadataConnection`, password
    included, while airflowspec gives the database as a URL in a Secret (`data.metadataSecretName`),
    which Airflow then uses directly: PgBouncer would run, pointed at the embedded database, unused."""
    return (
        "AS367",
        "the official chart configures PgBouncer from the database password in its values, and "
        "`targets.eks.database` keeps it in a Secret: PgBouncer would not reach your database",
        "remove `pgbouncer`, or pool in front of the database (RDS Proxy) and give that URL in `database.url`",
    )


def _external(field: str, what: str) -> tuple[str, str, str]:
    return (
        "AS363",
        f"`targets.eks.{field}` is used instead of the official chart's embedded {what}, which is not installed",
        "remove these settings",
    )


def _field_hint(name: str, key: str) -> str:
    if key == "enabled" and name == "workers":
        return "the chart runs workers for the Celery executors; choose `airflow.executor`"
    return "remove it"


def _workers(spec: Spec, name: str, component: Component, path: SpecPath) -> Iterator[Diagnostic]:
    airflow_3 = chart.is_airflow_3(spec.airflow.version)
    if name == "dag_processor" and airflow_3 and component.enabled is False:
        message = "Airflow 3 parses DAGs only in the DAG processor; the official chart cannot run without it"
        yield error("AS366", message, (*path, "enabled"), "remove `enabled: false`")
    if name != "workers":
        return
    celery_only = ("replicas", "autoscaling", "pod_disruption_budget", "persistence")
    if not facts.celery(spec):
        for field in celery_only:
            if getattr(component, field, None) is not None:
                key = {"pod_disruption_budget": "podDisruptionBudget"}.get(field, field)
                message = (
                    f"`{key}` is for Celery workers; with {spec.airflow.executor.value} the official chart "
                    "starts a pod per task"
                )
                yield error("AS365", message, (*path, key), "remove it", on_key=True)
        return
    if getattr(component, "autoscaling", None) is not None and component.replicas is not None:
        message = "with `autoscaling` KEDA sets the number of workers, and the official chart ignores `replicas`"
        yield error("AS364", message, (*path, "replicas"), "remove `replicas`", on_key=True)


def check_auth(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    auth = eks.auth
    manager = str(spec.airflow.config.get("core", {}).get("auth_manager", FAB))
    if auth is not None and auth.admin is not None and manager != FAB:
        yield error(
            "AS375",
            "the official chart makes the admin user with `airflow users create`, the FAB auth manager's "
            f"command, but [core] auth_manager is {manager}",
            ("targets", "eks", "auth", "admin"),
            "remove `admin`, or use the FAB auth manager",
            on_key=True,
        )
    if auth is not None and auth.webserver_config is not None:
        if manager != FAB:
            message = f"webserver_config.py configures the FAB auth manager, and [core] auth_manager is {manager}"
            yield warning("AS376", message, ("targets", "eks", "auth", "webserverConfig"), on_key=True)
        bad = [char for char in auth.webserver_config if not char.isprintable() and char not in "\n\t"]
        if bad:
            yield error(
                "AS379",
                f"webserverConfig holds the character U+{ord(bad[0]):04X}, which the chart would write into "
                "its ConfigMap as it is: only line breaks and tabs may be in it",
                ("targets", "eks", "auth", "webserverConfig"),
                "remove it",
            )


def check_routing(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    components = eks.components
    for name in ("webserver", "flower"):
        component = getattr(components, name) if components else None
        ingress = getattr(component, "ingress", None)
        if ingress is not None and ingress.tls is not None and not ingress.hosts:
            yield error(
                "AS378",
                "the official chart's Ingress serves TLS for its `hosts`, and none are given",
                (*COMPONENTS, name, "ingress", "tls"),
                "add `hosts`",
                on_key=True,
            )


def check_helm_hooks(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    if eks.use_helm_hooks is not False:
        return
    generated = []
    if eks.fernet_key is None:
        generated.append("fernet key")
    if facts.celery(spec) and eks.redis is None:
        generated.append("Redis password")
    for what in generated:
        yield warning(
            "AS377",
            f"the official chart makes its {what} Secret as a Helm hook with a random value: Argo CD runs the "
            "hook at every sync and replaces the value",
            ("targets", "eks", "useHelmHooks"),
            "add `fernetKey: {secret: NAME}`" if what == "fernet key" else "add `redis: {url: {secret: NAME}}`",
        )
