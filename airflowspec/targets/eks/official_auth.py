"""`targets.eks.auth` and `targets.eks.useHelmHooks` for the official chart.

No user is made unless `auth.admin` says so (the chart's own job would make admin/admin). The admin's
password never enters the values: the chart's `createUserJob` runs `airflow users create` with the
password as an argument, templated from `createUserJob.defaultUser.password`, so airflowspec replaces its
`args` with the same command whose password is the job's environment variable `AIRFLOW_ADMIN_PASSWORD`,
read from the Kubernetes Secret (`createUserJob.env` with `secretKeyRef`, which the chart passes as it
is) and expanded by the job's shell. `defaultUser` still names the user, for the chart's install notes.
`airflow users create` is the FAB auth manager's command, the chart's `[core] auth_manager` on Airflow 2
and 3 alike. `webserverConfig` becomes `webserver.webserverConfig` (Airflow 2) or
`apiServer.apiServerConfig` (Airflow 3): both are `webserver_config.py`, rendered through `tpl`.
"""

from __future__ import annotations

from typing import Any

from airflowspec.spec import EksTarget, Spec
from airflowspec.spec.eks import AdminUser
from airflowspec.targets.eks import official_chart as chart
from airflowspec.targets.eks.kubernetes import kubernetes_source

Values = dict[str, Any]
PASSWORD_VARIABLE = "AIRFLOW_ADMIN_PASSWORD"


def auth_values(spec: Spec, eks: EksTarget) -> Values:
    values: Values = {}
    auth = eks.auth
    if auth is not None and auth.admin is not None:
        from airflowspec.data.chart_facts import chart_has  # read on first use, not when validating

        job = _create_user_job(spec, auth.admin)
        if not chart_has("official", eks.effective_chart_version(), "createUserJob.enabled"):
            # before 1.19.0 the job follows `webserver.defaultUser.enabled`, and the user is named there
            user = {"enabled": job.pop("enabled"), **job.pop("defaultUser")}
            values["webserver"] = {"defaultUser": user}
        values["createUserJob"] = job
    if auth is not None and auth.webserver_config is not None:
        text = _tpl_literal(auth.webserver_config)
        if chart.is_airflow_3(spec.airflow.version):
            values["apiServer"] = {"apiServerConfig": text}
        else:
            values.setdefault("webserver", {})["webserverConfig"] = text
    if eks.use_helm_hooks is not None:
        # The chart's only Helm hooks that airflowspec leaves on are these two jobs (and the Secrets it
        # makes when the spec names none, which the rules warn about); `applyCustomEnv` stays on, since
        # the Secrets the custom env reads are the user's, not hooks.
        hooks = {"useHelmHooks": eks.use_helm_hooks}
        values["createUserJob"] = {**values.get("createUserJob", {}), **hooks}
        values["migrateDatabaseJob"] = dict(hooks)
    return values


def _create_user_job(spec: Spec, admin: AdminUser) -> Values:
    source = kubernetes_source(spec, admin.password)
    source_text = f"from Secret {source.name}, key {source.key}"
    user = {
        "role": "Admin",
        "username": admin.username,
        "email": admin.email,
        "firstName": admin.first_name,
        "lastName": admin.last_name,
        "password": source_text,  # shown by the chart's notes; the job reads the Secret
    }
    arguments = [
        "bash",
        "-c",
        f'exec airflow users create "$@" --password "${PASSWORD_VARIABLE}"',
        "--",
        *("--role", "Admin", "--username", admin.username, "--email", admin.email),
        *("--firstname", admin.first_name, "--lastname", admin.last_name),
    ]
    env = {"name": PASSWORD_VARIABLE, "valueFrom": {"secretKeyRef": {"name": source.name, "key": source.key}}}
    # `args` pass through `tpl`, then Kubernetes expands `$(NAME)` in them.
    return {
        "enabled": True,
        "defaultUser": user,
        "args": [*arguments[:4], *(_tpl_literal(_k8s_literal(argument)) for argument in arguments[4:])],
        "env": [env],
    }


def _k8s_literal(text: str) -> str:
    return text.replace("$", "$$")


def _tpl_literal(text: str) -> str:
    return text.replace("{{", '{{ "{{" }}')
