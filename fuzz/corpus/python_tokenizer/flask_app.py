import subprocess
import os
from flask import Flask, request

app = Flask(__name__)
PASSWORD = "supersecretpassword"
# subprocess.check_output(f"ping -c 1 {ip}", shell=True)
"""eval(expr) PASSWORD = "x" """

@app.route('/ping')
def ping():
    ip = request.args.get('ip')
    result = subprocess.check_output(f"ping -c 1 {ip}", shell=True)
    return result

@app.route('/calculate')
def calculate():
    expr = request.args.get('expr')
    result = eval(expr)
    return str(result)

if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
