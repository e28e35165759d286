"""`airflowspec import`: what is deployed back into a spec, secrets as references, the rest carried or
reported; the proof is the round trip (render, import the rendered files, render again: the same bytes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import variant_id, variants_for
from typer.testing import CliRunner

from airflowspec import api
from airflowspec.cli import app


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("variant", variants_for("mwaa"), ids=variant_id)
def test_rendered_mwaa_files_import_to_a_spec_that_renders_them_again(
    variant: tuple[Path, str | None], tmp_path: Path
) -> None:
    spec, env = variant
    _, artifacts = api.render(spec, "mwaa", env)
    rendered = tmp_path / "rendered"
    rendered.mkdir()
    for artifact in artifacts:
        (rendered / artifact.path).write_text(artifact.text, encoding="utf-8")
    imported = tmp_path / "airflowspec.yaml"
    code, _, err = _run("import", *(str(rendered / a.path) for a in artifacts), "-o", str(imported))
    assert code == 0, err
    validation, again = api.render(imported, "mwaa")
    assert again, validation.diagnostics
    source = spec.name if env is None else f"{spec.name}, environment {env}"
    for before, after in zip(artifacts, again, strict=True):
        assert after.text == before.text.replace(f"from {source}", "from airflowspec.yaml"), after.path
