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


def _try_repo(repository: Path, home: Path, hook: str, staged_only: bool = False) -> subprocess.CompletedProcess[str]:
    """The hook on every file, or (`staged_only`) on what `git commit` would commit now."""
    if not staged_only:
        subprocess.run(["git", "add", "-A"], cwd=repository, check=True)
    env = os.environ | {"PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    files = [] if staged_only else ["--all-files"]
    command = [str(PRE_COMMIT), "try-repo", str(ROOT), hook, *files, "--color", "never"]
    return subprocess.run(command, cwd=repository, env=env, capture_output=True, text=True, check=False)


def _render(spec: Path, output: Path) -> None:
    rendered = subprocess.run(
        ["airflowspec", "render", str(spec), "-t", "eks", "-o", str(output)],
        capture_output=True,
        text=True,
        check=False,
    )
    if rendered.returncode != 0:  # the command is not on PATH outside an installed environment
        pytest.skip("needs the airflowspec command installed")


def _stale(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The lines of the hook's output that name a stale folder."""
    return [line for line in result.stdout.splitlines() if "stale" in line]


def _commit(repository: Path) -> None:
    subprocess.run(["git", "add", "-A"], cwd=repository, check=True)
    who = ["-c", "user.name=airflowspec tests", "-c", "user.email=tests@airflowspec.invalid"]
    subprocess.run(["git", *who, "commit", "-q", "--no-verify", "-m", "rendered"], cwd=repository, check=True)


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


def test_render_check_hook_checks_a_hand_edited_rendered_file_committed_alone(repository: Path, home: Path) -> None:
    _render(repository / "airflowspec.yaml", repository / "rendered" / "eks")
    (repository / "notes.md").write_text("unrelated\n")
    _commit(repository)
    values = repository / "rendered" / "eks" / "values.yaml"
    values.write_text(values.read_text().replace("host: warehouse.internal", "host: warehouse2.internal"))
    subprocess.run(["git", "add", "rendered/eks/values.yaml"], cwd=repository, check=True)
    failed = _try_repo(repository, home, "airflowspec-render-check", staged_only=True)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert (
        "rendered/eks: stale; run `airflowspec render airflowspec.yaml --target eks -o rendered/eks`" in failed.stdout
    )
    assert '~ airflow.connections[id=warehouse].host: "warehouse2.internal" -> "warehouse.internal"' in failed.stdout
    subprocess.run(["git", "checkout", "HEAD", "--", "rendered/eks/values.yaml"], cwd=repository, check=True)
    (repository / "notes.md").write_text("changed\n")
    subprocess.run(["git", "add", "notes.md"], cwd=repository, check=True)
    assert _try_repo(repository, home, "airflowspec-render-check", staged_only=True).returncode == 0


def test_two_specs_in_one_folder_keep_their_own_rendered_files(repository: Path, home: Path) -> None:
    seed = repository / "airflowspec.yaml"
    prod, staging = repository / "prod.airflowspec.yaml", repository / "staging.airflowspec.yaml"
    prod.write_text(seed.read_text())
    staging.write_text(seed.read_text().replace("host: warehouse.internal", "host: warehouse-staging.internal"))
    seed.unlink()
    _render(prod, repository / "rendered" / "prod" / "eks")
    _render(staging, repository / "rendered" / "staging" / "eks")
    assert _try_repo(repository, home, "airflowspec-render-check").returncode == 0
    staging.write_text(staging.read_text().replace("warehouse-staging.internal", "warehouse-staging2.internal"))
    failed = _try_repo(repository, home, "airflowspec-render-check")
    assert failed.returncode == 1
    assert _stale(failed) == [
        "rendered/staging/eks: stale; run "
        "`airflowspec render staging.airflowspec.yaml --target eks -o rendered/staging/eks`"
    ]


def test_several_environments_and_several_specs_in_one_folder(repository: Path, home: Path) -> None:
    """Each environment of each spec renders into its own folder; the hook checks them all, and a change
    to one environment makes only that environment's files stale."""
    example = (EXAMPLES / "multi-environment" / "airflowspec.yaml").read_text()
    (repository / "airflowspec.yaml").write_text(example)
    (repository / "billing.airflowspec.yaml").write_text(example.replace("name: orders", "name: billing"))
    everything = subprocess.run(
        ["airflowspec", "render", "--all", "airflowspec.yaml", "billing.airflowspec.yaml"],
        cwd=repository,
        capture_output=True,
        text=True,
        check=False,
    )
    if everything.returncode != 0:  # the command is not on PATH outside an installed environment
        pytest.skip("needs the airflowspec command installed")
    folders = sorted(str(p.parent.relative_to(repository)) for p in repository.glob("rendered/**/values.yaml"))
    assert folders == [
        "rendered/billing/dev/eks",
        "rendered/billing/prod/eks",
        "rendered/billing/staging/eks",
        "rendered/dev/eks",
        "rendered/prod/eks",
        "rendered/staging/eks",
    ]
    assert (repository / "rendered" / "billing" / "prod" / "mwaa" / "template.yaml").exists()
    passed = _try_repo(repository, home, "airflowspec-render-check")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    spec = repository / "airflowspec.yaml"
    spec.write_text(spec.read_text().replace("max: 10}", "max: 15}"))  # prod's MWAA workers
    _commit(repository)
    failed = _try_repo(repository, home, "airflowspec-render-check")
    assert failed.returncode == 1
    assert _stale(failed) == [
        "rendered/prod/mwaa: stale; run "
        "`airflowspec render airflowspec.yaml --env prod --target mwaa -o rendered/prod/mwaa`"
    ]
    spec.write_text(example)
    _commit(repository)
    values = repository / "rendered" / "billing" / "staging" / "eks" / "values.yaml"
    values.write_text(values.read_text().replace("namespace: orders-staging", "namespace: billing-staging"))
    values.write_text(values.read_text().replace("orders-staging-data", "billing-staging-data"))
    subprocess.run(["git", "add", str(values)], cwd=repository, check=True)
    edited = _try_repo(repository, home, "airflowspec-render-check", staged_only=True)
    assert edited.returncode == 1, edited.stdout + edited.stderr
    assert _stale(edited) == [
        "rendered/billing/staging/eks: stale; run `airflowspec render billing.airflowspec.yaml --env staging "
        "--target eks -o rendered/billing/staging/eks`"
    ]
