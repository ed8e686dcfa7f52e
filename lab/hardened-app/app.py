"""The lab service, hardened by hand: the counterpart of ../vulnerable-app/app.py.

Same routes, and the same answers for valid input. README.md lists every
change and the line of the vulnerable app it replaces.
"""
import ast
import ipaddress
import operator
import os
import subprocess
import sys

from flask import Flask, Response, request

app = Flask(__name__)

# Where Docker and Compose mount a secret named db_password.
DEFAULT_SECRET_PATH = "/run/secrets/db_password"

# Bounds of /calculate: input length, operand size, exponent.
MAX_EXPRESSION_LENGTH = 200
MAX_MAGNITUDE = 10**100
MAX_EXPONENT = 100

PING_TIMEOUT_SECONDS = 5


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


@app.route("/ping")
def ping():
    try:
        address = ipaddress.ip_address(request.args.get("ip", "127.0.0.1"))
    except ValueError:
        return plain("Invalid IP address\n"), 400
    # An argument list, no shell: the address is one argument, never a command.
    command = ["ping", "-c", "1", "-W", "2", str(address)]
    try:
        result = subprocess.run(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=PING_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return plain("ping timed out\n"), 504
    return plain(result.stdout.decode("utf-8", "replace"))


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
