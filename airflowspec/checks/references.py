"""Everything the spec refers to by name is declared: secrets and volumes."""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Iterator, Mapping

from airflowspec.diagnostics import Diagnostic, error, warning
from airflowspec.spec import Spec
from airflowspec.spec.walk import secret_references


def check_secrets(spec: Spec) -> Iterator[Diagnostic]:
    used = set()
    for path, ref in secret_references(spec):
        used.add(ref.secret)
        if ref.secret not in spec.secrets:
            hint = _did_you_mean(ref.secret, spec.secrets) or "declare it under `secrets:`"
            yield error("AS201", f"secret '{ref.secret}' is not declared under `secrets:`", (*path, "secret"), hint)
    for name in spec.secrets:
        if name not in used:
            yield warning(
                "AS202", f"secret '{name}' is declared but nothing refers to it", ("secrets", name), on_key=True
            )


def check_volumes(spec: Spec) -> Iterator[Diagnostic]:
    source = spec.dags.from_
    if source is not None and source.volume is not None:
        path = ("dags", "from", "volume")
        volume = spec.volumes.get(source.volume)
        if volume is None:
            hint = _did_you_mean(source.volume, spec.volumes) or "declare it under `volumes:`"
            yield error("AS203", f"volume '{source.volume}' is not declared under `volumes:`", path, hint)
        elif not _is_under(spec.dags.path, volume.mount_path):
            yield error(
                "AS204",
                f"dags.path {spec.dags.path} is not inside volume '{source.volume}' (mounted at {volume.mount_path})",
                ("dags", "path"),
                hint=f"put the DAG folder under {volume.mount_path}",
            )
    yield from _shared_mount_paths(spec)


def _shared_mount_paths(spec: Spec) -> Iterator[Diagnostic]:
    seen: dict[str, str] = {}
    for name, volume in spec.volumes.items():
        mount = posixpath.normpath(volume.mount_path)
        if mount in seen:
            yield error(
                "AS205", f"volumes '{seen[mount]}' and '{name}' both mount at {mount}", ("volumes", name, "mountPath")
            )
        seen.setdefault(mount, name)


def _is_under(path: str, root: str) -> bool:
    path, root = posixpath.normpath(path), posixpath.normpath(root)
    return path == root or path.startswith(root.rstrip("/") + "/")


def _did_you_mean(name: str, known: Mapping[str, object]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
