"""Volumes and DAG sources in the real charts' manifests (`helm template`, opt-in: see tests/helm_support.py):
the DAG claim a chart makes, Secrets and ConfigMaps mounted as files in every Airflow pod (the
KubernetesExecutor's pod template included), git-sync's maxFailures and depth, and git-sync into the
DAG volume on the official chart. Official renders also pass the chart's values.schema.json."""

from __future__ import annotations

import configparser
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from helm_support import helm_template, pod_specs, requires_helm
from ruamel.yaml import YAML

from airflowspec import api

pytestmark = requires_helm

Manifests = list[dict[str, Any]]

#: Where the reference data lives: beside the repository, or beside the folder of worktrees.
DATA = next(
    (path for path in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if path.is_dir()), ROOT / "shared"
) / ("reference/data")

FILES = """\
volumes:
  dags: {create: {size: 5Gi, storageClass: efs-sc, accessMode: ReadWriteMany}, mountPath: /opt/airflow/dags}
  corp-ca:
    secret: {name: corp-ca, items: [{key: ca.crt, path: certs/ca.crt}, {key: ca2.crt, path: ca2.crt}]}
    mountPath: /etc/corp-ca
    readOnly: true
  settings: {configMap: {name: airflow-settings}, mountPath: /opt/settings, subPath: team-a}
"""


def _spec(chart: str, version: str, airflow: str, executor: str, dags: str, volumes: str = FILES) -> str:
    return f"""\
apiVersion: airflowspec/v1
name: demo
airflow: {{version: "{airflow}", executor: {executor}}}
dags:
{dags}{volumes}targets:
  eks: {{chart: {chart}, chartVersion: "{version}"}}
"""


def _render(tmp_path: Path, text: str) -> tuple[str, Manifests]:
    file = tmp_path / "airflowspec.yaml"
    file.write_text(text, encoding="utf-8")
    validation, artifacts = api.render(file, "eks")
    assert artifacts, [d for d in validation.diagnostics if d.severity == "error"]
    values = artifacts[0].text
    chart = "community-" if "chart: community" in text else "official-"
    version = text.split('chartVersion: "', 1)[1].split('"', 1)[0]
    return values, helm_template(values, chart + version, "demo", tmp_path)


def _workload(manifests: Manifests, suffix: str) -> dict[str, Any]:
    (pod,) = [
        doc["spec"]["template"]["spec"]
        for doc in manifests
        if doc["kind"] in ("Deployment", "StatefulSet") and doc["metadata"]["name"] == f"demo-{suffix}"
    ]
    return pod


def _pod_template(manifests: Manifests) -> dict[str, Any]:
    pods = pod_specs([doc for doc in manifests if doc["kind"] == "ConfigMap"])
    assert len(pods) == 1
    return pods[0]


def _container(pod: dict[str, Any], name: str) -> dict[str, Any]:
    (container,) = [c for c in [*pod["containers"], *(pod.get("initContainers") or [])] if c["name"] == name]
    return container


