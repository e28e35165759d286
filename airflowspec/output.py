"""Write rendered artifacts so that nobody sees half of a new output, and a failure keeps the old one.

The new output is built in a temporary directory beside the target directory (other files already
there are copied in first, so they survive), then swapped in with two renames. A failure or an
interrupt before the swap leaves the previous output whole and the temporary directory removed.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from airflowspec.targets import Artifact


def write_artifacts(directory: Path, artifacts: Sequence[Artifact]) -> None:
    """Raises OSError; `directory` then holds exactly what it held before."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.new-", dir=directory.parent))
    try:
        if directory.is_dir():
            shutil.copytree(directory, staging, dirs_exist_ok=True, symlinks=True)
        for artifact in artifacts:
            target = staging / artifact.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(artifact.text.encode("utf-8"))
        _swap(staging, directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


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
