"""`packageIndex` and `extraPackageIndexes`: URLs that reach pip as written, credentials only from secrets.

A URL's text is never quoted back in a message: a user may have pasted a password into it.
"""

from __future__ import annotations

from collections.abc import Iterator

from airflowspec.diagnostics import Diagnostic, error, warning
from airflowspec.package_indexes import USERNAME, index_url_problem, spec_indexes
from airflowspec.spec import Spec


def check_indexes(spec: Spec) -> Iterator[Diagnostic]:
    indexes = spec_indexes(spec)
    seen: set[str] = set()
    for index in indexes:
        problem = index_url_problem(index.url)
        if problem is not None:
            yield error(
                "AS223",
                f"this index URL cannot be handed to pip: {problem}",
                (*index.path, "url"),
                "write `https://host[:port]/path/simple/`; a user name goes in `username`, a password in "
                "`password: {secret: NAME}`",
            )
        elif index.url.rstrip("/") in seen:
            yield error("AS224", "this index URL is listed twice", (*index.path, "url"), "keep one")
        seen.add(index.url.rstrip("/"))
        username = index.index.username
        if isinstance(username, str) and USERNAME.fullmatch(username) is None:
            yield error(
                "AS225",
                "this user name holds a character a URL cannot carry as written",
                (*index.path, "username"),
                "percent-encode it (`@` as %40), or take it from a secret",
            )
        if index.index.password is not None and index.username is None:
            yield error(
                "AS226",
                "a password needs a user name to go with it",
                (*index.path, "password"),
                "add `username` (for a token, whatever user name the index expects)",
            )
    if indexes and not spec.packages:
        yield warning(
            "AS227",
            "the spec lists no packages for pip to install from this index",
            indexes[0].path,
            "add `packages`, or remove the index",
            on_key=True,
        )
