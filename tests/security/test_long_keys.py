"""A config option name of any length renders to a values.yaml that YAML readers and Helm read back
(issue 10, defect 14): a key over 1024 characters as written is an explicit `? key` entry.

With AIRFLOWSPEC_HELM and AIRFLOWSPEC_CHARTS set, the real charts read it (skipped otherwise).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES
from ruamel.yaml import YAML

from airflowspec import api

OPTION = "x" + "_long" * 300  # 1,501 characters; AIRFLOW__CORE__X_LONG... on the community chart
VALUE = "long-key-marker"
EXAMPLE = {"community": EXAMPLES / "seed", "official": EXAMPLES / "official-airflow3"}
CHART_FOLDER = {"community": "community-8.9.0", "official": "official-1.21.0"}
HELM = os.environ.get("AIRFLOWSPEC_HELM", "")
CHARTS = Path(os.environ.get("AIRFLOWSPEC_CHARTS", "/nonexistent"))


def _values(chart: str, folder: Path) -> str:
    document = YAML(typ="safe", pure=True).load((EXAMPLE[chart] / "airflowspec.yaml").read_text(encoding="utf-8"))
    document["airflow"].setdefault("config", {}).setdefault("core", {})[OPTION] = VALUE
    spec = folder / "spec.yaml"
    dumper = YAML(typ="safe", pure=True)  # not our emitter: the spec is the input here
    dumper.default_flow_style = False
    with spec.open("w", encoding="utf-8") as stream:
        dumper.dump(document, stream)
    validation, artifacts = api.render(spec, "eks")
    assert artifacts, validation.diagnostics
    return artifacts[0].text


def _keys(node: Any) -> set[str]:
    if isinstance(node, dict):
        return set(node) | {key for value in node.values() for key in _keys(value)}
    if isinstance(node, list):
        return {key for value in node for key in _keys(value)}
    return set()


@pytest.mark.parametrize("chart", EXAMPLE)
@pytest.mark.parametrize("version", [(1, 1), (1, 2)])
def test_a_long_option_name_reads_back(chart: str, version: tuple[int, int], tmp_path: Path) -> None:
    loader = YAML(typ="safe", pure=True)
    loader.version = version
    keys = _keys(loader.load(_values(chart, tmp_path)))
    assert OPTION in keys or f"AIRFLOW__CORE__{OPTION.upper()}" in keys


def _helm(chart: str, values: str, folder: Path) -> subprocess.CompletedProcess[str]:
    if not (HELM and (CHARTS / CHART_FOLDER[chart]).is_dir()):
        pytest.skip(f"set AIRFLOWSPEC_HELM and AIRFLOWSPEC_CHARTS (with {CHART_FOLDER[chart]}) to run helm template")
    file = folder / "values.yaml"
    file.write_text(values, encoding="utf-8")
    command = [HELM, "template", "demo", str(CHARTS / CHART_FOLDER[chart]), "--namespace", "airflow", "-f", str(file)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_helm_reads_a_long_option_name_on_the_official_chart(tmp_path: Path) -> None:
    result = _helm("official", _values("official", tmp_path), tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"{OPTION} = {VALUE}" in result.stdout  # airflow.cfg in the chart's ConfigMap


def test_helm_reads_the_values_with_a_long_option_name_on_the_community_chart(tmp_path: Path) -> None:
    """Helm reads our values.yaml; the chart's own template (secret-config-envs.yaml) then writes each
    AIRFLOW__SECTION__OPTION as an implicit key, which YAML caps at 1024 characters, so `helm template`
    still fails there. That limit is the chart's, for the community chart's rules to refuse."""
    result = _helm("community", _values("community", tmp_path), tmp_path)
    assert "failed to parse" not in result.stderr, result.stderr
    assert result.returncode == 0 or "templates/config/secret-config-envs.yaml" in result.stderr, result.stderr
