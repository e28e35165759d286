"""Nothing airflowspec prints carries a character a terminal acts on (issue 10, defect 7): control
characters (C0 but the line break that ends a line, DEL, C1 such as the one-byte CSI), format characters
(bidi overrides, zero-width characters) and line separators in spec values, variable keys, connection
ids, spec file names and SSM dumps are written as visible escapes, in text, JSON and GitHub formats, by
`diff` and by every diagnostic. JSON stays valid and decodes to the original text."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

from airflowspec.cli import app
from airflowspec.diagnostics import error
from airflowspec.diff.changes import Change
from airflowspec.diff.report import text_report
from airflowspec.reporters import github, json_lines, text

SEED = EXAMPLES / "seed" / "airflowspec.yaml"
ENV = {"WAREHOUSE_PASSWORD": "warehouse-pw", "SLACK_TOKEN": "slack-tok"}
#: An OSC title change, BEL, the one-byte CSI, a bidi override, a line break, DEL, a zero-width space and
#: a line separator; as the spec writes them (YAML escapes) and as airflowspec must print them.
HOSTILE = "\x1b]0;pwned\x07 \x9b31m \u202eevil two\nlines \x7f \u200b \u2028"
IN_YAML = '"\\e]0;pwned\\a \\x9b31m \\u202eevil two\\nlines \\x7f \\u200b \\L"'
ESCAPED = "\\u001b]0;pwned\\u0007 \\u009b31m \\u202eevil two\\nlines \\u007f \\u200b \\u2028"


def _unsafe(text: str) -> list[str]:
    """Every character of `text` but the line break that a terminal could act on."""
    return [char for char in text if char != "\n" and unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp")]


def _decoded(data: bytes) -> str:
    return data.decode("utf-8", errors="surrogateescape")  # a stray byte (a raw 0x9b) shows as a surrogate


def _invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    out, err = _decoded(result.stdout_bytes), _decoded(result.stderr_bytes)
    assert _unsafe(out) == [] and _unsafe(err) == [], (out, err)
    return result.exit_code, out, err


def test_printable_escapes_what_a_terminal_acts_on() -> None:
    from airflowspec.printable import printable

    assert printable(HOSTILE) == ESCAPED
    assert (
        printable("\0\t\r\x85\u2066x\u2069\ufeff\U000e0041")
        == "\\u0000\\t\\r\\u0085\\u2066x\\u2069\\ufeff\\udb40\\udc41"
    )
    assert printable("bad\udcff") == "bad\\udcff"  # an undecodable byte of a file name
    kept = "café 日本 \\x1b \u00a0 — ✓"
    assert printable(kept) == kept


def test_diagnostic_lines_escape_file_message_and_hint() -> None:
    diagnostic = error("AS101", f"unknown key `{HOSTILE}`", hint=f"did you mean `{HOSTILE}`?")
    diagnostic = dataclasses.replace(diagnostic, file=f"{HOSTILE}.yaml", line=3, col=5)
    line = f"{ESCAPED}.yaml:3:5: error AS101 unknown key `{ESCAPED}`; did you mean `{ESCAPED}`?"
    assert str(diagnostic) == line
    assert text([diagnostic]) == line + "\n"
    assert text([diagnostic], colour=True) == line.replace(" error ", " \x1b[31merror\x1b[0m ", 1) + "\n"
    (record,) = json_lines([diagnostic]).splitlines()
    assert _unsafe(record) == []
    assert json.loads(record)["file"] == f"{HOSTILE}.yaml"
    assert json.loads(record)["hint"] == f"did you mean `{HOSTILE}`?"
    assert github([diagnostic]) == (
        f"::error file={ESCAPED}.yaml,line=3,col=5,title=AS101::unknown key `{ESCAPED}`; did you mean `{ESCAPED}`?\n"
    )


def _spec_with(tmp_path: Path, name: str, extra: str) -> str:
    text = SEED.read_text(encoding="utf-8").replace("  retention_days: 30\n", "  retention_days: 30\n" + extra)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("target", "path"),
    [("eks", "airflow.variables[key=motd].value"), ("mwaa", "parameters[name=/airflow/variables/motd].value")],
)
def test_diff_escapes_hostile_values_in_every_format(target: str, path: str, tmp_path: Path) -> None:
    old = _spec_with(tmp_path, "old.yaml", '  motd: "hello"\n')
    new = _spec_with(tmp_path, "new.yaml", f"  motd: {IN_YAML}\n")
    code, out, _ = _invoke("diff", old, new, "-t", target)
    assert (code, out.splitlines()[1]) == (1, f'  ~ {path}: "hello" -> "{ESCAPED}"')
    code, out, _ = _invoke("diff", old, new, "-t", target, "--format", "json")
    (change,) = [change for change in json.loads(out)["changes"] if change["path"] == path]
    assert (change["old"], change["new"]) == ("hello", HOSTILE)
    code, out, _ = _invoke("diff", old, new, "-t", target, "--format", "github")
    assert f'~ {path}: "hello" -> "{ESCAPED}"' in out


def test_hostile_variable_keys_and_connection_ids_are_escaped_in_diagnostics(tmp_path: Path) -> None:
    extra = '  "mo\\e]0;pwned\\atd": x\n'
    spec = _spec_with(tmp_path, "spec.yaml", extra)
    text = Path(spec).read_text(encoding="utf-8")
    Path(spec).write_text(
        text.replace("connections:\n  warehouse:\n", 'connections:\n  "ware\\e[31m\\u202ehouse\\x9b":\n    bogus: 1\n'),
        encoding="utf-8",
    )
    for output in ("text", "json", "github"):
        code, out, _ = _invoke("validate", spec, "--format", output)
        assert code == 1
        assert "ware\\u001b[31m\\u202ehouse\\u009b" in out
    code, _, err = _invoke("diff", spec, spec, "-t", "eks")
    assert code == 2
    assert "`connections.ware\\u001b[31m\\u202ehouse\\u009b`" in err
    Path(spec).write_text(text.replace("connections:\n  warehouse:\n", 'connections:\n  "ware\\e[31mhouse":\n'))
    code, out, _ = _invoke("validate", spec)
    assert code == 1
    assert "variable key 'mo\\u001b]0;pwned\\u0007td'" in out
    assert "connection id 'ware\\u001b[31mhouse'" in out


CHANNELS = {"critical": "#data-oncall", "info": "#data-platform"}  # the seed's alert_channels


def test_hostile_names_and_values_in_an_ssm_dump_are_escaped(tmp_path: Path) -> None:
    parameters = [
        ("/airflow/variables/\x1b]0;pwned\x07", "\x9b31m\u202e\0two\nlines"),
        ("/airflow/variables/x] y", "v"),
        (
            "/airflow/variables/alert_channels",
            json.dumps({"critical": "#data-oncall", "info": "#data-platform", HOSTILE: 1}),
        ),
    ]
    dump = tmp_path / "ssm.json"
    listed = [{"Name": name, "Type": "String", "Value": value} for name, value in parameters]
    dump.write_text(json.dumps({"Parameters": listed}), encoding="utf-8")
    args = ("diff", str(SEED), "--against", str(dump), "-t", "mwaa")
    code, out, _ = _invoke(*args, env=ENV)
    lines = out.splitlines()
    assert code == 1
    assert (
        '  - parameters[name="/airflow/variables/\\u001b]0;pwned\\u0007"]: {"name": "/airflow/variables/\\u001b]0;'
        'pwned\\u0007", "type": "String", "value": "\\u009b31m\\u202e\\u0000two\\nlines"}'
    ) in lines
    assert (
        '  - parameters[name="/airflow/variables/x] y"]: {"name": "/airflow/variables/x] y", "type": "String", '
        '"value": "v"}'
    ) in lines
    assert f'  - parameters[name=/airflow/variables/alert_channels].value["{ESCAPED}"]: 1' in lines
    code, out, _ = _invoke(*args, "--format", "json", env=ENV)
    paths = [change["path"] for change in json.loads(out)["changes"]]
    assert f'parameters[name=/airflow/variables/alert_channels].value["{ESCAPED}"]' in paths
    values = [change["old"]["value"] for change in json.loads(out)["changes"] if isinstance(change["old"], dict)]
    assert "\x9b31m\u202e\0two\nlines" in values
    code, out, _ = _invoke(*args, "--format", "github", env=ENV)
    assert '[name="/airflow/variables/\\u001b]0;pwned\\u0007"]' in out


def test_text_report_keeps_its_own_colours_and_escapes_the_rest() -> None:
    change = Change("values.yaml", "motd", "change", "hello", HOSTILE, False, "")
    report = text_report([change], lambda line, kind: f"\x1b[33m{line}\x1b[0m")
    assert (
        report == f'values.yaml\n\x1b[33m  ~ motd: "hello" -> "{ESCAPED}"\x1b[0m\n0 to add, 1 to change, 0 to remove\n'
    )


HOSTILE_FILE = "spec\x1b]0;pwned\x07\u202e\n" + os.fsdecode(b"\xff") + ".yaml"
ESCAPED_FILE = "spec\\u001b]0;pwned\\u0007\\u202e\\n\\udcff.yaml"


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "{spec}"],
        ["validate", "{spec}", "--format", "json"],
        ["validate", "{spec}", "--format", "github"],
        ["diff", "{spec}", "{spec}", "-t", "eks"],
        ["diff", "{spec}", "{spec}", "-t", "mwaa"],
    ],
    ids=["validate", "validate-json", "validate-github", "diff-eks", "diff-mwaa"],
)
def test_hostile_spec_file_names_are_escaped(args: list[str], tmp_path: Path) -> None:
    """The real command, as a process: its bytes, whatever the file name (from an untrusted repository)."""
    spec = tmp_path / HOSTILE_FILE
    spec.write_bytes(SEED.read_bytes())
    command = [os.fsencode(sys.executable), b"-m", b"airflowspec", *(os.fsencode(a.format(spec=spec)) for a in args)]
    result = subprocess.run(command, capture_output=True, timeout=600, check=False, env={**os.environ, **ENV})
    out, err = _decoded(result.stdout), _decoded(result.stderr)
    assert result.returncode == 0, err
    assert (_unsafe(out), _unsafe(err)) == ([], [])
    printed = [line for line in (out + err).splitlines() if "AS" in line]
    assert printed
    escaped = f"{tmp_path}/{ESCAPED_FILE}"
    if "json" in args:
        assert all(json.loads(line)["file"] == str(spec) for line in printed)
    elif "github" in args:
        assert all(f"file={escaped.replace(':', '%3A')}," in line for line in printed)
    else:
        assert all(line.startswith(f"{escaped}:") for line in printed)
