"""`airflowspec packages`: Airflow's constraints, fetched once into the cache that `validate` reads, and a
resolution of the spec's packages with pip, remembered for `diff`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from airflowspec.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    EnvOption,
    TargetName,
    app,
    environment_missing,
    exit_code,
    print_diagnostics,
    say,
    write_output,
)

TargetOption = Annotated[
    Optional[TargetName],  # noqa: UP045
    typer.Option(
        "--target", "-t", metavar="TARGET", help="eks or mwaa; default: MWAA when declared.", show_default=False
    ),
]

packages_app = typer.Typer(
    name="packages",
    help="The spec's pip packages: Airflow's constraints for the offline check, and a resolution with pip.",
    no_args_is_help=True,
)
app.add_typer(packages_app)

_TIMEOUT = 30  # seconds
_LIMIT = 4 * 1024 * 1024  # a constraints file is about 30 KB


@packages_app.command("fetch-constraints")
def fetch_constraints(
    airflow: Annotated[str, typer.Option(metavar="VERSION", help="The Airflow release, e.g. 2.10.3.")],
    python: Annotated[str, typer.Option(metavar="VERSION", help="The Python version, e.g. 3.11.")],
) -> None:
    """Download Airflow's constraints for one release and Python into the user's cache, where
    `validate` (which never uses the network) checks `packages` against them. The only command that
    reaches the network for constraints; `$AIRFLOWSPEC_CONSTRAINTS_URL` names a mirror
    (`{airflow}` and `{python}` in it are replaced)."""
    import re
    import urllib.error
    import urllib.request

    from airflowspec import constraints

    if not re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", airflow) or not re.fullmatch(r"3\.[0-9]+", python):
        say(
            "airflowspec packages fetch-constraints: --airflow takes a release like 2.10.3, --python like 3.11",
            err=True,
        )
        raise typer.Exit(EXIT_USAGE)
    url = constraints.url(airflow, python)
    try:
        with urllib.request.urlopen(url, timeout=_TIMEOUT) as response:
            data = response.read(_LIMIT + 1)
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the response, and its socket
        say(f"{url}: error AS001 cannot fetch it: HTTP {exc.code} {exc.reason}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except (OSError, ValueError) as exc:
        say(f"{url}: error AS001 cannot fetch it: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    text = data.decode("utf-8", errors="replace")
    pins = constraints.parse(text, url, python).pins
    if len(data) > _LIMIT or not pins:
        say(f"{url}: error AS600 is not a constraints file (`name==version` lines)", err=True)
        raise typer.Exit(EXIT_USAGE)
    target = constraints.cached_file(airflow, python)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(target)
    say(f"wrote {target}: {len(pins)} pins of Airflow {airflow} for Python {python}")
    raise typer.Exit(EXIT_OK)


@packages_app.command("resolve")
def resolve(
    spec: Annotated[Path, typer.Argument(help="The spec file.", show_default=False)],
    target: TargetOption = None,
    env: EnvOption = None,
    constraints: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(metavar="FILE", help="Airflow's constraints; default: the cached ones.", show_default=False),
    ] = None,
    index_url: Annotated[Optional[str], typer.Option(metavar="URL", help="pip's --index-url.")] = None,  # noqa: UP045
    find_links: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(metavar="PATH_OR_URL", help="pip's --find-links (repeatable)."),
    ] = None,
    no_index: Annotated[bool, typer.Option("--no-index", help="pip's --no-index: only --find-links.")] = False,
    lock: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(metavar="FILE", help="Also write the resolved set there, one `name==version` per line."),
    ] = None,
) -> None:
    """Resolve the spec's packages with pip, as the target will install them: its Python, Linux binary
    wheels, Airflow's constraints, the spec's package indexes (each credential from its secret's `env`
    source). Nothing is installed; prints the resolved set, and remembers the outcome for `diff`. Exits 0
    when pip resolves them, 1 when it cannot (each package pip names, located), 2 on usage trouble."""
    from airflowspec import api
    from airflowspec.checks.pins import target_python
    from airflowspec.diagnostics import error
    from airflowspec.package_indexes import PipVariables, pip_variables
    from airflowspec.resolutions import inputs, remember
    from airflowspec.resolve import PLATFORM
    from airflowspec.resolve import resolve as run

    validation = api.validate(spec, None, env, constraints)
    if environment_missing(validation, env, "resolve"):
        raise typer.Exit(EXIT_USAGE)
    print_diagnostics(tuple(d for d in validation.diagnostics if d.severity.value == "error"), sys.stderr)
    if not validation.ok or validation.spec is None:
        raise typer.Exit(exit_code(validation))
    declared = api.declared_targets(validation.spec)
    name = target.value if target else (declared[0] if len(declared) == 1 else "mwaa" if "mwaa" in declared else "")
    python, pins = target_python(validation.spec, name, constraints)
    if python is None:
        say(f"{spec}: error AS458 the Python of the image is unknown; tag it like 2.10.3-python3.11", err=True)
        raise typer.Exit(EXIT_USAGE)
    options = [*(["--index-url", index_url] if index_url else []), *(["--no-index"] if no_index else [])]
    options += [option for link in find_links or () for option in ("--find-links", link)]
    indexes = pip_variables(validation.spec, os.environ) if not (index_url or no_index) else PipVariables({}, [], [])
    if indexes.unread:
        problems = [error("AS459", why, path, hint) for path, why, hint in indexes.unread]
        print_diagnostics(tuple(validation.locate(problems)), sys.stderr)
        raise typer.Exit(EXIT_USAGE)
    resolved = inputs(validation.spec, name, python, PLATFORM, pins, options)
    result = run(validation.spec.packages, python, pins, options, indexes.variables, indexes.values)
    if not result.diagnostics or result.conflict:  # an index that could not be reached says nothing of the set
        remember(resolved, None if result.diagnostics else result.installed)
    if result.diagnostics:
        print_diagnostics(tuple(validation.locate(result.diagnostics)), sys.stderr)
        raise typer.Exit(EXIT_INVALID)
    lines = [f"{package}=={version}" for package, version in result.installed.items()]
    sys.stdout.write("".join(f"{line}\n" for line in lines))
    if lock is not None:
        raise typer.Exit(_write_lock(spec, lock, "".join(f"{line}\n" for line in lines)))
    raise typer.Exit(EXIT_OK)


def _write_lock(spec: Path, lock: Path, text: str) -> int:
    from airflowspec.inputs import folder_within
    from airflowspec.targets import Artifact

    return write_output(spec, folder_within(lock.parent, spec.parent), [Artifact(lock.name, text)], "the lock file")
