"""`helm template` with the real community chart accepts every example and edge case, and what the
chart's sync pods would write into Airflow is exactly what the spec declares.

Opt-in, since CI cannot fetch the chart: set AIRFLOWSPEC_HELM to a helm binary and
AIRFLOWSPEC_COMMUNITY_CHARTS to a folder with one chart folder per version (`8.9.0/`, `8.3.0/`):
`charts/airflow` of airflow-helm/charts at tag `airflow-<version>`, with empty stand-in subcharts
`postgresql` 8.6.4 and `redis` 10.5.7 under its `charts/`. Specs for a version that is not there skip.
"""

from __future__ import annotations

import base64
import json
import os
import re
import string
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, example_specs
from ruamel.yaml import YAML

from airflowspec import api
from airflowspec.spec import SecretRef, Spec
from airflowspec.targets.eks import community_chart as chart

HELM = os.environ.get("AIRFLOWSPEC_HELM", "")
CHARTS = Path(os.environ.get("AIRFLOWSPEC_COMMUNITY_CHARTS", "/nonexistent"))
EKS_EXAMPLES = [spec for spec in example_specs() if "\n  eks:" in spec.read_text(encoding="utf-8")]
SPECS = [*EKS_EXAMPLES, *sorted((ROOT / "tests" / "cases" / "eks-valid").glob("*.yaml"))]

pytestmark = pytest.mark.skipif(
    not (HELM and CHARTS.is_dir()), reason="set AIRFLOWSPEC_HELM and AIRFLOWSPEC_COMMUNITY_CHARTS to run helm template"
)


@pytest.fixture(params=SPECS, ids=lambda p: p.parent.name if p.name == "airflowspec.yaml" else p.stem)
def rendered(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Spec, list[dict[str, Any]]]:
    validation, artifacts = api.render(request.param, "eks")
    assert validation.spec is not None and artifacts, validation.diagnostics
    spec = validation.spec
    eks = spec.targets.eks
    version = eks.chart_version if eks else chart.DEFAULT_CHART_VERSION
    if not (CHARTS / version).is_dir():
        pytest.skip(f"no chart {version} under {CHARTS}")
    values = tmp_path / "values.yaml"
    values.write_text(artifacts[0].text, encoding="utf-8")
    release = (eks.release_name if eks else None) or spec.name
    command = [HELM, "template", release, str(CHARTS / version), "--namespace", "airflow", "--values", str(values)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return spec, [doc for doc in YAML(typ="safe").load_all(result.stdout) if doc]


def test_every_pod_mounts_each_path_and_volume_once(rendered: tuple[Spec, list[dict[str, Any]]]) -> None:
    _, manifests = rendered
    for pod in _pod_specs(manifests):
        names = [volume["name"] for volume in pod.get("volumes") or []]
        assert len(names) == len(set(names)), names
        for container in [*(pod.get("containers") or []), *(pod.get("initContainers") or [])]:
            paths = [mount["mountPath"].rstrip("/") for mount in container.get("volumeMounts") or []]
            assert len(paths) == len(set(paths)), (container["name"], paths)


def test_packages_and_volumes_reach_the_pods(rendered: tuple[Spec, list[dict[str, Any]]]) -> None:
    spec, manifests = rendered
    text = json.dumps(manifests)
    for package in spec.packages:
        assert json.dumps(f"echo '{package.replace(chr(39), chr(34))}' >> requested-packages.txt")[1:-1] in text
    for volume in spec.volumes.values():
        assert f'"claimName": "{volume.claim}"' in text


def test_sync_pods_write_what_the_spec_declares(rendered: tuple[Spec, list[dict[str, Any]]]) -> None:
    spec, manifests = rendered
    eks = spec.targets.eks
    if eks is not None and not chart.has_key(eks.chart_version, "airflow.connectionsTemplates"):
        _assert_named_in_jobs(spec, manifests)  # before 8.4.0 the sync scripts have another shape
        return
    secrets = {name: f"<value of {name}>" for name in spec.secrets}
    variables = _wrappers(manifests, "VARIABLE")
    assert {key: _substitute(v["val"], spec, secrets, "variables") for key, v in variables.items()} == {
        key: secrets[value.secret] if isinstance(value, SecretRef) else _as_text(value)
        for key, value in spec.variables.items()
    }
    connections = _wrappers(manifests, "CONNECTION")
    assert set(connections) == set(spec.connections)
    for conn_id, conn in spec.connections.items():
        written = {k: _substitute(v, spec, secrets, "connections") for k, v in connections[conn_id].items()}
        assert written.pop("conn_type") == conn.type
        assert json.loads(written.pop("extra", "null")) == _resolved(conn.extra, secrets)
        declared = {"host": conn.host, "login": conn.login, "password": conn.password, "schema": conn.schema_}
        expected = {k: _resolved(v, secrets) for k, v in declared.items() if v is not None}
        assert {k: v for k, v in written.items() if k in declared} == expected
        assert written.get("port") == conn.port
    pools = _wrappers(manifests, "POOL")
    assert {name: (p["slots"], p["description"]) for name, p in pools.items()} == {
        name: (pool.slots, pool.description or name) for name, pool in spec.pools.items()
    }


def _assert_named_in_jobs(spec: Spec, manifests: list[dict[str, Any]]) -> None:
    text = json.dumps(manifests)
    for key in spec.variables:
        assert f'key=\\"{key}\\"' in text
    for conn_id in spec.connections:
        assert f'conn_id=\\"{conn_id}\\"' in text
    for name in spec.pools:
        assert f'name=\\"{name}\\"' in text


def _pod_specs(manifests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    pods = [doc["spec"]["template"]["spec"] for doc in manifests if "template" in (doc.get("spec") or {})]
    for doc in manifests:
        if doc["kind"] == "ConfigMap" and "pod_template.yaml" in (doc.get("data") or {}):
            pods.append(YAML(typ="safe").load(doc["data"]["pod_template.yaml"])["spec"])
    return pods


def _wrappers(manifests: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    """Evaluate `VAR__<KIND>_WRAPPERS = {...}` of the chart's sync script, with wrappers as dicts."""
    for doc in manifests:
        if doc["kind"] != "Secret":
            continue
        for value in (doc.get("data") or {}).values():
            script = base64.b64decode(value).decode("utf-8")
            found = re.search(rf"^VAR__{kind}_WRAPPERS = (\{{.*?^\}})$", script, re.MULTILINE | re.DOTALL)
            if found:
                wrapper = f"{kind.title()}Wrapper"
                return eval(found.group(1), {"__builtins__": {}, wrapper: dict, "False": False, "True": True})  # type: ignore[no-any-return]
    return {}


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
