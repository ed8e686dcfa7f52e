#!/usr/bin/env python3
"""Generates a deterministic tree of N containerised microservices for benchmarks.

Each service directory holds what a real repository of a small service holds:
a Dockerfile, a docker-compose.yml, a Kubernetes manifest (k8s/deployment.yaml),
Flask-style application code (app.py, sometimes worker.py), requirements.txt and
sometimes a .env file. Every file varies between services, weaknesses included
(root user, curl | sh, secrets in ENV, privileged containers, docker.sock mounts,
os.system / eval / shell=True ...), so the scanners under test do real work.

The output depends only on --seed and the service index: service 7 is the same
whether 10 or 10000 services are generated. Secrets are random, synthetic and
never valid anywhere. Standard library only (Debian's /usr/bin/python3).

Usage: gen_service_tree.py OUTDIR [--services N] [--seed S] [--manifest FILE] [--quiet]
"""

import argparse
import json
import os
import random
import string
import sys

NAMES = ["orders", "billing", "auth", "catalog", "search", "cart", "payments", "users",
         "inventory", "shipping", "notify", "reports", "gateway", "media", "reviews", "ledger"]
BASES_APT = ["python:3.11-slim", "python:3.12-slim-bookworm", "debian:bookworm", "ubuntu:22.04",
             "python:latest", "debian", "python:3.10@sha256:" + "ab" * 32]
BASES_APK = ["python:3.12-alpine", "alpine:3.19", "alpine", "python:3.11-alpine3.19"]
APT_PKGS = ["curl", "ca-certificates", "libpq-dev", "gcc", "git", "wget", "netcat-openbsd",
            "sudo", "openssh-server", "build-essential", "libffi-dev", "tini", "jq"]
APK_PKGS = ["curl", "bash", "build-base", "libffi-dev", "postgresql-dev", "git", "tini", "su-exec"]
PY_REQS = [("flask", "3.0.2"), ("requests", "2.31.0"), ("gunicorn", "21.2.0"),
           ("pyyaml", "6.0.1"), ("psycopg2-binary", "2.9.9"), ("redis", "5.0.1"),
           ("celery", "5.3.6"), ("jinja2", "3.1.3"), ("sqlalchemy", "2.0.27"),
           ("pydantic", "2.6.1"), ("boto3", "1.34.50"), ("cryptography", "42.0.5")]


def rand_token(rng, alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(n))


def fake_secret(rng):
    """A synthetic secret in one of the shapes real leaks take."""
    kind = rng.randrange(4)
    if kind == 0:
        return "AKIA" + rand_token(rng, string.ascii_uppercase + string.digits, 16)
    if kind == 1:
        return "ghp_" + rand_token(rng, string.ascii_letters + string.digits, 36)
    if kind == 2:
        return "sk_live_" + rand_token(rng, string.ascii_letters + string.digits, 24)
    return rand_token(rng, string.ascii_letters + string.digits + "!#%", 20)


class Service:
    """The choices that make one service different from the next."""

    def __init__(self, index, seed):
        self.rng = random.Random(seed * 1_000_003 + index)
        r = self.rng
        self.index = index
        self.name = f"{r.choice(NAMES)}-{index:05d}"
        self.port = r.choice([5000, 8000, 8080, 8443, 3000, 9000])
        self.alpine = r.random() < 0.3
        self.multi_stage = r.random() < 0.4
        self.user = r.choice(["none", "none", "root", "app", "app", "10001"])
        self.healthcheck = r.random() < 0.5
        self.secret_in_env = r.random() < 0.25
        self.curl_pipe = r.random() < 0.15
        self.use_add = r.random() < 0.3
        self.db = r.choice(["postgres", "redis", "mysql", None])
        self.has_env_file = r.random() < 0.4
        self.has_worker = r.random() < 0.3

    def chance(self, p):
        return self.rng.random() < p


