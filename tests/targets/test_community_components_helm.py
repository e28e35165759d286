"""`targets.eks.components`, `auth` and the UI's Service and Ingress, as the community chart renders them.

One spec per community chart folder under AIRFLOWSPEC_CHARTS, using every field that chart version has;
each field is asserted in the manifests `helm template` makes. The embedded Redis and PostgreSQL are
empty stand-in subcharts there, so their settings are asserted in the values only. Opt-in: see
tests/helm_support.py.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from helm_support import CHARTS, helm_template, pod_specs, requires_helm, sync_wrappers
from packaging.version import Version
from ruamel.yaml import YAML

from airflowspec import api

pytestmark = requires_helm

VERSIONS = sorted(
    (path.name.removeprefix("community-") for path in CHARTS.glob("community-*") if path.is_dir()), key=Version
)
#: The newest Airflow each chart release supports fully (its README's table).
AIRFLOW = (("8.9.0", "2.9.3"), ("8.8.0", "2.8.4"), ("8.7.1", "2.6.3"), ("8.6.1", "2.5.3"), ("8.6.0", "2.2.5"))
RELEASE = "prod"
WEBSERVER_CONFIG = "from flask_appbuilder.security.manager import AUTH_DB\nAUTH_TYPE = AUTH_DB  # {{ kept }} $x\n"
TOLERATION = {"key": "dedicated", "operator": "Equal", "value": "airflow", "effect": "NoSchedule"}


def since(version: str, first: str) -> bool:
    return Version(version) >= Version(first)


def spec_text(version: str, executor: str = "CeleryExecutor") -> str:
    airflow = next((airflow for first, airflow in AIRFLOW if since(version, first)), "2.1.4")
    celery = executor != "KubernetesExecutor"
    lines = [
        "apiVersion: airflowspec/v1",
        f"name: {RELEASE}",
        "airflow:",
        f'  version: "{airflow}"',
        f"  executor: {executor}",
        "  config:",
        "    webserver: {base_url: 'https://airflow.example.com/airflow'}",
        "    celery: {flower_url_prefix: /flower}",
        "secrets:",
        "  fernet-key: {kubernetes: {name: airflow-core, key: fernet-key}}",
        "  admin-password: {kubernetes: {name: airflow-admin, key: password}}",
        "targets:",
        "  eks:",
        f'    chartVersion: "{version}"',
        "    fernetKey: {secret: fernet-key}",
        "    auth:",
        "      webserverConfig: |",
        *(f"        {line}" for line in WEBSERVER_CONFIG.splitlines()),
    ]
    if since(version, "8.4.0"):
        admin = "{username: admin, password: {secret: admin-password}, email: 'ops$team@example.com'}"
        lines.append(f"      admin: {admin}")
    lines.append("    components:")
    if since(version, "8.5.0"):
        lines += [
            "      defaults:",
            "        nodeSelector: {role: airflow}",
            f"        tolerations: [{TOLERATION}]".replace("'", ""),
            "        securityContext: {fsGroup: 0, runAsNonRoot: true}",
            "        annotations: {example.com/team: data}",
        ]
        if since(version, "8.6.0"):
            lines.append("        labels: {team: data}")
    pdb = since(version, "8.7.0")
    lines += [
        "      scheduler:",
        "        replicas: 2",
        "        resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {memory: 2Gi}}",
        "        safeToEvict: false",
        "        labels: {tier: core}",
        "        annotations: {example.com/owner: scheduler}",
        *(["        podDisruptionBudget: {minAvailable: 1}"] if pdb else []),
        "      webserver:",
        "        replicas: 2",
        "        nodeSelector: {pool: web}",
        "        affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: "
        "[{topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {component: web}}}]}}",
        "        service: {type: LoadBalancer, annotations: {service.beta.kubernetes.io/aws-load-balancer-scheme: "
        "internal}, loadBalancerSourceRanges: [10.0.0.0/8]}",
    ]
    ingress = since(version, "8.5.0") and celery
    class_name = "className: alb, " if since(version, "8.6.0") else ""
    if ingress:
        lines.append(
            f"        ingress: {{{class_name}annotations: {{alb.ingress.kubernetes.io/scheme: internal}}, "
            "hosts: [airflow.example.com], path: /airflow, tls: {secretName: airflow-tls}}"
        )
    if celery:
        lines += [
            "      workers:",
            "        resources: {requests: {memory: 2Gi}}",
            "        tolerations: [{key: spot, operator: Exists}]",
            *(["        autoscaling: {minReplicas: 2, maxReplicas: 10}"] if pdb else ["        replicas: 3"]),
            "      flower:",
            "        service: {type: NodePort}",
        ]
        if ingress:
            lines.append(f"        ingress: {{{class_name}hosts: [airflow.example.com], path: /flower}}")
        lines += [
            "      redis: {resources: {requests: {memory: 256Mi}}, persistence: {size: 5Gi, storageClass: gp3}}",
        ]
    if since(version, "8.6.0"):
        lines += ["      triggerer:", "        replicas: 2", "        securityContext: {runAsUser: 50000}"]
    if since(version, "8.5.0"):
        lines += [
            "      pgbouncer:",
            "        resources: {requests: {cpu: 100m}}",
            *(["        podDisruptionBudget: {maxUnavailable: 1}"] if pdb else []),
        ]
    lines.append("      postgresql: {persistence: {size: 20Gi}, resources: {requests: {cpu: 250m}}}")
    return "\n".join(lines) + "\n"


def render(version: str, folder: Path, executor: str = "CeleryExecutor") -> tuple[dict[str, Any], list[Any]]:
    spec = folder / "spec.yaml"
    spec.write_text(spec_text(version, executor), encoding="utf-8")
    validation, artifacts = api.render(spec, "eks")
    assert artifacts, [str(d) for d in validation.diagnostics]
    values = YAML(typ="safe").load(artifacts[0].text)
    return values, helm_template(artifacts[0].text, f"community-{version}", RELEASE, folder)


def find(manifests: list[Any], kind: str, name: str) -> Any:
    (found,) = [doc for doc in manifests if doc["kind"] == kind and doc["metadata"]["name"] == f"{RELEASE}-{name}"]
    return found


def pod(manifests: list[Any], kind: str, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(metadata, spec) of a workload's pod template."""
    template = find(manifests, kind, name)["spec"]["template"]
    return template["metadata"], template["spec"]


