from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite golden files from the current output.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def example_specs() -> list[Path]:
    return sorted(EXAMPLES.glob("*/airflowspec.yaml"))


def check_golden(path: Path, text: str, update: bool) -> None:
    """Compare `text` with the golden file at `path`; rewrite it only with --update-golden."""
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing; run pytest --update-golden and review the diff"
    assert text == path.read_text(encoding="utf-8"), f"{path} is stale; run pytest --update-golden and review the diff"
