"""`helm template` with the real charts accepts every EKS example and edge case, and what reaches
Airflow is exactly what the spec declares: for the community chart, what its sync pods write; for the
official chart, the AIRFLOW_CONN_* / AIRFLOW_VAR_* environment of every Airflow container once
Kubernetes has filled in the secrets. Opt-in: see tests/helm_support.py.
"""

from __future__ import annotations

import configparser
import json
import string
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, variant_id, variants_for
from helm_support import airflow_containers, helm_template, kubernetes_env, pod_specs, requires_helm, sync_wrappers

from airflowspec import api
from airflowspec.spec import ClaimVolume, ConfigMapVolume, EksTarget, SecretRef, SecretVolume, Spec
from airflowspec.spec.airflow import option_text
from airflowspec.targets.eks import community_chart as chart
from airflowspec.targets.eks.package_rules import community_form

CASES = ROOT / "tests" / "cases"
#: (spec, environment): each EKS example as it deploys, and each valid case.
SPECS = [
    *variants_for("eks"),
    *((case, None) for case in sorted((CASES / "eks-valid").glob("*.yaml"))),
    *((case, None) for case in sorted((CASES / "official-valid").glob("*.yaml"))),
]

pytestmark = requires_helm


@pytest.fixture(params=SPECS, ids=lambda v: variant_id(v) if v[0].name == "airflowspec.yaml" else v[0].stem)
def rendered(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Spec, list[dict[str, Any]]]:
    validation, artifacts = api.render(*request.param[:1], "eks", request.param[1])
    assert validation.spec is not None and artifacts, validation.diagnostics
    spec = validation.spec
    eks = spec.targets.eks or EksTarget()
    release = eks.release_name or spec.name
    return spec, helm_template(artifacts[0].text, f"{eks.chart}-{eks.effective_chart_version()}", release, tmp_path)


def test_every_pod_mounts_each_path_and_volume_once(rendered: tuple[Spec, list[dict[str, Any]]]) -> None:
    _, manifests = rendered
    for pod in pod_specs(manifests):
        names = [volume["name"] for volume in pod.get("volumes") or []]
        assert len(names) == len(set(names)), names
        for container in [*(pod.get("containers") or []), *(pod.get("initContainers") or [])]:
            paths = [mount["mountPath"].rstrip("/") for mount in container.get("volumeMounts") or []]
            assert len(paths) == len(set(paths)), (container["name"], paths)


def test_packages_and_volumes_reach_the_pods(rendered: tuple[Spec, list[dict[str, Any]]]) -> None:
    spec, manifests = rendered
    text = json.dumps(manifests)
    community = (spec.targets.eks or EksTarget()).chart == "community"
    for package in spec.packages if community else ():
        assert json.dumps(f"echo '{community_form(package)}' >> requested-packages.txt")[1:-1] in text
    for volume in spec.volumes.values():
        if isinstance(volume, ClaimVolume):
            assert f'"claimName": "{volume.claim}"' in text
        elif isinstance(volume, SecretVolume):
            assert f'"secretName": "{volume.secret.name}"' in text
        elif isinstance(volume, ConfigMapVolume):
            sources = [v.get("configMap") or {} for pod in pod_specs(manifests) for v in pod.get("volumes") or []]
            assert volume.config_map.name in [source.get("name") for source in sources]
        else:
            claims = [doc["spec"] for doc in manifests if doc["kind"] == "PersistentVolumeClaim"]
            assert [claim["resources"]["requests"]["storage"] for claim in claims] == [volume.create.size]


def test_sync_pods_write_what_the_spec_declares(rendered: tuple[Spec, list[dict[str, Any]]]) -> None:
    spec, manifests = rendered
    eks = spec.targets.eks or EksTarget()
    if eks.chart != "community":
        pytest.skip("the official chart has no sync pods")
    if not chart.has_key(eks.effective_chart_version(), "airflow.connectionsTemplates"):
        _assert_named_in_jobs(spec, manifests)  # before 8.4.0 the sync scripts have another shape
        return
    secrets = {name: f"<value of {name}>" for name in spec.secrets}
    variables = sync_wrappers(manifests, "VARIABLE")
    assert {key: _substitute(v["val"], spec, secrets, "variables") for key, v in variables.items()} == {
        key: secrets[value.secret] if isinstance(value, SecretRef) else _as_text(value)
        for key, value in spec.variables.items()
    }
    connections = sync_wrappers(manifests, "CONNECTION")
    assert set(connections) == set(spec.field_connections())
    for conn_id, conn in spec.field_connections().items():
        written = {k: _substitute(v, spec, secrets, "connections") for k, v in connections[conn_id].items()}
        assert written.pop("conn_type") == conn.type
        assert json.loads(written.pop("extra", "null")) == _resolved(conn.extra, secrets)
        declared = {"host": conn.host, "login": conn.login, "password": conn.password, "schema": conn.schema_}
        expected = {k: _resolved(v, secrets) for k, v in declared.items() if v is not None}
        assert {k: v for k, v in written.items() if k in declared} == expected
        assert written.get("port") == conn.port
    pools = sync_wrappers(manifests, "POOL")
    assert {name: (p["slots"], p["description"]) for name, p in pools.items()} == {
        name: (pool.slots, pool.description or name) for name, pool in spec.pools.items()
    }


