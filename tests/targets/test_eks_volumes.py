"""Volumes and git-sync settings in each chart's values (tests/test_helm_volumes.py checks the manifests)."""

from __future__ import annotations

from typing import Any

from helpers import BASE, diagnose, load_spec

from airflowspec.spec import EksTarget
from airflowspec.targets.eks import community_values, official_values

VOLUMES = """\
dags:
  path: /opt/airflow/dags
  from: {volume: dags}
volumes:
  dags: {create: {size: 5Gi, storageClass: efs-sc}, mountPath: /opt/airflow/dags}
  corp-ca: {secret: {name: corp-ca, items: [{key: ca.crt, path: ca.crt}]}, mountPath: /etc/ca, readOnly: true}
  settings: {configMap: {name: airflow-settings}, mountPath: /opt/settings, subPath: a}
"""
GIT = 'dags:\n  from: {git: {repo: "https://example.com/dags.git", maxFailures: 3, depth: 2}}\n'
OFFICIAL = 'apiVersion: airflowspec/v1\nname: demo\nairflow:\n  version: "3.1.8"\n'


def _community(body: str) -> dict[str, Any]:
    spec = load_spec(body + "targets:\n  eks: {chart: community}\n")
    return community_values.compile_values(spec, spec.targets.eks or EksTarget())


def _official(body: str) -> dict[str, Any]:
    spec = load_spec(body + "targets:\n  eks: {chart: official}\n", base=OFFICIAL)
    return official_values.compile_values(spec, spec.targets.eks or EksTarget())


FILE_VOLUMES = [
    {"name": "corp-ca", "secret": {"secretName": "corp-ca", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
    {"name": "settings", "configMap": {"name": "airflow-settings"}},
]
FILE_MOUNTS = [
    {"name": "corp-ca", "mountPath": "/etc/ca", "readOnly": True},
    {"name": "settings", "mountPath": "/opt/settings", "subPath": "a"},
]


def test_community_makes_the_dag_claim_and_mounts_secrets_and_config_maps() -> None:
    values = _community(VOLUMES)
    assert values["dags"]["persistence"] == {
        "enabled": True, "size": "5Gi", "storageClass": "efs-sc", "accessMode": "ReadWriteMany"
    }  # fmt: skip
    assert (values["airflow"]["extraVolumes"], values["airflow"]["extraVolumeMounts"]) == (FILE_VOLUMES, FILE_MOUNTS)


def test_official_makes_the_dag_claim_and_mounts_secrets_and_config_maps() -> None:
    values = _official(VOLUMES)
    assert values["dags"]["persistence"] == {
        "enabled": True, "size": "5Gi", "storageClassName": "efs-sc", "accessMode": "ReadWriteMany"
    }  # fmt: skip
    assert (values["volumes"], values["volumeMounts"]) == (FILE_VOLUMES, FILE_MOUNTS)


def test_git_sync_takes_max_failures_and_depth_on_both_charts() -> None:
    community = _community(GIT)["dags"]["gitSync"]
    official = _official(GIT)["dags"]["gitSync"]
    assert (community["maxFailures"], community["depth"]) == (official["maxFailures"], official["depth"]) == (3, 2)


def test_official_git_syncs_into_the_dag_volume() -> None:
    body = VOLUMES.replace("from: {volume: dags}", 'from: {volume: dags, git: {repo: "https://example.com/d.git"}}')
    dags = _official(body)["dags"]
    assert dags["persistence"]["size"] == "5Gi" and "subPath" not in dags["persistence"]
    assert dags["gitSync"]["enabled"] is True


def test_a_claim_the_chart_makes_keeps_its_sub_path() -> None:
    body = VOLUMES.replace("mountPath: /opt/airflow/dags}", "mountPath: /opt/airflow/dags, subPath: team-a}")
    assert _community(body)["dags"]["persistence"]["subPath"] == "team-a"


def test_max_failures_needs_community_chart_8_5_3() -> None:
    text = BASE + GIT + "targets:\n  eks: {chart: community, chartVersion: '8.5.2'}\n"
    assert "AS237" in {code for _, _, code in diagnose(text)}
    assert "AS237" not in {code for _, _, code in diagnose(text.replace("8.5.2", "8.5.3"))}