def _mounts(container: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {mount["name"]: mount for mount in container.get("volumeMounts") or []}


def _volumes(pod: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {volume["name"]: volume for volume in pod.get("volumes") or []}


def _assert_files_mounted(pod: dict[str, Any], container: str) -> None:
    volumes = _volumes(pod)
    assert volumes["corp-ca"]["secret"] == {
        "secretName": "corp-ca",
        "items": [{"key": "ca.crt", "path": "certs/ca.crt"}, {"key": "ca2.crt", "path": "ca2.crt"}],
    }
    assert volumes["settings"]["configMap"] == {"name": "airflow-settings"}
    mounts = _mounts(_container(pod, container))
    assert mounts["corp-ca"] == {"name": "corp-ca", "mountPath": "/etc/corp-ca", "readOnly": True}
    assert mounts["settings"] == {"name": "settings", "mountPath": "/opt/settings", "subPath": "team-a"}


def _pvc(manifests: Manifests, name: str) -> dict[str, Any]:
    (claim,) = [doc for doc in manifests if doc["kind"] == "PersistentVolumeClaim"]
    assert claim["metadata"]["name"] == name
    return claim["spec"]  # type: ignore[no-any-return]


# --- community chart -------------------------------------------------------------------------------------

COMMUNITY = [("8.9.0", "2.9.2"), ("8.3.0", "2.1.4")]


@pytest.mark.parametrize(("version", "airflow"), COMMUNITY)
def test_community_makes_the_dag_claim_and_mounts_files_in_every_airflow_pod(
    tmp_path: Path, version: str, airflow: str
) -> None:
    dags = "  from: {volume: dags}\n"
    _, manifests = _render(tmp_path, _spec("community", version, airflow, "CeleryKubernetesExecutor", dags))
    claim = _pvc(manifests, "demo-dags")
    assert claim["accessModes"] == ["ReadWriteMany"]
    assert claim["resources"] == {"requests": {"storage": "5Gi"}}
    assert claim["storageClassName"] == "efs-sc"
    with_triggerer = ("triggerer",) if version != "8.3.0" else ()  # none for Airflow before 2.2
    pods = {name: _workload(manifests, name) for name in ("scheduler", "worker", "web", *with_triggerer)}
    pods["pod-template"] = _pod_template(manifests)
    containers = {"scheduler": "airflow-scheduler", "worker": "airflow-worker", "web": "airflow-web"}
    containers |= {"triggerer": "airflow-triggerer", "pod-template": "base"}
    for name, pod in pods.items():
        container = containers[name]
        assert _volumes(pod)["dags-data"]["persistentVolumeClaim"] == {"claimName": "demo-dags"}, name
        assert _mounts(_container(pod, container))["dags-data"]["mountPath"] == "/opt/airflow/dags", name
        _assert_files_mounted(pod, container)


def test_community_git_sync_gets_max_failures_and_depth(tmp_path: Path) -> None:
    dags = '  from: {git: {repo: "https://example.com/dags.git", maxFailures: 3, depth: 2}}\n'
    _, manifests = _render(tmp_path, _spec("community", "8.9.0", "2.9.2", "CeleryExecutor", dags, volumes=""))
    for name in ("scheduler", "worker", "web", "triggerer"):
        env = {
            item["name"]: item.get("value") for item in _container(_workload(manifests, name), "dags-git-sync")["env"]
        }
        assert (env["GIT_SYNC_MAX_SYNC_FAILURES"], env["GIT_SYNC_DEPTH"]) == ("3", "2"), name


def test_community_8_3_git_sync_gets_depth(tmp_path: Path) -> None:
    dags = '  from: {git: {repo: "https://example.com/dags.git", depth: 0}}\n'
    _, manifests = _render(tmp_path, _spec("community", "8.3.0", "2.1.4", "CeleryExecutor", dags, volumes=""))
    env = {
        item["name"]: item.get("value")
        for item in _container(_workload(manifests, "scheduler"), "dags-git-sync")["env"]
    }
    assert env["GIT_SYNC_DEPTH"] == "0"


# --- official chart --------------------------------------------------------------------------------------

OFFICIAL_SCHEMA = DATA / "official-chart-1.21.0-values.schema.json"
OFFICIAL_DEFAULTS = DATA / "official-chart-1.21.0-values.yaml"


def _assert_passes_the_official_schema(values: str) -> None:
    if not OFFICIAL_SCHEMA.is_file():
        pytest.skip(f"no {OFFICIAL_SCHEMA}")
    import jsonschema

    merged = _merge(YAML(typ="safe").load(OFFICIAL_DEFAULTS.read_text(encoding="utf-8")), YAML(typ="safe").load(values))
    validator = jsonschema.Draft7Validator(json.loads(OFFICIAL_SCHEMA.read_text(encoding="utf-8")))
    assert [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(merged)] == []


def _merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        return {**base, **{key: _merge(base.get(key), value) for key, value in override.items()}}
    return override


def test_official_makes_the_dag_claim_and_mounts_files_in_every_airflow_pod(tmp_path: Path) -> None:
    dags = "  path: /opt/airflow/dags\n  from: {volume: dags}\n"
    values, manifests = _render(tmp_path, _spec("official", "1.21.0", "2.11.0", "CeleryKubernetesExecutor", dags))
    _assert_passes_the_official_schema(values)
    claim = _pvc(manifests, "demo-dags")
    assert (claim["accessModes"], claim["resources"], claim["storageClassName"]) == (
        ["ReadWriteMany"],
        {"requests": {"storage": "5Gi"}},
        "efs-sc",
    )
    pods = {name: _workload(manifests, name) for name in ("scheduler", "worker", "webserver", "triggerer")}
    pods["base"] = _pod_template(manifests)
    for name, pod in pods.items():
        if name != "webserver":  # the web server reads serialized DAGs only
            assert _volumes(pod)["dags"]["persistentVolumeClaim"] == {"claimName": "demo-dags"}, name
            assert _mounts(_container(pod, name))["dags"]["mountPath"] == "/opt/airflow/dags", name
        _assert_files_mounted(pod, name)


@pytest.mark.parametrize(("airflow", "syncing"), [("3.1.8", "dag-processor"), ("2.11.0", "scheduler")])
def test_official_git_syncs_into_the_dag_volume(tmp_path: Path, airflow: str, syncing: str) -> None:
    """One git-sync (in the DAG processor, or the scheduler when there is none) writes the repository into
    the claim; every other Airflow pod mounts the claim read-only and runs no git-sync."""
    dags = (
        '  from:\n    volume: dags\n    git: {repo: "https://example.com/dags.git", subPath: dags, '
        "maxFailures: 3, depth: 2}\n"
    )
    values, manifests = _render(tmp_path, _spec("official", "1.21.0", airflow, "CeleryExecutor", dags))
    _assert_passes_the_official_schema(values)
    assert _pvc(manifests, "demo-dags")["accessModes"] == ["ReadWriteMany"]
    web = "api-server" if airflow.startswith("3") else "webserver"
    workloads = {"dag-processor", "scheduler", "worker", "triggerer", web} if airflow.startswith("3") else {
        "scheduler", "worker", "triggerer", web
    }  # fmt: skip
    for name in workloads:
        pod = _workload(manifests, name)
        names = [c["name"] for c in [*pod["containers"], *(pod.get("initContainers") or [])]]
        if name == syncing:
            assert "git-sync" in names, name
            sync = _container(pod, "git-sync")
            env = {item["name"]: item.get("value") for item in sync["env"]}
            assert (env["GITSYNC_MAX_FAILURES"], env["GIT_SYNC_MAX_SYNC_FAILURES"]) == ("3", "3")
            assert (env["GITSYNC_DEPTH"], env["GITSYNC_REPO"]) == ("2", "https://example.com/dags.git")
            assert _mounts(sync)["dags"] == {"name": "dags", "mountPath": "/git"}  # the claim's root
        else:
            assert not [n for n in names if n.startswith("git-sync")], name
        if name in ("api-server", "webserver") or (name == "scheduler" and syncing != "scheduler"):
            continue  # they read serialized DAGs only
        assert _volumes(pod)["dags"]["persistentVolumeClaim"] == {"claimName": "demo-dags"}, name
        mount = _mounts(_container(pod, name))["dags"]
        assert (mount["mountPath"], mount["readOnly"], "subPath" in mount) == ("/opt/airflow/dags", True, False)
    (cfg,) = [doc["data"]["airflow.cfg"] for doc in manifests if "airflow.cfg" in (doc.get("data") or {})]
    parser = configparser.ConfigParser()
    parser.read_string(cfg)
    assert parser.get("core", "dags_folder") == "/opt/airflow/dags/repo/dags"


def test_official_git_sync_gets_max_failures_and_depth_without_a_volume(tmp_path: Path) -> None:
    dags = '  from: {git: {repo: "https://example.com/dags.git", maxFailures: -1, depth: 0}}\n'
    values, manifests = _render(tmp_path, _spec("official", "1.21.0", "3.1.8", "KubernetesExecutor", dags, ""))
    _assert_passes_the_official_schema(values)
    for pod in (_workload(manifests, "dag-processor"), _pod_template(manifests)):
        for container in [
            c for c in [*pod["containers"], *(pod.get("initContainers") or [])] if "git-sync" in c["name"]
        ]:
            env = {item["name"]: item.get("value") for item in container["env"]}
            assert (env["GITSYNC_MAX_FAILURES"], env["GITSYNC_DEPTH"]) == ("-1", "0")
