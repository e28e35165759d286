"""Which names look like they hold a secret: Airflow's own list, used to mask and to warn."""

from __future__ import annotations

import re

# airflow.utils.log.secrets_masker.DEFAULT_SENSITIVE_FIELDS (Airflow 2.8), plus `key` and `credentials`
# as whole words, which the issue tracker's users also treat as secret.
SENSITIVE_WORDS = (
    "access_token",
    "api_key",
    "apikey",
    "authorization",
    "credentials",
    "keyfile_dict",
    "passphrase",
    "passwd",
    "password",
    "private_key",
    "secret",
    "service_account",
    "token",
)

# Every pattern here meets user strings of any length: each is linear (no two ways to match one
# character, no search restarting inside a run it has already scanned), and none ends in `$`, which
# also matches before a final newline.
# `key` counts only as the end of a compound (`api_key`, `ssh_key`, `ssh_key\n`): a bare `key` names things.
_SENSITIVE = re.compile("|".join(SENSITIVE_WORDS) + r"|[_-]key(?![a-z0-9])", re.IGNORECASE)
#: `scheme://user:password@` (the user may be empty, as in `redis://:password@host`). A search starts
#: only at `://` (found by a fast literal scan), then looks one character back for the scheme: so it
#: is linear, and ten times faster than scanning for a scheme at every position. (Any scheme character
#: counts, also for a run with no letter, which no real URL has; masking more is the safe side.
#: `[a-z][a-z0-9+.-]*://`, restarted at every character of a long run, was quadratic.)
URL_WITH_PASSWORD = re.compile(r"://(?<=[a-z0-9+.-]://)[^/\s:@]*:[^/\s@]+@", re.IGNORECASE)
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
# Names that say where secrets are kept or which key encrypts, not a secret: `[workers] secrets_backend`,
# MWAA's `KmsKey`; with anything after them (`kms_key\n`), they are not those names.
_NOT_SECRET = re.compile(r"secrets?_backend(_kwargs)?\Z|kms_?key\Z", re.IGNORECASE)


def is_sensitive_name(name: str) -> bool:
    """`password`, `aws_secret_access_key`, `api-key`, `sshKey`, `token` … but not `key`, `monkey` or `keys`."""
    words = _CAMEL_HUMP.sub("_", name)
    return not _NOT_SECRET.search(words) and bool(_SENSITIVE.search(words))
