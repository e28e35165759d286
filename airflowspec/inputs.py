"""The one reader of files: specs, rendered folders and `--against` inputs, all of them untrusted.

A file is read only when it is a regular file reached without following a symbolic link at its own
name; inside a directory, no link is followed at all. FIFOs, sockets and devices are refused before
they are opened, so nothing blocks or streams forever, and the size limit counts the bytes actually
read, not what `stat` claims (files under /proc say 0). What the command line names is trusted up to
its last component: `-o out/eks` follows links in `out`, never at `eks` or below.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

#: The most bytes airflowspec reads from any one input.
MAX_BYTES = 64 * 1024 * 1024

_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
}


@dataclasses.dataclass(frozen=True)
class Folder:
    """A folder as airflowspec opens it: `base` as the command line names it (links followed as the system
    does), then each of `below` inside it, none of which may be a link."""

    base: Path
    below: tuple[str, ...] = ()

    @property
    def path(self) -> Path:
        return self.base.joinpath(*self.below)


def folder_within(path: Path, root: Path) -> Folder:
    """`path` as a Folder below `root` (the spec's folder) when it lies there by name, so that no link
    inside the project is followed (a committed `rendered -> ../elsewhere`); otherwise as named."""
    # By name: resolve() would follow the very links this is about.
    absolute, top = Path(os.path.abspath(path)), Path(os.path.abspath(root))  # noqa: PTH100
    if top in absolute.parents:
        return Folder(root, absolute.relative_to(top).parts)
    return Folder(path)


class InputProblem(Exception):
    """A file that will not be read: a stable code, the reason and a hint for the person."""

    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint
        self.name = ""  # the file in a folder that it is about, when it is about one

    def __str__(self) -> str:
        return f"{self.message}; {self.hint}" if self.hint else self.message


def read_file(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file named on the command line. `-`, `/dev/stdin` and `/dev/fd/N` (what a
    shell's `<(command)` gives) are streams the command line opened itself: read as they come, capped."""
    if str(path) == "-":
        return _read_stream(sys.stdin.buffer.fileno(), limit)
    if _STREAM.fullmatch(str(path)):
        return _read_opened(str(path), limit)
    return read_at(None, str(path), limit)


#: Paths of the streams a shell hands a command: no repository can put a file there.
_STREAM = re.compile(r"/dev/stdin|/dev/fd/[0-9]+|/proc/self/fd/[0-9]+")


def _read_opened(name: str, limit: int) -> bytes:
    try:
        descriptor = os.open(name, os.O_RDONLY | os.O_CLOEXEC | os.O_NOCTTY)
    except OSError as exc:
        raise _problem(exc) from None
    try:
        if stat.S_ISDIR(os.fstat(descriptor).st_mode):
            raise _not_a_file("a directory")
        return _read_stream(descriptor, limit)
    finally:
        os.close(descriptor)


def read_at(directory: int | None, name: str, limit: int = MAX_BYTES) -> bytes:
    """A regular file `name` in the directory open as `directory` (the working directory when None)."""
    kind = _kind(name, directory)
    if kind != "a file":
        raise _not_a_file(kind)
    try:
        descriptor = os.open(name, _READ_FLAGS, dir_fd=directory)
    except OSError as exc:
        raise _problem(exc) from None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):  # replaced since it was looked at
            raise _not_a_file("not a regular file")
        return _read_stream(descriptor, limit)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def opened_directory(path: Path, *below: str) -> Iterator[int]:
    """`path` open as a directory (not a link at its own name), then each folder of `below` inside
    it, none of them a link. Raises InputProblem; a missing folder is FileNotFoundError."""
    descriptor = open_directory(path)
    try:
        for name in below:
            inner = _open_directory(descriptor, name)
            os.close(descriptor)
            descriptor = inner
        yield descriptor
    finally:
        os.close(descriptor)


def open_directory(path: Path) -> int:
    """A descriptor of the directory at `path`, not a link at its own name; the caller closes it."""
    return _open_directory(None, _strip_slashes(str(path)))


def open_inside(directory: int, name: str) -> int:
    """A descriptor of the folder `name` inside `directory`, not a link; the caller closes it."""
    return _open_directory(directory, name)


def is_directory(path: Path) -> bool:
    """A directory at `path` itself, not a link to one."""
    return str(path) != "-" and _kind(_strip_slashes(str(path)), None) == "a directory"


def read_folder(folder: Folder, names: Iterable[str], limit: int = MAX_BYTES) -> dict[str, bytes]:
    """Those of the files `names` that the folder holds. Raises InputProblem, naming the file, when one
    is anything but a regular file."""
    found = {}
    with opened_directory(folder.base, *folder.below) as descriptor:
        for name in names:
            try:
                if entry_kind(descriptor, name) != "absent":
                    found[name] = read_at(descriptor, name, limit)
            except InputProblem as problem:
                problem.name = name
                raise
    return found


def entry_kind(directory: int, name: str) -> str:
    """What `name` is in the directory: "absent", "a file", "a directory", "a symbolic link", ..."""
    return _kind(name, directory)


def _open_directory(directory: int | None, name: str) -> int:
    kind = _kind(name, directory)
    if kind == "absent":
        raise FileNotFoundError(errno.ENOENT, "no such directory", name)
    if kind != "a directory":
        raise _not_a_directory(kind)
    try:
        return os.open(name, _DIRECTORY_FLAGS, dir_fd=directory)
    except OSError as exc:
        raise _problem(exc) from None


def _kind(name: str, directory: int | None) -> str:
    try:
        mode = os.stat(name, dir_fd=directory, follow_symlinks=False).st_mode
    except FileNotFoundError:
        return "absent"
    except OSError as exc:
        raise _problem(exc) from None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISREG(mode):
        return "a file"
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def _read_stream(descriptor: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        try:
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - size))
        except BlockingIOError:
            raise InputProblem("AS604", "gives no data to read", "give a regular file") from None
        except OSError as exc:
            raise _problem(exc) from None
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise InputProblem("AS001", f"is larger than {limit} bytes, the most airflowspec reads")


def _not_a_file(kind: str) -> InputProblem:
    if kind == "absent":
        return InputProblem("AS001", "no such file", "check the path")
    if kind == "a symbolic link":
        return _link()
    if kind == "a directory":
        return InputProblem("AS001", "is a directory, not a file", "pass the path of the file")
    return InputProblem("AS604", f"is {kind}, not a regular file", "airflowspec reads regular files only")


def _not_a_directory(kind: str) -> InputProblem:
    if kind == "a symbolic link":
        return _link()
    return InputProblem("AS001", f"is {kind}, not a directory")


def _link() -> InputProblem:
    return InputProblem(
        "AS603", "is a symbolic link, which airflowspec does not follow here", "name the file or folder it points to"
    )


def _problem(exc: OSError) -> InputProblem:
    if exc.errno == errno.ELOOP:
        return _link()
    if exc.errno == errno.ENOENT:
        return InputProblem("AS001", "no such file", "check the path")
    if exc.errno == errno.ENOTDIR:
        return InputProblem("AS001", "goes through a file, not a directory")
    return InputProblem("AS001", f"cannot read it: {exc.strerror or exc}")


def _strip_slashes(path: str) -> str:
    """`out/eks/` as `out/eks`: a trailing slash would make the system follow a link at `eks`."""
    stripped = path.rstrip("/")
    return stripped or "/"
