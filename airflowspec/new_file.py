"""`init`'s writer: one new file, with the folders it needs; never over anything, nothing left on failure.

The file is created only where nothing is (O_EXCL: not over a file, not through a link, not even a
dangling one). Missing folders are made as `mkdir -p` would. As with `render -o` (airflowspec/output.py),
the folder's base is opened as the command line names it, and each folder below it (`inputs.Folder`)
is entered without following a link: `folder_within(path, working directory)` puts every folder
inside the working directory there. If anything fails, the file and every folder made are removed.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from airflowspec.inputs import Folder, InputProblem, open_inside
from airflowspec.output import OutputProblem, fill

_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def create_file(folder: Folder, name: str, text: str) -> Path:
    """Write `text` as the new file `name` in `folder` and return its path. Raises OutputProblem (a place
    refused, or the file exists) or OSError; either way nothing is left behind."""
    base, below = _existing_base(folder)
    descriptors: list[int] = []
    made: list[tuple[int, str]] = []  # each folder made, as (its parent's descriptor, its name)
    try:
        descriptors.append(_open_base(base))
        where = base
        for part in below:
            where = where / part
            made += [(descriptors[-1], part)] if _made(descriptors[-1], part) else []
            descriptors.append(_enter(descriptors[-1], part, where))
        _write_new(descriptors[-1], name, text, where / name)
        return where / name
    except BaseException:
        for parent, part in reversed(made):
            with contextlib.suppress(OSError):  # not empty any more: someone else's now
                os.rmdir(part, dir_fd=parent)
        raise
    finally:
        for descriptor in descriptors:
            os.close(descriptor)


def _existing_base(folder: Folder) -> tuple[Path, tuple[str, ...]]:
    """The folder as its nearest existing base and the parts below it: what is missing is made below."""
    base, below = folder.base, folder.below
    while not os.path.lexists(base) and base.parent != base:
        base, below = base.parent, (base.name, *below)
    return base, below


def _open_base(base: Path) -> int:
    try:
        return os.open(base, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except NotADirectoryError:
        raise OutputProblem("AS001", "is a file, not a directory", base) from None


def _made(parent: int, name: str) -> bool:
    try:
        os.mkdir(name, dir_fd=parent)
    except FileExistsError:
        return False
    return True


def _enter(parent: int, name: str, where: Path) -> int:
    try:
        return open_inside(parent, name)
    except InputProblem as problem:
        raise OutputProblem(problem.code, str(problem), where) from None


def _write_new(directory: int, name: str, text: str, where: Path) -> None:
    try:
        file = os.open(name, _NEW_FILE, 0o666, dir_fd=directory)
    except FileExistsError:
        raise OutputProblem("AS001", "already exists; airflowspec init does not overwrite", where) from None
    fill(directory, name, file, text)
