"""`targets.eks.logs` (airflowspec/targets/eks/logs_values.py, logs_rules.py): what reaches the pods
that `helm template` renders from the real charts (remote options, the logs claim, the cleanup
sidecars), values for chart versions the helm tests do not cover, and the rules' diagnostics."""

from __future__ import annotations

import base64
import configparser
import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from helm_support import helm_template, requires_helm
from helpers import load_spec

from airflowspec import api
from airflowspec.diagnostics import Diagnostic
from airflowspec.spec import EksTarget, Spec
from airflowspec.targets.eks.logs_rules import check_community_logs, check_official_logs
from airflowspec.targets.eks.logs_values import community_logs, official_logs

CASES = ROOT / "tests" / "cases"
DATA = Path(os.environ.get("AIRFLOWSPEC_REFERENCE_DATA", ROOT.parent / "shared" / "reference" / "data"))
REMOTE = {"remote_logging": "True"}
Manifests = list[dict[str, Any]]


def _render(case: str, tmp_path: Path) -> tuple[Spec, Manifests]:
    validation, artifacts = api.render(CASES / case, "eks")
    assert validation.spec is not None and artifacts, validation.diagnostics
    eks = validation.spec.targets.eks or EksTarget()
    chart = f"{eks.chart}-{eks.effective_chart_version()}"
    return validation.spec, helm_template(artifacts[0].text, chart, eks.release_name or validation.spec.name, tmp_path)


def _pods(manifests: Manifests) -> dict[str, dict[str, Any]]:
    """Each Deployment's and StatefulSet's pod, by the workload's name."""
    return {
        doc["metadata"]["name"]: doc["spec"]["template"]["spec"]
        for doc in manifests
        if doc["kind"] in ("Deployment", "StatefulSet")
    }