def dockerfile(s):
    r = s.rng
    lines = []
    if r.random() < 0.3:
        lines.append("# syntax=docker/dockerfile:1")
    lines.append(f"# {s.name}: container image for the {s.name.split('-')[0]} service")
    if s.multi_stage:
        lines += [f"FROM python:3.11-slim AS builder", "WORKDIR /build",
                  "COPY requirements.txt .",
                  "RUN pip wheel --wheel-dir /wheels -r requirements.txt", ""]
    base = r.choice(BASES_APK if s.alpine else BASES_APT)
    lines += [f"FROM {base}", f'LABEL maintainer="team-{s.name}@example.com" version="1.{s.index % 9}"']
    if s.chance(0.4):
        lines.append("ARG APP_VERSION=1.0.0")
    if s.alpine:
        pkgs = " ".join(r.sample(APK_PKGS, r.randint(2, 5)))
        if not base.startswith("python"):
            pkgs = "python3 py3-pip " + pkgs
        flag = "--no-cache " if s.chance(0.5) else ""
        lines.append(f"RUN apk update && apk add {flag}{pkgs}")
    else:
        pkgs = r.sample(APT_PKGS, r.randint(2, 6))
        if s.chance(0.3):
            pkgs = [f"{p}=*" if i % 2 else p for i, p in enumerate(pkgs)]
        no_rec = "--no-install-recommends " if s.chance(0.5) else ""
        cleanup = " \\\n    && rm -rf /var/lib/apt/lists/*" if s.chance(0.5) else ""
        yes = "-y " if s.chance(0.85) else ""
        lines.append(f"RUN apt-get update \\\n    && apt-get install {yes}{no_rec}"
                     + " \\\n        ".join(pkgs) + cleanup)
    if s.curl_pipe:
        lines.append(r.choice(["RUN curl -sSL https://install.example.com/agent.sh | sh",
                               "RUN wget -qO- https://get.example.org/setup | bash -s -- --yes"]))
    if s.secret_in_env:
        key = r.choice(["DB_PASSWORD", "AWS_SECRET_ACCESS_KEY", "API_TOKEN", "SECRET_KEY"])
        lines.append(f'ENV {key}="{fake_secret(r)}"')
    lines.append(f"ENV PYTHONUNBUFFERED=1 PORT={s.port}")
    lines.append(r.choice(["WORKDIR /app", "WORKDIR /srv/app", "WORKDIR app"]))
    if s.multi_stage:
        lines.append("COPY --from=builder /wheels /wheels")
        lines.append("RUN pip install --no-cache-dir /wheels/*")
    else:
        lines.append("COPY requirements.txt .")
        cache = "--no-cache-dir " if s.chance(0.5) else ""
        lines.append(f"RUN pip install {cache}-r requirements.txt")
    if s.use_add:
        lines.append(r.choice(["ADD . /app", "ADD https://example.com/static/assets.tar.gz /app/static/",
                               "ADD config.tar.gz /etc/app/"]))
    else:
        lines.append(r.choice(["COPY . .", "COPY app.py requirements.txt ./", "COPY --chown=1000:1000 . ."]))
    if s.chance(0.15):
        lines.append("RUN chmod -R 777 /app")
    if s.chance(0.1):
        lines.append("RUN cd /app && python -m compileall .")
    if s.user == "app":
        add = ("RUN addgroup -S app && adduser -S -G app app" if s.alpine
               else "RUN groupadd -r app && useradd -r -g app -d /app app")
        lines += [add, "USER app"]
    elif s.user == "10001":
        lines.append("USER 10001:10001")
    elif s.user == "root":
        lines.append("USER root")
    ports = [str(s.port)] + (["22"] if s.chance(0.1) else [])
    lines.append("EXPOSE " + " ".join(ports))
    if s.healthcheck:
        lines.append(f"HEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost:{s.port}/health || exit 1")
    if s.chance(0.2):
        lines.append(f"CMD python app.py --port {s.port}")
    else:
        lines.append(f'CMD ["gunicorn", "-b", "0.0.0.0:{s.port}", "app:app"]')
    return "\n".join(lines) + "\n"


