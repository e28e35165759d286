"""Where rendered files live: `rendered/<target>/` beside airflowspec.yaml, `rendered/NAME/<target>/` beside
NAME.airflowspec.yaml; `render --check` looks there, and a rendered file given to it checks its spec."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

from airflowspec.cli import app
from airflowspec.inputs import Folder
from airflowspec.rendered_folders import rendered_folder

SEED = (EXAMPLES / "seed" / "airflowspec.yaml").read_text(encoding="utf-8")


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _spec(folder: Path, name: str, text: str = SEED) -> Path:
    spec = folder / name
    spec.write_text(text, encoding="utf-8")
    return spec


@pytest.mark.parametrize(
    ("name", "below"),
    [
        ("airflowspec.yaml", ("rendered", "eks")),
        ("airflowspec.yml", ("rendered", "eks")),
        ("spec.yaml", ("rendered", "eks")),
        ("prod.airflowspec.yaml", ("rendered", "prod", "eks")),
        ("eu.prod.airflowspec.yml", ("rendered", "eu.prod", "eks")),
        ("..airflowspec.yaml", ("rendered", "eks")),  # never `rendered/./` or `rendered/../`
        ("...airflowspec.yaml", ("rendered", "eks")),
        ("night\nly.airflowspec.yaml", ("rendered", "night\nly", "eks")),  # as the hook's pattern reads it
    ],
)
def test_each_named_spec_has_a_folder_of_its_own(name: str, below: tuple[str, ...]) -> None:
    assert rendered_folder(Path("project", name), "eks") == Folder(Path("project"), below)


def test_two_specs_in_one_folder_are_checked_against_their_own_files(tmp_path: Path) -> None:
    prod = _spec(tmp_path, "prod.airflowspec.yaml")
    staging = _spec(tmp_path, "staging.airflowspec.yaml", SEED.replace("warehouse.internal", "staging.internal"))
    for spec, name in ((prod, "prod"), (staging, "staging")):
        assert _run("render", str(spec), "-t", "eks", "-o", str(tmp_path / "rendered" / name / "eks"))[0] == 0
    assert _run("render", "--check", str(prod), str(staging))[0] == 0
    staging.write_text(SEED.replace("warehouse.internal", "staging2.internal"), encoding="utf-8")
    code, out, _ = _run("render", "--check", str(prod), str(staging))
    out_dir = tmp_path / "rendered" / "staging" / "eks"
    assert code == 1
    assert [line for line in out.splitlines() if "stale" in line] == [
        f"{out_dir}: stale; run `airflowspec render {staging} --target eks -o {out_dir}`"
    ]
    assert '~ airflow.connections[id=warehouse].host: "staging.internal" -> "staging2.internal"' in out


def test_a_named_spec_whose_files_are_still_in_the_shared_folder_is_stale(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "prod.airflowspec.yaml")
    assert _run("render", str(spec), "-t", "eks", "-o", str(tmp_path / "rendered" / "eks"))[0] == 0
    code, out, _ = _run("render", "--check", str(spec))
    new, old = tmp_path / "rendered" / "prod" / "eks", tmp_path / "rendered" / "eks"
    assert code == 1
    assert out.splitlines()[:3] == [
        f"{new}: stale; run `airflowspec render {spec} --target eks -o {new}`",
        f"  ({old} is airflowspec.yaml's folder; prod.airflowspec.yaml renders into {new} now)",
        "  + values.yaml: not rendered yet",
    ]


def test_a_rendered_file_stands_for_its_spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _spec(tmp_path, "prod.airflowspec.yaml")
    assert _run("render", "prod.airflowspec.yaml", "-t", "mwaa", "-o", "rendered/prod/mwaa")[0] == 0
    assert _run("render", "--check", "rendered/prod/mwaa/requirements.txt")[0] == 0
    requirements = tmp_path / "rendered" / "prod" / "mwaa" / "requirements.txt"
    requirements.write_text(requirements.read_text() + "boto3\n")
    code, out, _ = _run("render", "--check", "rendered/prod/mwaa/requirements.txt", "prod.airflowspec.yaml")
    assert code == 1
    assert out.splitlines()[0] == (
        "rendered/prod/mwaa: stale; run `airflowspec render prod.airflowspec.yaml --target mwaa -o rendered/prod/mwaa`"
    )
    assert out.count("stale") == 1  # the spec and its file: one check


def test_a_rendered_file_that_no_spec_renders_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rendered" / "old" / "eks").mkdir(parents=True)
    (tmp_path / "rendered" / "old" / "eks" / "values.yaml").write_text("x: 1\n")
    code, out, err = _run("render", "--check", "rendered/old/eks/values.yaml")
    assert (code, out) == (2, "")
    assert err == "rendered/old/eks/values.yaml: error AS001 no spec renders into this folder: " + (
        "old.airflowspec.yaml or airflowspec.yaml does not exist\n"  # or environment `old` of airflowspec.yaml
    )


def test_a_rendered_folder_of_a_target_the_spec_dropped_is_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _spec(tmp_path, "airflowspec.yaml", (EXAMPLES / "kubernetes-executor" / "airflowspec.yaml").read_text())
    (tmp_path / "rendered" / "mwaa").mkdir(parents=True)
    (tmp_path / "rendered" / "mwaa" / "template.yaml").write_text("x: 1\n")
    stale = "rendered/mwaa: airflowspec.yaml declares no mwaa target; delete the folder or declare the target\n"
    assert _run("render", "--check", "rendered/mwaa/template.yaml")[:2] == (1, stale)
    # Given the spec alone, as the hook is when only the spec is committed, the folder is found too.
    code, out, _ = _run("render", "--check", "airflowspec.yaml")
    assert code == 1 and out.endswith(stale)


def test_no_link_is_followed_at_the_named_folder(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "prod.airflowspec.yaml")
    (tmp_path / "elsewhere" / "eks").mkdir(parents=True)
    (tmp_path / "rendered").mkdir()
    (tmp_path / "rendered" / "prod").symlink_to(tmp_path / "elsewhere")
    code, _, err = _run("render", "--check", str(spec), "-t", "eks")
    assert code == 2
    assert err.splitlines()[-1] == (
        f"{tmp_path / 'rendered' / 'prod' / 'eks'}: error AS603 is a symbolic link, which airflowspec does not "
        "follow here; name the file or folder it points to"
    )
    code, _, err = _run("render", str(spec), "-t", "eks", "-o", str(tmp_path / "rendered" / "prod" / "eks"))
    assert code == 2
    assert "error AS603" in err
    assert list((tmp_path / "elsewhere" / "eks").iterdir()) == []
