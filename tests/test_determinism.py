"""Same spec, same bytes: across hash seeds, locales and working directories."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import example_variants, variant_id

from airflowspec import api

RUNS = [
    {"PYTHONHASHSEED": "1", "LC_ALL": "C", "LANG": "C"},
    {"PYTHONHASHSEED": "4242", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
]


@pytest.mark.parametrize("variant", example_variants(), ids=variant_id)
def test_renders_are_byte_identical_across_processes(variant: tuple[Path, str | None], tmp_path: Path) -> None:
    spec, chosen = variant
    validation = api.validate(spec, env=chosen)
    assert validation.spec is not None
    for target in api.declared_targets(validation.spec):
        outputs = []
        for index, env in enumerate(RUNS):
            cwd = tmp_path / f"run{index}" / "deeper" if index else spec.parent
            cwd.mkdir(parents=True, exist_ok=True)
            argument = str(spec) if index else spec.name  # an absolute path once, a relative one once
            command = [sys.executable, "-m", "airflowspec", "render", argument, "-t", target]
            command += ["--env", chosen] if chosen else []
            result = subprocess.run(command, cwd=cwd, env=os.environ | env, capture_output=True, check=False)
            assert result.returncode == 0, result.stderr
            outputs.append(result.stdout)
        assert outputs[0] == outputs[1], (spec, target)
