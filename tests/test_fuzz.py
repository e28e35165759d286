"""Fuzzing: mutations of every example (deleted keys, swapped types, random text and unicode, duplicated
entries, huge numbers, deep nesting, damaged bytes) through validate, render for each target and diff:
never a traceback, always exit 0, 1 or 2.

CI runs a fixed, derandomized sample. `pytest -m fuzz_long` with AIRFLOWSPEC_FUZZ_EXAMPLES=N runs longer.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import example_specs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from typer.testing import CliRunner

from airflowspec.cli import app
from airflowspec.emit import to_yaml

DOCUMENTS = {spec.parent.name: YAML(typ="safe").load(spec.read_text(encoding="utf-8")) for spec in example_specs()}
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        ["", "$", "${X}", "{{ x }}", "%", "CeleryExecutor", "3.1.8", "/abs", "../up", "git@github.com:o/r"]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
SHORT = int(os.environ.get("AIRFLOWSPEC_FUZZ_EXAMPLES", "25"))


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(DOCUMENTS)))
    document = copy.deepcopy(DOCUMENTS[name])
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        _mutate(document, draw)
    text = to_yaml(document)
    if draw(st.integers(min_value=0, max_value=9)) == 0:  # damage the bytes now and then
        data = bytearray(text.encode("utf-8"))
        for _ in range(draw(st.integers(min_value=1, max_value=4))):
            data[draw(st.integers(min_value=0, max_value=len(data) - 1))] = draw(
                st.integers(min_value=0, max_value=255)
            )
        return name, bytes(data)
    if draw(st.integers(min_value=0, max_value=19)) == 0:  # absurd nesting
        text += "deep: " + "[" * draw(st.integers(min_value=60, max_value=5000)) + "\n"
    if draw(st.integers(min_value=0, max_value=19)) == 0:  # a duplicated key
        text += text.splitlines()[1] + "\n"
    return name, text.encode("utf-8")


def _mutate(node: Any, draw: st.DrawFn) -> None:
    """One random change at a random place: delete, replace with any value, rename, or duplicate."""
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node))) if isinstance(node, list) else []
        if not keys:
            return
        key = draw(st.sampled_from(keys))
        child = node[key]
        if isinstance(child, (dict, list)) and child and draw(st.booleans()):
            node = child
            continue
        action = draw(st.sampled_from(["delete", "replace", "rename", "duplicate"]))
        if action == "delete":
            del node[key]
        elif action == "replace":
            node[key] = draw(VALUES)
        elif action == "rename" and isinstance(node, dict):
            node[draw(st.text(min_size=1, max_size=12))] = node.pop(key)
        elif isinstance(node, list):
            node.append(copy.deepcopy(child))
        else:
            node[f"{key}_copy"] = copy.deepcopy(child)
        return


def _exercise(data: bytes, tmp_path: Path) -> None:
    spec = tmp_path / "airflowspec.yaml"
    spec.write_bytes(data)
    runner = CliRunner()
    commands = [["validate", str(spec)]]
    for target in ("eks", "mwaa"):
        commands += [
            ["render", str(spec), "-t", target],
            ["diff", str(spec), str(spec), "-t", target, "--format", "json"],
        ]
    for command in commands:
        result = runner.invoke(app, command, env={"AIRFLOWSPEC_TRACEBACK": "1"})
        crash = result.exception if not isinstance(result.exception, SystemExit) else None
        assert crash is None, (command, repr(crash), data[:2000])
        assert result.exit_code in (0, 1, 2), (command, result.exit_code, result.output)
        assert "Traceback" not in result.output


@settings(
    max_examples=SHORT,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=mutated())
def test_mutated_examples_never_crash(case: tuple[str, bytes], tmp_path: Path) -> None:
    _exercise(case[1], tmp_path)


@pytest.mark.fuzz_long
@settings(
    max_examples=SHORT * 40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=mutated())
def test_mutated_examples_never_crash_long(case: tuple[str, bytes], tmp_path: Path) -> None:
    _exercise(case[1], tmp_path)
