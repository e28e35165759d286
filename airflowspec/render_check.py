"""`render --check`: are the rendered files committed beside a spec what the spec renders to now?

By convention they live in `rendered/<target>/` beside the spec (`render -o` writes them there).
Nothing is written; what differs is shown as `diff` shows it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from airflowspec import api
from airflowspec.diff.changes import Change, changes
from airflowspec.diff.compare import Difference
from airflowspec.diff.live import ReadProblem
from airflowspec.diff.run import artifact_context, differences


@dataclasses.dataclass(frozen=True)
class Checked:
    validation: api.Validation
    directory: Path
    stale: tuple[Change, ...] = ()
    missing: tuple[str, ...] = ()  # rendered files that are not in the directory
    problem: str = ""

    @property
    def current(self) -> bool:
        return self.validation.ok and not self.stale and not self.missing and not self.problem


def rendered_directory(spec: Path, target: str) -> Path:
    return spec.parent / "rendered" / target


def check(spec: Path, target: str, directory: Path) -> Checked:
    validation, artifacts = api.render(spec, target)
    if not artifacts or validation.spec is None:
        return Checked(validation, directory)
    missing, found = [], []
    for artifact in artifacts:
        file = directory / artifact.path
        if not file.is_file():
            missing.append(artifact.path)
            continue
        try:
            stale = _differences(file.read_text(encoding="utf-8"), artifact.text, artifact.path)
            found += changes(artifact_context(target, validation.spec, artifact.path), stale)
        except (OSError, UnicodeDecodeError, ValueError, ReadProblem) as exc:
            return Checked(validation, directory, problem=f"{file}: error AS600 cannot read it: {exc}")
    return Checked(validation, directory, tuple(found), tuple(missing))


def _differences(committed: str, rendered: str, artifact: str) -> list[Difference]:
    """What `diff` would show; a file that differs only where `diff` does not look is stale all the same."""
    if committed == rendered:
        return []
    unseen = "(comments)" if artifact.endswith(".txt") else "(comments or layout)"
    return list(differences(committed, rendered, artifact)) or [Difference((), "change", unseen, "(as rendered now)")]
