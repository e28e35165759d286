"""Secret canaries: fill every secret source with random values and look for them everywhere airflowspec
writes: artifacts, diffs (text and JSON, with and without --show-secrets, also against a live SSM dump
holding other random values), diagnostics, log records and exception messages."""

from __future__ import annotations

import json
import logging
import string
from pathlib import Path
from typing import Any

import pytest
from conftest import example_variants, variant_id
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from airflowspec import api
from airflowspec.cli import app
from airflowspec.printable import printable

ALPHABET = string.ascii_letters + string.digits + "!#%&()*+,-./:;<=>?@[]^_{|}~ \"'\\\n\t$`\u2028\u202e"
# A fixed prefix keeps a drawn value from being something airflowspec prints anyway (a template name).
CANARY = st.text(alphabet=ALPHABET, min_size=8, max_size=32).map(lambda text: f"canary~{text}")
#: What a live system may hold, NUL included (an environment variable cannot).
LIVE = st.text(alphabet=ALPHABET + "\0", min_size=8, max_size=32).map(lambda text: f"canary~{text}")
SPECS = example_variants()


def _secret_envs(spec: Path, env: str | None) -> list[str]:
    validation = api.validate(spec, env=env)
    assert validation.spec is not None
    return sorted({secret.env for secret in validation.spec.secrets.values() if secret.env})


@pytest.mark.parametrize("variant", SPECS, ids=variant_id)
@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_secret_value_escapes(
    variant: tuple[Path, str | None], data: st.DataObject, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    spec, chosen = variant
    one = ["--env", chosen] if chosen else []  # the environment, for every command
    envs = _secret_envs(spec, chosen)
    canaries = {name: data.draw(CANARY, label=name) for name in envs}
    live = [data.draw(LIVE, label="live") for _ in range(3)]
    validation = api.validate(spec, env=chosen)
    assert validation.spec is not None
    targets = api.declared_targets(validation.spec)
    outputs: list[str] = []
    caplog.set_level(logging.DEBUG)
    runner = CliRunner()
    for target in targets:
        outputs += _run(runner, ["validate", str(spec), *one, "--format", "json"], canaries)
        outputs += _run(runner, ["render", str(spec), *one, "-t", target], canaries)
        for output_format in ("text", "json", "github"):
            for extra in ([], ["--show-secrets"]):
                command = ["diff", str(spec), str(spec), *one, "-t", target, "--format", output_format, *extra]
                outputs += _run(runner, command, canaries)
        if target == "mwaa":
            dump = tmp_path / "ssm.json"
            dump.write_text(json.dumps({"Parameters": _live_parameters(validation.spec, live)}))
            for output_format in ("text", "json"):
                command = [
                    "diff",
                    str(spec),
                    "--against",
                    str(dump),
                    "-t",
                    "mwaa",
                    "--format",
                    output_format,
                    "--show-secrets",
                    *one,
                ]
                outputs += _run(runner, command, canaries)
    outputs += [record.getMessage() for record in caplog.records]
    text = "\n".join(outputs)
    for value in [*canaries.values(), *live]:  # as written, and as escaped for printing or JSON
        for shown in {value, printable(value), json.dumps(value)[1:-1]}:
            assert shown not in text


def _run(runner: CliRunner, args: list[str], env: dict[str, str]) -> list[str]:
    result = runner.invoke(app, args, env=env)
    assert result.exit_code in (0, 1), (args, result.output)
    return [result.stdout, result.stderr, repr(result.exception)]


def _live_parameters(spec: Any, live: list[str]) -> list[dict[str, str]]:
    """What SSM might hold now: every connection with a live password, every variable a live value."""
    mwaa = spec.targets.mwaa
    parameters = [
        {"Name": f"{mwaa.ssm.connections_prefix}/{conn_id}", "Type": "SecureString",
         "Value": json.dumps({"conn_type": getattr(conn, "type", "generic"), "password": live[0],
                              "extra": {"token": live[1]}})}
        for conn_id, conn in spec.connections.items()
    ]  # fmt: skip
    parameters += [
        {"Name": f"{mwaa.ssm.variables_prefix}/{key}", "Type": "SecureString", "Value": live[2]}
        for key in spec.variables
    ]
    return parameters
