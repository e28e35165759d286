"""Which names look like they hold a secret: Airflow's own list, used to mask and to warn."""

from __future__ import annotations

import re

# Airflow's secrets masker's DEFAULT_SENSITIVE_FIELDS (Airflow 2.8 and 3.3), plus `key` and `credentials`
# as whole words, which the issue tracker's users also treat as secret. Like Airflow, a name holding one
# anywhere is sensitive (`aws_secret_access_key`, `proxy_password`).
SENSITIVE_WORDS = (
    "access_key",
    "access_token",
    "api_key",
    "apikey",
    "auth_header",
    "authorization",
    "bearer",
    "connection_string",
    "credentials",
    "dsn",
    "keyfile_dict",
    "passphrase",
    "passwd",
    "password",
    "private_key",
    "proxies",
    "proxy",
    "secret",
    "service_account",
    "service_key",
    "token",
    "webhook_url",
)
#: Last words that say what a value names or where it is, not the secret: `token_header: X-Api-Key` (a
#: header's name), `secret_name`, `password_field`, `private_key_file`, `token_path`, `secret_arn`,
#: `key_type`. Not `id` (HashiCorp Vault's AppRole `secret_id` is a credential) nor `url`/`uri` (a webhook's
#: or a presigned URL is the secret itself). One ending a sensitive word counts as that word (`auth_header`).
METADATA_WORDS = frozenset(
    word + plural for word in ("arn", "dir", "field", "file", "header", "name", "path", "type") for plural in ("", "s")
)
_LONGEST_WORD = max(map(len, (*SENSITIVE_WORDS, *METADATA_WORDS))) + 1

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
#: Words of Airflow's list that mask a value but are too wide to call a literal a secret: a DSN's
#: password is a URL's, which AS215 finds; the others name settings as often as secrets.
MASK_ONLY_WORDS = ("bearer", "connection_string", "dsn", "proxies", "proxy")
_WARN = re.compile(
    "|".join(word for word in SENSITIVE_WORDS if word not in MASK_ONLY_WORDS) + r"|[_-]key(?![a-z0-9])", re.IGNORECASE
)
# Names that say where secrets are kept or which key encrypts, not a secret: `[workers] secrets_backend`,
# MWAA's `KmsKey`; with anything after them (`kms_key\n`), they are not those names.
_NOT_SECRET = re.compile(r"secrets?_backend(_kwargs)?\Z|kms_?key\Z", re.IGNORECASE)


def is_sensitive_name(name: str) -> bool:
    """`password`, `aws_secret_access_key`, `api-key`, `sshKey`, `token`, `auth_header` … but not `key`,
    `monkey`, `keys`, nor a name of what a secret is about (`token_header`, `secret_name`, `private_key_file`)."""
    words = _words(name)
    if _NOT_SECRET.search(words) or not _SENSITIVE.search(words):
        return False
    return not _names_metadata(words)


def looks_like_a_secret(name: str) -> bool:
    """For the literal-secret warning (AS210): a sensitive name, less the words Airflow masks only to be
    safe, which name many plain settings (`enable_proxy_fix`, `proxy_host`, `bearer_token_ttl`)."""
    return is_sensitive_name(name) and bool(_WARN.search(_words(name)))


def _words(name: str) -> str:
    return _CAMEL_HUMP.sub("_", name).replace("-", "_")  # `x-auth-header` as Airflow reads it, `x_auth_header`


def _names_metadata(words: str) -> bool:
    """Its last word is a metadata word that ends no sensitive word. Any character but a letter or digit
    separates words, as in Airflow's masker: `token-header` too; a trailing `\\n` leaves no such word.
    Only the end of a name can decide, so only its end is read (a name may be a megabyte long)."""
    tail = "".join(char if char.isalnum() else "_" for char in words[-_LONGEST_WORD:].lower())
    return tail.rsplit("_", 1)[-1] in METADATA_WORDS and not tail.endswith(SENSITIVE_WORDS)
