"""`airflowspec init`: a starter spec that validates and renders as written, never over a file."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from airflowspec import api, new_file
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
    assert result.stdout.splitlines()[0] == f"wrote {shown}; next: airflowspec validate {shown}"
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


def _init(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["init", *args])
    return result.exit_code, result.stdout, result.stderr


def _tree(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*"))


@pytest.mark.parametrize("make_it", [True, False])
def test_init_into_a_folder_writes_airflowspec_yaml_there(make_it: bool, tmp_path: Path) -> None:
    folder = tmp_path / "platform"
    if make_it:
        folder.mkdir()
    argument = str(folder) if make_it else f"{folder}/"  # an existing folder, or a path ending in /
    code, out, _ = _init(argument)
    assert code == 0
    assert (
        out.splitlines()[0] == f"wrote {folder}/airflowspec.yaml; next: airflowspec validate {folder}/airflowspec.yaml"
    )
    assert _tree(tmp_path) == ["platform", "platform/airflowspec.yaml"]
    assert api.validate(folder / "airflowspec.yaml").ok


def test_init_makes_the_missing_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = _init("deploy/eu/prod.airflowspec.yaml", "-t", "mwaa")
    assert code == 0, out
    assert _tree(tmp_path) == ["deploy", "deploy/eu", "deploy/eu/prod.airflowspec.yaml"]
    text = (tmp_path / "deploy" / "eu" / "prod.airflowspec.yaml").read_text()
    assert "# `airflowspec render prod.airflowspec.yaml --target mwaa -o rendered/prod/mwaa`, and push" in text


def test_a_failed_write_leaves_no_file_and_no_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "existing").mkdir()

    def disk_full(descriptor: int, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(new_file.os, "write", disk_full)
    code, out, err = _init("existing/new/deeper/airflowspec.yaml")
    assert (code, out) == (2, "")
    assert err == "existing/new/deeper/airflowspec.yaml: error AS001 cannot write it: No space left on device\n"
    assert _tree(tmp_path) == ["existing"]


def test_init_follows_no_link_inside_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "specs").symlink_to(tmp_path / "elsewhere")
    for argument in ("specs/", "specs/prod.airflowspec.yaml"):
        code, _, err = _init(argument)
        assert code == 2
        assert err == (
            "specs: error AS603 is a symbolic link, which airflowspec does not follow here; "
            "name the file or folder it points to\n"
        )
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_init_writes_nothing_through_a_dangling_link(tmp_path: Path) -> None:
    spec = tmp_path / "airflowspec.yaml"
    spec.symlink_to(tmp_path / "target.yaml")
    code, _, err = _init(str(spec))
    assert code == 2
    assert err == f"{spec}: error AS001 already exists; airflowspec init does not overwrite\n"
    assert _tree(tmp_path) == ["airflowspec.yaml"]


@pytest.mark.parametrize("target", ["eks", "mwaa"])
def test_the_schema_line_names_a_file_the_schema_command_writes(target: str, tmp_path: Path) -> None:
    """The YAML language server reads `$schema=` relative to the spec's folder; `airflowspec schema`
    writes that file, and the starter is valid against it."""
    spec = tmp_path / "prod.airflowspec.yaml"
    code, out, _ = _init(str(spec), "-t", target)
    assert code == 0
    schema_file = tmp_path / "airflowspec.schema.json"
    assert out.splitlines()[1] == f"for completion in editors: airflowspec schema > {schema_file}"
    first = spec.read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=airflowspec.schema.json"
    schema_file.write_text(CliRunner().invoke(app, ["schema"]).stdout)
    named = spec.parent / first.split("$schema=", 1)[1]  # as the server resolves a relative path
    jsonschema.Draft7Validator(json.loads(named.read_text())).validate(YAML(typ="safe").load(spec.read_text()))
    assert _init(str(tmp_path / "other.airflowspec.yaml"))[1].count("\n") == 1  # the schema is there now


@pytest.mark.parametrize("target", ["eks", "mwaa"])
def test_the_starter_with_environments_validates_and_renders_each(target: str, tmp_path: Path) -> None:
    spec = tmp_path / "airflowspec.yaml"
    assert _init(str(spec), "-t", target, "--environments")[0] == 0
    validation = api.validate(spec)
    assert validation.environments == ("dev", "prod")
    assert [d.code for d in validation.diagnostics if d.severity.value == "error"] == []
    for env in validation.environments:
        merged, artifacts = api.render(spec, target, env)
        assert merged.spec is not None and artifacts, merged.diagnostics
        assert merged.spec.name == ("my-airflow-prod" if env == "prod" else "my-airflow")
    assert "# `airflowspec render airflowspec.yaml --all`" in spec.read_text()
