"""Official chart values (apache-airflow/airflow 1.x) back into a spec: what the spec has a field for.

The inverse of `targets.eks.official_values` for the settings teams write: the Airflow version and
image, the executor, the fernet, API and JWT keys from Secrets, variables and connections as
`AIRFLOW_VAR_*`/`AIRFLOW_CONN_*` (`env` literal, `secret` from a Kubernetes Secret), airflow.cfg,
volumes, DAGs from git or a claim, each component's service account, the database and broker URLs in
Secrets, each pod's size and placement, the admin user, log grooming. `importing.residual` carries or
reports the rest.
"""

from __future__ import annotations

from typing import Any

from airflowspec.diff.live import ReadProblem, read_document
from airflowspec.importing import Imported
from airflowspec.importing.entries import connection, secret_name
from airflowspec.importing.indexes import PIP_URLS, import_pip_environment
from airflowspec.importing.values_reader import ValuesReader, json_or_text, mapping

_CORE = {  # env var -> (targets.eks field, the secret's name)
    "AIRFLOW__CORE__FERNET_KEY": ("fernetKey", "fernet-key"),
    "AIRFLOW__WEBSERVER__SECRET_KEY": ("webserverSecretKey", "webserver-secret-key"),
    "AIRFLOW__API__SECRET_KEY": ("webserverSecretKey", "api-secret-key"),
    "AIRFLOW__API_AUTH__JWT_SECRET": ("jwtSecret", "jwt-secret"),
}
#: The chart's key of each component (the UI: `apiServer` on Airflow 3, `webserver` on 2).
_COMPONENTS = {
    "scheduler": "scheduler",
    "webserver": ("apiServer", "webserver"),
    "triggerer": "triggerer",
    "dagProcessor": "dagProcessor",
    "statsd": "statsd",
    "pgbouncer": "pgbouncer",
}
_ROLE = "eks.amazonaws.com/role-arn"
_GIT_SSH_KEY = "gitSshKey"  # the key the chart reads from `dags.gitSync.sshKeySecret`


def import_official(values: dict[str, Any], source: str, into: Imported) -> None:
    eks = into.at("targets", "eks")
    eks["chart"] = "official"
    reader = _Reader(source, into)
    if values.get("airflowVersion"):
        into.at("airflow")["version"] = str(values["airflowVersion"])
    reader.image(mapping(mapping(values.get("images")).get("airflow")))
    if isinstance(values.get("executor"), str):
        into.at("airflow")["executor"] = values["executor"]
    reader.environment(values.get("env"), values.get("secret"))
    reader.pip_environment(values.get("extraEnv"), values.get("secret"))
    reader.jwt(mapping(values.get("scheduler")).get("env"))
    reader.config(values.get("config"))
    reader.volumes(values.get("volumes"), values.get("volumeMounts"))
    reader.dags(mapping(values.get("dags")))
    reader.data(mapping(values.get("data")))
    reader.service_accounts(values)
    reader.components(values)
    reader.admin(mapping(values.get("createUserJob")))
    reader.groomer(mapping(mapping(values.get("scheduler")).get("logGroomerSidecar")))


