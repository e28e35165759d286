"""Every command's --help reads like the README: SPEC..., [PATH], --target TARGET; no Python type or
internal name (`{specs}...`, `<list[Path]>`, `<list[eks|mwaa]>`, `<path>`, `<str>`)."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from airflowspec.cli import app

COMMANDS = [
    *([], ["validate"], ["render"], ["diff"], ["init"], ["schema"]),
    *(["secrets"], ["secrets", "push"], ["ssm"], ["ssm", "push"]),
]
#: What typer prints for a parameter it has no README name for.
INTERNAL = re.compile(r"<[^>\s]*>|\{\w+\}|list\[|\bPath\b|\bstr\b")


def _help(command: list[str]) -> str:
    result = CliRunner().invoke(app, [*command, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: " ".join(command) or "airflowspec")
def test_help_shows_no_internal_placeholder(command: list[str]) -> None:
    assert INTERNAL.findall(_help(command)) == []


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        (["validate"], "validate [OPTIONS] SPEC..."),
        (["render"], "render [OPTIONS] SPEC..."),
        (["diff"], "diff [OPTIONS] OLD [NEW]"),
        (["init"], "init [OPTIONS] [PATH]"),
        (["schema"], "schema [OPTIONS]"),
        (["secrets", "push"], "secrets push [OPTIONS] SPEC"),
        (["ssm", "push"], "ssm push [OPTIONS] SPEC"),
    ],
)
def test_usage_names_the_arguments_as_the_readme_does(command: list[str], usage: str) -> None:
    assert _help(command).splitlines()[0] == f"Usage: airflowspec {usage}"


def test_options_name_what_they_take() -> None:
    rows = {line.strip().split("  ")[0] for line in _help(["render"]).splitlines() if line.startswith("  -")}
    assert {"-t, --target TARGET", "-o, --output DIR", "--check"} <= rows
    assert "--format FORMAT" in _help(["validate"])
    assert "-t, --target TARGET" in _help(["init"])


def test_a_missing_argument_is_named_as_in_the_usage() -> None:
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == 2
    assert "Missing argument 'SPEC'." in result.stderr
