"""The spec's package indexes as every target hands them to pip: the URL, and where its credentials come from.

pip takes an index as a URL; credentials go into it (`https://USER:PASSWORD@host/path`), and the
environment variables `PIP_INDEX_URL` and `PIP_EXTRA_INDEX_URL` (URLs separated by spaces) give it the
same as the options. A target never writes a credential into a file: it names the variables that hold
them at install time (`AIRFLOWSPEC_PIP_INDEX_PASSWORD`...) and builds the URL from them there. So a URL
may hold only what no shell, YAML, Helm template or Kubernetes expansion changes, and is checked for that
(`index_url_problem`).
"""

from __future__ import annotations

import dataclasses
import re
import urllib.parse
from collections.abc import Callable, Mapping

from airflowspec.diagnostics import SpecPath
from airflowspec.spec import PackageIndex, SecretRef, Spec

#: https, a host name, an optional port and a path of unreserved characters, `/`, `+` and `%XX`.
INDEX_URL = re.compile(
    r"https://(?P<host>[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)(?::(?P<port>[0-9]{1,5}))?"
    r"(?P<path>/(?:[A-Za-z0-9._~/+-]|%[0-9A-Fa-f]{2})*)?"
)
#: A user name written in the spec, as it goes into the URL.
USERNAME = re.compile(r"(?:[A-Za-z0-9._~-]|%[0-9A-Fa-f]{2}){1,128}")
#: A credential's value as it goes into the URL: unreserved characters, `%XX` escapes and what
#: RFC 3986 lets userinfo hold unescaped, except what a shell or Kubernetes would read (`$`, quotes).
CREDENTIAL = re.compile(r"(?:[A-Za-z0-9._~!*+,;=-]|%[0-9A-Fa-f]{2})+")
CREDENTIAL_HINT = "percent-encode it as it goes into a URL (`/` as %2F, `@` as %40, `:` as %3A)"
#: CodeArtifact's repository endpoint: `DOMAIN-OWNER.d.codeartifact.REGION.amazonaws.com/pypi/REPO/simple/`.
CODE_ARTIFACT_HOST = re.compile(
    r"(?P<domain>[a-z][a-z0-9-]{0,49})-(?P<owner>[0-9]{12})\.d\.codeartifact\.(?P<region>[a-z]{2}(?:-[a-z]+)+-[0-9])"
    r"\.amazonaws\.com"
)
CODE_ARTIFACT_PATH = re.compile(r"/pypi/(?P<repository>[A-Za-z0-9][A-Za-z0-9._-]{1,99})/simple/?")
CODE_ARTIFACT_USER = "aws"
#: pip's variables for its index options: the index instead of PyPI, and the others (separated by spaces).
PIP_INDEX_URL, PIP_EXTRA_INDEX_URL = "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL"


@dataclasses.dataclass(frozen=True)
class CodeArtifact:
    domain: str
    owner: str  # the account that owns the domain
    region: str
    repository: str


@dataclasses.dataclass(frozen=True)
class Index:
    """One index of the spec, in pip's order: the spec's `packageIndex` first, then each extra one."""

    path: SpecPath
    index: PackageIndex
    extra: bool
    number: int  # 0 for `packageIndex`, 1... for the extra ones

    @property
    def url(self) -> str:
        return self.index.url

    @property
    def variable(self) -> str:
        """The stem of the variables that hold its credentials where it is installed."""
        return f"AIRFLOWSPEC_PIP_EXTRA_INDEX_{self.number}" if self.extra else "AIRFLOWSPEC_PIP_INDEX"

    @property
    def code_artifact(self) -> CodeArtifact | None:
        return code_artifact(self.url)

    @property
    def username(self) -> str | SecretRef | None:
        """The user name: the spec's, or `aws` for a CodeArtifact index."""
        if self.index.username is None and self.code_artifact is not None:
            return CODE_ARTIFACT_USER
        return self.index.username

    def with_credentials(self, username: str | None, password: str | None) -> str:
        """The URL with credentials (each as it goes into the URL: the caller's text or variable)."""
        if username is None and password is None:
            return self.url
        userinfo = (username or "") + (f":{password}" if password is not None else "")
        return self.url.replace("https://", f"https://{userinfo}@", 1)


def spec_indexes(spec: Spec) -> list[Index]:
    indexes = []
    if spec.package_index is not None:
        indexes.append(Index(("packageIndex",), spec.package_index, False, 0))
    for number, index in enumerate(spec.extra_package_indexes, start=1):
        indexes.append(Index(("extraPackageIndexes", number - 1), index, True, number))
    return indexes


