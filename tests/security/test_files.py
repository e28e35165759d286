"""Files in an output directory, a `rendered/` folder or given to `--against` are untrusted: nothing is
written or read through a link, special files are refused without blocking, every input is bounded,
and a render replaces only its own files."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import EXAMPLES

from airflowspec import inputs
from airflowspec.loader import load_bytes

SEED = (EXAMPLES / "seed" / "airflowspec.yaml").read_text(encoding="utf-8")
CANARY = "canary-7f3a9c-not-to-be-shown"
HOOK = "#!/bin/sh\necho the hook as it was\n"


def _project(tmp_path: Path, spec_text: str = SEED) -> Path:
    """A repository as a pull request could leave it: a spec, a .git/hooks folder, a secret beside."""
    (tmp_path / ".git" / "hooks").mkdir(parents=True)
    (tmp_path / ".git" / "hooks" / "pre-commit").write_text(HOOK)
    (tmp_path / "credentials").write_text(f"aws_secret_access_key = {CANARY}\n")
    spec = tmp_path / "airflowspec.yaml"
    spec.write_text(spec_text, encoding="utf-8")
    return spec


def _snapshot(root: Path) -> dict[str, tuple[str, bytes | str]]:
    """Every entry under `root`: a link's target, a file's bytes, the kind of anything else."""
    found: dict[str, tuple[str, bytes | str]] = {}
    for path in sorted(root.rglob("*")):
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            found[str(path)] = ("link", str(path.readlink()))
        elif stat.S_ISREG(mode):
            found[str(path)] = ("file", path.read_bytes())
        else:
            found[str(path)] = ("other", stat.filemode(mode))
    return found


def _run(*args: str, cwd: Path | None = None, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    """The real command in its own process: a hang or a crash of the interpreter cannot hide."""
    command = [sys.executable, "-m", "airflowspec", *args]
    return subprocess.run(command, capture_output=True, cwd=cwd, input=stdin, timeout=120, check=False)


def test_render_never_writes_through_a_link_where_an_output_file_goes(tmp_path: Path) -> None:
    shell = "#!/bin/sh\\ntouch owned\\n"
    spec = _project(tmp_path, SEED.replace("variables:\n", f'variables:\n  hook: "{shell}"\n', 1))
    out = tmp_path / "rendered" / "eks"
    out.mkdir(parents=True)
    (out / "values.yaml").symlink_to("../../.git/hooks/pre-commit")
    before = _snapshot(tmp_path)
    result = _run("render", str(spec), "-t", "eks", "-o", str(out))
    assert result.returncode == 2
    assert result.stderr.decode().splitlines()[-1] == (
        f"{out / 'values.yaml'}: error AS603 will not write the output there: "
        "it is a symbolic link; airflowspec never writes through one"
    )
    assert _snapshot(tmp_path) == before


def test_render_writes_nothing_when_any_output_place_is_refused(tmp_path: Path) -> None:
    spec = _project(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "ssm-parameters.json")
    before = _snapshot(tmp_path)
    result = _run("render", str(spec), "-t", "mwaa", "-o", str(out))
    assert result.returncode == 2
    assert "ssm-parameters.json: error AS604 will not write the output there: it is a FIFO" in result.stderr.decode()
    assert _snapshot(tmp_path) == before  # template.yaml and requirements.txt were not written either


def test_render_refuses_an_output_directory_that_is_a_link(tmp_path: Path) -> None:
    spec = _project(tmp_path)
    (tmp_path / "rendered").symlink_to(".git/hooks")
    before = _snapshot(tmp_path)
    result = _run("render", str(spec), "-t", "eks", "-o", str(tmp_path / "rendered"))
    assert result.returncode == 2
    assert "error AS603 will not write the output there: it is a symbolic link" in result.stderr.decode()
    assert _snapshot(tmp_path) == before


@pytest.fixture
def hostile_rendered(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """rendered/eks/values.yaml is a link to a file of secrets."""
    spec = _project(tmp_path)
    out = tmp_path / "rendered" / "eks"
    out.mkdir(parents=True)
    (out / "values.yaml").symlink_to(tmp_path / "credentials")
    yield spec, out


def test_render_check_never_reads_through_a_link(hostile_rendered: tuple[Path, Path]) -> None:
    spec, out = hostile_rendered
    result = _run("render", str(spec), "--check")
    assert result.returncode == 2
    assert CANARY not in (result.stdout + result.stderr).decode()
    assert result.stderr.decode().splitlines()[-1] == (
        f"{out / 'values.yaml'}: error AS603 is a symbolic link, which airflowspec does not follow here; "
        "name the file or folder it points to"
    )


def test_diff_against_never_reads_through_a_link(hostile_rendered: tuple[Path, Path]) -> None:
    spec, out = hostile_rendered
    (out.parent / "environ.json").symlink_to("/proc/self/environ")
    for against in (out, out / "values.yaml", out.parent / "environ.json"):
        result = _run("diff", str(spec), "--against", str(against), "-t", "eks")
        assert result.returncode == 2, against
        assert CANARY not in (result.stdout + result.stderr).decode()
        assert "error AS603" in result.stderr.decode(), result.stderr


def test_render_check_refuses_a_linked_rendered_folder(tmp_path: Path) -> None:
    spec = _project(tmp_path)
    (tmp_path / "elsewhere" / "eks").mkdir(parents=True)
    (tmp_path / "elsewhere" / "eks" / "values.yaml").write_text(f"leak: {CANARY}\n")
    (tmp_path / "rendered").symlink_to("elsewhere")
    result = _run("render", str(spec), "--check")
    assert result.returncode == 2
    assert CANARY not in (result.stdout + result.stderr).decode()
    assert f"{tmp_path / 'rendered' / 'eks'}: error AS603" in result.stderr.decode()


def _special_files(folder: Path) -> Iterator[str]:
    """A FIFO, a socket and a device, each where a rendered file goes."""
    os.mkfifo(folder / "values.yaml")
    yield "a FIFO"
    (folder / "values.yaml").unlink()
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(folder / "values.yaml"))
        yield "a socket"
    (folder / "values.yaml").unlink()
    try:
        os.mknod(folder / "values.yaml", stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero
    except PermissionError:
        return
    yield "a device"


def test_special_files_are_refused_without_blocking(tmp_path: Path) -> None:
    spec = _project(tmp_path)
    out = tmp_path / "rendered" / "eks"
    out.mkdir(parents=True)
    for kind in _special_files(out):
        for args in (["render", str(spec), "--check"], ["diff", str(spec), "--against", str(out), "-t", "eks"]):
            result = _run(*args)
            assert result.returncode == 2, (kind, args)
            assert result.stderr.decode().splitlines()[-1] == (
                f"{out / 'values.yaml'}: error AS604 is {kind}, not a regular file; "
                "airflowspec reads regular files only"
            )


def test_inputs_are_capped_by_the_bytes_actually_read(tmp_path: Path) -> None:
    (tmp_path / "big").write_bytes(b"x" * 11)
    with pytest.raises(inputs.InputProblem, match="larger than 10 bytes"):
        inputs.read_file(tmp_path / "big", limit=10)
    with pytest.raises(inputs.InputProblem, match="larger than 100 bytes"):  # stat says 0 bytes
        inputs.read_file(Path("/proc/self/status"), limit=100)
    assert inputs.read_file(tmp_path / "big", limit=11) == b"x" * 11


def test_diff_against_reads_standard_input(tmp_path: Path) -> None:
    spec = _project(tmp_path)
    rendered = _run("render", str(spec), "-t", "eks").stdout.split(b"\n", 1)[1]
    result = _run("diff", str(spec), "--against", "-", "-t", "eks", stdin=rendered)
    assert (result.returncode, result.stdout) == (0, b"0 to add, 0 to change, 0 to remove\n"), result.stderr


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "deep.json",
            "[" * 200_000,
            "deep.json:1:65: error AS008 the file nests deeper than 64 levels",
        ),
        (
            "bomb.yaml",
            "a: &a [x,x,x,x,x,x,x,x,x]\n"
            + "".join(
                f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
                for p, c in zip("abcdefgh", "bcdefghi", strict=True)
            ),
            "bomb.yaml:6:14: error AS009 aliases expand to more than 250000 nodes; "
            "write the values out instead of nesting aliases",
        ),
    ],
)
def test_against_inputs_have_the_loaders_limits(tmp_path: Path, name: str, text: str, expected: str) -> None:
    spec = _project(tmp_path)
    (tmp_path / name).write_text(text)
    result = _run("diff", str(spec), "--against", name, "-t", "eks", cwd=tmp_path)
    assert result.returncode == 2  # not a crash of the C parser (-11), not minutes of expansion
    assert result.stderr.decode().splitlines()[-1] == expected


def test_a_long_string_aliased_many_times_is_refused() -> None:
    text = "apiVersion: airflowspec/v1\nbig: &big " + "x" * 1_000_000 + "\nmany: [" + ",".join(["*big"] * 3000) + "]\n"
    loaded = load_bytes(text.encode(), "spec.yaml")
    assert [str(d) for d in loaded.diagnostics] == [
        "spec.yaml:3:88: error AS009 aliases expand to more than 16777216 characters; "
        "write the values out instead of nesting aliases"
    ]


def test_a_huge_integer_and_a_control_character_are_located() -> None:
    long = load_bytes(b"apiVersion: airflowspec/v1\nname: x\nport: " + b"9" * 5000 + b"\n", "spec.yaml")
    assert [str(d) for d in long.diagnostics] == [
        "spec.yaml:3:7: error AS011 a number with 5000 digits is too long; quote it if it is text"
    ]
    control = load_bytes(b"apiVersion: airflowspec/v1\nname: x\nnote: a\x01b\n", "spec.yaml")
    assert [str(d) for d in control.diagnostics] == [
        "spec.yaml:3:8: error AS003 YAML syntax error: unacceptable character #x0001: "
        "control characters are not allowed"
    ]


def test_render_leaves_everything_else_in_the_folder_alone(tmp_path: Path) -> None:
    spec = _project(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "big.bin").touch()
    os.truncate(out / "big.bin", 1 << 30)  # sparse: a gigabyte that must not be copied
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(out / "agent.sock"))
        others = {name: (out / name).lstat() for name in ("big.bin", "agent.sock")}
        listing = sorted(path.name for path in tmp_path.iterdir())
        result = _run("render", str(spec), "-t", "eks", "-o", str(out))
        assert result.returncode == 0, result.stderr
        for name, before in others.items():
            after = (out / name).lstat()
            assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
                before.st_ino,
                before.st_mtime_ns,
                before.st_size,
            )
    assert sorted(path.name for path in tmp_path.iterdir()) == listing  # nothing staged beside the folder
    assert sorted(path.name for path in out.iterdir()) == ["agent.sock", "big.bin", "values.yaml"]


def test_concurrent_renders_into_one_folder_both_complete(tmp_path: Path) -> None:
    spec = _project(tmp_path)
    other = tmp_path / "other.yaml"
    other.write_text(SEED.replace("name: data-platform", "name: data-platform-two"), encoding="utf-8")
    out = tmp_path / "out"
    names = ["requirements.txt", "secretsmanager-secrets.json", "ssm-parameters.json", "template.yaml"]
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from airflowspec import api
        from airflowspec.output import write_artifacts
        _, artifacts = api.render(Path(sys.argv[1]), "mwaa")
        for _ in range(int(sys.argv[3])):
            write_artifacts(Path(sys.argv[2]), artifacts)
        """
    )
    subprocess.run([sys.executable, "-c", script, str(spec), str(out), "1"], check=True)
    runs = [
        subprocess.Popen([sys.executable, "-c", script, str(path), str(out), "40"], stderr=subprocess.PIPE)
        for path in (spec, other)
    ]
    seen_missing = []
    while any(run.poll() is None for run in runs):  # a reader never finds a file missing or empty
        seen_missing += [name for name in names if not (out / name).is_file() or not (out / name).stat().st_size]
    errors = [run.communicate(timeout=300)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    assert seen_missing == []
    assert sorted(path.name for path in out.iterdir()) == names  # no temporary file left
    for name in names:
        assert (out / name).read_text().endswith("\n")


def test_a_spec_that_is_a_link_is_refused(tmp_path: Path) -> None:
    spec = _project(tmp_path)
    (tmp_path / "linked.yaml").symlink_to(tmp_path / "credentials")
    result = _run("validate", "linked.yaml", cwd=tmp_path)
    assert (result.returncode, result.stdout.decode()) == (
        2,
        "linked.yaml: error AS603 is a symbolic link, which airflowspec does not follow here; "
        "name the file or folder it points to\n",
    )
    assert CANARY not in (result.stdout + result.stderr).decode()
    assert _run("validate", str(spec)).returncode == 0


def test_refusals_print_paths_without_control_characters(tmp_path: Path) -> None:
    spec = _project(tmp_path)
    out = tmp_path / "out\x1b]0;pwned\x07\u202e"
    out.mkdir()
    (out / "values.yaml").symlink_to(tmp_path / "credentials")
    for args in (
        ["render", str(spec), "-t", "eks", "-o", str(out)],
        ["render", str(spec), "--check", "-o", str(out), "-t", "eks"],
    ):
        result = _run(*args)
        assert result.returncode == 2
        assert not set("\x1b\x07\u202e") & set((result.stderr + result.stdout).decode()), result.stderr
        assert "out\\u001b]0;pwned\\u0007\\u202e/values.yaml: error AS603" in result.stderr.decode()


def test_streams_the_shell_opens_are_read(tmp_path: Path) -> None:
    """`<(command)` and /dev/stdin are the command line's own streams (a repository cannot put a file
    there), unlike a link committed beside the spec, which stays refused."""
    spec = _project(tmp_path)
    command = f"{sys.executable} -m airflowspec diff <(cat {spec}) {spec} -t eks"
    substituted = subprocess.run(["bash", "-c", command], capture_output=True, timeout=120, check=False)
    assert (substituted.returncode, substituted.stdout) == (0, b"0 to add, 0 to change, 0 to remove\n")
    piped = _run("validate", "/dev/stdin", stdin=spec.read_bytes())
    assert piped.returncode == 0, piped.stdout
    (tmp_path / "stdin.yaml").symlink_to("/dev/stdin")
    linked = _run("validate", "stdin.yaml", cwd=tmp_path, stdin=spec.read_bytes())
    assert (linked.returncode, b"error AS603" in linked.stdout) == (2, True)


def test_render_enters_no_link_inside_the_spec_folder(tmp_path: Path) -> None:
    """`-o rendered/eks` beside the spec names folders of the repository: a committed `rendered` link
    is refused by `render -o` as it is by `render --check` (it once wrote to ../elsewhere)."""
    project = tmp_path / "project"
    project.mkdir()
    spec = _project(project)
    (tmp_path / "elsewhere").mkdir()
    (project / "rendered").symlink_to("../elsewhere")
    for args in (
        ["render", "airflowspec.yaml", "-t", "eks", "-o", "rendered/eks"],
        ["render", str(spec), "-t", "eks", "-o", str(project / "rendered" / "eks")],
        ["render", "airflowspec.yaml", "--check", "-t", "eks", "-o", "rendered/eks"],
    ):
        result = _run(*args, cwd=project)
        assert result.returncode == 2, (args, result.stderr)
        assert "error AS603" in result.stderr.decode() and b"symbolic link" in result.stderr, result.stderr
    assert list((tmp_path / "elsewhere").iterdir()) == []
    assert _run("render", "airflowspec.yaml", "-t", "eks", "-o", "out/new/eks", cwd=project).returncode == 0
    assert (project / "out" / "new" / "eks" / "values.yaml").is_file()  # folders made as mkdir -p would


def test_rendered_json_carries_no_control_character_and_keeps_the_value(tmp_path: Path) -> None:
    hostile = "a\x9b31m\u202eevil\x7f\u2028b"
    escaped = hostile.encode("unicode_escape").decode("ascii")  # as YAML's double-quoted escapes
    spec = _project(tmp_path, SEED.replace("variables:\n", f'variables:\n  odd: "{escaped}"\n', 1))
    assert _run("render", str(spec), "-t", "mwaa", "-o", str(tmp_path / "out")).returncode == 0
    text = (tmp_path / "out" / "ssm-parameters.json").read_text(encoding="utf-8")
    assert not set("\x9b\u202e\x7f\u2028") & set(text)
    values = {p["name"]: p["value"] for p in json.loads(text)["parameters"]}
    assert values["/airflow/variables/odd"] == hostile


def test_a_replaced_file_keeps_its_permissions_but_never_a_set_user_id_bit(tmp_path: Path) -> None:
    spec = _project(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "values.yaml").write_text("old\n")
    (out / "values.yaml").chmod(0o4755)
    assert _run("render", str(spec), "-t", "eks", "-o", str(out)).returncode == 0
    assert stat.S_IMODE((out / "values.yaml").stat().st_mode) == 0o755
