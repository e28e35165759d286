"""What `packages resolve` found, remembered by the content it resolved, for `diff` to tell.

A resolution is keyed by the SHA-256 of everything that decides it: the target, its Python and platform,
the packages in order, the constraints file's content, the spec's index URLs (never a credential) and
the index options of the command line. `diff` computes the key of the new spec's packages as
`packages resolve` would resolve them by default (the spec's indexes, the cached constraints) and says
whether that set resolved, failed, or was never resolved. Records live in the user cache
(`constraints.cache_dir()`, under `resolutions/`); one that cannot be read counts as none.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from airflowspec import constraints
from airflowspec.checks.pins import target_python
from airflowspec.package_indexes import spec_indexes
from airflowspec.spec import SecretRef, Spec

_LIMIT = 1024 * 1024  # a record lists a few hundred `name: version` pairs


@dataclasses.dataclass(frozen=True)
class Inputs:
    target: str
    python: str
    platform: str
    packages: tuple[str, ...]
    constraints: Path | None
    indexes: tuple[str, ...]
    options: tuple[str, ...]

    def key(self) -> str:
        pins = hashlib.sha256(self.constraints.read_bytes()).hexdigest() if self.constraints else None
        fields = {**dataclasses.asdict(self), "constraints": pins}
        return hashlib.sha256(json.dumps(fields, sort_keys=True).encode("utf-8")).hexdigest()


def default_inputs(spec: Spec, target: str, platform: str) -> Inputs | None:
    """What `packages resolve SPEC --target TARGET` resolves with no other option; None if it cannot run."""
    python, pins = target_python(spec, target, None)
    if python is None:
        return None
    return inputs(spec, target, python, platform, pins, ())


def inputs(spec: Spec, target: str, python: str, platform: str, pins: Path | None, options: Sequence[str]) -> Inputs:
    """What decides a resolution of `spec`'s packages for `target` with these constraints and options."""
    return Inputs(target, python, platform, spec.packages, pins, _index_urls(spec), tuple(options))


def _index_urls(spec: Spec) -> tuple[str, ...]:
    """Each index as it decides a resolution: its kind, URL and user (a name, or the secret that holds it)."""
    return tuple(
        f"{'extra' if index.extra else 'index'} {index.url} {_user(index.username)}" for index in spec_indexes(spec)
    )


def _user(username: str | SecretRef | None) -> str:
    if isinstance(username, SecretRef):
        return f"secret:{username.secret}"
    return username or ""


def remember(inputs: Inputs, installed: dict[str, str] | None) -> None:
    """Record a resolution: the versions, or None when pip found the packages cannot go together. A cache
    that cannot be written is no error: `diff` then says the set was never resolved."""
    path = _record(inputs)
    partial = path.with_suffix(".partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps({"resolved": installed is not None, "installed": installed or {}}), "utf-8")
        partial.replace(path)
    except OSError:
        return


def remembered(inputs: Inputs) -> bool | None:
    """Whether these inputs resolved (True), failed (False), or were never resolved (None)."""
    try:
        with _record(inputs).open("rb") as file:
            data = json.loads(file.read(_LIMIT))
    except (OSError, ValueError):
        return None
    resolved = data.get("resolved") if isinstance(data, dict) else None
    return resolved if isinstance(resolved, bool) else None


def _record(inputs: Inputs) -> Path:
    return constraints.cache_dir() / "resolutions" / f"{inputs.key()}.json"


def summary(spec: Spec, target: str, platform: str, command: Sequence[str]) -> str:
    """For `diff`: whether the new spec's packages were resolved, as a note's tail."""
    if not spec.packages:
        return ""
    inputs = default_inputs(spec, target, platform)
    state = remembered(inputs) if inputs is not None else None
    if state is True:
        return "; `packages resolve` resolved this set"
    if state is False:
        return "; `packages resolve` could not resolve this set: it will not install"
    return f"; this set was never resolved: run `{' '.join(command)}` first"