def compose(s):
    r = s.rng
    out = ["services:", f"  {s.name}:", "    build: .",
           f"    image: registry.example.com/{s.name}:{r.choice(['latest', '1.4.2', 'dev'])}"]
    if s.chance(0.5):
        out.append(f"    container_name: {s.name}")
    bind = r.choice(["", "", "127.0.0.1:"])
    out += ["    ports:", f'      - "{bind}{s.port}:{s.port}"']
    if s.chance(0.15):
        out.append('      - "22:22"')
    out += ["    environment:", f"      - PORT={s.port}", "      - LOG_LEVEL=info"]
    if s.db:
        out.append(f"      - DATABASE_URL={s.db}://app:{rand_token(r, string.ascii_letters, 12)}@{s.db}/app")
    if s.chance(0.3):
        out.append(f"      - API_KEY={fake_secret(r)}")
    if s.has_env_file:
        out += ["    env_file:", "      - .env"]
    vols = []
    if s.chance(0.2):
        vols.append("/var/run/docker.sock:/var/run/docker.sock")
    if s.chance(0.15):
        vols.append("/:/host:ro")
    vols.append("./data:/app/data")
    out += ["    volumes:"] + [f"      - {v}" for v in vols]
    if s.chance(0.15):
        out.append("    privileged: true")
    if s.chance(0.15):
        out += ["    cap_add:", "      - " + r.choice(["SYS_ADMIN", "NET_ADMIN", "ALL", "SYS_PTRACE"])]
    if s.chance(0.3):
        out += ["    cap_drop:", "      - ALL"]
    if s.chance(0.3):
        out += ["    security_opt:", "      - " + r.choice(["no-new-privileges:true", "seccomp:unconfined",
                                                          "apparmor:unconfined"])]
    if s.chance(0.08):
        out.append("    network_mode: host")
    if s.chance(0.06):
        out.append("    pid: host")
    if s.chance(0.3):
        out.append("    read_only: true")
    if s.chance(0.3):
        out.append(f'    user: "{r.choice(["1000:1000", "root", "0"])}"')
    limits = r.randrange(3)
    if limits == 1:
        out += ["    deploy:", "      resources:", "        limits:", "          cpus: '0.50'",
                "          memory: 256M", "          pids: 200"]
    elif limits == 2:
        out += ["    mem_limit: 512m", "    pids_limit: 100"]
    out.append("    restart: " + r.choice(["always", "unless-stopped", "on-failure:5", '"no"']))
    if s.chance(0.5):
        out += ["    healthcheck:", f'      test: ["CMD", "curl", "-f", "http://localhost:{s.port}/health"]',
                "      interval: 30s", "      retries: 3"]
    if s.db:
        out += [f"    depends_on:", f"      - {s.db}"] + compose_db(s)
    return "\n".join(out) + "\n"


def compose_db(s):
    r = s.rng
    images = {"postgres": "postgres:16", "redis": "redis:7-alpine", "mysql": "mysql:8"}
    out = [f"  {s.db}:", f"    image: {images[s.db]}"]
    pw = rand_token(r, string.ascii_letters + string.digits, 14)
    if s.db == "postgres":
        out += ["    environment:", "      POSTGRES_USER: app", f"      POSTGRES_PASSWORD: {pw}"]
    elif s.db == "mysql":
        out += ["    environment:", f"      MYSQL_ROOT_PASSWORD: {pw}", "      MYSQL_DATABASE: app"]
    if s.chance(0.3):
        port = {"postgres": 5432, "redis": 6379, "mysql": 3306}[s.db]
        out += ["    ports:", f'      - "{port}:{port}"']
    out += ["    volumes:", f"      - {s.db}-data:/var/lib/{s.db}",
            "", "volumes:", f"  {s.db}-data: {{}}"]
    return out


def k8s_security_context(s, indent):
    r = s.rng
    p = " " * indent
    style = r.randrange(5)
    if style == 0:
        return []
    if style == 1:
        return [f"{p}securityContext:", f"{p}  privileged: true"]
    if style == 2:
        return [f"{p}securityContext:", f"{p}  allowPrivilegeEscalation: true",
                f"{p}  capabilities:", f"{p}    add: [\"NET_ADMIN\", \"SYS_TIME\"]"]
    out = [f"{p}securityContext:", f"{p}  runAsNonRoot: true", f"{p}  runAsUser: 10001",
           f"{p}  allowPrivilegeEscalation: false", f"{p}  readOnlyRootFilesystem: {str(style == 4).lower()}",
           f"{p}  capabilities:", f"{p}    drop: [\"ALL\"]"]
    if style == 4:
        out += [f"{p}  seccompProfile:", f"{p}    type: RuntimeDefault"]
    return out


