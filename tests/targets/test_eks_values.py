"""`targets.eks.values`: merged over the render last, on both charts; the keys the spec sets are exactly
those the compiler writes; a change shows in `diff`; what it sets reaches the real chart's manifests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from chart_versions import variants
from conftest import ROOT
from helm_support import helm_template, pod_specs, requires_helm
from ruamel.yaml import YAML
from typer.testing import CliRunner

from airflowspec import api
from airflowspec.cli import app
from airflowspec.data.chart_facts import chart_versions, versions_with
from airflowspec.targets.eks.values_owned import OWNED, SECRET_VALUES
from airflowspec.targets.eks.values_rules import merge_values

COMMUNITY = ROOT / "tests" / "cases" / "eks-valid" / "values-escape-hatch.yaml"
OFFICIAL = ROOT / "tests" / "cases" / "official-valid" / "values-escape-hatch.yaml"


def _values(spec: Path) -> dict[str, Any]:
    validation, artifacts = api.render(spec, "eks")
    assert artifacts, [str(d) for d in validation.diagnostics]
    values: dict[str, Any] = YAML(typ="safe").load(artifacts[0].text)
    return values


def test_values_merge_key_by_key_and_replace_the_rest() -> None:
    rendered = {"a": {"b": 1, "c": [1, 2]}, "d": "x"}
    assert merge_values(rendered, {"a": {"c": [3], "e": None}, "f": {"g": 1}}) == {
        "a": {"b": 1, "c": [3], "e": None},
        "d": "x",
        "f": {"g": 1},
    }
    assert rendered == {"a": {"b": 1, "c": [1, 2]}, "d": "x"}  # not changed in place


@pytest.mark.parametrize("spec", [COMMUNITY, OFFICIAL], ids=["community", "official"])
def test_values_come_last_beside_what_the_spec_writes(spec: Path) -> None:
    values = _values(spec)
    given = YAML(typ="safe").load(spec.read_text(encoding="utf-8"))["targets"]["eks"]["values"]
    assert merge_values(values, given) == values  # everything given is there as given
    if spec == OFFICIAL:
        assert values["scheduler"]["env"][0]["name"] == "AIRFLOW__API_AUTH__JWT_SECRET"  # the spec's, kept
        assert list(values)[-1] == "workers"  # new keys after the spec's
    else:
        assert values["dags"]["gitSync"]["repo"] == "https://github.com/example/dags.git"


def _paths(node: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if isinstance(node, dict) and node:
        return [leaf for key, value in node.items() for leaf in _paths(value, (*path, key))]
    return [path]


def test_the_keys_the_spec_sets_are_what_the_compiler_writes(tmp_path: Path) -> None:
    """Every value of every render (each example and valid case on each release) lies at or below a key of
    OWNED, and every key of OWNED is written by some render: the table is the compiler's, no more, no less."""
    written: dict[str, set[str]] = {"community": set(), "official": set()}
    for variant in variants():
        if variant.refused() or variant.name == "values-escape-hatch":
            continue
        folder = tmp_path / variant.id
        folder.mkdir()
        for path in _paths(_values(variant.write(folder))):
            owner = next(
                (key for key in OWNED[variant.chart] if path[: len(key.split("."))] == tuple(key.split("."))), None
            )
            assert owner is not None, (variant.id, ".".join(path))
            written[variant.chart].add(owner)
    unwritten = {chart: sorted(set(OWNED[chart]) - keys) for chart, keys in written.items()}
    assert unwritten == {"community": [], "official": sorted(_OWNED_UNWRITTEN)}, str(unwritten)


#: Keys the spec owns although no render writes them: the chart's other ways to set what the compiler sets.
_OWNED_UNWRITTEN = {
    "statsd.podAnnotations",  # the defaults, copied when statsd runs with `components.defaults`: no case has it
    "statsd.securityContexts",
    "fernetKey",
    "webserverSecretKey",
    "apiSecretKey",
    "jwtSecret",
    "dags.gitSync.sshKey",
    "dags.gitSync.credentialsSecret",
    "data.metadataConnection",
    "data.brokerUrl",
}


@pytest.mark.parametrize("chart", ["community", "official"])
def test_every_key_the_tables_name_is_a_key_of_the_chart(chart: str) -> None:
    for key in (*OWNED[chart], *SECRET_VALUES[chart]):
        below_subchart = key.startswith("postgresql.") and bool(versions_with(chart, "postgresql"))
        assert versions_with(chart, key) or below_subchart, f"no {chart} release has `{key}`"
    assert chart_versions(chart)


def test_a_change_in_values_shows_in_diff(tmp_path: Path) -> None:
    rendered = tmp_path / "rendered"
    assert CliRunner().invoke(app, ["render", str(OFFICIAL), "-t", "eks", "-o", str(rendered)]).exit_code == 0
    changed = tmp_path / "airflowspec.yaml"
    changed.write_text(
        OFFICIAL.read_text(encoding="utf-8").replace("initialDelaySeconds: 20", "initialDelaySeconds: 40"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["diff", str(changed), "--against", str(rendered), "-t", "eks"])
    assert result.exit_code == 1
    assert "  ~ scheduler.livenessProbe.initialDelaySeconds: 20 -> 40" in result.stdout.splitlines()
    assert result.stdout.splitlines()[-1] == "0 to add, 1 to change, 0 to remove"


@requires_helm
def test_what_values_set_reaches_the_manifests(tmp_path: Path) -> None:
    def rendered(spec: Path, chart: str) -> list[dict[str, Any]]:
        _, artifacts = api.render(spec, "eks")
        return helm_template(artifacts[0].text, chart, "hatch", tmp_path)

    community = rendered(COMMUNITY, "community-8.9.0")
    assert all(pod["metadata"]["annotations"]["team"] == "data" for pod in _pod_templates(community))
    assert _service(community, "hatch-web")["spec"]["type"] == "LoadBalancer"
    assert _workload(community, "hatch-worker")["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] == 120
    official = rendered(OFFICIAL, "official-1.21.0")
    (scheduler,) = pod_specs([_workload(official, "hatch-scheduler")])
    assert scheduler["priorityClassName"] == "airflow-critical"
    assert scheduler["containers"][0]["livenessProbe"]["initialDelaySeconds"] == 20


def _pod_templates(manifests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    kinds = ("Deployment", "StatefulSet")
    return [doc["spec"]["template"] for doc in manifests if doc["kind"] in kinds]


def _service(manifests: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(doc for doc in manifests if doc["kind"] == "Service" and doc["metadata"]["name"] == name)


def _workload(manifests: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(
        doc for doc in manifests if doc["kind"] in ("Deployment", "StatefulSet") and doc["metadata"]["name"] == name
    )
