from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_configure(config: pytest.Config) -> None:
    """Each run its own empty cache: a developer's cached constraints must not change what tests see."""
    import os
    import tempfile

    os.environ["AIRFLOWSPEC_CACHE_DIR"] = tempfile.mkdtemp(prefix="airflowspec-cache-")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite golden files from the current output.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def example_specs() -> list[Path]:
    return sorted(EXAMPLES.glob("*/airflowspec.yaml"))


def example_variants() -> list[tuple[Path, str | None]]:
    """Each example as it deploys: (spec, None), or (spec, ENV) for each of its `environments:`."""
    from airflowspec import api

    found: list[tuple[Path, str | None]] = []
    for spec in example_specs():
        names = api.validate(spec, []).environments
        found += [(spec, env) for env in names] if names else [(spec, None)]
    return found


def variants_for(target: str) -> list[tuple[Path, str | None]]:
    """The example variants that declare `target`."""
    from airflowspec import api

    found = []
    for spec, env in example_variants():
        validated = api.validate(spec, [], env).spec
        if validated is not None and target in api.declared_targets(validated):
            found.append((spec, env))
    return found


def variant_id(variant: tuple[Path, str | None]) -> str:
    spec, env = variant
    return f"{spec.parent.name}@{env}" if env else spec.parent.name


def check_golden(path: Path, text: str, update: bool) -> None:
    """Compare `text` with the golden file at `path`; rewrite it only with --update-golden."""
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing; run pytest --update-golden and review the diff"
    assert text == path.read_text(encoding="utf-8"), f"{path} is stale; run pytest --update-golden and review the diff"
