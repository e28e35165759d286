"""`airflowspec packages`: Airflow's constraints, fetched once into the cache that `validate` reads."""

from __future__ import annotations

from typing import Annotated

import typer

from airflowspec.cli.common import EXIT_OK, EXIT_USAGE, app, say

packages_app = typer.Typer(
    name="packages", help="The spec's pip packages: Airflow's constraints for offline checks.", no_args_is_help=True
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
