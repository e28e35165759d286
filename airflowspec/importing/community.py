"""Community chart values (airflow-helm/charts 8.x) back into a spec: what the spec has a field for.

The inverse of `targets.eks.community_values` for the settings teams write: the image, executor, the
fernet and web server keys from Secrets, airflow.cfg options, variables, connections and pools (a
`${NAME}` placeholder of `*Templates` is the Kubernetes Secret it names), volumes and mounts, pip
packages, DAGs from git or a claim, the service account and its IAM role, an external database and
Redis. What this does not read is not lost: `importing.residual` compares the input with what the
imported spec renders and carries or reports every difference.
"""

from __future__ import annotations

import re
from typing import Any

from airflowspec.importing import Imported
from airflowspec.importing.entries import secret_name
from airflowspec.importing.indexes import PIP_URLS, import_pip_environment
from airflowspec.importing.values_reader import ValuesReader, json_or_text, mapping, parsed_json
from airflowspec.sensitive import is_sensitive_name
from airflowspec.targets.eks.community_components import CHART_KEYS, SAFE_TO_EVICT

_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}\Z")
_ENV_SECRETS = {  # variable -> (targets.eks field, the secret's name)
    "AIRFLOW__CORE__FERNET_KEY": ("fernetKey", "fernet-key"),
    "AIRFLOW__WEBSERVER__SECRET_KEY": ("webserverSecretKey", "webserver-secret-key"),
}
_CELERY = ("CeleryExecutor", "CeleryKubernetesExecutor")


def import_community(values: dict[str, Any], source: str, into: Imported) -> None:
    eks = into.at("targets", "eks")
    eks["chart"] = "community"
    airflow = mapping(values.get("airflow"))
    reader = _Reader(source, into, airflow)
    reader.image(airflow.get("image"))
    if isinstance(airflow.get("executor"), str):
        into.at("airflow")["executor"] = airflow["executor"]
    reader.extra_env(airflow.get("extraEnv"))
    reader.config(airflow.get("config"))
    reader.variables(airflow.get("variables"))
    reader.connections(airflow.get("connections"))
    reader.pools(airflow.get("pools"))
    reader.volumes(airflow.get("extraVolumes"), airflow.get("extraVolumeMounts"))
    if isinstance(airflow.get("extraPipPackages"), list):
        into.spec["packages"] = [str(package) for package in airflow["extraPipPackages"]]
    reader.dags(values.get("dags"))
    reader.components(values, airflow)
    reader.access(values, airflow)
    reader.logs(values)
    reader.service_account(values.get("serviceAccount"))
    reader.database(values.get("externalDatabase"))
    reader.redis(values.get("externalRedis"))


