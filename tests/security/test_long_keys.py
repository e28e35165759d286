"""A config option name of any length renders to a values.yaml that YAML readers and Helm read back, or
is refused (issue 10, defect 14): on the official chart a key over 1024 characters as written is an
explicit `? key` entry; the community chart cannot hold such a name at all.

With AIRFLOWSPEC_HELM and AIRFLOWSPEC_CHARTS set, the real charts read it (skipped otherwise).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES
from helm_support import helm_template, requires_helm
from ruamel.yaml import YAML

from airflowspec import api

OPTION = "x" + "_long" * 300  # 1,501 characters
VALUE = "long-key-marker"
EXAMPLE = {"community": EXAMPLES / "seed", "official": EXAMPLES / "official-airflow3"}


def _spec_text(chart: str) -> str:
    document = YAML(typ="safe", pure=True).load((EXAMPLE[chart] / "airflowspec.yaml").read_text(encoding="utf-8"))
    document["airflow"].setdefault("config", {}).setdefault("core", {})[OPTION] = VALUE
    dumper = YAML(typ="safe", pure=True)  # not our emitter: the spec is the input here
    dumper.default_flow_style = False
    stream = io.StringIO()
    dumper.dump(document, stream)
    return stream.getvalue()


def _values(chart: str, folder: Path) -> str:
    spec = folder / "spec.yaml"
    spec.write_text(_spec_text(chart), encoding="utf-8")
    validation, artifacts = api.render(spec, "eks")
    assert artifacts, validation.diagnostics
    return artifacts[0].text


def _keys(node: Any) -> set[str]:
    if isinstance(node, dict):
        return set(node) | {key for value in node.values() for key in _keys(value)}
    if isinstance(node, list):
        return {key for value in node for key in _keys(value)}
    return set()


@pytest.mark.parametrize("version", [(1, 1), (1, 2)])
def test_a_long_option_name_reads_back(version: tuple[int, int], tmp_path: Path) -> None:
    loader = YAML(typ="safe", pure=True)
    loader.version = version
    assert OPTION in _keys(loader.load(_values("official", tmp_path)))


def test_the_community_chart_refuses_an_option_name_its_secret_cannot_hold(tmp_path: Path) -> None:
    """The chart keeps AIRFLOW__SECTION__OPTION as a key of a Kubernetes Secret (at most 253 characters),
    written by its own template as an implicit YAML key (at most 1024): a longer name is refused."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(_spec_text("community"), encoding="utf-8")
    validation, artifacts = api.render(spec, "eks")
    assert not artifacts
    assert [d.code for d in validation.diagnostics if d.severity.value == "error"] == ["AS350"]
    (problem,) = [str(d) for d in validation.diagnostics if d.code == "AS350"]
    assert problem.endswith(
        "error AS350 the chart keeps each option as a key of a Kubernetes Secret, at most 253 characters, and "
        f"AIRFLOW__CORE__X_LONG_LONG_LONG_LONG_LON… has {len('AIRFLOW__CORE__') + len(OPTION)}; "
        "shorten the option's name"
    )


@requires_helm
def test_helm_reads_a_long_option_name_on_the_official_chart(tmp_path: Path) -> None:
    manifests = helm_template(_values("official", tmp_path), "official-1.21.0", "demo", tmp_path)
    configs = [doc["data"]["airflow.cfg"] for doc in manifests if "airflow.cfg" in (doc.get("data") or {})]
    assert [config for config in configs if f"{OPTION} = {VALUE}" in config]
