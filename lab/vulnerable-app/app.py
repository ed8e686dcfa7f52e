"""Deliberately vulnerable Flask service: the target of the bulwark lab.

DO NOT DEPLOY. Every weakness in this file is seeded on purpose and listed,
with its line number, in WEAKNESSES.md; bulwark's end-to-end tests assert
that each one is found at exactly that line, so keep the two in sync.
"""
import subprocess

from flask import Flask, Response, request

app = Flask(__name__)

PASSWORD = "supersecretpassword"


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
    ip = request.args.get("ip", "127.0.0.1")
    try:
        output = subprocess.check_output(f"ping -c 1 {ip}", shell=True, stderr=subprocess.STDOUT)
    except subprocess.CalledProcessError as error:
        output = error.output
    return plain(output.decode("utf-8", "replace"))


@app.route("/calculate")
def calculate():
    expression = request.args.get("expr", "1+1")
    result = eval(expression)
    return plain(f"{result}\n")


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