#: How a target writes one credential into a URL: (index, "username" or "password", the spec's value) ->
#: its text there (a variable that holds it where pip runs, the value itself), or None for none.
Credential = Callable[[Index, str, "str | SecretRef | None"], "str | None"]


def pip_urls(spec: Spec, credential: Credential) -> dict[str, str]:
    """pip's variables for the spec's indexes, each URL's user name, then password, as `credential`
    writes it; an extra index's after the one before it."""
    urls: dict[bool, list[str]] = {False: [], True: []}
    for index in spec_indexes(spec):
        username = credential(index, "username", index.username)
        urls[index.extra].append(index.with_credentials(username, credential(index, "password", index.index.password)))
    variables = {PIP_INDEX_URL: urls[False][0]} if urls[False] else {}
    if urls[True]:
        variables[PIP_EXTRA_INDEX_URL] = " ".join(urls[True])
    return variables


def code_artifact(url: str) -> CodeArtifact | None:
    """The CodeArtifact repository of a URL that passes `index_url_problem`, else None."""
    if index_url_problem(url) is not None:
        return None
    parts = urllib.parse.urlsplit(url)
    host = CODE_ARTIFACT_HOST.fullmatch(parts.netloc)
    path = CODE_ARTIFACT_PATH.fullmatch(parts.path)
    if host is None or path is None:
        return None
    return CodeArtifact(host["domain"], host["owner"], host["region"], path["repository"])


def index_url_problem(url: str) -> str | None:
    """Why `url` cannot be an index URL, or None."""
    if not url.startswith("https://"):
        return "it is not an https URL: credentials and packages would cross the network in clear"
    if "@" in url.partition("//")[2].partition("/")[0]:
        return "it holds a user name or password, which the spec may only take from a secret"
    match = INDEX_URL.fullmatch(url)
    if match is None:
        return (
            "it holds a character other than letters, digits and `.-_~/+`, `%XX` escapes, a host and a port,"
            " such as a query, a fragment, a quote or a `$`"
        )
    if match["port"] is not None and not 0 < int(match["port"]) < 65536:
        return "its port is not one from 1 to 65535"
    return None


#: Where `packages resolve` finds a CodeArtifact token when the spec keeps none in a secret (MWAA's way),
#: as CodeArtifact's user guide names it.
CODE_ARTIFACT_TOKEN = "CODEARTIFACT_AUTH_TOKEN"


@dataclasses.dataclass(frozen=True)
class PipVariables:
    """pip's index variables with credentials filled in, for `packages resolve` on this machine."""

    variables: dict[str, str]
    unread: list[tuple[SpecPath, str, str]]  # (where a credential is used, why it cannot be, a hint)
    values: list[str]  # the credentials, to mask in anything pip prints


def pip_variables(spec: Spec, environ: Mapping[str, str]) -> PipVariables:
    """`PIP_INDEX_URL` and `PIP_EXTRA_INDEX_URL` for the spec's indexes, each credential read from its
    secret's `env` source in `environ` (as it goes into the URL, as on the platforms); a CodeArtifact
    token the spec keeps in no secret from `$CODEARTIFACT_AUTH_TOKEN`."""
    unread: list[tuple[SpecPath, str, str]] = []
    values: list[str] = []

    def credential(index: Index, field: str, value: str | SecretRef | None) -> str | None:
        if isinstance(value, SecretRef):
            variable = spec.secrets[value.secret].env if value.secret in spec.secrets else None
            what = f"secret '{value.secret}'"
        elif field == "password" and index.code_artifact is not None:
            variable, what = CODE_ARTIFACT_TOKEN, "a CodeArtifact token"
        else:
            return value
        text = environ.get(variable, "") if variable else ""
        if not text:
            why = f"{variable} is not set" if variable else "it has no `env` source"
            hint = "set it, or resolve elsewhere with --index-url or --no-index"
            unread.append(((*index.path, field), f"cannot read {what} of the index: {why}", hint))
        elif CREDENTIAL.fullmatch(text) is None:
            unread.append(((*index.path, field), f"{what} holds a character a URL cannot carry", CREDENTIAL_HINT))
        values.append(text)
        return text

    variables = pip_urls(spec, credential)
    return PipVariables(variables, unread, [value for value in values if value])
