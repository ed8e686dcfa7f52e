"""The lab service, hardened by hand: the counterpart of ../vulnerable-app/app.py.

Same routes, and the same answers for valid input. README.md lists every
change and the line of the vulnerable app it replaces.
"""
import ast
import ipaddress
import operator
import os
import socket
import struct
import sys
import time

from flask import Flask, Response, request

app = Flask(__name__)

# Where Docker and Compose mount a secret named db_password.
DEFAULT_SECRET_PATH = "/run/secrets/db_password"

# Bounds of /calculate: input length, operand size, exponent.
MAX_EXPRESSION_LENGTH = 200
MAX_MAGNITUDE = 10**100
MAX_EXPONENT = 100

PING_TIMEOUT_SECONDS = 2


def load_db_password():
    """The database password from the environment or a Docker secret, never the source."""
    from_env = os.environ.get("DB_PASSWORD")
    if from_env:
        return from_env
    path = os.environ.get("DB_PASSWORD_FILE", DEFAULT_SECRET_PATH)
    try:
        with open(path, encoding="utf-8") as secret:
            from_file = secret.read().strip()
    except OSError:
        from_file = ""
    if not from_file:
        sys.exit(
            "app.py: no database password: set DB_PASSWORD, or mount it as a Docker secret "
            f"at {path} (DB_PASSWORD_FILE names another file)"
        )
    return from_file


DB_PASSWORD = load_db_password()


def plain(text):
    # text/plain so the demo output is shown as-is by curl and browsers.
    return Response(text, mimetype="text/plain")


@app.route("/")
def hello():
    name = request.args.get("name", "world")
    if not name.isalnum():
        return plain("Invalid name\n"), 400
    return plain(f"Hello, {name}!\n")


def icmp_echo(address, timeout):
    """One ICMP echo through an unprivileged datagram socket (the kernel's
    ping socket, allowed by net.ipv4.ping_group_range, which Docker opens to
    every group): no shell, no setuid or file-capability ping binary, so it
    works with cap_drop: [ALL] and no-new-privileges. Milliseconds, or None
    when no reply came in time."""
    v6 = address.version == 6
    family, protocol = (socket.AF_INET6, socket.IPPROTO_ICMPV6) if v6 else (socket.AF_INET, socket.IPPROTO_ICMP)
    request_type, reply_type = (128, 129) if v6 else (8, 0)
    # Type, code, checksum, identifier, sequence: the kernel fills in the
    # checksum and the identifier of a ping socket.
    packet = struct.pack("!BBHHH", request_type, 0, 0, 0, 1) + b"bulwark-lab"
    with socket.socket(family, socket.SOCK_DGRAM, protocol) as sock:
        sock.settimeout(timeout)
        start = time.monotonic()
        sock.sendto(packet, (str(address), 0))
        deadline = start + timeout
        while True:
            try:
                reply, _ = sock.recvfrom(2048)
            except socket.timeout:
                return None
            if reply and reply[0] == reply_type:
                return (time.monotonic() - start) * 1000
            sock.settimeout(max(deadline - time.monotonic(), 0.001))


@app.route("/ping")
def ping():
    try:
        address = ipaddress.ip_address(request.args.get("ip", "127.0.0.1"))
    except ValueError:
        return plain("Invalid IP address\n"), 400
    # The address is a value, never part of a command: no process is started.
    try:
        elapsed = icmp_echo(address, PING_TIMEOUT_SECONDS)
    except PermissionError:
        return plain("ping is not permitted here (net.ipv4.ping_group_range excludes this group)\n"), 503
    except OSError as error:
        return plain(f"ping {address}: {error.strerror or error}\n"), 502
    if elapsed is None:
        return plain(f"PING {address}: 1 packets transmitted, 0 received, 100% packet loss\n")
    return plain(f"PING {address}: 1 packets transmitted, 1 received, 0% packet loss, time {elapsed:.3f} ms\n")


class InvalidExpression(ValueError):
    pass


BINARY_OPERATORS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
UNARY_OPERATORS = {ast.USub: operator.neg, ast.UAdd: operator.pos}


def bounded(value):
    if isinstance(value, complex) or abs(value) > MAX_MAGNITUDE:
        raise InvalidExpression("result out of range")
    return value


def evaluate(node):
    """Arithmetic only: numbers, + - * / // % **, unary minus and plus, parentheses."""
    if isinstance(node, ast.Expression):
        return evaluate(node.body)
    if isinstance(node, ast.Constant):
        if type(node.value) not in (int, float):  # bool, str, bytes, None, complex
            raise InvalidExpression("only numbers are allowed")
        return bounded(node.value)
    if isinstance(node, ast.UnaryOp) and type(node.op) in UNARY_OPERATORS:
        return UNARY_OPERATORS[type(node.op)](evaluate(node.operand))
    if isinstance(node, ast.BinOp) and type(node.op) in BINARY_OPERATORS:
        left = evaluate(node.left)
        right = evaluate(node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > MAX_EXPONENT:
            raise InvalidExpression("exponent out of range")
        return bounded(BINARY_OPERATORS[type(node.op)](left, right))
    raise InvalidExpression("not an arithmetic expression")


def calculate_expression(expression):
    if len(expression) > MAX_EXPRESSION_LENGTH:
        raise InvalidExpression("expression too long")
    try:
        tree = ast.parse(expression, mode="eval")
        return evaluate(tree)
    except (SyntaxError, ValueError, TypeError, ArithmeticError, RecursionError, MemoryError) as error:
        raise InvalidExpression(str(error)) from error


@app.route("/calculate")
def calculate():
    expression = request.args.get("expr", "1+1")
    try:
        result = calculate_expression(expression)
    except InvalidExpression:
        return plain("Invalid expression\n"), 400
    return plain(f"{result}\n")


if __name__ == "__main__":
    # Loopback unless told otherwise: the container sets BIND_HOST=0.0.0.0 and
    # the compose file decides which host interface publishes the port.
    app.run(host=os.environ.get("BIND_HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "5000")))
