"""`diff` masks data held in strings whatever its shape (issue 10, defect 7): JSON arrays and arrays of
arrays as objects are, lists at any depth, values read from a running system with or without
`--show-secrets`; and reading data held in strings is bounded (depth, aliases, nesting of strings in
strings): too deep is plain text that is never shown, never a RecursionError (exit 3)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES
from ruamel.yaml import YAML
from typer.testing import CliRunner

from airflowspec import api
from airflowspec.cli import app
from airflowspec.emit import to_yaml

SEED = EXAMPLES / "seed" / "airflowspec.yaml"
ANCHOR = "  retention_days: 30\n"
ENV = {"WAREHOUSE_PASSWORD": "warehouse-pw", "SLACK_TOKEN": "slack-tok"}
FORMATS = ("text", "json", "github")
NOT_SHOWN = "(not shown: nested too deeply, or too large)"


def _diff(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["diff", *args], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout


def _specs(tmp_path: Path, old_variables: str, new_variables: str, spec: Path = SEED) -> tuple[str, str]:
    text = spec.read_text(encoding="utf-8")
    assert ANCHOR in text
    paths = []
    for name, variables in (("old.yaml", old_variables), ("new.yaml", new_variables)):
        path = tmp_path / name
        path.write_text(text.replace(ANCHOR, ANCHOR + variables), encoding="utf-8")
        paths.append(str(path))
    return paths[0], paths[1]


def _ssm_dump(tmp_path: Path, parameters: dict[str, str]) -> str:
    listed = [{"Name": name, "Type": "String", "Value": value} for name, value in parameters.items()]
    path = tmp_path / "ssm.json"
    path.write_text(json.dumps({"Parameters": listed}), encoding="utf-8")
    return str(path)


OLD_HELD = """\
  apis: '[{"name":"api","password":"canary-a1"},{"name":"db","password":"canary-b1"}]'
  grid: '[[{"token":"canary-c1"}],[["plain"]]]'
  nested: [[{password: canary-d1}]]
"""
NEW_HELD = """\
  apis: '[{"name":"api","password":"canary-a2"},{"name":"db","password":"canary-b2"}]'
  grid: '[[{"token":"canary-c2"}],[["plain"]]]'
  nested: [[{password: canary-d2}]]
  added: '[{"name":"x","api_key":"canary-e2"}]'
