"""`targets.eks.components`, `auth` and `useHelmHooks` on the official chart, read back from the manifests
`helm template` renders with each official chart folder under AIRFLOWSPEC_CHARTS (opt-in, see
tests/helm_support.py), and every render checked against that chart's own values.schema.json."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, example_specs
from helm_support import expand, helm_template, pod_specs, requires_helm
from ruamel.yaml import YAML

from airflowspec import api
from airflowspec.targets.eks import official_chart as chart

VALID = ROOT / "tests" / "cases" / "official-valid"
OFFICIAL_SPECS = [
    *(spec for spec in example_specs() if "chart: official" in spec.read_text(encoding="utf-8")),
    *sorted(VALID.glob("*.yaml")),
]
#: The release these manifest tests are written for: 1.21.0 moved the workers' settings to `workers.celery`
#: and `workers.kubernetes`. Every other release renders every example and valid case in
#: tests/test_helm_versions.py (helm template, the release's schema, and the refusals expected there).
CHART_VERSIONS = [chart.DEFAULT_CHART_VERSION]

Manifests = list[dict[str, Any]]


def _values(spec: Path, version: str, tmp_path: Path) -> str:
    """The spec's values for chart `version` (the spec's own chartVersion replaced)."""
    text = re.sub(r"(?m)^ *chartVersion:.*\n", "", spec.read_text(encoding="utf-8"))
    text = text.replace("chart: official", f'chart: official\n    chartVersion: "{version}"')
    copy = tmp_path / spec.name
    copy.write_text(text, encoding="utf-8")
    validation, artifacts = api.render(copy, "eks")
    assert artifacts, validation.diagnostics
    return artifacts[0].text


def _render(name: str, version: str, tmp_path: Path) -> Manifests:
    spec = VALID / f"{name}.yaml"
    release = "prod" if name == "production-components" else "legacy"
    return helm_template(_values(spec, version, tmp_path), f"official-{version}", release, tmp_path)


def _one(manifests: Manifests, kind: str, name: str) -> dict[str, Any]:
    found = [doc for doc in manifests if doc["kind"] == kind and doc["metadata"]["name"] == name]
    assert len(found) == 1, (kind, name, sorted(f"{d['kind']}/{d['metadata']['name']}" for d in manifests))
    return found[0]


def _pod(manifests: Manifests, kind: str, name: str) -> dict[str, Any]:
    return _one(manifests, kind, name)["spec"]["template"]  # type: ignore[no-any-return]


@requires_helm
@pytest.mark.parametrize("version", CHART_VERSIONS)
def test_airflow_3_components_reach_their_pods(version: str, tmp_path: Path) -> None:
    manifests = _render("production-components", version, tmp_path)
    scheduler = _pod(manifests, "Deployment", "prod-scheduler")
    assert _one(manifests, "Deployment", "prod-scheduler")["spec"]["replicas"] == 2
    assert scheduler["spec"]["nodeSelector"] == {"pool": "scheduler"}  # its own replaces the default
    assert scheduler["spec"]["tolerations"] == [
        {"key": "dedicated", "operator": "Equal", "value": "airflow", "effect": "NoSchedule"}
    ]
    assert "podAntiAffinity" in scheduler["spec"]["affinity"]
    assert scheduler["spec"]["securityContext"] == {
        "runAsUser": 50000, "runAsGroup": 0, "fsGroup": 0, "seccompProfile": {"type": "RuntimeDefault"}
    }  # fmt: skip
    annotations = scheduler["metadata"]["annotations"]
    assert annotations["team"] == "data" and annotations["scheduler-only"] == "yes"
    assert annotations["note"] == "{{ literal }}"  # through the chart's tpl unchanged
    assert annotations["cluster-autoscaler.kubernetes.io/safe-to-evict"] == "true"
    assert scheduler["metadata"]["labels"]["team"] == "data"
    container = next(c for c in scheduler["spec"]["containers"] if c["name"] == "scheduler")
    assert container["resources"] == {"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"memory": "2Gi"}}

    dag_processor = _one(manifests, "Deployment", "prod-dag-processor")
    assert dag_processor["spec"]["replicas"] == 2
    template = dag_processor["spec"]["template"]["metadata"]
    assert template["labels"]["role"] == "parser"
    assert template["annotations"].get("cluster-autoscaler.kubernetes.io/safe-to-evict") != "true"
    assert _one(manifests, "Deployment", "prod-triggerer")["spec"]["replicas"] == 2  # no volume: a Deployment
    assert not [doc for doc in manifests if doc["metadata"]["name"].endswith("statsd")]


@requires_helm
@pytest.mark.parametrize("version", CHART_VERSIONS)
def test_budgets_keda_and_worker_volumes(version: str, tmp_path: Path) -> None:
    manifests = _render("production-components", version, tmp_path)
    budgets = {doc["metadata"]["name"]: doc["spec"] for doc in manifests if doc["kind"] == "PodDisruptionBudget"}
    assert {name: {k: v for k, v in spec.items() if k != "selector"} for name, spec in budgets.items()} == {
        "prod-scheduler-pdb": {"minAvailable": 1},
        "prod-api-server-pdb": {"maxUnavailable": 1},
        "prod-worker-pdb": {"minAvailable": "50%"},
        "prod-triggerer-pdb": {"maxUnavailable": 1},
        "prod-pgbouncer-pdb": {"minAvailable": 1},
    }
    scaler = _one(manifests, "ScaledObject", "prod-worker")["spec"]
    assert (scaler["minReplicaCount"], scaler["maxReplicaCount"]) == (1, 8)
    assert scaler["scaleTargetRef"]["kind"] == "StatefulSet"
    worker = _one(manifests, "StatefulSet", "prod-worker")
    assert "replicas" not in worker["spec"]  # KEDA's
    [claim] = worker["spec"]["volumeClaimTemplates"]
    assert claim["spec"]["storageClassName"] == "gp3"
    assert claim["spec"]["resources"]["requests"]["storage"] == "20Gi"
    pod = worker["spec"]["template"]["spec"]
    assert pod["tolerations"] == [{"key": "spot", "operator": "Exists", "effect": "NoSchedule"}]
    assert pod["nodeSelector"] == {"pool": "airflow"}
    container = next(c for c in pod["containers"] if c["name"] == "worker")
    assert container["resources"] == {"requests": {"cpu": "1", "memory": "2Gi"}}


@requires_helm
@pytest.mark.parametrize("version", CHART_VERSIONS)
def test_bundled_pods_get_the_defaults_as_their_own(version: str, tmp_path: Path) -> None:
    manifests = _render("production-components", version, tmp_path)
    pgbouncer = _one(manifests, "Deployment", "prod-pgbouncer")
    assert pgbouncer["spec"]["replicas"] == 2
    pod = pgbouncer["spec"]["template"]
    assert pod["spec"]["nodeSelector"] == {"pool": "airflow"}
    assert pod["metadata"]["annotations"]["team"] == "data"
    assert pod["spec"]["securityContext"]["runAsUser"] == 50000
    container = next(c for c in pod["spec"]["containers"] if c["name"] == "pgbouncer")
    assert container["resources"] == {"limits": {"cpu": "200m"}}


@requires_helm
@pytest.mark.parametrize("version", CHART_VERSIONS)
def test_ui_and_flower_service_and_ingress(version: str, tmp_path: Path) -> None:
    manifests = _render("production-components", version, tmp_path)
    service = _one(manifests, "Service", "prod-api-server")
    assert service["spec"]["type"] == "LoadBalancer"
    assert service["spec"]["loadBalancerSourceRanges"] == ["10.0.0.0/8"]
    assert service["metadata"]["annotations"] == {"service.beta.kubernetes.io/aws-load-balancer-scheme": "internal"}
    ingress = _one(manifests, "Ingress", "prod-ingress")
    assert ingress["metadata"]["annotations"] == {"alb.ingress.kubernetes.io/scheme": "internal"}
    assert ingress["spec"]["ingressClassName"] == "alb"
    assert ingress["spec"]["tls"] == [{"hosts": ["airflow.example.com"], "secretName": "airflow-tls"}]
    [rule] = ingress["spec"]["rules"]
    assert rule["host"] == "airflow.example.com"
    [path] = rule["http"]["paths"]
    assert (path["path"], path["pathType"], path["backend"]["service"]["name"]) == ("/", "Prefix", "prod-api-server")
    assert _one(manifests, "Service", "prod-flower")["spec"]["type"] == "NodePort"
    flower = _one(manifests, "Ingress", "prod-flower-ingress")["spec"]
    assert flower["ingressClassName"] == "nginx"
    assert flower["rules"][0]["http"]["paths"][0]["path"] == "/flower"
    assert flower["rules"][0]["host"] == "flower.example.com"


@requires_helm
@pytest.mark.parametrize("version", CHART_VERSIONS)
def test_service_accounts_per_component(version: str, tmp_path: Path) -> None:
    manifests = _render("production-components", version, tmp_path)
    roles = {
        doc["metadata"]["name"]: (doc["metadata"].get("annotations") or {}).get("eks.amazonaws.com/role-arn")
        for doc in manifests
        if doc["kind"] == "ServiceAccount"
    }
    assert roles["airflow-ui"] == "arn:aws:iam::123456789012:role/ui"
    assert roles["prod-airflow-worker"] == "arn:aws:iam::123456789012:role/workers"
    assert roles["prod-airflow-scheduler"] == "arn:aws:iam::123456789012:role/airflow"  # the default
    assert _pod(manifests, "Deployment", "prod-api-server")["spec"]["serviceAccountName"] == "airflow-ui"
    assert _pod(manifests, "StatefulSet", "prod-worker")["spec"]["serviceAccountName"] == "prod-airflow-worker"


@requires_helm
@pytest.mark.parametrize("version", CHART_VERSIONS)
def test_admin_password_comes_from_the_secret_and_jobs_are_plain(version: str, tmp_path: Path) -> None:
    manifests = _render("production-components", version, tmp_path)
    job = _one(manifests, "Job", "prod-create-user")
    migrations = _one(manifests, "Job", "prod-run-airflow-migrations")
    for plain in (job, migrations):  # useHelmHooks: false
        assert "helm.sh/hook" not in (plain["metadata"].get("annotations") or {})
    [container] = job["spec"]["template"]["spec"]["containers"]
    env = {item["name"]: item for item in container["env"]}
    assert env["AIRFLOW_ADMIN_PASSWORD"]["valueFrom"] == {"secretKeyRef": {"name": "airflow-admin", "key": "password"}}
    arguments = [expand(str(argument), {}) for argument in container["args"]]  # as the kubelet passes them
    assert arguments == [
        "bash", "-c", 'exec airflow users create "$@" --password "$AIRFLOW_ADMIN_PASSWORD"', "--",
        "--role", "Admin", "--username", "ops", "--email", "ops@example.com",
        "--firstname", "Ops {{ team }}", "--lastname", "Costs $(HOME)",
    ]  # fmt: skip
    assert "admin" not in json.dumps(container["args"]).replace("AIRFLOW_ADMIN", "")  # no chart default user


@requires_helm
@pytest.mark.parametrize("version", CHART_VERSIONS)
def test_webserver_config_reaches_the_ui_as_written(version: str, tmp_path: Path) -> None:
    for name, config_map, text in (
        ("production-components", "prod-api-server-config", "AUTH_TYPE = AUTH_DB  # {{ not a template }}"),
        ("airflow-2-components", "legacy-webserver-config", 'AUTH_ROLE_PUBLIC = "Viewer"'),
    ):
        manifests = _render(name, version, tmp_path)
        assert text in _one(manifests, "ConfigMap", config_map)["data"]["webserver_config.py"]


@requires_helm
@pytest.mark.parametrize("version", CHART_VERSIONS)
def test_airflow_2_webserver_workers_and_bundled_stores(version: str, tmp_path: Path) -> None:
    manifests = _render("airflow-2-components", version, tmp_path)
    web = _pod(manifests, "Deployment", "legacy-webserver")
    assert next(c for c in web["spec"]["containers"] if c["name"] == "webserver")["resources"] == {
        "requests": {"cpu": "250m"}
    }
    assert _one(manifests, "Service", "legacy-webserver")["spec"]["type"] == "LoadBalancer"
    ingress = _one(manifests, "Ingress", "legacy-ingress")["spec"]
    assert ingress["tls"] == [{"hosts": ["airflow.example.com", "www.airflow.example.com"], "secretName": None}]
    assert [rule["host"] for rule in ingress["rules"]] == ["airflow.example.com", "www.airflow.example.com"]
    worker = _one(manifests, "Deployment", "legacy-worker")  # persistence: false
    assert worker["spec"]["replicas"] == 3
    task_pods = [worker["spec"]["template"]["spec"], *pod_specs([d for d in manifests if d["kind"] == "ConfigMap"])]
    assert len(task_pods) == 2  # Celery workers and the KubernetesExecutor's pod template
    for pod in task_pods:
        assert pod["nodeSelector"] == {"pool": "tasks"}
        assert pod["serviceAccountName"] == "airflow-tasks"
    template = YAML(typ="safe").load(
        next(d for d in manifests if d["kind"] == "ConfigMap" and "pod_template_file.yaml" in (d.get("data") or {}))[
            "data"
        ]["pod_template_file.yaml"]
    )
    for metadata in (worker["spec"]["template"]["metadata"], template["metadata"]):
        assert metadata["annotations"]["cost-center"] == "42"
        assert metadata["annotations"]["note"] == "{{ kept }}"
        assert metadata["annotations"]["cluster-autoscaler.kubernetes.io/safe-to-evict"] == "true"
    accounts = [
        doc for doc in manifests if doc["kind"] == "ServiceAccount" and doc["metadata"]["name"] == "airflow-tasks"
    ]
    assert len(accounts) == 1
    assert accounts[0]["metadata"]["annotations"] == {
        "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/tasks"
    }
    assert _one(manifests, "Deployment", "legacy-dag-processor")["spec"]["replicas"] == 1
    redis = _one(manifests, "StatefulSet", "legacy-redis")
    [claim] = redis["spec"]["volumeClaimTemplates"]
    assert (claim["spec"]["storageClassName"], claim["spec"]["resources"]["requests"]["storage"]) == ("gp3", "2Gi")
    assert (
        redis["spec"]["template"]["metadata"]["annotations"]["cluster-autoscaler.kubernetes.io/safe-to-evict"] == "true"
    )
    container = next(c for c in redis["spec"]["template"]["spec"]["containers"] if c["name"] == "redis")
    assert container["resources"] == {"requests": {"memory": "256Mi"}}


def test_embedded_postgresql_settings_go_to_the_bitnami_subchart(tmp_path: Path) -> None:
    """The chart folders hold an empty stand-in for the PostgreSQL subchart: checked in the values only."""
    values = YAML(typ="safe").load(_values(VALID / "airflow-2-components.yaml", chart.DEFAULT_CHART_VERSION, tmp_path))
    assert values["postgresql"]["primary"] == {
        "nodeSelector": {"pool": "data"},
        "resources": {"requests": {"cpu": "250m"}},
        "persistence": {"enabled": True, "size": "8Gi", "storageClass": "gp3"},
    }
