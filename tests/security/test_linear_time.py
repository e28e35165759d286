"""Every check takes time linear in its input: a megabyte of hostile text validates, renders and goes
through each of airflowspec's regular expressions without a hang (issue 10, defect 10).

No timing is asserted: the work runs in a subprocess with a very generous hang guard. Linear work on
these inputs takes well under a second; the quadratic URL-with-password check took hours.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from hostile_values import hostile_spec

HANG_GUARD = 60  # seconds, for work that takes well under one


def _airflowspec(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "airflowspec", *args]
    try:
        return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=HANG_GUARD, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`airflowspec {' '.join(args)}` did not finish within {HANG_GUARD} s")


@pytest.mark.parametrize("target", ["eks", "mwaa"])
def test_megabyte_hostile_values_validate_and_render(target: str, tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(hostile_spec(target), encoding="utf-8")
    validated = _airflowspec("validate", "spec.yaml", cwd=tmp_path)
    assert validated.returncode in (0, 1), validated.stderr[-2000:]
    rendered = _airflowspec("render", "spec.yaml", "-t", target, cwd=tmp_path)
    assert rendered.returncode in (0, 1), rendered.stderr[-2000:]
    if target == "eks":  # every value is fine for the community chart: all of it is rendered
        assert rendered.returncode == 0, rendered.stderr[-2000:]


# How each module-level pattern meets user strings: `search` scans the string from every position, so
# only a pattern applied with `search` (or `sub`, `finditer`) must also be linear when searched.
# A new pattern must be listed here: the test below reports any that is not; until then it is searched.
_CREDENTIAL_NAMES = (
    r"(?:^|[_.-])(?:pass|sql_alchemy_conn|broker_url|result_backend|metadataConnection)\Z|dsn\Z|^AIRFLOW_CONN_"
)
HOW_APPLIED = {
    r"://(?<=[a-z0-9+.-]://)[^/\s:@]*:[^/\s@]+@": "search",  # sensitive
    r"(?<=[a-z0-9])(?=[A-Z])": "sub",  # sensitive
    r"secrets?_backend(_kwargs)?\Z|kms_?key\Z": "search",  # sensitive
    r"[\w.-]+\Z": "match",  # checks.identifiers
    r"[A-Za-z][A-Za-z0-9+.-]*://": "match",  # airflow_forms
    r"\$\{[A-Za-z0-9_]+\}|<secret:[^<>]+>": "search",  # diff.changes
    r'"(?:[^"\\]+|\\.)*"?|[\[\]{}]': "finditer",  # diff.compare
    r'[^\s\[\]"\\]+': "fullmatch",  # diff.compare
    r"(?:[A-Za-z0-9._~-]|%[0-9A-Fa-f]{2}){1,128}": "fullmatch",  # package_indexes
    r"(?:[A-Za-z0-9._~!*+,;=-]|%[0-9A-Fa-f]{2})+": "fullmatch",
    r"https://(?P<host>[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)(?::(?P<port>[0-9]{1,5}))?"
    r"(?P<path>/(?:[A-Za-z0-9._~/+-]|%[0-9A-Fa-f]{2})*)?": "fullmatch",
    r"(?P<domain>[a-z][a-z0-9-]{0,49})-(?P<owner>[0-9]{12})\.d\.codeartifact\.(?P<region>[a-z]{2}(?:-[a-z]+)+-[0-9])"
    r"\.amazonaws\.com": "fullmatch",
    r"/pypi/(?P<repository>[A-Za-z0-9][A-Za-z0-9._-]{1,99})/simple/?": "fullmatch",
    r"/?airflowspec/[^/]+/package-index/(?P<secret>[A-Za-z0-9][A-Za-z0-9_.-]*)\Z": "match",  # importing
    r"(?P<option>--index-url|--extra-index-url|-i)(?:[ =]+)(?P<url>\S+)\Z": "match",
    r'export (?P<name>PIP_INDEX_URL|PIP_EXTRA_INDEX_URL)="(?P<urls>[^"]*)"\Z': "match",
    r'(?P<variable>AIRFLOWSPEC_[A-Z0-9_]+)="\$\((?P<command>[^)]*)\)"': "match",
    r"(?:--name|--secret-id) /?airflowspec/[^/\s]+/package-index/(?P<secret>[A-Za-z0-9][A-Za-z0-9_.-]*)": "search",
    r"\$\{(?P<variable>AIRFLOWSPEC_[A-Z0-9_]+)\}\Z": "match",
    r"\$\((?P<variable>AIRFLOWSPEC_PIP_[A-Z0-9_]+)\)\Z": "match",
    r"[-+]?[0-9]+\Z": "match",  # document
    r"0o[0-7]+\Z": "match",
    r"0x[0-9a-fA-F]+\Z": "match",
    r"[-+]?(\.?[0-9][0-9_]*(\.[0-9_]*)?(e[-+]?[0-9]+)?|0[xob][0-9a-f_]+|\.(inf|nan))\Z": "match",  # logs_rules
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}": "match",  # logs_rules
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z": "match",
    r"[-+]?\.(inf|Inf|INF)\Z": "match",
    r"\.(nan|NaN|NAN)\Z": "match",
    r"[A-Za-z_/][\w./@%+=,$-]*(?::[\w./@%+=,$-]+)*(?: [\w./@%+=,$()-]+)*\Z": "match",  # emit
    '["\\\\\u2028\u2029]': "search",  # emit
    r"^ *\t": "match",  # loader
    r"[^ -~]": "sub",  # printable
    r"/dev/stdin|/dev/fd/[0-9]+|/proc/self/fd/[0-9]+": "fullmatch",  # inputs
    r"AS[0-9]{3}": "fullmatch",  # cli.common, --ignore codes
    r"(?:(?P<name>.+)\.)?airflowspec\.ya?ml": "fullmatch",  # rendered_folders, a spec's file name
    r"[a-z]([-a-z0-9]*[a-z0-9])?\Z": "match",  # targets.eks.kubernetes
    r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\Z": "match",  # environments, a name
    r"<secret:([A-Za-z0-9][A-Za-z0-9_.-]*)>\Z": "match",  # importing: a rendered secret placeholder
    r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)": "match",  # constraints: a pin
    r"-python(3\.[0-9]+)\b": "search",  # constraints: an image tag's Python
    r"constraints-(3\.[0-9]+)\.txt\Z": "search",  # constraints: a file's Python
    r"\(line ([0-9]+)\)": "finditer",  # resolve: pip's output
    r"satisfies the requirement ([A-Za-z0-9][A-Za-z0-9._-]*)": "finditer",
    r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}\Z": "match",  # importing: a community `${NAME}` placeholder
    r"# (?P<chart>Community|Official) chart \((?:airflow-helm/charts|apache-airflow/airflow)\) (?P<version>[0-9.]+)\. "
    r"Install with:\Z": "match",
    r"#   helm upgrade --install (?P<release>[a-z0-9][-a-z0-9]*) \S+ --version \S+ \\\Z": "match",
    r"#     --namespace (?P<namespace>[a-z0-9][-a-z0-9]*) --values \S+\Z": "match",
    r"Amazon MWAA environment (?P<name>[A-Za-z][A-Za-z0-9_-]*), generated by airflowspec\Z": "match",
    r'--constraints?[ =]"?[^"\s]*constraints-(?P<version>[0-9][^/]*)/constraints-[0-9.]+\.txt"?\Z': "match",
    r"kubernetes\.io/docs/reference/(generated/)?kubernetes-api": "search",  # data.build_chart_facts (chart files)
    r"^#+\s*(extra\s+|additional\s+|custom\s+)?(pod\s+)?(annotations|labels)\b": "match",
    r"arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b)(-[a-z]+)?:s3:::[a-z0-9.\-]+\Z": "match",  # targets.mwaa
    r"arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9_+=,.@/-]+\Z": "match",
    r"(MON|TUE|WED|THU|FRI|SAT|SUN):([01][0-9]|2[0-3]):(00|30)\Z": "match",
    r"[a-z](?:[a-z0-9._]*[a-z0-9_])?\Z": "match",
    r"[ -~]+\Z": "match",
    r"/?(aws|ssm)": "match",
    r"[A-Za-z0-9/_+=.@-]+\Z": "match",  # targets.mwaa.secrets_manager_rules
    r"coding(?=[:=])": "sub",
    r"\{\{\s*resolve\s*:": "search",
    r"(?:^|\s)-": "search",  # checks.packages
    r"\\": "search",
    r"\s#": "search",
    r"\$\{": "search",
    r"\$[($]": "search",
    r"\[[^\[\]]+\]\Z": "search",
    r"[\s*?\[]|[@+!]\(": "search",  # targets.eks.package_rules
    "'": "search",
    "[$`]": "search",
    (  # targets.mwaa
        r"(((arn:aws(-[a-z]+)?:kms:[a-z]{2}-[a-z]+-[0-9]:[0-9]+:)?key/)?[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}"
        r"-[a-f0-9]{4}-[a-f0-9]{12}|(arn:aws(-[a-z]+)?:kms:[a-z]{2}-[a-z]+-[0-9]:[0-9]+:)?alias/[A-Za-z0-9/_-]+)\Z"
    ): "match",
    (  # sensitive
        "access_key|access_token|api_key|apikey|auth_header|authorization|bearer|connection_string|credentials"
        "|dsn|keyfile_dict|passphrase|passwd|password|private_key|proxies|proxy|secret|service_account"
        r"|service_key|token|webhook_url|[_-]key(?![a-z0-9])"
    ): "search",
    (  # targets.mwaa.stack_rules
        r"arn:aws(-[a-z]+)?:kms:[a-z]{2}-[a-z]+-[0-9]:[0-9]+:key/[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}"
        r"-[a-f0-9]{12}|(key/)?[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}"
    ): "fullmatch",
    r"(key/)?[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}": "fullmatch",  # mwaa.execution_role
    _CREDENTIAL_NAMES: "search",  # diff.changes
    (  # sensitive, for AS210: less the words masked only to be safe
        "access_key|access_token|api_key|apikey|auth_header|authorization|credentials|keyfile_dict|passphrase"
        "|passwd|password|private_key|secret|service_account|service_key|token|webhook_url|[_-]key(?![a-z0-9])"
    ): "search",
}
#: Found quadratic; none left (keep the mapping for the next one found, with where it is).
KNOWN_QUADRATIC: dict[object, str] = {}
_FIND_PATTERNS = """
import dataclasses, importlib, json, pkgutil, re, sys
import airflowspec

