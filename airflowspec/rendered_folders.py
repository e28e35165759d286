"""Where the files rendered from a spec live, by convention, and which spec a rendered file comes from.

Beside the spec: `rendered/<target>/` for `airflowspec.yaml` (or any other name), and
`rendered/NAME/<target>/` for `NAME.airflowspec.yaml`, so that two specs in one folder keep their own
files. `render --check` and the pre-commit hook look there; a file of such a folder stands for the
spec it was rendered from (the hook passes the files being committed). All by name: nothing is read.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Sequence
from pathlib import Path

from airflowspec.inputs import Folder
from airflowspec.targets import TARGETS

_SPEC = re.compile(r"(?:(?P<name>.+)\.)?airflowspec\.ya?ml", re.DOTALL)  # a name may hold any character


@dataclasses.dataclass(frozen=True)
class Wanted:
    """What `render --check PATH...` asks of one spec."""

    spec: Path
    every: bool  # the spec was named: each target it declares that has a rendered folder
    targets: tuple[str, ...]  # targets whose rendered files were named


def rendered_folder(spec: Path, target: str) -> Folder:
    """`rendered/<target>/` beside the spec; `rendered/NAME/<target>/` for `NAME.airflowspec.yaml`."""
    name = spec_name(spec)
    return Folder(spec.parent, ("rendered", name, target) if name else ("rendered", target))


def spec_name(spec: Path) -> str:
    """NAME of `NAME.airflowspec.yaml` (or .yml); "" for any other file name."""
    match = _SPEC.fullmatch(spec.name)
    name = match["name"] if match and match["name"] else ""
    return "" if name in (".", "..") else name


def earlier_folder(spec: Path, target: str) -> Path | None:
    """`rendered/<target>/` beside a NAME.airflowspec.yaml that no airflowspec.yaml shares the folder with:
    where the spec's files went before each named spec had a folder of its own."""
    plain = [spec.parent / f"airflowspec.{suffix}" for suffix in ("yaml", "yml")]
    earlier = spec.parent / "rendered" / target
    if not spec_name(spec) or any(os.path.lexists(path) for path in plain) or not os.path.lexists(earlier):
        return None
    return earlier


def wanted(paths: Sequence[Path]) -> tuple[list[Wanted], list[str]]:
    """Each spec the paths name, a rendered file standing for the spec it comes from; and, as lines to
    print, the rendered files that no spec beside their folder renders."""
    every: dict[Path, bool] = {}
    targets: dict[Path, set[str]] = {}
    problems = []
    for path in paths:
        sources = [] if _SPEC.fullmatch(path.name) else _sources(path)
        if not sources:
            every[path] = True
            targets.setdefault(path, set())
            continue
        present = [(spec, target) for spec, target in sources if os.path.lexists(spec)]
        for spec, target in present:
            every.setdefault(spec, False)
            targets.setdefault(spec, set()).add(target)
        if not present:
            expected = " or ".join(str(spec) for spec, _ in sources if spec.suffix == ".yaml")
            problems.append(f"{path}: error AS001 no spec renders into this folder: {expected} does not exist")
    found = [Wanted(spec, every[spec], tuple(name for name in TARGETS if name in targets[spec])) for spec in every]
    return found, problems


def _sources(path: Path) -> list[tuple[Path, str]]:
    """The specs a file may have been rendered from, by its place: `P/rendered/<target>/F` from
    P/airflowspec.yaml, `P/rendered/NAME/<target>/F` from P/NAME.airflowspec.yaml (or .yml)."""
    parts, target = path.parts, path.parent.name
    if target not in TARGETS:
        return []
    names = []
    if len(parts) >= 3 and parts[-3] == "rendered":
        names.append((path.parents[2], "airflowspec"))
    if len(parts) >= 4 and parts[-4] == "rendered" and parts[-3] not in (".", ".."):
        names.append((path.parents[3], f"{parts[-3]}.airflowspec"))
    return [(base / f"{name}.{suffix}", target) for base, name in names for suffix in ("yaml", "yml")]
