"""Write rendered artifacts so that a reader never sees half of a new output."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from airflowspec.targets import Artifact


def write_artifacts(directory: Path, artifacts: Sequence[Artifact]) -> None:
    """Write every artifact into a temporary directory beside `directory`, then move each into place.

    Files in `directory` that are not artifacts are left alone. Raises OSError.
    """
    directory.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        for artifact in artifacts:
            target = staging / artifact.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(artifact.text.encode("utf-8"))
        for artifact in artifacts:
            final = directory / artifact.path
            final.parent.mkdir(parents=True, exist_ok=True)
            (staging / artifact.path).replace(final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