def _containers(pod: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {container["name"]: container for container in pod["containers"]}


def _env(container: dict[str, Any]) -> dict[str, str]:
    return {item["name"]: item.get("value", "") for item in container.get("env") or []}


def _logs_volume(pod: dict[str, Any], name: str) -> dict[str, Any]:
    (volume,) = [volume for volume in pod.get("volumes") or [] if volume["name"] == name]
    return volume  # type: ignore[no-any-return]


def _mount(container: dict[str, Any], path: str) -> dict[str, Any]:
    (mount,) = [mount for mount in container["volumeMounts"] if mount["mountPath"].strip('"') == path]
    return mount  # type: ignore[no-any-return]


def _community_config(manifests: Manifests, release: str) -> dict[str, str]:
    """The Secret the scheduler reads its environment from (envFrom; `<release>-config-envs` on 8.9.0,
    `<release>-config` as stringData on 8.3.0), decoded."""
    scheduler = _containers(_pods(manifests)[f"{release}-scheduler"])["airflow-scheduler"]
    (name,) = [source["secretRef"]["name"] for source in scheduler["envFrom"] if "secretRef" in source]
    (secret,) = [doc for doc in manifests if doc["kind"] == "Secret" and doc["metadata"]["name"] == name]
    decoded = {key: base64.b64decode(value).decode() for key, value in (secret.get("data") or {}).items()}
    return {**decoded, **(secret.get("stringData") or {})}


def _airflow_cfg(manifests: Manifests) -> configparser.ConfigParser:
    (text,) = [doc["data"]["airflow.cfg"] for doc in manifests if "airflow.cfg" in (doc.get("data") or {})]
    parser = configparser.ConfigParser()
    parser.read_string(text)
    return parser


# --- community chart ---------------------------------------------------------------------------


@requires_helm
def test_community_remote_logs_reach_every_airflow_container_and_cleanup_keeps_a_week(tmp_path: Path) -> None:
    _, manifests = _render("eks-valid/logs-remote-and-cleanup.yaml", tmp_path)
    assert {key: value for key, value in _community_config(manifests, "logs-remote").items() if "REMOTE" in key} == {
        "AIRFLOW__LOGGING__REMOTE_LOGGING": "True",
        "AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER": "s3://acme-airflow-logs/prod/tasks",
        "AIRFLOW__LOGGING__REMOTE_LOG_CONN_ID": "aws_default",
    }
    pods = _pods(manifests)
    for name, main in (("logs-remote-scheduler", "airflow-scheduler"), ("logs-remote-worker", "airflow-worker")):
        containers = _containers(pods[name])
        assert {"secretRef": {"name": "logs-remote-config-envs"}} in containers[main]["envFrom"]  # the Secret above
        assert _env(containers["log-cleanup"])["RETENTION_MINUTES"] == str(7 * 24 * 60)
        assert _logs_volume(pods[name], "logs-data") == {"name": "logs-data", "emptyDir": {}}


@requires_helm
def test_community_made_claim_is_mounted_everywhere_and_turns_cleanup_off(tmp_path: Path) -> None:
    _, manifests = _render("eks-valid/logs-made-claim.yaml", tmp_path)
    (claim,) = [doc for doc in manifests if doc["kind"] == "PersistentVolumeClaim"]
    assert claim["metadata"]["name"] == "logs-claim-logs"
    assert claim["spec"]["storageClassName"] == "efs-sc"
    assert claim["spec"]["resources"]["requests"]["storage"] == "20Gi"
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    config = _community_config(manifests, "logs-claim")
    assert config["AIRFLOW__LOGGING__REMOTE_LOG_CONN_ID"] == "s3_logs"
    assert config["AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER"] == "s3://acme-airflow-logs"
    for name, pod in _pods(manifests).items():
        assert "log-cleanup" not in _containers(pod), name
        if name.endswith(("-scheduler", "-worker", "-web", "-triggerer")):
            assert _logs_volume(pod, "logs-data")["persistentVolumeClaim"] == {"claimName": "logs-claim-logs"}


@requires_helm
def test_community_cleanup_false_runs_no_cleanup_sidecar(tmp_path: Path) -> None:
    _, manifests = _render("eks-valid/logs-cleanup-off.yaml", tmp_path)
    pods = _pods(manifests)
    assert "logs-kept-scheduler" in pods
    assert [name for name, pod in pods.items() if "log-cleanup" in _containers(pod)] == []


@requires_helm
def test_community_8_3_0_takes_an_existing_claim_with_its_sub_path(tmp_path: Path) -> None:
    _, manifests = _render("eks-valid/logs-claim-chart-8-3-0.yaml", tmp_path)
    assert [doc for doc in manifests if doc["kind"] == "PersistentVolumeClaim"] == []
    pod = _pods(manifests)["logs-old-chart-scheduler"]
    assert _logs_volume(pod, "logs-data")["persistentVolumeClaim"] == {"claimName": "efs-logs"}
    assert _mount(_containers(pod)["airflow-scheduler"], "/opt/airflow/logs")["subPath"] == "airflow/logs"
    config = _community_config(manifests, "logs-old-chart")
    assert config["AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER"] == "s3://acme-airflow-logs/blog-era"


# --- official chart ----------------------------------------------------------------------------

GROOMED = ("-scheduler", "-triggerer", "-dag-processor", "-worker")


@requires_helm
def test_official_remote_logs_claim_and_groomers(tmp_path: Path) -> None:
    _, manifests = _render("official-valid/logs-claim-and-groomers.yaml", tmp_path)
    logging = dict(_airflow_cfg(manifests).items("logging"))
    assert {key: logging[key] for key in ("remote_logging", "remote_base_log_folder", "remote_log_conn_id")} == {
        **REMOTE,
        "remote_base_log_folder": "s3://acme-airflow-logs/airflow-3",
        "remote_log_conn_id": "s3_logs",
    }
    assert [doc for doc in manifests if doc["kind"] == "PersistentVolumeClaim"] == []
    pods = _pods(manifests)
    for suffix in GROOMED:
        name = f"logs-official{suffix}"
        containers = _containers(pods[name])
        groomer = containers[f"{suffix[1:]}-log-groomer"]
        assert _env(groomer)["AIRFLOW__LOG_RETENTION_DAYS"] == "7", name
        assert _logs_volume(pods[name], "logs")["persistentVolumeClaim"] == {"claimName": "efs-logs"}
        for container in containers.values():
            assert _mount(container, "/opt/airflow/logs")["subPath"] == "prod", (name, container["name"])
    (worker,) = [
        doc for doc in manifests if doc["kind"] == "StatefulSet" and doc["metadata"]["name"].endswith("-worker")
    ]
    assert "volumeClaimTemplates" not in worker["spec"]  # the shared claim replaces each worker's own


@requires_helm
def test_official_made_claim_without_groomers(tmp_path: Path) -> None:
    _, manifests = _render("official-valid/logs-made-claim-airflow-2.yaml", tmp_path)
    (claim,) = [doc for doc in manifests if doc["kind"] == "PersistentVolumeClaim"]
    assert claim["metadata"]["name"] == "logs-official-2-logs"
    assert claim["spec"]["storageClassName"] == "efs-sc"
    assert claim["spec"]["resources"]["requests"]["storage"] == "50Gi"
    assert (
        dict(_airflow_cfg(manifests).items("logging"))["remote_base_log_folder"] == "s3://acme-airflow-logs/airflow-2"
    )
    pods = _pods(manifests)
    assert "logs-official-2-scheduler" in pods
    for name, pod in pods.items():
        assert not [c for c in _containers(pod) if c.endswith("log-groomer")], name
        if name.endswith(("-scheduler", "-triggerer")):
            assert _logs_volume(pod, "logs")["persistentVolumeClaim"] == {"claimName": "logs-official-2-logs"}


SCHEMA = DATA / "official-chart-1.21.0-values.schema.json"


@pytest.mark.skipif(
    not SCHEMA.is_file(), reason=f"the chart's schema is not at {SCHEMA}; set AIRFLOWSPEC_REFERENCE_DATA"
)
@pytest.mark.parametrize("case", ["logs-claim-and-groomers", "logs-made-claim-airflow-2"])
def test_official_logs_values_pass_the_charts_schema(case: str) -> None:
    import jsonschema
    from ruamel.yaml import YAML

    _, artifacts = api.render(CASES / "official-valid" / f"{case}.yaml", "eks")
    yaml = YAML(typ="safe")
    merged = _coalesce(
        yaml.load((DATA / "official-chart-1.21.0-values.yaml").read_text()), yaml.load(artifacts[0].text)
    )
    validator = jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(merged)] == []