def kubernetes(s):
    r = s.rng
    tag = r.choice(["latest", "1.4.2", "1.4.2@sha256:" + "cd" * 32])
    out = ["apiVersion: apps/v1", "kind: Deployment", "metadata:", f"  name: {s.name}",
           f"  namespace: {r.choice(['default', 'shop', 'platform'])}",
           "  labels:", f"    app: {s.name}", "    tier: backend", "spec:",
           f"  replicas: {r.randint(1, 5)}", "  selector:", "    matchLabels:", f"      app: {s.name}",
           "  template:", "    metadata:", "      labels:", f"        app: {s.name}", "    spec:"]
    if s.chance(0.1):
        out.append("      hostNetwork: true")
    if s.chance(0.06):
        out.append("      hostPID: true")
    if s.chance(0.4):
        out.append(f"      serviceAccountName: {s.name}")
    if s.chance(0.3):
        out.append("      automountServiceAccountToken: false")
    out += ["      containers:", f"        - name: {s.name.split('-')[0]}",
            f"          image: registry.example.com/{s.name}:{tag}"]
    if s.chance(0.5):
        out.append(f"          imagePullPolicy: {r.choice(['Always', 'IfNotPresent'])}")
    out += ["          ports:", f"            - containerPort: {s.port}"]
    if s.chance(0.08):
        out.append(f"              hostPort: {s.port}")
    out += ["          env:", "            - name: LOG_LEVEL", "              value: info"]
    if s.chance(0.3):
        out += ["            - name: DB_PASSWORD", f'              value: "{fake_secret(r)}"']
    else:
        out += ["            - name: DB_PASSWORD", "              valueFrom:", "                secretKeyRef:",
                f"                  name: {s.name}-db", "                  key: password"]
    if s.chance(0.6):
        out += ["          resources:", "            requests:", "              cpu: 100m",
                "              memory: 128Mi", "            limits:", "              cpu: 500m",
                "              memory: 256Mi"]
    if s.chance(0.5):
        out += ["          livenessProbe:", "            httpGet:", "              path: /health",
                f"              port: {s.port}", "            initialDelaySeconds: 10"]
        out += ["          readinessProbe:", "            httpGet:", "              path: /ready",
                f"              port: {s.port}"]
    out += k8s_security_context(s, 10)
    if s.chance(0.15):
        out += ["          volumeMounts:", "            - name: docker-sock",
                "              mountPath: /var/run/docker.sock",
                "      volumes:", "        - name: docker-sock", "          hostPath:",
                "            path: /var/run/docker.sock"]
    out += ["---", "apiVersion: v1", "kind: Service", "metadata:", f"  name: {s.name}", "spec:",
            f"  type: {r.choice(['ClusterIP', 'ClusterIP', 'NodePort', 'LoadBalancer'])}",
            "  selector:", f"    app: {s.name}", "  ports:", f"    - port: 80",
            f"      targetPort: {s.port}"]
    return "\n".join(out) + "\n"


FILLER = '''

def {name}(items, limit=100):
    """Returns the first `limit` {noun}s that are active, newest first."""
    active = [item for item in items if item.get("active")]
    active.sort(key=lambda item: item.get("updated_at", 0), reverse=True)
    result = []
    for item in active[:limit]:
        result.append({{"id": item["id"], "name": item.get("name", ""), "score": item.get("score", 0) * {k}}})
    return result
'''

VULNS = [
    ('@app.route("/ping")\ndef ping():\n    host = request.args.get("host", "127.0.0.1")\n'
     '    os.system("ping -c 1 " + host)\n    return "ok"\n'),
    ('@app.route("/calculate")\ndef calculate():\n    expr = request.args.get("expr", "1+1")\n'
     '    return str(eval(expr))\n'),
    ('@app.route("/convert")\ndef convert():\n    name = request.args.get("file")\n'
     '    out = subprocess.run(f"convert {name} /tmp/out.png", shell=True, capture_output=True)\n'
     '    return out.stdout\n'),
    ('@app.route("/load", methods=["POST"])\ndef load():\n    return str(pickle.loads(request.data))\n'),
    ('@app.route("/config", methods=["POST"])\ndef config():\n    return str(yaml.load(request.data))\n'),
    ('@app.route("/user")\ndef user():\n    uid = request.args.get("id")\n'
     '    row = db().execute("SELECT * FROM users WHERE id = \'%s\'" % uid).fetchone()\n'
     '    return str(row)\n'),
    ('def fetch(url):\n    return requests.get(url, verify=False, timeout=5).text\n'),
    ('def digest(data):\n    return hashlib.md5(data).hexdigest()\n'),
]