def test_connections_kept_in_secrets_reach_every_airflow_container(
    rendered: tuple[Spec, list[dict[str, Any]]],
) -> None:
    spec, manifests = rendered
    fake = _fake_secret_values(spec)
    containers = airflow_containers(manifests, _image(spec))
    assert containers
    for container in containers:
        env = kubernetes_env(container, fake)
        for conn_id, ref in spec.secret_connections().items():
            kubernetes = spec.secrets[ref.secret].kubernetes
            assert kubernetes is not None
            assert env[f"AIRFLOW_CONN_{conn_id.upper()}"] == fake[(kubernetes.name, kubernetes.key)], container["name"]


def _image(spec: Spec) -> str:
    eks = spec.targets.eks or EksTarget()
    return eks.image.repository if eks.image else "apache/airflow"


def _fake_secret_values(spec: Spec) -> dict[tuple[str, str], str]:
    return {
        (secret.kubernetes.name, secret.kubernetes.key): f"<value of {name}>"
        for name, secret in spec.secrets.items()
        if secret.kubernetes is not None
    }


def _assert_named_in_jobs(spec: Spec, manifests: list[dict[str, Any]]) -> None:
    text = json.dumps(manifests)
    for key in spec.variables:
        assert f'key=\\"{key}\\"' in text
    for conn_id in spec.connections:
        assert f'conn_id=\\"{conn_id}\\"' in text
    for name in spec.pools:
        assert f'name=\\"{name}\\"' in text


def _substitute(value: Any, spec: Spec, secrets: dict[str, str], section: str) -> Any:
    """What the sync script's string_substitution makes of a field, given the secrets' values."""
    refs = [ref for path, ref in _refs(spec) if path[0] == section]
    templates = {chart.template_name(ref.secret): secrets[ref.secret] for ref in refs}
    if not isinstance(value, str) or not templates:
        return value
    return string.Template(value).safe_substitute(templates)


def _refs(spec: Spec) -> list[tuple[tuple[str | int, ...], SecretRef]]:
    from airflowspec.spec.walk import secret_references

    return list(secret_references(spec))


def _resolved(value: Any, secrets: dict[str, str]) -> Any:
    if isinstance(value, SecretRef):
        return secrets[value.secret]
    if isinstance(value, dict):
        return {key: _resolved(item, secrets) for key, item in value.items()}
    return value


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def test_airflow_containers_see_every_connection_and_variable(rendered: tuple[Spec, list[dict[str, Any]]]) -> None:
    spec, manifests = rendered
    if (spec.targets.eks or EksTarget()).chart != "official":
        pytest.skip("the community chart passes them through its sync pods")
    fake = _fake_secret_values(spec)
    secrets = {name: fake[(s.kubernetes.name, s.kubernetes.key)] for name, s in spec.secrets.items() if s.kubernetes}
    containers = airflow_containers(manifests, _image(spec))
    assert containers
    for container in containers:
        env = kubernetes_env(container, fake)
        for key, value in spec.variables.items():
            seen = env[f"AIRFLOW_VAR_{key.upper()}"]
            assert (seen if isinstance(value, (str, SecretRef)) else json.loads(seen)) == (_resolved(value, secrets)), (
                container["name"],
                key,
            )
        for conn_id, conn in spec.field_connections().items():
            seen = json.loads(env[f"AIRFLOW_CONN_{conn_id.upper()}"])
            declared = {
                "conn_type": conn.type, "description": conn.description, "host": conn.host, "port": conn.port,
                "schema": conn.schema_, "login": conn.login, "password": conn.password, "extra": conn.extra,
            }  # fmt: skip
            assert seen == {k: v for k, v in declared.items() if v is not None}, container["name"]


