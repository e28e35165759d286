"""`ssm push --dry-run`: what a push would do, said even without the secrets' values or AWS access.

With AWS credentials and a region, the dry run reads SSM and compares as the push would (created,
updated, adopted, unchanged, deleted; a parameter of another owner that would change is refused,
AS504). Without them it reads nothing and lists every parameter as `would be written`, and says why in
one warning (AS505). A parameter whose value needs a secret that is not set is listed with the secret
named (`value missing: secret 'NAME'`), never compared by value; each such secret is still an AS501
error, as the push would stop on it. Nothing is written, and no value is ever printed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from airflowspec import ssm_push
from airflowspec.diagnostics import Diagnostic
from airflowspec.spec import Spec
from airflowspec.ssm_actions import Action
from airflowspec.ssm_push import NO_REGION, Options, PushProblems, plan
from airflowspec.ssm_values import desired

NO_CREDENTIALS = "no AWS credentials were found"


@dataclasses.dataclass(frozen=True)
class Preview:
    actions: list[Action]
    unread: list[Diagnostic]  # AS501, one per secret that is not set: the push would stop on them
    not_compared: str = ""  # why SSM was not read; empty when it was
    prune: bool = False

    @property
    def warning(self) -> str:
        """The AS505 text when SSM was not read, else empty."""
        if not self.not_compared:
            return ""
        pruned = ", and none that --prune would delete" if self.prune else ""
        listed = f"each parameter is listed as a push would write it{pruned}"
        return f"could not compare with SSM: {self.not_compared}; {listed}"


def preview(spec: Spec, options: Options, environ: Mapping[str, str]) -> Preview:
    """What `push` would do, reading SSM only when there are credentials and a region. Raises
    PushProblems for what the push would refuse in values that could be read (AS419-AS422, AS502) and
    for parameters of another owner that would change (AS504), with the AS501 errors alongside."""
    mwaa = spec.targets.mwaa
    assert mwaa is not None  # the mwaa rules report a missing block first
    wanted = desired(spec, mwaa, environ)
    if wanted.problems:
        raise PushProblems([*wanted.unread, *wanted.problems])
    session = ssm_push.aws_session(options, environ)
    reason = _why_not_compared(session)
    if reason:
        listed = [Action("write", p.name, p.type, missing=wanted.missing.get(p.name, ())) for p in wanted.parameters]
        return Preview(listed, wanted.unread, reason, options.prune)
    prefixes = [mwaa.ssm.connections_prefix, mwaa.ssm.variables_prefix]
    try:
        planned = plan(ssm_push.ssm_client(session), wanted.parameters, prefixes, spec.name, options, wanted.missing)
    except PushProblems as refused:
        raise PushProblems([*wanted.unread, *refused.diagnostics]) from None
    return Preview(planned.actions, wanted.unread)


def _why_not_compared(session: Any) -> str:
    """Empty when SSM can be read. A profile that does not exist raises ProfileNotFound: it was asked for."""
    if session.get_credentials() is None:
        return NO_CREDENTIALS
    if session.region_name is None:
        return NO_REGION
    return ""