def app_py(s):
    r = s.rng
    out = [f'"""HTTP API of the {s.name} service."""', "import hashlib", "import json", "import os",
           "import pickle", "import sqlite3", "import subprocess", "", "import requests", "import yaml",
           "from flask import Flask, jsonify, request", "", "app = Flask(__name__)"]
    if s.chance(0.4):
        out.append(f'app.config["SECRET_KEY"] = "{fake_secret(r)}"')
    else:
        out.append('app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]')
    if s.chance(0.3):
        out.append(f'DB_PASSWORD = "{rand_token(r, string.ascii_letters + string.digits, 16)}"')
    out += ["", "", "def db():", '    return sqlite3.connect(os.environ.get("DB_PATH", "/tmp/app.db"))', ""]
    for i in range(r.randint(4, 12)):
        out.append(FILLER.format(name=f"select_{i}", noun=r.choice(NAMES), k=i + 1))
    chosen = r.sample(VULNS, r.randint(0, 4))
    for v in chosen:
        out += ["", v]
    out += ["", '@app.route("/health")', "def health():", '    return jsonify(status="ok")', "", "",
            'if __name__ == "__main__":']
    debug = "True" if s.chance(0.3) else "False"
    out.append(f'    app.run(host="0.0.0.0", port={s.port}, debug={debug})')
    return "\n".join(out) + "\n"


def worker_py(s):
    return ('"""Background jobs."""\nimport subprocess\n\n\n'
            'def backup(path):\n    subprocess.call("tar czf /backup/data.tgz " + path, shell=True)\n\n\n'
            'def cleanup(days=7):\n    subprocess.run(["find", "/tmp", "-mtime", f"+{days}", "-delete"], check=False)\n')


def requirements(s):
    r = s.rng
    lines = []
    for name, version in r.sample(PY_REQS, r.randint(3, 8)):
        lines.append(f"{name}=={version}" if r.random() < 0.7 else (name if r.random() < 0.5 else f"{name}>={version}"))
    return "\n".join(sorted(lines)) + "\n"


def env_file(s):
    r = s.rng
    return (f"PORT={s.port}\nDEBUG={r.choice(['true', 'false'])}\n"
            f"DATABASE_URL=postgres://app:{rand_token(r, string.ascii_letters, 10)}@db:5432/app\n"
            f"AWS_ACCESS_KEY_ID=AKIA{rand_token(r, string.ascii_uppercase + string.digits, 16)}\n"
            f"AWS_SECRET_ACCESS_KEY={rand_token(r, string.ascii_letters + string.digits + '/+', 40)}\n")


DAEMON_JSON = """{
  "icc": true,
  "live-restore": false,
  "userland-proxy": true,
  "insecure-registries": ["registry.example.com:5000"],
  "log-driver": "json-file",
  "log-opts": {"max-size": "10m", "max-file": "3"}
}
"""


def write(path, text, counts, kind):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    counts[kind] = counts.get(kind, 0) + 1
    counts["bytes"] = counts.get("bytes", 0) + len(text.encode("utf-8"))


def generate(out_dir, services, seed):
    counts = {}
    write(os.path.join(out_dir, "README.md"),
          f"# Generated benchmark tree\n\n{services} services, seed {seed}.\n", counts, "markdown")
    write(os.path.join(out_dir, "platform", "docker", "daemon.json"), DAEMON_JSON, counts, "daemon_json")
    for i in range(services):
        s = Service(i, seed)
        d = os.path.join(out_dir, "services", s.name)
        # Order matters: every file draws from the service's one RNG.
        write(os.path.join(d, "Dockerfile"), dockerfile(s), counts, "dockerfile")
        write(os.path.join(d, "docker-compose.yml"), compose(s), counts, "compose")
        write(os.path.join(d, "k8s", "deployment.yaml"), kubernetes(s), counts, "kubernetes")
        write(os.path.join(d, "app.py"), app_py(s), counts, "python")
        if s.has_worker:
            write(os.path.join(d, "worker.py"), worker_py(s), counts, "python")
        write(os.path.join(d, "requirements.txt"), requirements(s), counts, "requirements")
        if s.has_env_file:
            write(os.path.join(d, ".env"), env_file(s), counts, "dotenv")
    counts["files"] = sum(v for k, v in counts.items() if k != "bytes")
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--services", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--manifest", help="write the file counts as JSON here (outside the tree)")
    parser.add_argument("--quiet", action="store_true", help="do not print the file counts")
    args = parser.parse_args()
    if args.services < 1:
        parser.error("--services must be at least 1")
    if os.path.exists(args.out_dir) and os.listdir(args.out_dir):
        parser.error(f"{args.out_dir} exists and is not empty; choose a new directory")
    counts = generate(args.out_dir, args.services, args.seed)
    counts.update(services=args.services, seed=args.seed)
    text = json.dumps(counts, indent=2, sort_keys=True) + "\n"
    if args.manifest:
        with open(args.manifest, "w", encoding="utf-8") as f:
            f.write(text)
    if not args.quiet:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
