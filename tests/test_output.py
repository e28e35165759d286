"""`render -o` replaces each rendered file atomically and nothing else; a failure or interrupt while the
new files are written keeps every old one whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

from airflowspec import output
from airflowspec.cli import app
from airflowspec.output import write_artifacts
from airflowspec.targets import Artifact

ARTIFACTS = [Artifact("template.yaml", "new template\n"), Artifact("requirements.txt", "new requirements\n")]


def _previous(directory: Path) -> dict[str, str]:
    directory.mkdir()
    files = {"template.yaml": "old template\n", "requirements.txt": "old requirements\n", "notes.md": "mine\n"}
    for name, text in files.items():
        (directory / name).write_text(text)
    return files


def _contents(directory: Path) -> dict[str, str]:
    return {path.name: path.read_text() for path in directory.iterdir()}


@pytest.mark.parametrize("failure", [OSError("disk full"), KeyboardInterrupt()])
def test_a_failure_mid_write_keeps_the_previous_output(
    failure: BaseException, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    before = _previous(out)
    written: list[str] = []
    original = output._write_temporary

    def fail_on_the_second_file(descriptor: int, artifact: Artifact, mode: int) -> str:
        if written:
            raise failure
        written.append(artifact.path)
        return original(descriptor, artifact, mode)

    monkeypatch.setattr(output, "_write_temporary", fail_on_the_second_file)
    with pytest.raises(type(failure)):
        write_artifacts(out, ARTIFACTS)
    assert _contents(out) == before  # no temporary file left behind either
    assert [path.name for path in tmp_path.iterdir()] == ["out"]


def test_a_complete_write_replaces_artifacts_and_keeps_other_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _previous(out)
    write_artifacts(out, ARTIFACTS)
    assert _contents(out) == {
        "template.yaml": "new template\n",
        "requirements.txt": "new requirements\n",
        "notes.md": "mine\n",
    }
    assert [path.name for path in tmp_path.iterdir()] == ["out"]


def test_check_never_writes(tmp_path: Path) -> None:
    spec = tmp_path / "airflowspec.yaml"
    spec.write_text((EXAMPLES / "seed" / "airflowspec.yaml").read_text())
    before = sorted(path.name for path in tmp_path.rglob("*"))
    result = CliRunner().invoke(app, ["render", str(spec), "--check", "-t", "eks", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1  # nothing rendered yet: stale
    assert sorted(path.name for path in tmp_path.rglob("*")) == before


def test_check_names_the_command_that_brings_a_render_up_to_date(tmp_path: Path) -> None:
    spec = tmp_path / "airflowspec.yaml"
    spec.write_text((EXAMPLES / "seed" / "airflowspec.yaml").read_text())
    out = tmp_path / "rendered" / "eks"
    out.mkdir(parents=True)
    result = CliRunner().invoke(app, ["render", str(spec), "--check"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == f"{out}: stale; run `airflowspec render {spec} --target eks -o {out}`"


def test_check_without_a_target_reports_an_invalid_spec(tmp_path: Path) -> None:
    spec = tmp_path / "airflowspec.yaml"
    spec.write_text((EXAMPLES / "seed" / "airflowspec.yaml").read_text().replace("    password: {", "    pasword: {"))
    result = CliRunner().invoke(app, ["render", str(spec), "--check"])  # nothing rendered beside it
    assert result.exit_code == 1
    assert "error AS101 unknown key `pasword`" in result.stderr


def test_a_new_output_directory_gets_the_usual_permissions(tmp_path: Path) -> None:
    write_artifacts(tmp_path / "out", ARTIFACTS)
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o777 & ~_umask()


def _umask() -> int:
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_a_symlinked_output_directory_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real"
    before = _previous(real)
    (tmp_path / "link").symlink_to(real)
    with pytest.raises(output.OutputProblem, match="symbolic link"):
        write_artifacts(tmp_path / "link", ARTIFACTS)
    assert _contents(real) == before


def test_a_rendered_file_keeps_its_permissions_and_other_files_their_links(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _previous(out)
    (out / "template.yaml").chmod(0o640)
    (tmp_path / "notes-link").hardlink_to(out / "notes.md")
    write_artifacts(out, ARTIFACTS)
    assert (out / "template.yaml").stat().st_mode & 0o777 == 0o640
    assert (out / "notes.md").stat().st_nlink == 2
    assert (out / "requirements.txt").read_text() == "new requirements\n"


def _refused(tmp_path: Path, spec: Path, output: Path) -> str:
    before = {str(path): path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    result = CliRunner().invoke(app, ["render", str(spec), "-t", "eks", "-o", str(output)])
    assert result.exit_code == 2, result.output
    assert {str(path): path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()} == before
    return result.stderr


def test_render_refuses_an_output_that_is_a_file_or_would_replace_the_spec(tmp_path: Path) -> None:
    spec = tmp_path / "project" / "values.yaml"
    spec.parent.mkdir()
    spec.write_text((EXAMPLES / "seed" / "airflowspec.yaml").read_text())
    assert f"{spec}: error AS001 will not write the output there: it is a file, not a directory" in _refused(
        tmp_path, spec, spec
    )
    assert f"{spec}: error AS001 will not write the output there: it is the spec itself" in _refused(
        tmp_path, spec, spec.parent
    )
    assert f"{spec}: error AS001 will not write the output there: it is a file, not a directory" in _refused(
        tmp_path, spec, spec / "x"
    )


def test_relative_outputs_from_the_spec_directory_are_fine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "airflowspec.yaml").write_text((EXAMPLES / "seed" / "airflowspec.yaml").read_text())
    monkeypatch.chdir(project)
    for output_path in ("rendered/eks", "../out", "."):
        result = CliRunner().invoke(app, ["render", "airflowspec.yaml", "-t", "eks", "-o", output_path])
        assert result.exit_code == 0, result.output
        assert (project / output_path / "values.yaml").is_file()
    assert sorted(path.name for path in project.iterdir()) == ["airflowspec.yaml", "rendered", "values.yaml"]
    result = CliRunner().invoke(app, ["render", "airflowspec.yaml", "--check", "-t", "eks", "-o", "rendered/eks"])
    assert result.exit_code == 0, result.output


def test_stale_message_quotes_paths_for_the_shell(tmp_path: Path) -> None:
    spec = tmp_path / "sp ace" / "airflowspec.yaml"
    spec.parent.mkdir()
    spec.write_text((EXAMPLES / "seed" / "airflowspec.yaml").read_text())
    out = spec.parent / "rendered" / "eks"
    out.mkdir(parents=True)
    result = CliRunner().invoke(app, ["render", str(spec), "--check"])
    assert f"run `airflowspec render '{spec}' --target eks -o '{out}'`" in result.stdout


def test_a_file_readable_and_writable_by_all_keeps_exactly_that(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _previous(out)
    (out / "template.yaml").chmod(0o666)
    write_artifacts(out, ARTIFACTS)
    assert (out / "template.yaml").stat().st_mode & 0o777 == 0o666
    write_artifacts(tmp_path / "new", ARTIFACTS)
    assert (tmp_path / "new" / "template.yaml").stat().st_mode & 0o777 == 0o666 & ~_umask()
