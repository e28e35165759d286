"""Fuzzing: mutations of every example (deleted keys, swapped types, random text and unicode, duplicated
entries, huge numbers, deep nesting, damaged bytes) through validate, render for each target and diff:
never a traceback, always exit 0, 1 or 2.

CI runs a fixed, derandomized sample. `pytest -m fuzz_long` with AIRFLOWSPEC_FUZZ_EXAMPLES=N runs longer.
"""

from __future__ import annotations

import copy
import json
import os
import socket
from pathlib import Path
from typing import Any

import pytest
from conftest import example_specs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from typer.testing import CliRunner, Result

from airflowspec import api
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


# Hostile names and folders: a spec's file name, and what stands where rendered files go or are read.
NAME_CHARS = st.sampled_from(
    list("ab-_.'\"$()`;|&<>*?[]{}\\ #\n\r\t\x0b\x0c\x1b\x00\x7f\x85\x9b\u2028\u2029\u202e\u200b")
)
HOSTILE_NAMES = (
    st.lists(NAME_CHARS, min_size=1, max_size=20).map("".join).filter(lambda n: "/" not in n and "\0" not in n)
)
ENTRIES = st.sampled_from(
    ["absent", "file", "garbage", "link-out", "link-dangling", "link-dir", "fifo", "socket", "dir"]
)
CANARY = "fuzz-canary-7c1e"
SEED = next(spec for spec in example_specs() if spec.parent.name == "seed")


def _place(folder: Path, name: str, entry: str, outside: Path, valid: bytes) -> socket.socket | None:
    """Put `entry` where the rendered file `name` goes; a socket is returned to be closed later."""
    path = folder / name
    if entry == "file":
        path.write_bytes(valid)
    elif entry == "garbage":
        path.write_bytes(b"a: &a [*a]\n" + b"[" * 5000)
    elif entry == "link-out":
        path.symlink_to(outside)
    elif entry == "link-dangling":
        path.symlink_to(folder / "nowhere")
    elif entry == "link-dir":
        path.symlink_to(outside.parent)
    elif entry == "fifo":
        os.mkfifo(path)
    elif entry == "dir":
        path.mkdir()
    elif entry == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        return server
    return None


def _snapshot(root: Path) -> dict[str, str]:
    return {
        str(p): (str(p.readlink()) if p.is_symlink() else p.read_text() if p.is_file() else "-")
        for p in root.rglob("*")
    }


def _assert_quiet(result: Result, *hidden: str) -> None:
    crash = result.exception if not isinstance(result.exception, SystemExit) else None
    assert crash is None, repr(crash)
    assert result.exit_code in (0, 1, 2), result.output
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert not any(char in output for char in "\x00\x1b\x7f\x9b\u2028\u202e\r"), output
    for text in hidden:
        assert text not in output


@settings(
    max_examples=SHORT, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=HOSTILE_NAMES, target=st.sampled_from(["eks", "mwaa"]))
def test_hostile_spec_file_names(name: str, target: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("names")
    spec = folder / f"{name}.yaml"
    spec.write_bytes(SEED.read_bytes())
    runner = CliRunner()
    for command in (["validate", str(spec)], ["render", str(spec), "-t", target, "-o", str(folder / "out")]):
        _assert_quiet(runner.invoke(app, command, env={"AIRFLOWSPEC_TRACEBACK": "1"}))
    _, plain = api.render(SEED, target)
    for artifact in plain:  # the name is in comments (and a JSON string) only: the content is the same
        assert _content((folder / "out" / artifact.path).read_text()) == _content(artifact.text)


def _content(text: str) -> Any:
    """A rendered file less its comments, and less the note that names the spec in ssm-parameters.json."""
    if text.startswith("{"):
        return {key: value for key, value in json.loads(text).items() if key != "generatedBy"}
    return [line for line in text.splitlines() if not line.startswith("#")]


@settings(
    max_examples=SHORT, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entries=st.lists(ENTRIES, min_size=3, max_size=3), target=st.sampled_from(["eks", "mwaa"]))
def test_hostile_entries_in_rendered_folders(
    entries: list[str], target: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("folders")
    outside = root / "secret.txt"
    outside.write_text(f"token: {CANARY}\n")
    spec = root / "airflowspec.yaml"
    spec.write_bytes(SEED.read_bytes())
    _, artifacts = api.render(spec, target)
    folder = root / "rendered" / target
    folder.mkdir(parents=True)
    sockets = [
        _place(folder, a.path, entry, outside, a.text.encode()) for a, entry in zip(artifacts, entries, strict=False)
    ]
    try:
        before = _snapshot(root)
        runner = CliRunner()
        for command in (["render", str(spec), "--check"], ["diff", str(spec), "--against", str(folder), "-t", target]):
            _assert_quiet(runner.invoke(app, command), CANARY)
            assert _snapshot(root) == before  # reading changes nothing
        written = runner.invoke(app, ["render", str(spec), "-t", target, "-o", str(folder)])
        _assert_quiet(written, CANARY)
        assert outside.read_text() == f"token: {CANARY}\n"  # never written through a link
        refused = {"link-out", "link-dangling", "link-dir", "fifo", "socket", "dir"} & set(entries[: len(artifacts)])
        assert (written.exit_code == 2) == bool(refused), (entries, written.output)
    finally:
        for server in sockets:
            if server is not None:
                server.close()