def test_airflow_cfg_holds_the_config_as_written(rendered: tuple[Spec, list[dict[str, Any]]]) -> None:
    spec, manifests = rendered
    if (spec.targets.eks or EksTarget()).chart != "official":
        pytest.skip("the community chart passes config as environment variables")
    (cfg,) = [doc["data"]["airflow.cfg"] for doc in manifests if "airflow.cfg" in (doc.get("data") or {})]
    parser = configparser.ConfigParser()  # Airflow reads airflow.cfg with interpolation, as this does
    parser.read_string(cfg)
    for section, options in spec.airflow.config.items():
        for option, value in options.items():
            assert parser.get(section, option) == option_text(value), (section, option)


def test_pods_use_service_accounts_that_exist(rendered: tuple[Spec, list[dict[str, Any]]]) -> None:
    spec, manifests = rendered
    account = (spec.targets.eks or EksTarget()).service_account
    existing = {doc["metadata"]["name"] for doc in manifests if doc["kind"] == "ServiceAccount"}
    if account is not None and account.name and not account.role_arn:
        existing.add(account.name)  # created outside the chart, as the spec says
    for pod in pod_specs(manifests):
        assert pod.get("serviceAccountName", "default") in existing | {"default"}


#: The workloads that run Airflow's own components, task pods included; both charts' names end so.
AIRFLOW_WORKLOADS = ("-scheduler", "-worker", "-triggerer", "-dag-processor", "-api-server", "-webserver", "-web")
COMPONENT_OF_WORKLOAD = {
    "-scheduler": "scheduler",
    "-worker": "workers",
    "-triggerer": "triggerer",
    "-dag-processor": "dag_processor",
    "-api-server": "webserver",
    "-webserver": "webserver",
    "-web": "webserver",
}


def test_every_airflow_pod_has_the_role_it_is_given(rendered: tuple[Spec, list[dict[str, Any]]]) -> None:
    """IRSA: with `roleArn`, every pod that runs Airflow runs as an account annotated with that role, on
    both charts, whether the spec names the account or not (issue 11, item 1)."""
    spec, manifests = rendered
    account = (spec.targets.eks or EksTarget()).service_account
    if account is None or not account.role_arn:
        pytest.skip("no IRSA role in this spec")
    roles = {
        doc["metadata"]["name"]: (doc["metadata"].get("annotations") or {}).get("eks.amazonaws.com/role-arn")
        for doc in manifests
        if doc["kind"] == "ServiceAccount"
    }
    components = (spec.targets.eks or EksTarget()).components
    own = {  # a component's own account (targets.eks.components.<name>.serviceAccount) replaces the default
        suffix: getattr(getattr(components, name, None), "service_account", None)
        for suffix, name in COMPONENT_OF_WORKLOAD.items()
    }
    workloads = [doc for doc in manifests if doc["metadata"]["name"].endswith(AIRFLOW_WORKLOADS)]
    pods = [
        (doc["metadata"]["name"], doc["spec"]["template"]["spec"])
        for doc in workloads
        if "template" in (doc.get("spec") or {})
    ]
    pods += [("-worker", pod) for pod in pod_specs([doc for doc in manifests if doc["kind"] == "ConfigMap"])]
    assert pods
    for name, pod in pods:
        mine = next((account for suffix, account in own.items() if name.endswith(suffix) and account), None)
        expected = mine.role_arn if mine else account.role_arn
        assert roles.get(pod.get("serviceAccountName", "default")) == expected, pod.get("serviceAccountName")


def test_no_user_with_a_known_password_is_created(rendered: tuple[Spec, list[dict[str, Any]]]) -> None:
    """No user at all, or (`auth.admin`) one whose password the job reads from its Secret at run time."""
    spec, manifests = rendered
    auth = (spec.targets.eks or EksTarget()).auth
    admin = auth.admin if auth else None
    names = [doc["metadata"]["name"] for doc in manifests]
    if admin is not None and (spec.targets.eks or EksTarget()).chart == "community":
        # the users-sync pod fills the password from the Secret: tests/targets/test_community_components_helm.py
        source = spec.secrets[admin.password.secret].kubernetes
        assert any(name.endswith("sync-users") for name in names)
        assert source is not None and f'"name": "{source.name}"' in json.dumps(manifests)
        return
    made = [name for name in names if name.endswith(("create-user", "sync-users"))]
    assert len(made) == (1 if admin else 0), names
    commands = [
        " ".join(map(str, [*(container.get("command") or []), *(container.get("args") or [])]))
        for pod in pod_specs(manifests)
        for container in [*(pod.get("containers") or []), *(pod.get("initContainers") or [])]
    ]
    users = [command for command in commands if "users create" in command or "create_user" in command]
    assert len(users) == len(made)
    for command in users:
        assert '--password "$AIRFLOW_ADMIN_PASSWORD"' in command and " -p " not in command, command
