"""Data-driven corpus of invalid specs: each folder under tests/cases/invalid/ is one case.

A case folder holds:

* `spec.yaml` — the input (absent when the case is about a path that is not a readable file);
* `args.txt` — optional: the arguments to `validate`, whitespace-separated; default `spec.yaml`;
* `expected.txt` — first line `exit: N`, then exactly the lines `validate` prints on stdout.

`validate` runs in-process with the case folder as the working directory, so printed paths are
exactly `spec.yaml:LINE:COL: ...`. Expected files are written by hand, never generated: to add a
case, decide the diagnostic first, then check the tool against it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import without_notices
from typer.testing import CliRunner, Result

from airflowspec.cli import app

CASES_DIR = Path(__file__).resolve().parent / "cases" / "invalid"
CASES = sorted(path for path in CASES_DIR.iterdir() if path.is_dir())


def _arguments(case: Path) -> list[str]:
    args_file = case / "args.txt"
    if args_file.exists():
        return args_file.read_text(encoding="utf-8").split()
    return ["spec.yaml"]


def _expected(case: Path) -> tuple[int, list[str]]:
    first, *lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    label, _, value = first.partition(":")
    assert label == "exit", f"{case.name}/expected.txt must start with `exit: N`, not {first!r}"
    return int(value), lines


def _run(case: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(case)
    return CliRunner().invoke(app, ["validate", *_arguments(case)])


def _crash(result: Result) -> BaseException | None:
    """The exception the command raised, if it was anything but its normal exit."""
    exception = result.exception
    return None if exception is None or isinstance(exception, SystemExit) else exception


def test_corpus_is_well_formed() -> None:
    assert CASES, f"no cases under {CASES_DIR}"
    for case in CASES:
        assert (case / "expected.txt").is_file(), f"{case.name} has no expected.txt"
        assert (case / "spec.yaml").exists() or (case / "args.txt").is_file(), (
            f"{case.name} has no spec.yaml or args.txt"
        )


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_invalid_case(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exit_code, lines = _expected(case)
    result = _run(case, monkeypatch)
    assert _crash(result) is None, f"validate crashed: {_crash(result)!r}"
    assert result.stdout.splitlines() == lines
    assert without_notices(result.stderr) == ""
    assert result.exit_code == exit_code


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_invalid_case_has_no_traceback(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run(case, monkeypatch)
    assert _crash(result) is None, f"validate crashed: {_crash(result)!r}"
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr
    assert result.exit_code in (0, 1, 2)
