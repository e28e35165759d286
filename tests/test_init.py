"""`airflowspec init`: a starter spec that validates and renders as written, never over a file."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from airflowspec import api
from airflowspec.cli import app


@pytest.mark.parametrize("target", ["eks", "mwaa"])
def test_the_starter_validates_and_renders(target: str, tmp_path: Path) -> None:
    spec = tmp_path / "data-platform.airflowspec.yaml"
    result = CliRunner().invoke(app, ["init", str(spec), "--target", target])
    assert result.exit_code == 0, result.output
    validation, artifacts = api.render(spec, target)
    assert validation.ok and artifacts, validation.diagnostics
    assert validation.spec is not None and validation.spec.name == "data-platform"
    assert [d.code for d in validation.diagnostics if d.severity.value == "error"] == []
    assert spec.read_text().startswith("# yaml-language-server: $schema=")


def test_the_mwaa_starter_passes_cfn_lint(tmp_path: Path) -> None:
    from cfnlint.api import lint

    spec = tmp_path / "airflowspec.yaml"
    assert CliRunner().invoke(app, ["init", str(spec), "-t", "mwaa"]).exit_code == 0
    _, artifacts = api.render(spec, "mwaa")
    assert lint(next(a.text for a in artifacts if a.path == "template.yaml")) == []


def test_init_never_overwrites(tmp_path: Path) -> None:
    spec = tmp_path / "airflowspec.yaml"
    spec.write_text("mine\n")
    result = CliRunner().invoke(app, ["init", str(spec)])
    assert result.exit_code == 2
    assert f"{spec}: error AS001 already exists; airflowspec init does not overwrite" in result.stderr
    assert spec.read_text() == "mine\n"


@pytest.mark.parametrize("target", ["eks", "mwaa"])
def test_an_odd_file_name_still_makes_a_valid_spec(target: str, tmp_path: Path) -> None:
    spec = tmp_path / ("Nightly Loads `$x`\n" + "a" * 60 + ".yaml")
    result = CliRunner().invoke(app, ["init", str(spec), "-t", target])
    assert result.exit_code == 0
    shown = f"'{tmp_path}/Nightly Loads `$x`?{'a' * 60}.yaml'"
    assert result.stdout == f"wrote {shown}; next: airflowspec validate {shown}\n"
    validation = api.validate(spec)
    assert [d.code for d in validation.diagnostics if d.severity.value == "error"] == []
    assert validation.spec is not None and validation.spec.name == "nightly-loads-x-" + "a" * 24
    assert f"# `airflowspec validate 'Nightly Loads `$x`?{'a' * 60}.yaml'`, render it with" in spec.read_text()


@pytest.mark.parametrize("chart", ["community", "official"])
def test_the_eks_starter_declares_both_keys_as_secrets(chart: str, tmp_path: Path) -> None:
    spec = tmp_path / "airflowspec.yaml"
    assert CliRunner().invoke(app, ["init", str(spec)]).exit_code == 0
    if chart == "official":
        spec.write_text(spec.read_text().replace("chart: community", "chart: official").replace('"2.9.3"', '"3.1.8"'))
    validation = api.validate(spec)
    eks = validation.spec.targets.eks if validation.spec else None
    assert eks is not None and eks.fernet_key is not None and eks.webserver_secret_key is not None
    assert not {"AS317", "AS329", "AS339"} & {d.code for d in validation.diagnostics}  # no known or changing key
