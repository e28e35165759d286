"""The one writer: `render -o DIR` replaces the files its target renders, each atomically, and nothing else.

Each new file is written to a temporary file in DIR and renamed over the old one, so a reader sees the
old file or the new one, never half of one. All temporary files are written before the first rename:
a failure or an interrupt while writing leaves every old file as it was. Nothing is followed or
written through a link: a rendered file's place holding a symbolic link, a FIFO or anything but a
regular file is refused before anything is written (a committed `values.yaml -> .git/hooks/pre-commit`
must not become a way to write a hook). Other files in DIR keep their bytes, owners and links. Two
renders into one DIR take turns (a lock on DIR), so both complete.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import secrets
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from airflowspec.emit import says_generated
from airflowspec.inputs import Folder, InputProblem, entry_kind, open_directory, open_inside
from airflowspec.targets import Artifact

_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


class OutputProblem(ValueError):
    """A place the output must not go: a stable code and the reason, for one located line."""

    def __init__(self, code: str, message: str, where: Path) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.where = where


def write_artifacts(
    folder: Folder | Path, artifacts: Sequence[Artifact], spec: Path | None = None, retired: Sequence[str] = ()
) -> None:
    """Raises OutputProblem (nothing written) or OSError (the old files whole). `spec` is never overwritten.
    A folder below the spec's (`inputs.folder_within`) is entered and made without following links.
    `retired`: files the target renders for some specs but not this one (MWAA's startup.sh); one that
    airflowspec wrote (its header says so) is removed once the new files are in place, so that a folder
    never keeps a file of a former spec; anything else at that name is left as it is."""
    folder = folder if isinstance(folder, Folder) else Folder(folder)
    directory = folder.path
    with _output_directory(folder) as descriptor, _locked(descriptor):
        modes = {artifact.path: _mode_to_keep(descriptor, directory, artifact.path, spec) for artifact in artifacts}
        temporary: dict[str, str] = {}
        try:
            for artifact in artifacts:
                temporary[artifact.path] = _write_temporary(descriptor, artifact, modes[artifact.path])
            for name, temp in list(temporary.items()):
                os.replace(temp, name, src_dir_fd=descriptor, dst_dir_fd=descriptor)
                del temporary[name]
            for name in retired:
                if _written_by_airflowspec(descriptor, name):
                    os.unlink(name, dir_fd=descriptor)
        finally:
            for temp in temporary.values():
                with contextlib.suppress(OSError):
                    os.unlink(temp, dir_fd=descriptor)


@contextlib.contextmanager
def _output_directory(folder: Folder) -> Iterator[int]:
    """The folder open, made where it is missing (its base with parents, as `mkdir -p` would)."""
    where = folder.base
    try:
        descriptor = _open_or_make(where)
    except InputProblem as problem:
        raise OutputProblem(problem.code, problem.message, where) from None
    for name in folder.below:
        where = where / name
        try:
            inner = _enter(descriptor, name)
        except InputProblem as problem:
            raise OutputProblem(problem.code, problem.message, where) from None
        finally:
            os.close(descriptor)
        descriptor = inner
    try:
        yield descriptor
    finally:
        os.close(descriptor)


def _open_or_make(directory: Path) -> int:
    try:
        return open_directory(directory)
    except FileNotFoundError:
        pass
    try:
        directory.mkdir(parents=True)
    except FileExistsError:
        pass  # made meanwhile, e.g. by a render running beside this one
    except NotADirectoryError:
        raise OutputProblem("AS001", "goes through a file, not a directory", directory) from None
    return open_directory(directory)


def _enter(directory: int, name: str) -> int:
    """The folder `name` in `directory`, made when missing; a link there is refused (InputProblem)."""
    with contextlib.suppress(FileExistsError):
        os.mkdir(name, dir_fd=directory)
    return open_inside(directory, name)


@contextlib.contextmanager
def _locked(descriptor: int) -> Iterator[None]:
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(descriptor, fcntl.LOCK_UN)


def _mode_to_keep(descriptor: int, directory: Path, name: str, spec: Path | None) -> int:
    """The permissions the new file gets: the old file's, or the usual ones (0o666 less the umask)."""
    if "/" in name or name in ("", ".", ".."):
        raise ValueError(f"an artifact must be a plain file name, not {name!r}")
    where = directory / name
    kind = entry_kind(descriptor, name)
    if kind == "absent":
        return 0o666 & ~_umask()
    if kind == "a symbolic link":
        raise OutputProblem("AS603", "is a symbolic link; airflowspec never writes through one", where)
    if kind != "a file":
        raise OutputProblem("AS604", f"is {kind}; airflowspec replaces only regular files", where)
    status = os.stat(name, dir_fd=descriptor, follow_symlinks=False)
    if spec is not None and _is_same_file(status, spec):
        raise OutputProblem("AS001", "is the spec itself; render into another directory", where)
    return stat.S_IMODE(status.st_mode) & 0o777  # never a set-user-ID or sticky bit someone left there


def _written_by_airflowspec(descriptor: int, name: str) -> bool:
    """A regular file (no link followed) whose first lines say airflowspec rendered it."""
    if entry_kind(descriptor, name) != "a file":
        return False
    file = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=descriptor)
    try:
        head = os.read(file, 512)
    finally:
        os.close(file)
    return says_generated(head)


def _is_same_file(status: os.stat_result, path: Path) -> bool:
    try:
        other = path.stat()
    except OSError:
        return False
    return (status.st_dev, status.st_ino) == (other.st_dev, other.st_ino)


def _write_temporary(descriptor: int, artifact: Artifact, mode: int) -> str:
    for _ in range(100):
        name = f".{artifact.path}.{secrets.token_hex(4)}.tmp"
        try:
            file = os.open(name, _TEMP_FLAGS, 0o600, dir_fd=descriptor)
        except FileExistsError:
            continue
        break
    else:  # pragma: no cover - a hundred random names all taken
        raise OSError(errno.EEXIST, "no free temporary name")
    os.fchmod(file, mode)
    fill(descriptor, name, file, artifact.text)
    return name


def fill(directory: int, name: str, file: int, text: str) -> None:
    """Write `text` to the new file `name` in `directory`, open as `file`, to disk, and close it; a
    failure or an interrupt removes the file."""
    try:
        view = memoryview(text.encode("utf-8"))
        while view:
            view = view[os.write(file, view) :]
        os.fsync(file)
    except BaseException:
        os.close(file)
        os.unlink(name, dir_fd=directory)
        raise
    os.close(file)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
