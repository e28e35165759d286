"""Rules both charts apply, each with its own facts: options a chart sets itself, and what its pods
already mount."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from airflowspec.diagnostics import Diagnostic, error
from airflowspec.spec import Spec
from airflowspec.targets.eks.kubernetes import clean_path, mounted_volumes


def check_owned_options(spec: Spec, hint_for: Callable[[str, str], str | None]) -> Iterator[Diagnostic]:
    """An airflow.cfg option the chart sets itself; `hint_for` says what to set instead, or None."""
    for section, options in spec.airflow.config.items():
        for option in options:
            hint = hint_for(section, option)
            if hint:
                path = ("airflow", "config", section, option)
                yield error("AS306", f"the chart sets {section}.{option} itself", path, hint, on_key=True)


def check_mounts(spec: Spec, reserved_names: frozenset[str], taken: Mapping[str, str]) -> Iterator[Diagnostic]:
    """A volume with a name the chart gives its own volumes, or at a path where the chart mounts `taken[path]`."""
    for name, volume in mounted_volumes(spec).items():
        if name in reserved_names:
            yield error(
                "AS322", f"the chart names a volume of its own '{name}'", ("volumes", name), "rename it", on_key=True
            )
        owner = taken.get(clean_path(volume.mount_path))
        if owner:
            yield error(
                "AS323",
                f"volume '{name}' mounts at {volume.mount_path}, where the chart mounts {owner}",
                ("volumes", name, "mountPath"),
                "mount it somewhere else",
            )
