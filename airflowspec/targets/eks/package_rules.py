"""How each chart carries `packages:` into a pod, and the package strings it cannot carry safely."""

from __future__ import annotations

from collections.abc import Iterator

from airflowspec.diagnostics import Diagnostic
from airflowspec.spec import EksTarget, Spec


def check_community_packages(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    yield from ()


def check_official_packages(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    yield from ()
