"""Same spec, same bytes: across hash seeds, locales and working directories."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import example_specs

from airflowspec import api

RUNS = [
    {"PYTHONHASHSEED": "1", "LC_ALL": "C", "LANG": "C"},
    {"PYTHONHASHSEED": "4242", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
]


@pytest.mark.parametrize("spec", example_specs(), ids=lambda p: p.parent.name)
def test_renders_are_byte_identical_across_processes(spec: Path, tmp_path: Path) -> None:
    validation = api.validate(spec)
    assert validation.spec is not None
    for target in api.declared_targets(validation.spec):
        outputs = []
        for index, env in enumerate(RUNS):
            cwd = tmp_path / f"run{index}" / "deeper" if index else spec.parent
            cwd.mkdir(parents=True, exist_ok=True)
            argument = str(spec) if index else spec.name  # an absolute path once, a relative one once
            command = [sys.executable, "-m", "airflowspec", "render", argument, "-t", target]
            result = subprocess.run(command, cwd=cwd, env=os.environ | env, capture_output=True, check=False)
            assert result.returncode == 0, result.stderr
            outputs.append(result.stdout)
        assert outputs[0] == outputs[1], (spec, target)
