"""The hooks in .pre-commit-hooks.yaml, driven by the real pre-commit client (`pre-commit try-repo`)
against this checkout, in a temporary git repository that holds a spec."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT

PRE_COMMIT = shutil.which("pre-commit")
pytestmark = pytest.mark.skipif(PRE_COMMIT is None, reason="needs the pre-commit client (the test extra)")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit cache for the module: the hook environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    shutil.copy(EXAMPLES / "seed" / "airflowspec.yaml", tmp_path / "airflowspec.yaml")
    return tmp_path


def _try_repo(repository: Path, home: Path, hook: str) -> subprocess.CompletedProcess[str]:
    subprocess.run(["git", "add", "-A"], cwd=repository, check=True)
    env = os.environ | {"PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    command = [str(PRE_COMMIT), "try-repo", str(ROOT), hook, "--all-files", "--color", "never"]
    return subprocess.run(command, cwd=repository, env=env, capture_output=True, text=True, check=False)


def test_validate_hook_passes_a_valid_spec_and_locates_a_misspelt_key(repository: Path, home: Path) -> None:
    passed = _try_repo(repository, home, "airflowspec-validate")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    spec = repository / "airflowspec.yaml"
    spec.write_text(spec.read_text().replace("    password: {secret", "    pasword: {secret"))
    failed = _try_repo(repository, home, "airflowspec-validate")
    assert failed.returncode == 1
    message = "airflowspec.yaml:41:5: error AS101 unknown key `pasword` in `connections.warehouse`"
    assert message in failed.stdout


def test_render_check_hook_fails_when_rendered_files_are_stale(repository: Path, home: Path) -> None:
    spec = repository / "airflowspec.yaml"
    rendered = subprocess.run(
        ["airflowspec", "render", str(spec), "-t", "eks", "-o", str(repository / "rendered" / "eks")],
        capture_output=True,
        text=True,
        check=False,
    )
    if rendered.returncode != 0:  # the command is not on PATH outside an installed environment
        pytest.skip("needs the airflowspec command installed")
    assert _try_repo(repository, home, "airflowspec-render-check").returncode == 0
    spec.write_text(spec.read_text().replace("host: warehouse.internal", "host: warehouse2.internal"))
    failed = _try_repo(repository, home, "airflowspec-render-check")
    assert failed.returncode == 1
    assert '~ airflow.connections[id=warehouse].host: "warehouse.internal" -> "warehouse2.internal"' in failed.stdout
    assert not (repository / "rendered" / "eks" / "values.yaml").read_text().count("warehouse2")
