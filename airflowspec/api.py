"""The public pipeline: load -> validate -> compile. No printing, no exit codes."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from airflowspec.checks import run_checks
from airflowspec.checks.numbers import check_written_numbers
from airflowspec.diagnostics import Diagnostic, Severity, has_errors, sort_key
from airflowspec.document import YamlMap
from airflowspec.loader import load_file
from airflowspec.schema_errors import parse_spec
from airflowspec.sourcemap import locate
from airflowspec.spec import Spec
from airflowspec.targets import TARGETS, Artifact


@dataclasses.dataclass(frozen=True)
class Validation:
    """What `validate` found in one file."""

    file: str
    spec: Spec | None
    diagnostics: tuple[Diagnostic, ...]
    io_error: bool = False
    document: YamlMap | None = dataclasses.field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.spec is not None and not has_errors(self.diagnostics)

    def locate(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """Place diagnostics found after validation (e.g. while pushing) in this file, less the warnings
        the spec acknowledges."""
        return sorted(locate(_unacknowledged(list(diagnostics), self.spec), self.document, self.file), key=sort_key)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """The cycle collector off while a spec is built: its passes grow with the heap and made a 10x spec
    cost 11x; the objects built here hold no cycles worth collecting."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def validate(path: Path, targets: Sequence[str] | None = None) -> Validation:
    """Load and check a spec. `targets`: which target rules to apply; default, those the spec declares."""
    with gc_paused():
        return _validate(path, targets)


def _validate(path: Path, targets: Sequence[str] | None) -> Validation:
    file = str(path)
    loaded = load_file(path, file)
    if loaded.document is None:
        return Validation(file, None, loaded.diagnostics, loaded.io_error)
    spec, problems = parse_spec(loaded.document, loaded.numbers)
    if spec is not None:
        problems += run_checks(spec)
        problems += check_written_numbers(spec, loaded.document, loaded.numbers)
        for name in targets if targets is not None else declared_targets(spec):
            problems += TARGETS[name].check(spec)
    located = sorted(locate(_unacknowledged(problems, spec), loaded.document, file), key=sort_key)
    return Validation(file, spec, tuple(located), document=loaded.document)


def _unacknowledged(problems: list[Diagnostic], spec: Spec | None) -> list[Diagnostic]:
    """The spec's `acknowledge:` leaves out the warnings it names; never an error."""
    acknowledged = frozenset(code.upper() for code in spec.acknowledge) if spec is not None else frozenset()
    return [d for d in problems if d.severity is Severity.ERROR or d.code not in acknowledged]


def declared_targets(spec: Spec) -> list[str]:
    return [name for name in TARGETS if getattr(spec.targets, name) is not None]


def render(path: Path, target: str) -> tuple[Validation, list[Artifact]]:
    """Validate for `target`, then compile when there are no errors."""
    with gc_paused():
        validation = _validate(path, [target])
        if not validation.ok or validation.spec is None:
            return validation, []
        return validation, TARGETS[target].compile(validation.spec, path.name)
