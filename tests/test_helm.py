"""`helm template` with the real community chart accepts every example's values, and the result holds
every variable, connection, pool, package and volume of the spec.

Opt-in: the chart cannot be fetched from CI. Set AIRFLOWSPEC_HELM to a helm binary and
AIRFLOWSPEC_COMMUNITY_CHART to the chart folder (charts/airflow of airflow-helm/charts at tag
airflow-8.9.0, with stand-in postgresql 8.6.4 and redis 10.5.7 subcharts under charts/).
"""

from __future__ import annotations

import base64
import os
import subprocess
from pathlib import Path

import pytest
from conftest import example_specs
from ruamel.yaml import YAML

from airflowspec import api

HELM = os.environ.get("AIRFLOWSPEC_HELM", "")
CHART = os.environ.get("AIRFLOWSPEC_COMMUNITY_CHART", "")

pytestmark = pytest.mark.skipif(
    not (HELM and CHART), reason="set AIRFLOWSPEC_HELM and AIRFLOWSPEC_COMMUNITY_CHART to run helm template"
)


@pytest.mark.parametrize("spec", example_specs(), ids=lambda p: p.parent.name)
def test_helm_template_accepts_the_values(spec: Path, tmp_path: Path) -> None:
    validation, artifacts = api.render(spec, "eks")
    assert validation.spec is not None and artifacts
    values = tmp_path / "values.yaml"
    values.write_text(artifacts[0].text)
    eks = validation.spec.targets.eks
    release = (eks.release_name if eks else None) or validation.spec.name
    result = subprocess.run(
        [HELM, "template", release, CHART, "--namespace", "airflow", "--values", str(values)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    manifests = _with_secrets_decoded(result.stdout)
    spec_ = validation.spec
    for key in spec_.variables:
        assert f'"{key}": VariableWrapper(' in manifests
    for conn_id in spec_.connections:
        assert f'"{conn_id}": ConnectionWrapper(' in manifests
    for pool in spec_.pools:
        assert f'"{pool}": PoolWrapper(' in manifests
    for package in spec_.packages:
        assert f"echo '{package}' >> requested-packages.txt" in manifests
    for volume in spec_.volumes.values():
        assert f"claimName: {volume.claim}" in manifests


def _with_secrets_decoded(manifests: str) -> str:
    """The manifests plus the decoded data of every Secret (the sync scripts live there)."""
    decoded = [manifests]
    for document in YAML(typ="safe").load_all(manifests):
        if document and document.get("kind") == "Secret":
            decoded += [base64.b64decode(value).decode() for value in (document.get("data") or {}).values()]
            decoded += list((document.get("stringData") or {}).values())
    return "\n".join(decoded)
