"""Every EKS example and valid case on every chart release airflowspec supports (tests/chart_versions.py):
it validates as expected, what the compiler writes is a key of that release, the official chart's own
values.schema.json of that release accepts it (package data: these run in CI), and `helm template`
renders it against that exact chart (opt-in: tests/helm_support.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from chart_versions import Variant, variants
from helm_support import helm_template, pod_specs, requires_helm
from ruamel.yaml import YAML

from airflowspec import api
from airflowspec.diagnostics import Severity
from airflowspec.spec import EksTarget
from airflowspec.targets.eks.official_schema import schema_problems
from airflowspec.targets.eks.values_keys import key_problems

VARIANTS = variants()


def _render(variant: Variant, folder: Path) -> tuple[api.Validation, dict[str, Any] | None, str]:
    validation, artifacts = api.render(variant.write(folder), "eks")
    values = YAML(typ="safe").load(artifacts[0].text) if artifacts else None
    return validation, values, artifacts[0].text if artifacts else ""


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.id)
def test_each_release_takes_the_spec_or_refuses_it_as_expected(variant: Variant, tmp_path: Path) -> None:
    validation, values, _ = _render(variant, tmp_path)
    errors = {d.code for d in validation.diagnostics if d.severity is Severity.ERROR}
    assert errors == variant.refused(), [str(d) for d in validation.diagnostics]
    if values is None:
        return
    assert [problem.path for problem in key_problems(variant.chart, variant.version, values)] == []
    if variant.chart == "official":
        assert schema_problems(variant.version, values) == []


def test_every_release_renders_some_spec() -> None:
    rendered = {(v.chart, v.version) for v in VARIANTS if not v.refused()}
    assert rendered == {(v.chart, v.version) for v in VARIANTS}


@requires_helm
@pytest.mark.parametrize("variant", [v for v in VARIANTS if not v.refused()], ids=lambda v: v.id)
def test_helm_template_renders_each_release(variant: Variant, tmp_path: Path) -> None:
    validation, values, text = _render(variant, tmp_path)
    assert validation.spec is not None and values is not None
    eks = validation.spec.targets.eks or EksTarget()
    manifests = helm_template(
        text, f"{variant.chart}-{variant.version}", eks.release_name or validation.spec.name, tmp_path
    )
    images = {c["image"] for pod in pod_specs(manifests) for c in pod.get("containers") or []}
    tag = eks.image.tag if eks.image and eks.image.tag else validation.spec.airflow.version
    assert f"{eks.image.repository if eks.image else 'apache/airflow'}:{tag}" in images
    if eks.auth is None or eks.auth.admin is None:  # the spec's own admin: tests/targets/test_official_components.py
        assert not _creates_users(manifests), "the chart's default admin user is created"


def _creates_users(manifests: list[dict[str, Any]]) -> bool:
    """A Job that runs `airflow users create` (the official chart's default admin/admin user)."""
    jobs = [doc for doc in manifests if doc["kind"] == "Job"]
    return any("users create" in " ".join(map(str, c.get("args") or [])) for job in jobs for c in _containers(job))


def _containers(job: dict[str, Any]) -> list[dict[str, Any]]:
    containers: list[dict[str, Any]] = job["spec"]["template"]["spec"].get("containers") or []
    return containers
