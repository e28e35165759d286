"""Rules both charts apply, each with its own facts: options a chart sets itself, what its pods
already mount, where secrets come from, and git access."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping

from airflowspec.airflow_forms import secret_parts
from airflowspec.diagnostics import Diagnostic, SpecPath, error, warning
from airflowspec.spec import Spec
from airflowspec.spec.walk import secret_references, strings
from airflowspec.targets.eks.kubernetes import clean_path, mounted_volumes


def check_owned_options(spec: Spec, owned: Mapping[tuple[str, str], str]) -> Iterator[Diagnostic]:
    """An airflow.cfg option the chart sets itself (or its `_cmd`/`_secret` form); `owned` says what to
    set instead, by (section, option)."""
    for section, options in spec.airflow.config.items():
        for option in options:
            hint = owned.get((section, option.removesuffix("_cmd").removesuffix("_secret")))
            if hint:
                path = ("airflow", "config", section, option)
                yield error("AS306", f"the chart sets {section}.{option} itself", path, hint, on_key=True)


def check_mounts(spec: Spec, reserved_names: frozenset[str], taken: Mapping[str, str]) -> Iterator[Diagnostic]:
    """A volume with a name the chart gives its own volumes, or at a path where the chart mounts `taken[path]`."""
    for name, volume in mounted_volumes(spec).items():
        if name in reserved_names:
            yield error(
                "AS322", f"the chart names a volume of its own '{name}'", ("volumes", name), "rename it", on_key=True
            )
        owner = taken.get(clean_path(volume.mount_path))
        if owner:
            yield error(
                "AS323",
                f"volume '{name}' mounts at {volume.mount_path}, where the chart mounts {owner}",
                ("volumes", name, "mountPath"),
                "mount it somewhere else",
            )


def check_secret_sources(
    spec: Spec, named: Iterable[str] = (), naming: Callable[[str], str] = str
) -> Iterator[Diagnostic]:
    """Every referenced secret needs a `kubernetes` source; the `named` secrets become names (via
    `naming`) in the values, which must not clash."""
    reported = set()
    for _, ref in secret_references(spec):
        secret = spec.secrets.get(ref.secret)
        if secret is not None and secret.kubernetes is None and ref.secret not in reported:
            reported.add(ref.secret)
            yield error(
                "AS308",
                f"secret '{ref.secret}' has no `kubernetes` source, which EKS reads it from",
                ("secrets", ref.secret),
                "add `kubernetes: {name: SECRET, key: KEY}`",
                on_key=True,
            )
    owners: dict[str, str] = {}
    for secret_name in named:
        name = naming(secret_name)
        if name in owners:
            message = f"secrets '{owners[name]}' and '{secret_name}' both become {name}"
            yield error("AS309", message, ("secrets", secret_name), "rename one of them", on_key=True)
        owners.setdefault(name, secret_name)


def check_pasted_secrets(spec: Spec, extra_only: bool) -> Iterator[Diagnostic]:
    """A secret the chart would paste into a connection's JSON text: its value could change what the
    connection means (a `"` ends the string, `","host":"…` sets another field), so it is refused."""
    for conn_id, connection in spec.field_connections().items():
        for where, ref in secret_parts(connection):
            if extra_only and where[0] != "extra":
                continue
            text = "the JSON text of `extra`" if extra_only else f"the JSON of AIRFLOW_CONN_{conn_id.upper()}"
            yield error(
                "AS324",
                f"the chart would paste secret '{ref.secret}' into {text} unescaped: its value could change "
                "the connection",
                ("connections", conn_id, *where),
                f"keep the whole connection in one secret, `{conn_id}: {{secret: NAME}}`, its value Airflow's "
                "JSON form of the connection",
            )


def check_git_access(spec: Spec) -> Iterator[Diagnostic]:
    source = spec.dags.from_
    git = source.git if source else None
    if git is None:
        return
    path = ("dags", "from", "git")
    if git.repo.lower().startswith("git@github.com") and (git.credentials is None or git.credentials.ssh_key is None):
        yield error(
            "AS312", "GitHub over SSH needs a key", (*path, "repo"), "add `credentials: {sshKey: {secret: NAME}}`"
        )
    if git.repo.startswith(("git@", "ssh://")) and git.known_hosts is None:
        message = "no `knownHosts`: git-sync will not check the server's host key"
        yield warning("AS314", message, path, "add the host's known_hosts lines", on_key=True)


#: Where a spec string may hold a line break (or any unprintable character): values both charts carry
#: quoted or encoded (variables and connections as JSON or Python string literals, known_hosts into a
#: Secret or ConfigMap), as `helm template` shows (tests/security/test_chart_injection.py). `None`
#: stands for any key or index.
MULTI_LINE: tuple[tuple[str | None, ...], ...] = (
    ("variables",),
    ("connections",),
    ("pools", None, "description"),
    ("dags", "from", "git", "knownHosts"),
    ("targets", "eks", "auth", "webserverConfig"),  # Python text: each chart's rules check it (AS360, AS379)
    ("targets", "mwaa"),  # not rendered for EKS
)


def check_printable(spec: Spec) -> Iterator[Diagnostic]:
    """Both charts write many values into their manifests as they are (`image: {{ .repository }}:{{ .tag }}`,
    `{{ tpl $value }}` in airflow.cfg, `mountPath: {{ .Values.dags.path }}`): a line break there would
    start a YAML line of its own, and add fields or whole objects to what Helm installs."""
    for path, text, is_key in strings(spec):
        if text.isprintable() or any(_under(path, prefix) for prefix in MULTI_LINE):
            continue
        char = next(char for char in text if not char.isprintable())
        yield error(
            "AS300",
            f"{'this key' if is_key else 'this value'} holds the unprintable character U+{ord(char):04X}, which "
            "the chart would write into its manifests as it is: a line break there adds YAML of its own",
            path,
            "remove it; only variables, connections, pool descriptions and git knownHosts may hold line breaks",
            on_key=is_key,
        )


def _under(path: SpecPath, prefix: tuple[object, ...]) -> bool:
    return len(path) >= len(prefix) and all(part is None or part == path[i] for i, part in enumerate(prefix))
