"""`render --check`: are the rendered files committed beside a spec what the spec renders to now?

Where they live is `rendered_folders`' convention. Nothing is written; what differs is shown as
`diff` shows it. The committed files come from the repository, so they are read as any untrusted
input: regular files only, no link followed at `rendered` or below, within the loader's limits.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from airflowspec import api
from airflowspec.diff.changes import Change, changes
from airflowspec.diff.compare import MISSING, Difference
from airflowspec.diff.live import TEXT_FILES, ReadProblem, parse_artifact, read_artifact
from airflowspec.diff.run import artifact_context, differences
from airflowspec.emit import says_generated
from airflowspec.inputs import Folder, InputProblem, read_folder
from airflowspec.targets import TARGETS


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


def check(spec: Path, target: str, folder: Folder, env: str | None = None) -> Checked:
    validation, artifacts = api.render(spec, target, env)
    directory = folder.path
    if not artifacts or validation.spec is None:
        return Checked(validation, directory)
    rendered = [artifact.path for artifact in artifacts]
    retired = [name for name in TARGETS[target].optional if name not in rendered]
    try:
        committed = read_folder(folder, [*rendered, *retired])
    except InputProblem as problem:
        where = directory / problem.name if problem.name else directory
        return Checked(validation, directory, problem=f"{where}: error {problem.code} {problem}")
    except FileNotFoundError:
        committed = {}
    missing = tuple(artifact.path for artifact in artifacts if artifact.path not in committed)
    found: list[Change] = []
    for artifact in artifacts:
        if artifact.path in committed:
            file = str(directory / artifact.path)
            try:
                stale = _differences(committed[artifact.path], artifact.text, artifact.path, file)
            except ReadProblem as problem:
                return Checked(validation, directory, problem=str(problem.diagnostic))
            found += changes(artifact_context(target, validation.spec, artifact.path), stale)
    for name in retired:  # one airflowspec wrote for a former spec: `render -o` would remove it
        if name in committed and says_generated(committed[name]):
            gone = [Difference((), "remove", "(the whole file: the spec no longer renders it)", MISSING)]
            found += changes(artifact_context(target, validation.spec, name), gone)
    return Checked(validation, directory, tuple(found), missing)


def _differences(committed: bytes, rendered: str, artifact: str, file: str) -> list[Difference]:
    """What `diff` would show; a file that differs only where `diff` does not look is stale all the same."""
    if committed == rendered.encode("utf-8"):
        return []
    old, new = read_artifact(committed, artifact, file), parse_artifact(rendered, artifact)
    unseen = "(comments)" if artifact.endswith(TEXT_FILES) else "(comments or layout)"
    return list(differences(old, new)) or [Difference((), "change", unseen, "(as rendered now)")]
