"""Targets: each checks a spec against its platform and compiles it into that platform's files.

A target is a plain object in the explicit `TARGETS` registry. Compilation is pure: no files,
environment, network or printing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Protocol

from airflowspec.diagnostics import Diagnostic
from airflowspec.spec import Spec


@dataclasses.dataclass(frozen=True)
class Artifact:
    """One rendered file: its path relative to the output directory, and its text."""

    path: str
    text: str


class Target(Protocol):
    name: str
    files: tuple[str, ...]  # the paths of the artifacts `compile` may return, in the order it returns them
    optional: tuple[str, ...]  # those it returns for some specs only (a render without one removes it)

    def check(self, spec: Spec) -> Iterable[Diagnostic]: ...

    def compile(self, spec: Spec, source: str) -> list[Artifact]: ...


def _registry() -> dict[str, Target]:
    from airflowspec.targets.eks import EKS
    from airflowspec.targets.mwaa import MWAA

    return {"eks": EKS, "mwaa": MWAA}


TARGETS: dict[str, Target] = _registry()