"""
PREFIX = {"mwaa": "parameters[name=/airflow/variables/{}].value", "eks": "airflow.variables[key={}].value"}


@pytest.mark.parametrize("target", ["mwaa", "eks"])
def test_arrays_held_in_strings_are_masked_as_objects_are(target: str, tmp_path: Path) -> None:
    old, new = _specs(tmp_path, OLD_HELD, NEW_HELD)
    for output in FORMATS:
        code, out = _diff(old, new, "-t", target, "--format", output)
        assert code == 1
        assert "canary" not in out, out
    lines = _diff(old, new, "-t", target)[1].splitlines()
    for name, inner in [("apis", "[name=api].password"), ("apis", "[name=db].password"), ("grid", "[0][0].token")]:
        assert f"  ~ {PREFIX[target].format(name)}{inner}: (sensitive value changed)" in lines
    assert f"  ~ {PREFIX[target].format('nested')}[0][0].password: (sensitive value changed)" in lines
    (added,) = [line for line in lines if "added" in line]
    assert '"value": "[{\\"name\\": \\"x\\", \\"api_key\\": \\"(sensitive value)\\"}]"' in added


def test_a_reordered_array_is_a_change_with_its_secrets_masked(tmp_path: Path) -> None:
    old, new = _specs(
        tmp_path,
        """  pair: '[{"name":"a","password":"canary-1"},{"name":"b","password":"canary-2"}]'\n""",
        """  pair: '[{"name":"b","password":"canary-2"},{"name":"a","password":"canary-1"}]'\n""",
    )
    code, out = _diff(old, new, "-t", "eks")
    a, b = '{"name": "a", "password": "(sensitive value)"}', '{"name": "b", "password": "(sensitive value)"}'
    assert (code, out.splitlines()[1]) == (1, f"  ~ airflow.variables[key=pair].value: [{a}, {b}] -> [{b}, {a}]")


def _strings_holding_json(password: str) -> str:
    """A JSON array of strings that hold JSON, whose key is written with an escape (the text does not
    say `password`, the data does)."""
    return json.dumps([f'{{"pass\\u0077ord":"{password}"}}'])


def test_live_arrays_never_show_even_with_show_secrets(tmp_path: Path) -> None:
    strings = f"  strings: {json.dumps(_strings_holding_json('canary-s2'))}\n"
    _, new = _specs(tmp_path, "", NEW_HELD + strings)
    dump = _ssm_dump(
        tmp_path,
        {
            "/airflow/variables/strings": _strings_holding_json("canary-live-5"),
            "/airflow/variables/apis": '[{"name":"api","password":"canary-live-1"},{"name":"db","password":"x"}]',
            "/airflow/variables/grid": '[[{"token":"canary-live-2"}],[["plain"]]]',
            "/airflow/variables/gone": '[[{"secret":"canary-live-3"}],["plain"]]',
            "/airflow/variables/nested": '[[{"password":"canary-live-4"}]]',
        },
    )
    for output in FORMATS:
        for show in ([], ["--show-secrets"]):
            code, out = _diff(new, "--against", dump, "-t", "mwaa", "--format", output, *show, env=ENV)
            assert code == 1
            assert "canary" not in out, out
    lines = _diff(new, "--against", dump, "-t", "mwaa", "--show-secrets", env=ENV)[1].splitlines()
    assert "  ~ parameters[name=/airflow/variables/apis].value[name=api].password: (sensitive value changed)" in lines
    assert "  ~ parameters[name=/airflow/variables/grid].value[0][0].token: (sensitive value changed)" in lines
    assert "  ~ parameters[name=/airflow/variables/nested].value[0][0].password: (sensitive value changed)" in lines
    assert "  ~ parameters[name=/airflow/variables/strings].value[0].password: (sensitive value changed)" in lines
    assert (
        '  - parameters[name=/airflow/variables/gone]: {"name": "/airflow/variables/gone", "type": "String", '
        '"value": "[[{\\"secret\\": \\"(sensitive value)\\"}], [\\"plain\\"]]"}'
    ) in lines


def test_json_nested_deeper_than_64_is_compared_as_text_and_never_shown(tmp_path: Path) -> None:
    deep = "[" * 70 + '{"password":"canary-live"}' + "]" * 70
    dump = _ssm_dump(tmp_path, {"/airflow/variables/deep": deep, "/airflow/variables/brackets": "[" * 100_000})
    code, out = _diff(str(SEED), "--against", dump, "-t", "mwaa", "--show-secrets", env=ENV)
    assert code == 1
    assert "canary" not in out
    assert (
        f'  - parameters[name=/airflow/variables/deep]: {{"name": "/airflow/variables/deep", "type": "String", '
        f'"value": "{NOT_SHOWN}"}}'
    ) in out.splitlines()


@pytest.mark.parametrize("text", ["[" * 100_000, '{"a":' * 100_000, '{"a":[' * 50_000], ids=["[", "{a:", "{a:["])
def test_a_string_of_100000_open_brackets_is_plain_text(text: str, tmp_path: Path) -> None:
    old, new = _specs(tmp_path, f"  deep: '{text}'\n", f"  deep: '{text}1'\n")
    code, out = _diff(old, new, "-t", "eks")
    assert (code, out.splitlines()[1]) == (1, f'  ~ airflow.variables[key=deep].value: "{NOT_SHOWN}" -> "{NOT_SHOWN}"')


def _nest(levels: int, leaf: Any) -> Any:
    for _ in range(levels):
        leaf = {"a": [{"b": [leaf]}]}
    return leaf


def test_strings_holding_strings_holding_json_are_walked_to_a_bound(tmp_path: Path) -> None:
    """Each string holds JSON 60 levels deep whose innermost value is the next string: 600 levels in all."""
    old, new = json.dumps({"password": "canary-old"}), json.dumps({"password": "canary-new"})
    for _ in range(10):
        old, new = json.dumps(_nest(15, old)), json.dumps(_nest(15, new))
    old_spec, new_spec = _specs(tmp_path, f"  deep: {json.dumps(old)}\n", f"  deep: {json.dumps(new)}\n")
    code, out = _diff(old_spec, new_spec, "-t", "eks")
    assert code == 1
    assert "canary" not in out
    assert NOT_SHOWN in out
    assert len(out) < 10_000


def _helm_values(spec: str, variable: str, value: str, tmp_path: Path) -> str:
    """`helm get values` of what `spec` renders, with one variable's value replaced."""
    _, artifacts = api.render(Path(spec), "eks")
    values = YAML(typ="safe").load(artifacts[0].text)
    (entry,) = [item for item in values["airflow"]["variables"] if item["key"] == variable]
    entry["value"] = value
    path = tmp_path / "values.yaml"
    path.write_text(to_yaml(values), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("live", "old"),
    [
        ("- &a {name: a, value: *a}\n", '"- &a {name: a, value: *a}\\n"'),  # would hold itself: not YAML, text
        ("- {name: a, value: " + "[" * 100_000 + "}\n", f'"{NOT_SHOWN}"'),
        ("- " + "- " * 100_000 + "x\n", f'"{NOT_SHOWN}"'),
        (
            "- &a [x,x,x,x,x,x,x,x,x]\n"
            + "".join(
                f"- &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
                for p, c in zip("abcdefgh", "bcdefghi", strict=True)
            ),
            f'"{NOT_SHOWN}"',
        ),
    ],
    ids=["cycle", "flow-depth", "block-depth", "alias-bomb"],
)
def test_yaml_held_in_strings_is_read_within_limits(live: str, old: str, tmp_path: Path) -> None:
    """A string that holds a YAML list of mappings (as the official chart's `extraEnv`) is compared by what
    it holds only within the loader's limits; a live one beyond them is text, never shown."""
    _, spec = _specs(tmp_path, "", '  listed: "- {name: a, value: b}\\n"\n')
    against = _helm_values(spec, "listed", live, tmp_path)
    command = [sys.executable, "-m", "airflowspec", "diff", spec, "--against", against, "-t", "eks"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)  # may crash
    shown = '"[{\\"name\\": \\"a\\", \\"value\\": \\"b\\"}]"'
    assert (result.returncode, result.stdout.splitlines()[1:2]) == (
        1,
        [f"  ~ airflow.variables[key=listed].value: {old} -> {shown}"],
    )