class _Reader(ValuesReader):
    def __init__(self, source: str, into: Imported) -> None:
        super().__init__(source, into)

    def image(self, image: dict[str, Any]) -> None:
        version = self.into.spec.get("airflow", {}).get("version")
        repository, tag = str(image.get("repository", "apache/airflow")), image.get("tag")
        if repository != "apache/airflow" or (tag is not None and str(tag) != version):
            self.eks["image"] = {"repository": repository, **({"tag": str(tag)} if tag is not None else {})}

    def environment(self, env: Any, secrets: Any) -> None:
        for item in env if isinstance(env, list) else ():
            name, value = (item.get("name"), item.get("value")) if isinstance(item, dict) else (None, None)
            if not isinstance(name, str) or not isinstance(value, str):
                continue
            text = value.replace("$$", "$")  # Kubernetes' escape of a literal `$`
            if name.startswith("AIRFLOW_VAR_"):
                self.into.at("variables")[name.removeprefix("AIRFLOW_VAR_").lower()] = json_or_text(text)
            elif name.startswith("AIRFLOW_CONN_"):
                conn_id = name.removeprefix("AIRFLOW_CONN_").lower()
                self.into.at("connections")[conn_id] = connection(conn_id, text, self.source, self.into, live=True)
            elif name == "_PIP_ADDITIONAL_REQUIREMENTS":
                self.into.spec["packages"] = text.split()
                self.eks["pipInstallAtStart"] = True
        for item in secrets if isinstance(secrets, list) else ():
            name = item.get("envName") if isinstance(item, dict) else None
            if not isinstance(name, str):
                continue
            where = (str(item.get("secretName")), str(item.get("secretKey")))
            if name in _CORE:
                field, label = _CORE[name]
                self.eks[field] = self.secret(*where, label)
            elif name.startswith("AIRFLOW_VAR_"):
                key = name.removeprefix("AIRFLOW_VAR_").lower()
                self.into.at("variables")[key] = self.secret(*where, secret_name(key))
            elif name.startswith("AIRFLOW_CONN_"):
                conn_id = name.removeprefix("AIRFLOW_CONN_").lower()
                self.into.at("connections")[conn_id] = self.secret(*where, secret_name(conn_id, "connection"))

    def pip_environment(self, extra_env: Any, secrets: Any) -> None:
        """The package indexes: URLs in `extraEnv` (YAML text), their credentials in `secret`."""
        pip_secrets = {}
        for item in secrets if isinstance(secrets, list) else ():
            name = item.get("envName") if isinstance(item, dict) else None
            if isinstance(name, str) and name.startswith("AIRFLOWSPEC_PIP_"):
                where = (str(item.get("secretName")), str(item.get("secretKey")))
                pip_secrets[name] = self.secret(*where, secret_name(name.removeprefix("AIRFLOWSPEC_PIP_")))
        urls = {}
        for item in _env_text(extra_env):
            if isinstance(item, dict) and item.get("name") in PIP_URLS and isinstance(item.get("value"), str):
                urls[item["name"]] = item["value"]
        import_pip_environment(urls, pip_secrets, self.source, self.into)

    def jwt(self, env: Any) -> None:
        for item in env if isinstance(env, list) else ():
            ref = mapping(mapping(item).get("valueFrom")).get("secretKeyRef")
            if mapping(item).get("name") == "AIRFLOW__API_AUTH__JWT_SECRET" and isinstance(ref, dict):
                self.eks["jwtSecret"] = self.secret(str(ref.get("name")), str(ref.get("key")), "jwt-secret")

    def config(self, config: Any) -> None:
        for section, options in mapping(config).items():
            for option, value in mapping(options).items():
                text = str(value).replace('{{ "{{" }}', "{{").replace("%%", "%")  # tpl's and ConfigParser's escapes
                self.into.at("airflow", "config").setdefault(str(section), {})[str(option)] = text

    def dags(self, dags: dict[str, Any]) -> None:
        target = self.into.at("dags")
        if isinstance(dags.get("mountPath"), str):
            target["path"] = dags["mountPath"]
        sync = mapping(dags.get("gitSync"))
        if not sync.get("enabled"):
            return
        git: dict[str, Any] = {"repo": sync.get("repo"), "ref": sync.get("ref") or sync.get("branch") or "main"}
        if sync.get("subPath"):
            git["subPath"] = sync["subPath"]
        period = str(sync.get("period", ""))
        if period.endswith("s") and period[:-1].isdigit():
            git["syncInterval"] = int(period[:-1])
        git |= {key: sync[key] for key in ("depth", "maxFailures") if key in sync}
        if sync.get("sshKeySecret"):
            git["credentials"] = {"sshKey": self.secret(str(sync["sshKeySecret"]), _GIT_SSH_KEY, "git-ssh-key")}
        credentials = {}
        for item in _items(sync.get("env")):
            ref = mapping(mapping(mapping(item).get("valueFrom")).get("secretKeyRef"))
            field = {"GITSYNC_USERNAME": "username", "GITSYNC_PASSWORD": "password"}.get(str(mapping(item).get("name")))
            if field and ref:
                credentials[field] = self.secret(str(ref.get("name")), str(ref.get("key")), f"git-{field}")
        if credentials:
            git["credentials"] = credentials
        if sync.get("knownHosts"):
            git["knownHosts"] = sync["knownHosts"]
        target["from"] = {"git": git}

    def data(self, data: dict[str, Any]) -> None:
        """The database and broker URLs, each in a Secret under the key the chart reads (`connection`)."""
        if data.get("metadataSecretName"):
            url = self.secret(str(data["metadataSecretName"]), "connection", "metadata-db-url")
            self.eks["database"] = {"url": url}
        if data.get("brokerUrlSecretName"):
            self.eks["redis"] = {"url": self.secret(str(data["brokerUrlSecretName"]), "connection", "broker-url")}

    def service_accounts(self, values: dict[str, Any]) -> None:
        """The scheduler's account is everyone's (`targets.eks.serviceAccount`); one that differs is the
        component's own."""
        account = mapping(mapping(values.get("scheduler")).get("serviceAccount"))
        role = mapping(account.get("annotations")).get(_ROLE)
        if role:
            self.eks["serviceAccount"] = {"roleArn": role}
        workers = mapping(mapping(mapping(values.get("workers")).get("celery")).get("serviceAccount"))
        own = mapping(workers.get("annotations")).get(_ROLE)
        if own and own != role:
            found = {"roleArn": own, **({"create": workers["create"]} if "create" in workers else {})}
            self.eks.setdefault("components", {}).setdefault("workers", {})["serviceAccount"] = found

    def components(self, values: dict[str, Any]) -> None:
        found = self.eks.setdefault("components", {})
        defaults = {
            key: values[key] for key in ("nodeSelector", "affinity", "tolerations", "labels") if values.get(key)
        }
        if values.get("airflowPodAnnotations"):
            defaults["annotations"] = _untemplated(values["airflowPodAnnotations"])
        context = mapping(mapping(values.get("securityContexts")).get("pod"))
        if context:
            defaults["securityContext"] = context
        if defaults:
            found["defaults"] = defaults
        for key, ingress in mapping(values.get("ingress")).items():
            name = {"apiServer": "webserver", "web": "webserver", "flower": "flower"}.get(str(key))
            if name and mapping(ingress).get("enabled"):
                found.setdefault(name, {})["ingress"] = _ingress(mapping(ingress))
        if mapping(values.get("statsd")).get("enabled") is False:
            found.setdefault("statsd", {})["enabled"] = False
        for name, keys in _COMPONENTS.items():
            for key in keys if isinstance(keys, tuple) else (keys,):
                settings = _pod(mapping(values.get(key)))
                if settings:
                    found.setdefault(name, {}).update(settings)
        celery = mapping(mapping(values.get("workers")).get("celery"))
        workers = _pod(celery)
        keda = mapping(celery.get("keda"))
        if keda.get("enabled"):
            workers["autoscaling"] = {
                "minReplicas": keda.get("minReplicaCount"),
                "maxReplicas": keda.get("maxReplicaCount"),
            }
        if workers:
            found.setdefault("workers", {}).update(workers)
        if not found:
            del self.eks["components"]

    def admin(self, job: dict[str, Any]) -> None:
        user = mapping(job.get("defaultUser"))
        if "useHelmHooks" in job:
            self.eks["useHelmHooks"] = job["useHelmHooks"]
        if not job.get("enabled") or not user:
            return
        password = None
        for item in _items(job.get("env")):
            ref = mapping(mapping(mapping(item).get("valueFrom")).get("secretKeyRef"))
            if ref:
                password = self.secret(str(ref.get("name")), str(ref.get("key")), "admin-password")
        admin = {"username": user.get("username"), "password": password}
        admin |= {key: user[key] for key in ("email", "firstName", "lastName") if isinstance(user.get(key), str)}
        self.eks["auth"] = {"admin": {key: value for key, value in admin.items() if value is not None}}

    def groomer(self, groomer: dict[str, Any]) -> None:
        if groomer.get("enabled") and isinstance(groomer.get("retentionDays"), int):
            self.eks.setdefault("logs", {})["cleanup"] = {"retentionDays": groomer["retentionDays"]}
        elif groomer.get("enabled") is False:
            self.eks.setdefault("logs", {})["cleanup"] = False


