"""`secrets push --dry-run` (and `ssm push --dry-run`): what a push would do, said even without the
secrets' values or AWS access.

With AWS credentials and a region, the dry run reads the spec's store (SSM Parameter Store or Secrets
Manager) and compares as the push would (created, updated, restored, adopted, unchanged, deleted; an
entry of another owner that would change is refused, AS504). Without them it reads nothing and lists
every entry as `would be written`, and says why in one warning (AS505). An entry whose value needs a
secret that is not set is listed with the secret named (`value missing: secret 'NAME'`), never compared
by value; each such secret is still an AS501 error, as the push would stop on it. Nothing is written,
and no value is ever printed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from airflowspec import secrets_push
from airflowspec.diagnostics import Diagnostic
from airflowspec.push_actions import Action
from airflowspec.push_plan import Options, PushProblems, plan
from airflowspec.push_values import desired
from airflowspec.secrets_push import NO_REGION
from airflowspec.spec import Spec
from airflowspec.targets.mwaa.secret_stores import SecretStore

NO_CREDENTIALS = "no AWS credentials were found"


@dataclasses.dataclass(frozen=True)
class Preview:
    store: SecretStore
    actions: list[Action]
    unread: list[Diagnostic]  # AS501, one per secret that is not set: the push would stop on them
    not_compared: str = ""  # why the store was not read; empty when it was
    prune: bool = False

    @property
    def warning(self) -> str:
        """The AS505 text when the store was not read, else empty."""
        if not self.not_compared:
            return ""
        pruned = ", and none that --prune would delete" if self.prune else ""
        listed = f"each {self.store.noun} is listed as a push would write it{pruned}"
        return f"could not compare with {self.store.title}: {self.not_compared}; {listed}"


def preview(spec: Spec, options: Options, environ: Mapping[str, str]) -> Preview:
    """What `push` would do, reading the store only when there are credentials and a region. Raises
    PushProblems for what the push would refuse in values that could be read (AS419-AS422, AS442-AS444,
    AS502) and for entries of another owner that would change (AS504), with the AS501 errors alongside."""
    store = secrets_push.spec_store(spec)
    wanted = desired(spec, store, environ)
    if wanted.problems:
        raise PushProblems([*wanted.unread, *wanted.problems])
    session = secrets_push.aws_session(options, environ)
    reason = _why_not_compared(session)
    if reason:
        listed = [Action("write", p.name, p.type, missing=wanted.missing.get(p.name, ())) for p in wanted.parameters]
        return Preview(store, listed, wanted.unread, reason, options.prune)
    try:
        client = secrets_push.store_client(store, session)
        planned = plan(client, wanted.parameters, spec.name, options, wanted.missing)
    except PushProblems as refused:
        raise PushProblems([*wanted.unread, *refused.diagnostics]) from None
    return Preview(store, planned.actions, wanted.unread)


def _why_not_compared(session: Any) -> str:
    """Empty when the store can be read. A profile that does not exist raises ProfileNotFound: it was asked for."""
    if session.get_credentials() is None:
        return NO_CREDENTIALS
    if session.region_name is None:
        return NO_REGION
    return ""
