"""Write rendered artifacts so that nobody sees half of a new output, and a failure keeps the old one.

The new output is built in a temporary directory beside the target directory (other files already
there are copied in first, so they survive), then swapped in with two renames. A failure or an
interrupt before the swap leaves the previous output whole and the temporary directory removed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from airflowspec.targets import Artifact


class OutputProblem(ValueError):
    """A directory that must not be replaced by a render: the message says why."""


def write_artifacts(directory: Path, artifacts: Sequence[Artifact], keep: Sequence[Path] = ()) -> None:
    """Raises OSError or OutputProblem; `directory` then holds exactly what it held before.

    `keep` are directories the output must neither be nor contain (the spec's, the working one): the
    swap replaces the whole output directory. A symbolic link is followed to the directory it names.
    """
    directory = directory.resolve()
    for part in (directory, *directory.parents):
        if part.exists() and not part.is_dir():
            raise OutputProblem("is a file, not a directory" if part == directory else f"goes through {part}, a file")
    for kept in keep:
        if directory == kept.resolve() or directory in kept.resolve().parents:
            raise OutputProblem(f"is or holds {kept}; render into a directory of its own, e.g. rendered/<target>")
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.new-", dir=directory.parent))
    try:
        if not directory.is_dir():
            staging.chmod(0o777 & ~_umask())  # as `mkdir` would make it; mkdtemp's is private
        else:
            shutil.copytree(directory, staging, dirs_exist_ok=True, symlinks=True)
        for artifact in artifacts:
            target = staging / artifact.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(artifact.text.encode("utf-8"))
        _swap(staging, directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _swap(staging: Path, directory: Path) -> None:
    if not directory.exists():
        staging.rename(directory)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{directory.name}.old-", dir=directory.parent))
    retired.rmdir()  # a free name beside the directory, for the rename
    directory.rename(retired)
    try:
        staging.rename(directory)
    except OSError:
        retired.rename(directory)  # put the old output back before reporting the failure
        raise
    shutil.rmtree(retired, ignore_errors=True)