def _ingress(ingress: dict[str, Any]) -> dict[str, Any]:
    hosts = [host if isinstance(host, str) else mapping(host).get("name") for host in ingress.get("hosts") or ()]
    found: dict[str, Any] = {"hosts": [host for host in hosts if host]}
    if ingress.get("path"):
        found["path"] = ingress["path"]
    if ingress.get("ingressClassName"):
        found["className"] = ingress["ingressClassName"]
    if ingress.get("annotations"):
        found["annotations"] = ingress["annotations"]
    tls = mapping(ingress.get("tls"))
    if tls.get("enabled"):
        found["tls"] = {"secretName": tls["secretName"]} if tls.get("secretName") else {}
    return found


def _env_text(text: Any) -> list[Any]:
    """`extraEnv`, YAML text the chart passes through `tpl`: its list, or none when it is not one."""
    if not isinstance(text, str):
        return []
    indented = "".join(f"  {line}\n" for line in text.splitlines())  # the loader reads a mapping, with its limits
    try:
        document = read_document(f"items:\n{indented}".encode(), "extraEnv")
    except ReadProblem:
        return []
    items = document.get("items")
    return items if isinstance(items, list) else []


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _untemplated(annotations: Any) -> dict[str, str]:
    """Pod annotations as written before the chart's `tpl` escape."""
    return {str(k): str(v).replace('{{ "{{" }}', "{{") for k, v in mapping(annotations).items()}


def _pod(values: dict[str, Any]) -> dict[str, Any]:
    """A component's size and scheduling as the chart has it under its key."""
    found = {
        key: values[key]
        for key in ("replicas", "resources", "nodeSelector", "affinity", "tolerations")
        if values.get(key)
    }
    if "safeToEvict" in values:
        found["safeToEvict"] = values["safeToEvict"]
    if values.get("labels"):
        found["labels"] = values["labels"]
    if values.get("podAnnotations"):
        found["annotations"] = _untemplated(values["podAnnotations"])
    budget = mapping(values.get("podDisruptionBudget"))
    if budget.get("enabled"):
        config = {k: v for k, v in mapping(budget.get("config")).items() if v is not None}
        found["podDisruptionBudget"] = config
    return found
