"""The json and github formats of `validate`, as golden files."""

from __future__ import annotations

import dataclasses
import json

import pytest
from conftest import GOLDEN, ROOT, check_golden
from typer.testing import CliRunner

from airflowspec.cli import app
from airflowspec.diagnostics import error
from airflowspec.reporters import github

CASES = ROOT / "tests" / "cases" / "invalid"
SPECS = ["unknown-connection-key", "literal-password", "mwaa-tags"]


@pytest.mark.parametrize("output_format", ["json", "github"])
def test_formats_as_golden(output_format: str, update_golden: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES)
    result = CliRunner().invoke(app, ["validate", "--format", output_format, *(f"{name}/spec.yaml" for name in SPECS)])
    assert result.exit_code == 1
    check_golden(GOLDEN / "formats" / f"validate.{output_format}", result.stdout, update_golden)


def test_json_has_one_object_per_diagnostic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES)
    result = CliRunner().invoke(app, ["validate", "--format", "json", "unknown-connection-key/spec.yaml"])
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert set(record) == {"code", "severity", "message", "hint", "file", "line", "col", "path"}


def test_github_escapes_what_workflow_commands_reserve() -> None:
    diagnostic = dataclasses.replace(error("AS104", "100% wrong\nreally"), file="a,b:c.yaml", line=1, col=2)
    assert github([diagnostic]) == "::error file=a%2Cb%3Ac.yaml,line=1,col=2,title=AS104::100%25 wrong\\nreally\n"