def patterns(value, depth=0):
    if isinstance(value, re.Pattern):
        yield value
    elif depth < 3 and isinstance(value, (tuple, list, frozenset, set)):
        for item in value:
            yield from patterns(item, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for item in value.values():
            yield from patterns(item, depth + 1)
    elif depth < 3 and dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from patterns(getattr(value, field.name), depth + 1)

found = {}
for info in pkgutil.walk_packages(airflowspec.__path__, "airflowspec."):
    if not info.name.endswith("__main__"):
        for name, value in vars(importlib.import_module(info.name)).items():
            for pattern in patterns(value):
                found.setdefault(pattern.pattern, (pattern, f"{info.name}.{name}"))
"""


def _module_patterns() -> dict[str, str]:
    """Pattern text -> where it is defined, for every compiled pattern a module of airflowspec holds."""
    script = _FIND_PATTERNS + "print(json.dumps({text: where for text, (_, where) in found.items()}))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    found: dict[str, str] = json.loads(result.stdout)
    return found


def test_every_pattern_says_how_it_is_applied() -> None:
    unlisted = {text: where for text, where in _module_patterns().items() if text not in HOW_APPLIED}
    assert not unlisted, f"add these to HOW_APPLIED with the method that applies them: {unlisted}"


# Each pattern object itself (with its flags), applied as the code applies it to each hostile megabyte
# (with a character after it, so that a pattern anchored at the end fails there, after all the work).
_RUN_PATTERNS = """
from hostile_values import hostile_values
texts = [text + "!" for text in hostile_values().values()]
for pattern_text, method in json.loads(sys.argv[1]).items():
    print(pattern_text, flush=True)
    pattern = found[pattern_text][0]
    for text in texts:
        if method == "sub":
            pattern.sub("", text)
        elif method == "finditer":
            for _ in pattern.finditer(text):
                pass
        else:
            getattr(pattern, method)(text)
"""


def test_each_pattern_takes_linear_time_on_a_megabyte() -> None:
    present = _module_patterns()
    # A pattern not (yet) in HOW_APPLIED is held to `search`, the most demanding use.
    checked = {text: HOW_APPLIED.get(text, "search") for text in present if text not in KNOWN_QUADRATIC}
    command = [sys.executable, "-c", _FIND_PATTERNS + _RUN_PATTERNS, json.dumps(checked)]
    here = Path(__file__).parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(here), os.environ.get("PYTHONPATH", "")])}
    try:
        subprocess.run(command, cwd=here, check=True, timeout=2 * HANG_GUARD, capture_output=True, text=True, env=env)
    except subprocess.TimeoutExpired as hang:
        output = hang.stdout.decode() if isinstance(hang.stdout, bytes) else hang.stdout or ""
        last = output.splitlines()[-1] if output else "?"
        pytest.fail(f"{last!r} ({checked.get(last)}) did not finish within {2 * HANG_GUARD} s on megabyte inputs")