@pytest.fixture(params=VERSIONS)
def version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_each_component_gets_its_size_and_placement(version: str, tmp_path: Path) -> None:
    _, manifests = render(version, tmp_path)
    defaults = since(version, "8.5.0")
    meta, scheduler = pod(manifests, "Deployment", "scheduler")
    assert find(manifests, "Deployment", "scheduler")["spec"]["replicas"] == 2
    (container,) = [c for c in scheduler["containers"] if c["name"] == "airflow-scheduler"]
    assert container["resources"] == {"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"memory": "2Gi"}}
    assert meta["annotations"]["cluster-autoscaler.kubernetes.io/safe-to-evict"] == "false"
    assert meta["annotations"]["example.com/owner"] == "scheduler"
    assert meta["labels"]["tier"] == "core"
    if defaults:
        assert scheduler["nodeSelector"] == {"role": "airflow"}
        assert scheduler["tolerations"] == [TOLERATION]
        assert scheduler["securityContext"] == {"fsGroup": 0, "runAsNonRoot": True}
    _, web = pod(manifests, "Deployment", "web")
    assert find(manifests, "Deployment", "web")["spec"]["replicas"] == 2
    assert web["nodeSelector"] == {"pool": "web"}  # its own replaces the default
    assert web["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0]["topologyKey"]
    _, worker = pod(manifests, "StatefulSet", "worker")
    assert worker["tolerations"] == [{"key": "spot", "operator": "Exists"}]
    (container,) = [c for c in worker["containers"] if c["name"] == "airflow-worker"]
    assert container["resources"] == {"requests": {"memory": "2Gi"}}
    if since(version, "8.6.0"):
        _, triggerer = pod(manifests, "Deployment", "triggerer")
        assert find(manifests, "Deployment", "triggerer")["spec"]["replicas"] == 2
        assert triggerer["securityContext"] == {"runAsUser": 50000}
    if since(version, "8.5.0"):
        _, pgbouncer = pod(manifests, "Deployment", "pgbouncer")
        assert pgbouncer["containers"][0]["resources"] == {"requests": {"cpu": "100m"}}
        assert pgbouncer["nodeSelector"] == {"role": "airflow"}


def test_defaults_reach_every_airflow_pod(version: str, tmp_path: Path) -> None:
    if not since(version, "8.5.0"):
        pytest.skip("no chart defaults before 8.5.0 (refused, AS354)")
    _, manifests = render(version, tmp_path)
    workloads = [doc for doc in manifests if doc["kind"] in ("Deployment", "StatefulSet", "Job")]
    assert len(workloads) >= 6
    for doc in workloads:
        meta = doc["spec"]["template"]["metadata"]
        assert meta["annotations"]["example.com/team"] == "data", doc["metadata"]["name"]
        if since(version, "8.6.0"):
            assert meta["labels"]["team"] == "data", doc["metadata"]["name"]
        if not doc["metadata"]["name"].endswith("-web"):
            assert doc["spec"]["template"]["spec"]["nodeSelector"] == {"role": "airflow"}, doc["metadata"]["name"]


def test_task_pods_get_the_defaults(version: str, tmp_path: Path) -> None:
    if not since(version, "8.6.0"):
        pytest.skip("task pod labels arrive in 8.6.0")
    _, manifests = render(version, tmp_path, "KubernetesExecutor")
    (template,) = [p for p in pod_specs(manifests) if p.get("restartPolicy") == "Never"]
    assert template["nodeSelector"] == {"role": "airflow"}
    assert template["tolerations"] == [TOLERATION]
    (config_map,) = [doc for doc in manifests if doc["kind"] == "ConfigMap" and "pod_template.yaml" in doc["data"]]
    metadata = YAML(typ="safe").load(config_map["data"]["pod_template.yaml"])["metadata"]
    assert metadata["labels"] == {"team": "data"}
    assert metadata["annotations"] == {"example.com/team": "data"}


def test_budgets_and_the_worker_autoscaler(version: str, tmp_path: Path) -> None:
    if not since(version, "8.7.0"):
        pytest.skip("PodDisruptionBudget and HPA API versions EKS serves arrive in 8.7.0 (refused, AS355)")
    _, manifests = render(version, tmp_path)
    scheduler = find(manifests, "PodDisruptionBudget", "scheduler")
    assert scheduler["apiVersion"] == "policy/v1"
    assert scheduler["spec"]["minAvailable"] == 1 and "maxUnavailable" not in scheduler["spec"]
    assert find(manifests, "PodDisruptionBudget", "pgbouncer")["spec"]["maxUnavailable"] == 1
    hpa = find(manifests, "HorizontalPodAutoscaler", "worker")
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (2, 10)
    assert [m["resource"]["name"] for m in hpa["spec"]["metrics"]] == ["memory"]
    _, worker = pod(manifests, "StatefulSet", "worker")
    for container in worker["containers"]:  # a Utilization metric needs a request on every container
        assert container["resources"]["requests"]["memory"], container["name"]


def test_web_and_flower_services_and_ingresses(version: str, tmp_path: Path) -> None:
    _, manifests = render(version, tmp_path)
    web = find(manifests, "Service", "web")["spec"]
    assert web["type"] == "LoadBalancer" and web["loadBalancerSourceRanges"] == ["10.0.0.0/8"]
    annotations = find(manifests, "Service", "web")["metadata"]["annotations"]
    assert annotations == {"service.beta.kubernetes.io/aws-load-balancer-scheme": "internal"}
    assert find(manifests, "Service", "flower")["spec"]["type"] == "NodePort"
    if not since(version, "8.5.0"):
        assert not [doc for doc in manifests if doc["kind"] == "Ingress"]
        return
    ingress = find(manifests, "Ingress", "web")
    assert ingress["apiVersion"] == "networking.k8s.io/v1"
    assert ingress["metadata"]["annotations"] == {"alb.ingress.kubernetes.io/scheme": "internal"}
    (rule,) = ingress["spec"]["rules"]
    assert rule["host"] == "airflow.example.com"
    assert [p["path"] for p in rule["http"]["paths"]] == ["/airflow"]
    assert ingress["spec"]["tls"] == [{"hosts": ["airflow.example.com"], "secretName": "airflow-tls"}]
    assert ingress["spec"].get("ingressClassName") == ("alb" if since(version, "8.6.0") else None)
    (flower,) = find(manifests, "Ingress", "flower")["spec"]["rules"]
    assert [p["path"] for p in flower["http"]["paths"]] == ["/flower"]


def test_webserver_config_is_carried_as_written(version: str, tmp_path: Path) -> None:
    _, manifests = render(version, tmp_path)
    secret = find(manifests, "Secret", "webserver-config")
    if "data" in secret:
        text = base64.b64decode(secret["data"]["webserver_config.py"]).decode()
    else:
        text = secret["stringData"]["webserver_config.py"]
    assert text.rstrip("\n") == WEBSERVER_CONFIG.rstrip("\n")


def test_admin_password_comes_from_its_secret(version: str, tmp_path: Path) -> None:
    if not since(version, "8.4.0"):
        pytest.skip("no usersTemplates before 8.4.0 (refused, AS372)")
    _, manifests = render(version, tmp_path)
    (user,) = _users(manifests).values()
    assert user["password"] == "${ADMIN_PASSWORD}"
    assert user["email"] == "ops$$team@example.com"  # the sync pod's substitution gives back one `$`
    assert user.get("roles", [user.get("role")]) == ["Admin"]  # a list from 8.6.0
    _, sync = pod(manifests, "Deployment", "sync-users")
    sources = [s["secret"] for v in sync["volumes"] for s in (v.get("projected") or {}).get("sources", [])]
    assert {"name": "airflow-admin", "items": [{"key": "password", "path": "ADMIN_PASSWORD"}]} in sources


def _users(manifests: list[Any]) -> dict[str, Any]:
    """The users-sync script's wrappers; before 8.5.0 the chart keeps the script as `stringData`."""
    found = sync_wrappers(manifests, "USER")
    for doc in manifests if not found else ():
        if doc["kind"] == "Secret" and "stringData" in doc:
            data = {key: base64.b64encode(text.encode()).decode() for key, text in doc["stringData"].items()}
            found = found or sync_wrappers([{**doc, "data": data}], "USER")
    return found


def test_embedded_stores_in_the_values(version: str, tmp_path: Path) -> None:
    """The stand-in subcharts render nothing: these keys are checked against the chart's values.yaml."""
    values, _ = render(version, tmp_path)
    chart_values = YAML(typ="safe").load((CHARTS / f"community-{version}" / "values.yaml").read_text())
    redis, postgresql = values["redis"], values["postgresql"]
    assert redis["master"]["resources"] == {"requests": {"memory": "256Mi"}}
    assert redis["master"]["persistence"] == {"enabled": True, "size": "5Gi", "storageClass": "gp3"}
    assert postgresql["persistence"] == {"enabled": True, "size": "20Gi"}
    assert postgresql["resources"] == {"requests": {"cpu": "250m"}}  # stable/postgresql's own top-level key
    assert set(redis) <= set(chart_values["redis"])
    assert set(redis["master"]) <= set(chart_values["redis"]["master"])
    assert set(postgresql) - {"resources"} <= set(chart_values["postgresql"])
    assert set(postgresql.get("master", {})) <= set(chart_values["postgresql"]["master"])
    if since(version, "8.5.0"):
        assert redis["master"]["nodeSelector"] == postgresql["master"]["nodeSelector"] == {"role": "airflow"}