def _coalesce(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        return {**base, **{key: _coalesce(base.get(key), value) for key, value in override.items()}}
    return override


# --- values for versions and executors the helm tests leave out ---------------------------------

OFFICIAL_LOGS = """\
  executor: CeleryExecutor
targets:
  eks:
    chart: official
    chartVersion: "{version}"
    logs: {{cleanup: {{retentionDays: 3}}}}
"""


def test_official_charts_before_1_21_groom_workers_at_the_old_place() -> None:
    spec = load_spec(OFFICIAL_LOGS.format(version="1.20.0"), base=_base("2.11.0"))
    values = official_logs(spec, spec.targets.eks or EksTarget())
    assert values["workers"] == {"logGroomerSidecar": {"enabled": True, "retentionDays": 3}}
    spec = load_spec(OFFICIAL_LOGS.format(version="1.21.0"), base=_base("2.11.0"))
    assert official_logs(spec, spec.targets.eks or EksTarget())["workers"] == {
        "celery": {"logGroomerSidecar": {"enabled": True, "retentionDays": 3}}
    }


def test_community_kubernetes_executor_cleans_only_the_scheduler() -> None:
    spec = load_spec("  executor: KubernetesExecutor\ntargets:\n  eks:\n    logs: {cleanup: {retentionDays: 1}}\n")
    assert community_logs(spec, spec.targets.eks or EksTarget()) == {
        "scheduler": {"logCleanup": {"enabled": True, "retentionMinutes": 1440}}
    }


def test_no_logs_adds_nothing() -> None:
    spec = load_spec()
    eks = EksTarget()
    assert community_logs(spec, eks) == official_logs(spec, eks) == {}


# --- rules that the invalid corpus cannot reach yet ---------------------------------------------


def _base(version: str) -> str:
    return f'apiVersion: airflowspec/v1\nname: demo\nairflow:\n  version: "{version}"\n'


def _codes(found: list[Diagnostic]) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in found]


def test_official_1_18_has_no_sub_path_for_the_logs_claim() -> None:
    """1.18.0 is not in the known chart versions yet (AS330 stops before): the rule is called directly."""
    body = """\
targets:
  eks:
    chart: official
    chartVersion: "1.18.0"
    logs: {persistence: {claim: c, subPath: x}}
"""
    spec = load_spec(body, base=_base("2.11.0"))
    assert _codes(list(check_official_logs(spec, spec.targets.eks or EksTarget()))) == [
        ("AS386", "official chart 1.18.0 has no subPath for the logs claim; it came in 1.19.0")
    ]


def test_an_account_of_ones_own_may_carry_the_role() -> None:
    for account in (
        "serviceAccount: {name: airflow}",
        "components: {workers: {serviceAccount: {roleArn: " + '"arn:aws:iam::123456789012:role/w"}}}',
    ):
        body = f'targets:\n  eks:\n    {account}\n    logs: {{remote: {{url: "s3://b-logs"}}}}\n'
        spec = load_spec(body)
        assert list(check_community_logs(spec, spec.targets.eks or EksTarget())) == [], account
