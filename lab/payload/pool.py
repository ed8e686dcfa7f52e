"""The lab's stand-in for an internet mining pool: a stratum JSON-RPC
listener on 127.0.0.1 inside the attacked container (the payload only ever
talks to loopback). It answers `login` with a job and `submit` with OK,
logs every line it gets to stdout, and exits after --max-seconds.

Usage: python3 pool.py [--port 3333] [--max-seconds 120] [--log FILE]
"""
import argparse
import json
import socketserver
import sys
import threading
import time


LOG = sys.stdout


def say(text):
    print(f"pool: {text}", file=LOG, flush=True)


class StratumHandler(socketserver.StreamRequestHandler):
    def handle(self):
        for raw in self.rfile:
            line = raw[:4096].decode("utf-8", "replace").strip()
            say(f"{self.client_address[0]} {line[:300]}")
            try:
                request = json.loads(line)
            except ValueError:
                continue
            if not isinstance(request, dict):
                continue
            if request.get("method") == "login":
                result = {"id": "lab", "status": "OK",
                          "job": {"job_id": "1", "blob": "00" * 38, "target": "ffffff00", "algo": "rx/0"}}
            else:
                result = {"status": "OK"}
            reply = {"id": request.get("id"), "jsonrpc": "2.0", "error": None, "result": result}
            self.wfile.write((json.dumps(reply) + "\n").encode())


class Pool(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=3333)
    parser.add_argument("--max-seconds", type=int, default=120)
    parser.add_argument("--log", default="")
    args = parser.parse_args()
    global LOG
    if args.log:
        LOG = open(args.log, "a", encoding="utf-8")
    with Pool(("127.0.0.1", args.port), StratumHandler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        say(f"listening on 127.0.0.1:{args.port}")
        time.sleep(max(1, min(args.max_seconds, 900)))
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
