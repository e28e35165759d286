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

# `key` counts only as the end of a compound (`api_key`, `ssh_key`): a bare `key` names things.
_SENSITIVE = re.compile("|".join(SENSITIVE_WORDS) + r"|[_-]key($|[_-])", re.IGNORECASE)
#: `scheme://user:password@` (the user may be empty, as in `redis://:password@host`).
URL_WITH_PASSWORD = re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]*:[^/\s@]+@", re.IGNORECASE)
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
# Names that say where secrets are kept or which key encrypts, not a secret: `[workers] secrets_backend`,
# MWAA's `KmsKey`.
_NOT_SECRET = re.compile(r"secrets?_backend(_kwargs)?$|kms_?key$", re.IGNORECASE)


def is_sensitive_name(name: str) -> bool:
    """`password`, `aws_secret_access_key`, `api-key`, `sshKey`, `token` … but not `key`, `monkey` or `keys`."""
    words = _CAMEL_HUMP.sub("_", name)
    return not _NOT_SECRET.search(words) and bool(_SENSITIVE.search(words))
