"""Golden outputs for every example and every target it declares."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GOLDEN, ROOT, check_golden, example_specs, example_variants, variant_id

from airflowspec import api
from airflowspec.diagnostics import Severity
from airflowspec.targets import TARGETS


@pytest.mark.parametrize("spec", example_specs(), ids=lambda p: p.parent.name)
def test_example_is_valid(spec: Path, update_golden: bool) -> None:
    result = api.validate(spec.relative_to(ROOT))
    assert result.ok
    text = "".join(f"{d}\n" for d in result.diagnostics)
    check_golden(GOLDEN / spec.parent.name / "validate.txt", text, update_golden)
    assert all(d.severity is Severity.WARNING for d in result.diagnostics)


@pytest.mark.parametrize("variant", example_variants(), ids=variant_id)
def test_example_renders_as_golden(variant: tuple[Path, str | None], update_golden: bool) -> None:
    """Each environment of an example with `environments:` in golden/NAME/ENV/TARGET/."""
    spec, env = variant
    validation = api.validate(spec, env=env)
    assert validation.spec is not None
    targets = api.declared_targets(validation.spec)
    assert targets, f"{spec} declares no target"
    folder = GOLDEN / spec.parent.name / (env or "")
    for target in targets:
        _, artifacts = api.render(spec, target, env)
        paths = tuple(artifact.path for artifact in artifacts)
        assert paths == tuple(path for path in TARGETS[target].files if path in paths)
        for artifact in artifacts:
            check_golden(folder / target / artifact.path, artifact.text, update_golden)


def test_every_golden_folder_has_an_example() -> None:
    examples = {spec.parent.name for spec in example_specs()}
    assert {path.name for path in GOLDEN.iterdir() if path.is_dir()} - {"diff", "formats"} == examples