def test_json_after_whitespace_is_held_data_too(tmp_path: Path) -> None:
    """json.loads and Airflow skip JSON's leading whitespace, so masking must as well."""
    old, new = _specs(tmp_path, '  cfg: \' {"password": "canary-w1"}\'\n', '  cfg: \'\n{"password": "canary-w2"}\'\n')
    for target in ("mwaa", "eks"):
        for output in FORMATS:
            assert "canary" not in _diff(old, new, "-t", target, "--format", output)[1]
    live = _ssm_dump(tmp_path, {"/airflow/variables/cfg": ' \n\t{"password": "canary-live"}'})
    for output in FORMATS:
        assert "canary" not in _diff(new, "--against", live, "-t", "mwaa", "--format", output, env=ENV)[1]


def test_an_item_named_like_a_secret_hides_its_values(tmp_path: Path) -> None:
    """An env list added or removed whole (`- name: SNOWFLAKE_PASSWORD` / `value: ...`) shows its names only."""
    old, new = _specs(tmp_path, "", '  creds: \'[{"name": "db_password", "value": "canary-n1"}, {"name": "x"}]\'\n')
    for target in ("mwaa", "eks"):
        code, out = _diff(old, new, "-t", target)
        assert code == 1 and "canary" not in out, out
        assert '\\"name\\": \\"db_password\\", \\"value\\": \\"(sensitive value)\\"' in out
