"""No spec string adds YAML to what a chart installs: both charts write many values into their manifests
unquoted (`image: {{ .repository }}:{{ .tag }}`, `{{ tpl $value }}` in airflow.cfg, `mountPath:
{{ .Values.dags.path }}`), so a line break there once added a privileged Pod or a `postStart` hook to
every Airflow container. A line break (or any unprintable character) is refused everywhere but where the
charts carry it as data (chart_rules.MULTI_LINE), and that list is checked against the real charts.

Every string of each EKS spec below, values and mapping keys, is marked in turn with a payload that
would add a manifest: validation must refuse it (AS300) or, where it is allowed, `helm template` must
render exactly the manifests it renders without it.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, ROOT
from helm_support import helm_template, requires_helm
from ruamel.yaml import YAML

from airflowspec import api
from airflowspec.emit import to_yaml
from airflowspec.targets.eks.chart_rules import MULTI_LINE

SPECS = [
    EXAMPLES / "seed" / "airflowspec.yaml",
    EXAMPLES / "kubernetes-executor" / "airflowspec.yaml",
    EXAMPLES / "official-airflow3" / "airflowspec.yaml",
    ROOT / "tests" / "cases" / "official-valid" / "kubernetes-executor-volumes.yaml",
    ROOT / "tests" / "cases" / "official-valid" / "https-git-and-pip.yaml",
    ROOT / "tests" / "cases" / "eks-valid" / "git-over-https.yaml",
    ROOT / "tests" / "cases" / "eks-valid" / "chart-8-3-0.yaml",
    ROOT / "tests" / "cases" / "eks-valid" / "dag-volume-the-chart-makes.yaml",
    ROOT / "tests" / "cases" / "official-valid" / "git-sync-into-a-dag-volume.yaml",
    ROOT / "tests" / "cases" / "eks-valid" / "values-escape-hatch.yaml",  # targets.eks.values, keys and strings
    ROOT / "tests" / "cases" / "official-valid" / "values-escape-hatch.yaml",
]
PAYLOADS = {
    "newline": "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: injected}\n",
    "line-separator": "\u2028injected: true",
    "next-line": "\x85injected: true",
    "carriage-return": "\rinjected: true",
}
Leaf = tuple[tuple[Any, ...], bool]  # (path, is a mapping key)


def _document(spec: Path) -> Any:
    return YAML(typ="safe").load(spec.read_text(encoding="utf-8"))


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[Leaf]:
    if isinstance(node, dict):
        found = [((*path, key), True) for key in node if path]  # keys below the top level
        return found + [leaf for key, value in node.items() for leaf in _leaves(value, (*path, key))]
    if isinstance(node, list):
        return [leaf for index, value in enumerate(node) for leaf in _leaves(value, (*path, index))]
    return [(path, False)] if isinstance(node, str) and path != ("apiVersion",) else []


def _marked(document: Any, leaf: Leaf, payload: str) -> Any:
    path, is_key = leaf
    marked = copy.deepcopy(document)
    node = marked
    for part in path[:-1]:
        node = node[part]
    if is_key:
        node[f"{path[-1]}{payload}"] = node.pop(path[-1])
    else:
        node[path[-1]] += payload
    return marked


def _allowed(path: tuple[Any, ...]) -> bool:
    return any(
        len(path) >= len(prefix) and all(part is None or part == path[i] for i, part in enumerate(prefix))
        for prefix in MULTI_LINE
    )


def _render(document: Any, folder: Path) -> tuple[api.Validation, str | None]:
    spec = folder / "spec.yaml"
    spec.write_text(to_yaml(document), encoding="utf-8")
    validation, artifacts = api.render(spec, "eks")
    return validation, artifacts[0].text if artifacts else None


def _names(manifests: list[Any]) -> list[tuple[str, str]]:
    return sorted((manifest["kind"], manifest["metadata"]["name"]) for manifest in manifests)


def _chart_folder(document: Any) -> str:
    eks = document["targets"]["eks"]
    chart = eks.get("chart", "community")
    return f"{chart}-{'1.21.0' if chart == 'official' else eks.get('chartVersion', '8.9.0')}"


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.parent.name if p.name == "airflowspec.yaml" else p.stem)
def test_a_line_break_is_refused_where_a_chart_writes_the_value_as_it_is(spec: Path, tmp_path: Path) -> None:
    document = _document(spec)
    by_this_rule = 0
    for leaf in _leaves(document):
        if _allowed(leaf[0]):
            continue
        validation, values = _render(_marked(document, leaf, PAYLOADS["newline"]), tmp_path)
        assert values is None, leaf  # refused: by AS300, or first by a pattern the value must match
        path, is_key = leaf
        where = (*path[:-1], f"{path[-1]}{PAYLOADS['newline']}") if is_key else path
        by_this_rule += ("AS300", where) in {(d.code, d.path) for d in validation.diagnostics}
    assert by_this_rule >= 1


@requires_helm
@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.parent.name if p.name == "airflowspec.yaml" else p.stem)
def test_no_marked_string_adds_a_manifest(spec: Path, payload: str, tmp_path: Path) -> None:
    document = _document(spec)
    chart = _chart_folder(document)
    _, values = _render(document, tmp_path)
    assert values is not None
    baseline = _names(helm_template(values, chart, "marked", tmp_path))
    rendered = 0
    for leaf in _leaves(document):
        _, values = _render(_marked(document, leaf, PAYLOADS[payload]), tmp_path)
        if values is None:
            continue  # refused by validation
        assert _names(helm_template(values, chart, "marked", tmp_path)) == baseline, leaf
        rendered += 1
    assert rendered or not any(_allowed(path) for path, _ in _leaves(document))  # allowed places exercised
