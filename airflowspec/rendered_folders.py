"""Where the files rendered from a spec live, by convention, and which spec a rendered file comes from.

Beside the spec: `rendered/<target>/` for `airflowspec.yaml` (or any other name), and
`rendered/NAME/<target>/` for `NAME.airflowspec.yaml`, so that two specs in one folder keep their own
files; an environment's go one level deeper, `rendered/<env>/<target>/` and `rendered/NAME/<env>/<target>/`.
`render --check` and the pre-commit hook look there; a file of such a folder stands for the spec it
was rendered from (the hook passes the files being committed). All by name: nothing is read.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Sequence
from pathlib import Path

from airflowspec.environments import NAME as ENV_NAME
from airflowspec.inputs import Folder
from airflowspec.targets import TARGETS

#: (environment or None, target): what one folder of rendered files is.
Rendered = tuple[str | None, str]

_SPEC = re.compile(r"(?:(?P<name>.+)\.)?airflowspec\.ya?ml", re.DOTALL)  # a name may hold any character


@dataclasses.dataclass(frozen=True)
class Wanted:
    """What `render --check PATH...` asks of one spec."""

    spec: Path
    every: bool  # the spec was named: each target it declares that has a rendered folder
    targets: tuple[Rendered, ...]  # (environment, target) whose rendered files were named
    #: Of `targets`, those another spec beside it may have rendered (`rendered/X/eks/` is X.airflowspec.yaml's,
    #: or airflowspec.yaml's environment X): checked only when the spec has them.
    maybe: frozenset[Rendered] = frozenset()


def rendered_folder(spec: Path, target: str, env: str | None = None) -> Folder:
    """`rendered/[NAME/][ENV/]<target>/` beside the spec: NAME of `NAME.airflowspec.yaml`, ENV the environment."""
    parts = ("rendered", spec_name(spec), env or "", target)
    return Folder(spec.parent, tuple(part for part in parts if part))


def spec_name(spec: Path) -> str:
    """NAME of `NAME.airflowspec.yaml` (or .yml); "" for any other file name."""
    match = _SPEC.fullmatch(spec.name)
    name = match["name"] if match and match["name"] else ""
    return "" if name in (".", "..") else name


def environment_folders(spec: Path) -> list[Rendered]:
    """(environment, target) of each `rendered/[NAME/]ENV/TARGET/` beside the spec, by name; a folder that
    is another spec's (`rendered/X/` of X.airflowspec.yaml) is left out."""
    root = spec.parent / "rendered" / spec_name(spec)
    try:
        names = sorted(entry.name for entry in os.scandir(root) if entry.is_dir(follow_symlinks=False))
    except OSError:
        return []
    found: list[Rendered] = []
    for env in names:
        other = [spec.parent / f"{env}.airflowspec.{suffix}" for suffix in ("yaml", "yml")]
        another_spec = not spec_name(spec) and any(map(os.path.lexists, other))
        if env in TARGETS or not ENV_NAME.match(env) or another_spec:
            continue
        found += [(env, target) for target in TARGETS if os.path.lexists(root / env / target)]
    return found


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
    targets: dict[Path, dict[Rendered, bool]] = {}  # -> whether another spec may claim it
    problems = []
    for path in paths:
        sources = [] if _SPEC.fullmatch(path.name) else _sources(path)
        if not sources:
            every[path] = True
            targets.setdefault(path, {})
            continue
        present = [(spec, rendered) for spec, rendered in sources if os.path.lexists(spec)]
        for spec, rendered in present:
            every.setdefault(spec, False)
            targets.setdefault(spec, {})[rendered] = len({spec for spec, _ in present}) > 1
        if not present:
            expected = " or ".join(str(spec) for spec, _ in sources if spec.suffix == ".yaml")
            problems.append(f"{path}: error AS001 no spec renders into this folder: {expected} does not exist")
    found = [
        Wanted(spec, every[spec], tuple(sorted(targets[spec], key=_order)), frozenset(_maybe(targets[spec])))
        for spec in every
    ]
    return found, problems


def _order(rendered: Rendered) -> tuple[str, int]:
    env, target = rendered
    return env or "", list(TARGETS).index(target)


def _maybe(targets: dict[Rendered, bool]) -> list[Rendered]:
    return [rendered for rendered, shared in targets.items() if shared]


def _sources(path: Path) -> list[tuple[Path, Rendered]]:
    """The specs a file may have been rendered from, by its place: `P/rendered/<target>/F` from
    P/airflowspec.yaml, `P/rendered/X/<target>/F` from P/X.airflowspec.yaml or from environment X of
    P/airflowspec.yaml, `P/rendered/NAME/ENV/<target>/F` from environment ENV of P/NAME.airflowspec.yaml
    (each also .yml)."""
    parts, target = path.parts, path.parent.name
    if target not in TARGETS:
        return []
    found: list[tuple[Path, str, str | None]] = []  # (folder, spec file name, environment)
    if len(parts) >= 3 and parts[-3] == "rendered":
        found.append((path.parents[2], "airflowspec", None))
    if len(parts) >= 4 and parts[-4] == "rendered" and parts[-3] not in (".", ".."):
        found.append((path.parents[3], f"{parts[-3]}.airflowspec", None))
        if ENV_NAME.match(parts[-3]):
            found.append((path.parents[3], "airflowspec", parts[-3]))
    if len(parts) >= 5 and parts[-5] == "rendered" and parts[-4] not in (".", "..") and ENV_NAME.match(parts[-3]):
        found.append((path.parents[4], f"{parts[-4]}.airflowspec", parts[-3]))
    return [(base / f"{name}.{suffix}", (env, target)) for base, name, env in found for suffix in ("yaml", "yml")]
