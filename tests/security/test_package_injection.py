"""Issue 10, defect 3, with the real community chart: no package that validates runs anything in a pod.

For each chart release and executor, the hostile corpus is validated; the packages that pass are
rendered, `helm template` runs with the real chart, and every install-pip-packages init container's
`bash -c` script (workloads and the KubernetesExecutor pod template) is expanded as the kubelet expands
arguments and run under bash in a scratch folder, with `pip`, `rsync`, `cp` and `canary` that only record their
arguments. Nothing else may run, and pip must get exactly the packages: 8.9.0 through the
requirements file its echo lines write (read back by pip's own parser), 8.3.0 as `pip install` arguments.

Opt-in like tests/test_helm.py: set AIRFLOWSPEC_HELM and AIRFLOWSPEC_CHARTS.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helm_support import helm_template, requires_helm
from package_corpus import CODES, HOSTILE, VIEWS, kubernetes_expand, meaning, pip_reads, run_bash, spec_text
from ruamel.yaml import YAML

from airflowspec import api
from airflowspec.targets.eks.package_rules import community_form

CASES = [("8.9.0", "CeleryExecutor"), ("8.9.0", "KubernetesExecutor"), ("8.3.0", "CeleryExecutor")]

pytestmark = requires_helm


@pytest.mark.parametrize(("version", "executor"), CASES, ids=[f"{v}-{e}" for v, e in CASES])
def test_validated_packages_reach_pip_as_written_and_run_nothing(
    version: str, executor: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept, diagnostics = _validated(version, executor, tmp_path, monkeypatch)
    carried = [community_form(package) for package in kept]
    scripts = _pip_scripts(_helm_template(version, executor, kept, tmp_path))
    assert scripts, "no install-pip-packages init container"
    for number, script in enumerate(sorted(scripts)):
        work, calls, failure = run_bash(script, tmp_path / f"run-{number}")
        assert "canary" not in calls
        assert not failure
        pip_install = calls["pip"][-1]
        if version == "8.9.0":
            assert sorted(path.name for path in work.iterdir()) == ["protected-packages.txt", "requested-packages.txt"]
            requested = work / "requested-packages.txt"
            assert requested.read_text(encoding="utf-8").splitlines() == carried
            assert pip_reads(requested, monkeypatch) == ([meaning(package) for package in kept], [])
            assert pip_install[:2] == ["install", "--constraint"] and "./requested-packages.txt" in pip_install
        else:
            assert sorted(path.name for path in work.iterdir()) == []
            assert pip_install[: pip_install.index("--user") + 1] == ["install", "--user"]
            assert pip_install[2:] == carried
            assert [meaning(argument) for argument in pip_install[2:]] == [meaning(package) for package in kept]
    expected = VIEWS[f"community-{version}"][2]
    assert diagnostics == [f"spec.yaml:{line}:5: error {text}" for line, text in sorted(expected.items())]


def _validated(
    version: str, executor: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[str], list[str]]:
    """The corpus entries that validate, and the diagnostics of the others."""
    airflow_version, targets, _ = VIEWS[f"community-{version}"]
    spec = tmp_path / "spec.yaml"
    spec.write_text(spec_text(HOSTILE, airflow_version, targets, executor), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    validation = api.validate(Path("spec.yaml"))
    refused = {d.path[1] for d in validation.diagnostics if d.path[:1] == ("packages",) and d.code in CODES}
    kept = [package for index, package in enumerate(HOSTILE) if index not in refused]
    return kept, [str(d) for d in validation.diagnostics if d.code in CODES]


def _helm_template(version: str, executor: str, packages: list[str], tmp_path: Path) -> list[dict[str, Any]]:
    airflow_version, targets, _ = VIEWS[f"community-{version}"]
    spec = tmp_path / "kept.yaml"
    spec.write_text(spec_text(packages, airflow_version, targets, executor), encoding="utf-8")
    validation, artifacts = api.render(spec, "eks")
    assert validation.ok and artifacts, validation.diagnostics
    return helm_template(artifacts[0].text, f"community-{version}", "demo", tmp_path)


def _pip_scripts(manifests: list[dict[str, Any]]) -> set[str]:
    """The `bash -c` script of every install-pip-packages init container, as the kubelet passes it to bash."""
    scripts = set()
    for pod in _pod_specs(manifests):
        for container in pod.get("initContainers") or []:
            if container["name"] == "install-pip-packages":
                assert container["args"][:2] == ["bash", "-c"], container["args"]
                scripts.add(kubernetes_expand(container["args"][2], _environment(container)))
    return scripts


def _pod_specs(manifests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    pods = []
    for doc in manifests:
        spec = doc.get("spec") or {}
        template = (spec.get("jobTemplate") or {}).get("spec", spec).get("template") or {}
        if "spec" in template:
            pods.append(template["spec"])
        if doc.get("kind") == "ConfigMap" and "pod_template.yaml" in (doc.get("data") or {}):
            pods.append(YAML(typ="safe").load(doc["data"]["pod_template.yaml"])["spec"])
    return pods


def _environment(container: dict[str, Any]) -> dict[str, str]:
    """Variables a `$(NAME)` could reach: values as written, and a canary for each one from a Secret."""
    env: dict[str, str] = {}
    for item in container.get("env") or []:
        env[item["name"]] = kubernetes_expand(str(item["value"]), env) if "value" in item else "CANARY-SECRET"
    return env