class _Reader(ValuesReader):
    def __init__(self, source: str, into: Imported, airflow: dict[str, Any]) -> None:
        super().__init__(source, into)
        self.templates = {
            **mapping(airflow.get("variablesTemplates")),
            **mapping(airflow.get("connectionsTemplates")),
            **mapping(airflow.get("usersTemplates")),
        }

    def image(self, image: Any) -> None:
        if not isinstance(image, dict):
            return
        repository, tag = str(image.get("repository", "apache/airflow")), str(image.get("tag", ""))
        version = re.match(r"[0-9]+\.[0-9]+\.[0-9]+", tag)
        if version is not None:
            self.into.at("airflow")["version"] = version[0]
        if repository != "apache/airflow" or version is None or tag != version[0]:
            self.eks["image"] = {"repository": repository, "tag": tag} if tag else {"repository": repository}

    def extra_env(self, env: Any) -> None:
        pip_urls: dict[str, str] = {}
        pip_secrets: dict[str, Any] = {}
        for item in env if isinstance(env, list) else ():
            ref = (item.get("valueFrom") or {}).get("secretKeyRef") if isinstance(item, dict) else None
            name = item.get("name") if isinstance(item, dict) else None
            if name in PIP_URLS and isinstance(item.get("value"), str):
                pip_urls[name] = item["value"]
            if not isinstance(ref, dict) or not isinstance(name, str):
                continue  # a plain variable: the residual carries or reports it
            if name.startswith("AIRFLOWSPEC_PIP_"):
                label = secret_name(name.removeprefix("AIRFLOWSPEC_PIP_"))
                pip_secrets[name] = self.secret(str(ref.get("name")), str(ref.get("key")), label)
            elif name in _ENV_SECRETS:
                field, label = _ENV_SECRETS[name]
                self.eks[field] = self.secret(str(ref.get("name")), str(ref.get("key")), label)
            elif name.startswith("AIRFLOW_CONN_"):
                conn_id = name.removeprefix("AIRFLOW_CONN_").lower()
                label = secret_name(conn_id, "connection")
                self.into.at("connections")[conn_id] = self.secret(str(ref.get("name")), str(ref.get("key")), label)
        import_pip_environment(pip_urls, pip_secrets, self.source, self.into)

    def config(self, config: Any) -> None:
        for name, value in mapping(config).items():
            parts = str(name).split("__")
            if len(parts) != 3 or parts[0] != "AIRFLOW" or not all(parts):
                continue  # not an airflow.cfg option: the residual
            self.into.at("airflow", "config").setdefault(parts[1].lower(), {})[parts[2].lower()] = str(value)

    def text(self, value: Any, label: str) -> Any:
        """A field the sync pod fills: `${NAME}` is the Secret `NAME` names; `$$` is `$`."""
        if not isinstance(value, str):
            return value
        placeholder = _PLACEHOLDER.match(value)
        template = self.templates.get(placeholder[1]) if placeholder else None
        if placeholder and isinstance(template, dict) and template.get("kind") == "secret":
            return self.secret(str(template.get("name")), str(template.get("key")), secret_name(placeholder[1]))
        return value.replace("$$", "$") if self.templates else value

    def variables(self, variables: Any) -> None:
        for item in variables if isinstance(variables, list) else ():
            if isinstance(item, dict) and isinstance(item.get("key"), str):
                key = item["key"]
                value = self.text(item.get("value"), key)
                if isinstance(value, str) and is_sensitive_name(key):
                    self.into.not_carried(self.source, f"airflow.variables[{key}]", "a secret's value written out")
                    continue
                self.into.at("variables")[key] = json_or_text(value)

    def connections(self, connections: Any) -> None:
        for item in connections if isinstance(connections, list) else ():
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            conn: dict[str, Any] = {"type": item.get("type")}
            for key in ("description", "host", "login", "password", "schema", "port"):
                if key in item:
                    conn[key] = self.text(item[key], f"{item['id']}-{key}")
            if isinstance(conn.get("password"), str):
                self.into.not_carried(
                    self.source, f"airflow.connections[{item['id']}].password", "a password written out"
                )
                del conn["password"]
            if isinstance(item.get("extra"), str):
                extra = parsed_json(item["extra"])
                if isinstance(extra, dict):
                    conn["extra"] = {k: self.text(v, k) for k, v in extra.items()}
                else:  # the residual reports the connection, whose `extra` the spec cannot hold
                    self.into.not_carried(self.source, f"airflow.connections[{item['id']}].extra", "not a JSON object")
            self.into.at("connections")[item["id"]] = {k: v for k, v in conn.items() if v is not None}

    def pools(self, pools: Any) -> None:
        for item in pools if isinstance(pools, list) else ():
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                pool: dict[str, Any] = {"slots": item.get("slots")}
                if item.get("description") not in (None, item["name"]):
                    pool["description"] = item["description"]
                if "include_deferred" in item:
                    pool["includeDeferred"] = item["include_deferred"]
                self.into.at("pools")[item["name"]] = pool

    def dags(self, dags: Any) -> None:
        dags = mapping(dags)
        target = self.into.at("dags")
        if isinstance(dags.get("path"), str):
            target["path"] = dags["path"]
        sync = mapping(dags.get("gitSync"))
        persistence = mapping(dags.get("persistence"))
        if sync.get("enabled"):
            target["from"] = {"git": self.git(sync)}
        elif persistence.get("enabled") and persistence.get("existingClaim"):
            claims = {v.get("claim"): name for name, v in self.into.spec.get("volumes", {}).items()}
            if persistence["existingClaim"] in claims:
                target["from"] = {"volume": claims[persistence["existingClaim"]]}
        elif persistence.get("enabled") and isinstance(target.get("path"), str):  # a claim the chart makes
            create = {"size": persistence.get("size"), "accessMode": persistence.get("accessMode")}
            if persistence.get("storageClass"):
                create["storageClass"] = persistence["storageClass"]
            sub_path = str(persistence.get("subPath") or "")
            mount = target["path"].removesuffix("/" + sub_path) if sub_path else target["path"]
            volume = {"create": {k: v for k, v in create.items() if v is not None}, "mountPath": mount}
            self.into.at("volumes")["dags"] = volume
            target["from"] = {"volume": "dags"}

    def git(self, sync: dict[str, Any]) -> dict[str, Any]:
        git: dict[str, Any] = {"repo": sync.get("repo"), "ref": sync.get("branch", "master")}
        names = {"revision": "revision", "repoSubPath": "subPath", "syncWait": "syncInterval", "depth": "depth"}
        git |= {field: sync[key] for key, field in names.items() if key in sync}
        if "maxFailures" in sync:
            git["maxFailures"] = sync["maxFailures"]
        if sync.get("sshSecret"):
            ssh = self.secret(str(sync["sshSecret"]), str(sync.get("sshSecretKey", "id_rsa")), "git-ssh-key")
            git["credentials"] = {"sshKey": ssh}
        elif sync.get("httpSecret"):
            secret = str(sync["httpSecret"])
            user = self.secret(secret, str(sync.get("httpSecretUsernameKey", "username")), "git-username")
            password = self.secret(secret, str(sync.get("httpSecretPasswordKey", "password")), "git-password")
            git["credentials"] = {"username": user, "password": password}
        if sync.get("sshKnownHosts"):
            git["knownHosts"] = sync["sshKnownHosts"]
        return git

    def components(self, values: dict[str, Any], airflow: dict[str, Any]) -> None:
        """Each pod's size, placement and scheduling (`targets.eks.components`), and the chart's defaults."""
        found: dict[str, Any] = {}
        defaults = {
            key[len("default") :][0].lower() + key[len("default") + 1 :]: airflow[key]
            for key in ("defaultNodeSelector", "defaultAffinity", "defaultTolerations", "defaultSecurityContext")
            if airflow.get(key)
        }
        if isinstance(airflow.get("podAnnotations"), dict) and airflow["podAnnotations"]:
            defaults["annotations"] = airflow["podAnnotations"]
        if defaults:
            found["defaults"] = defaults
        for name, key in CHART_KEYS.items():
            component = self.component(key, mapping(values.get(key)))
            if component:
                found[name] = component
        if found:
            self.eks["components"] = found

    def access(self, values: dict[str, Any], airflow: dict[str, Any]) -> None:
        """The admin user, `webserver_config.py`, and the UI's Ingress."""
        auth: dict[str, Any] = {}
        found_users = airflow.get("users")
        users: list[Any] = found_users if isinstance(found_users, list) else []
        if len(users) == 1 and isinstance(users[0], dict) and users[0].get("role") == "Admin":
            auth["admin"] = self.admin(users[0])
        override = mapping(mapping(values.get("web")).get("webserverConfig")).get("stringOverride")
        if isinstance(override, str):
            auth["webserverConfig"] = override
        if auth:
            self.eks["auth"] = auth
        ingress = mapping(values.get("ingress"))
        web = mapping(ingress.get("web"))
        if ingress.get("enabled") and web:
            found: dict[str, Any] = {}
            if web.get("ingressClassName"):
                found["className"] = web["ingressClassName"]
            if web.get("annotations"):
                found["annotations"] = web["annotations"]
            if web.get("host"):
                found["hosts"] = [web["host"]]
            if web.get("path"):
                found["path"] = web["path"]
            tls = mapping(web.get("tls"))
            if tls.get("enabled"):
                found["tls"] = {"secretName": tls["secretName"]} if tls.get("secretName") else {}
            self.eks.setdefault("components", {}).setdefault("webserver", {})["ingress"] = found

    def admin(self, user: dict[str, Any]) -> dict[str, Any]:
        password = self.text(user.get("password"), "admin-password")
        if not isinstance(password, dict):
            self.into.not_carried(self.source, "airflow.users[0].password", "a password written out")
        admin = {"username": user.get("username"), "password": password}
        for key in ("email", "firstName", "lastName"):
            if isinstance(user.get(key), str):
                admin[key] = user[key].replace("$$", "$")
        return {key: value for key, value in admin.items() if isinstance(value, (str, dict))}

    def logs(self, values: dict[str, Any]) -> None:
        cleanup = mapping(mapping(values.get("scheduler")).get("logCleanup"))
        if cleanup.get("enabled") and isinstance(cleanup.get("retentionMinutes"), int):
            days, rest = divmod(cleanup["retentionMinutes"], 24 * 60)
            if not rest:
                self.eks.setdefault("logs", {})["cleanup"] = {"retentionDays": days}
        elif cleanup.get("enabled") is False:
            self.eks.setdefault("logs", {})["cleanup"] = False

    def component(self, key: str, values: dict[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = {
            field: values[field] for field in ("replicas", "resources", "nodeSelector", "affinity") if values.get(field)
        }
        found |= {field: values[field] for field in ("tolerations", "securityContext") if values.get(field)}
        autoscaling = mapping(values.get("autoscaling"))
        if key == "workers" and autoscaling.get("enabled"):
            replicas = found.pop("replicas", 1)
            found["autoscaling"] = {"minReplicas": replicas, "maxReplicas": autoscaling.get("maxReplicas")}
        annotations = dict(mapping(values.get("podAnnotations")))
        if "safeToEvict" in values:
            found["safeToEvict"] = values["safeToEvict"]
            if values["safeToEvict"] is False and annotations.get(SAFE_TO_EVICT) == "false":
                del annotations[SAFE_TO_EVICT]
        if annotations:
            found["annotations"] = annotations
        if values.get("podLabels"):
            found["labels"] = values["podLabels"]
        budget = mapping(values.get("podDisruptionBudget"))
        if budget.get("enabled"):
            found["podDisruptionBudget"] = {k: v for k, v in budget.items() if k != "enabled"}
        celery = self.into.spec.get("airflow", {}).get("executor", "CeleryExecutor") in _CELERY
        if key == "flower" and celery and values.get("enabled") is False:  # it runs with Celery unless switched off
            found["enabled"] = False
        elif key in ("triggerer", "pgbouncer") and "enabled" in values:
            found["enabled"] = values["enabled"]
        return found

    def service_account(self, account: Any) -> None:
        account = mapping(account)
        role = mapping(account.get("annotations")).get("eks.amazonaws.com/role-arn")
        found = {"name": account["name"]} if account.get("name") else {}
        if role:
            found["roleArn"] = role
        if found:
            self.eks["serviceAccount"] = found

    def database(self, database: Any) -> None:
        database = mapping(database)
        found = self.external(database, ("type", "host", "port", "database"), "database", "postgresql")
        if found is None:
            return
        if database.get("userSecret"):
            found["user"] = self.secret(
                str(database["userSecret"]), str(database.get("userSecretKey")), "database-user"
            )
        elif "user" in database:
            found["user"] = database["user"]
        self.eks["database"] = found

    def redis(self, redis: Any) -> None:
        found = self.external(mapping(redis), ("host", "port", "databaseNumber"), "redis", "redis")
        if found is not None:
            self.eks["redis"] = found

    def external(self, store: dict[str, Any], fields: tuple[str, ...], name: str, chart: str) -> dict[str, Any] | None:
        """`externalDatabase` or `externalRedis`: its fields, the password's Secret, `properties`."""
        if not store.get("host"):
            return None
        found: dict[str, Any] = {key: store[key] for key in fields if key in store}
        if store.get("passwordSecret"):
            key = str(store.get("passwordSecretKey", f"{chart}-password"))
            found["password"] = self.secret(str(store["passwordSecret"]), key, f"{name}-password")
        if store.get("properties"):
            found["properties"] = store["properties"]
        return found
