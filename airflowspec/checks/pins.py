"""`packages` against Airflow's constraints, per target: an error on MWAA, whose pip installs under them and
fails; a warning on EKS, whose charts install without them, so Airflow's own dependency would move.
Offline (see `airflowspec.constraints`): without constraints at hand the check is skipped, with a notice."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from airflowspec import constraints
from airflowspec.data import mwaa as facts
from airflowspec.diagnostics import Diagnostic, error, quote, warning
from airflowspec.spec import Spec


@dataclasses.dataclass(frozen=True)
class Checked:
    diagnostics: list[Diagnostic]
    #: What could not be checked, and how to make it checkable: printed once, never a failure.
    notices: list[str]


def check_pins(spec: Spec, targets: Sequence[str], explicit: Path | None) -> Checked:
    found = Checked([], [])
    if not spec.packages:
        return found
    missing: list[str] = []  # the commands that would fetch what is not cached
    for target in targets:
        python = _python(spec, target)
        pins = _constraints(spec.airflow.version, python, explicit, missing, found.notices)
        if pins is not None:
            found.diagnostics.extend(_conflicts(spec, target, pins))
    concrete = [command for command in missing if not command.endswith("PYTHON")]
    if missing:  # an image of unknown Python takes any Python's constraints: a concrete fetch serves both
        commands = ", ".join(f"`{command}`" for command in dict.fromkeys(concrete or missing))
        found.notices.append(f"packages not checked against Airflow's constraints, none cached; run {commands}")
    return found


def target_python(spec: Spec, target: str, explicit: Path | None) -> tuple[str | None, Path | None]:
    """The Python `target` runs the spec's Airflow on, and the constraints file for it (None: none at hand)."""
    python = _python(spec, target)
    if explicit is not None:
        return python, explicit
    if python is None:
        return None, None
    return python, constraints.cached(spec.airflow.version, python)


def _python(spec: Spec, target: str) -> str | None:
    if target == "mwaa":
        known = facts.MWAA_VERSIONS.get(spec.airflow.version)
        return known.python if known else None
    image = spec.targets.eks.image if spec.targets.eks else None
    return constraints.image_python(image.tag if image else None)


def _constraints(
    airflow: str, python: str | None, explicit: Path | None, missing: list[str], notices: list[str]
) -> constraints.Constraints | None:
    if explicit is not None:  # Airflow names each file by its Python: constraints-3.11.txt
        return _read(explicit, python or constraints.file_python(explicit.name) or "3", notices)
    path = constraints.cached(airflow, python)
    if path is None:  # the image's Python, when its tag does not say it, is the user's to name
        missing.append(f"airflowspec packages fetch-constraints --airflow {airflow} --python {python or 'PYTHON'}")
        return None
    return _read(path, python or path.stem.rsplit("python", 1)[1], notices)


def _read(path: Path, python: str, notices: list[str]) -> constraints.Constraints | None:
    from airflowspec.inputs import InputProblem, read_file

    try:
        text = read_file(path).decode("utf-8", errors="replace")
    except InputProblem as problem:
        notices.append(f"{path}: constraints not read: {problem.message}")
        return None
    return constraints.parse(text, str(path), python)


def _conflicts(spec: Spec, target: str, pins: constraints.Constraints) -> list[Diagnostic]:
    found = []
    for conflict in constraints.conflicts(spec.packages, pins):
        message = (
            f"{quote(conflict.requirement)} excludes {conflict.name} {conflict.constrained}, which Airflow "
            f"{spec.airflow.version}'s constraints pin for Python {pins.python}"
        )
        path = ("packages", conflict.index)
        if target == "mwaa":
            hint = "MWAA installs under the constraints and will fail; allow that version, or leave it to them"
            found.append(error("AS455", message, path, hint))
        else:
            hint = "the chart installs packages without constraints, so Airflow's own dependency would change"
            found.append(warning("AS396", message, path, hint))
    return found
