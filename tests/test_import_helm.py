"""Import a team's own chart values (not airflowspec's), render the imported spec, and `helm template`
both: the same Kubernetes objects, compared by what they run (tests/helm_support.objects_summary).
Opt-in, as every test that needs the charts (tests/helm_support.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helm_support import helm_template, objects_summary, requires_helm
from typer.testing import CliRunner

from airflowspec import api
from airflowspec.cli import app

pytestmark = requires_helm
TEAM_VALUES = Path(__file__).parent / "cases" / "import"


@pytest.mark.parametrize("values", sorted(TEAM_VALUES.glob("*-values.yaml")), ids=lambda p: p.stem)
def test_imported_values_install_the_same_objects(values: Path, tmp_path: Path) -> None:
    chart = values.read_text(encoding="utf-8").splitlines()[0].removeprefix("# chart: ")
    spec = tmp_path / "airflowspec.yaml"
    result = CliRunner().invoke(app, ["import", str(values), "-o", str(spec), "--name", "data"])
    assert result.exit_code == 0, result.stderr
    validation, artifacts = api.render(spec, "eks")
    assert artifacts, validation.diagnostics
    (tmp_path / "original").mkdir()
    (tmp_path / "imported").mkdir()
    original = helm_template(values.read_text(encoding="utf-8"), chart, "data", tmp_path / "original")
    imported = helm_template(artifacts[0].text, chart, "data", tmp_path / "imported")
    before, after = objects_summary(original), objects_summary(imported)
    assert sorted(before) == sorted(after)
    for key in before:
        assert after[key] == before[key], key
