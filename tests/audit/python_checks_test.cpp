#include "audit/python_checks.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bulwark::audit {
namespace {

using core::Severity;

struct Outcome {
  std::vector<core::Finding> findings;
  std::vector<core::Diagnostic> diagnostics;

  std::vector<const core::Finding*> Of(std::string_view id) const {
    std::vector<const core::Finding*> out;
    for (const core::Finding& f : findings) {
      if (f.id == id) out.push_back(&f);
    }
    return out;
  }
  const core::Finding* One(std::string_view id) const {
    auto all = Of(id);
    return all.size() == 1 ? all[0] : nullptr;
  }
};

const core::CheckRegistry& Registry() {
  static const core::CheckRegistry* registry = [] {
    auto* r = new core::CheckRegistry();
    EXPECT_TRUE(RegisterPythonChecks(*r).ok());
    return r;
  }();
  return *registry;
}

Outcome Audit(const std::string& source, const std::string& path = "app.py") {
  core::FindingSink sink(Registry());
  core::SourceFile file{path, {}, source};
  MakePythonAnalyzer()->Analyze(file, sink);
  return Outcome{sink.findings(), sink.diagnostics()};
}

std::string Ids(const Outcome& o) {
  std::string out;
  for (const core::Finding& f : o.findings) {
    out += f.id + "@" + std::to_string(f.location.line) + ":" + std::to_string(f.location.column) +
           " " + f.message + "\n";
  }
  return out;
}

constexpr const char* kReferenceApp = R"py(import subprocess
from flask import Flask, request

app = Flask(__name__)
PASSWORD = "supersecretpassword"


@app.route('/ping')
def ping():
    ip = request.args.get('ip')
    output = subprocess.check_output(f"ping -c 1 {ip}", shell=True)
    return output


@app.route('/calculate')
def calculate():
    expr = request.args.get('expr')
    result = eval(expr)
    return str(result)


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
)py";

TEST(PythonChecks, RegistersEveryCheckWithCompleteMetadata) {
  core::CheckRegistry registry;
  ASSERT_TRUE(RegisterPythonChecks(registry).ok());
  EXPECT_EQ(registry.size(), 23u);
  for (const core::CheckInfo* info : registry.All()) {
    EXPECT_EQ(info->id.substr(0, 6), "BW-PY-");
    EXPECT_EQ(info->category, core::Category::kCode);
    EXPECT_FALSE(info->title.empty()) << info->id;
    EXPECT_FALSE(info->rationale.empty()) << info->id;
    EXPECT_FALSE(info->remediation.empty()) << info->id;
    EXPECT_FALSE(info->references.cwe.empty()) << info->id;
    EXPECT_FALSE(info->references.nist.empty()) << info->id;
  }
  EXPECT_FALSE(RegisterPythonChecks(registry).ok());  // duplicates are refused
}

TEST(PythonChecks, ReferenceAppFindingsAtExactPositions) {
  Outcome o = Audit(kReferenceApp);
  ASSERT_EQ(o.findings.size(), 4u) << Ids(o);
  const core::Finding* password = o.One("BW-PY-020");
  ASSERT_NE(password, nullptr) << Ids(o);
  EXPECT_EQ(password->location.line, 5);
  EXPECT_EQ(password->location.column, 1);
  EXPECT_EQ(password->severity, Severity::kHigh);
  EXPECT_EQ(password->message.find("supersecretpassword"), std::string::npos);
  EXPECT_NE(password->message.find("\"su***\""), std::string::npos);

  const core::Finding* ping = o.One("BW-PY-001");
  ASSERT_NE(ping, nullptr) << Ids(o);
  EXPECT_EQ(ping->location.line, 11);
  EXPECT_EQ(ping->location.column, 14);
  EXPECT_EQ(ping->location.end_line, 11);
  EXPECT_EQ(ping->location.end_column, 68);
  EXPECT_EQ(ping->severity, Severity::kCritical);
  EXPECT_NE(ping->message.find("request.args"), std::string::npos);

  const core::Finding* eval = o.One("BW-PY-005");
  ASSERT_NE(eval, nullptr) << Ids(o);
  EXPECT_EQ(eval->location.line, 18);
  EXPECT_EQ(eval->location.column, 14);
  EXPECT_EQ(eval->severity, Severity::kCritical);

  const core::Finding* bind = o.One("BW-PY-010");
  ASSERT_NE(bind, nullptr) << Ids(o);
  EXPECT_EQ(bind->location.line, 23);
  EXPECT_EQ(bind->location.column, 13);
  EXPECT_EQ(bind->severity, Severity::kMedium);
  EXPECT_NE(bind->message.find("container"), std::string::npos);
  EXPECT_TRUE(o.diagnostics.empty());
}

TEST(PythonChecks, CodeInsideCommentsDocstringsAndStringsIsNotCode) {
  std::string source = R"py(import subprocess
from flask import Flask, request
app = Flask(__name__)

"""Module docstring:
PASSWORD = "supersecretpassword"
subprocess.check_output(f"ping -c 1 {ip}", shell=True)
result = eval(expr)
app.run(host="0.0.0.0", debug=True)
"""


def handler():
    '''
    ip = request.args.get('ip'); os.system("ping " + ip)
    '''
    # subprocess.check_output(f"ping -c 1 {ip}", shell=True)
    # result = eval(expr)   PASSWORD = "supersecretpassword"
    example = "subprocess.check_output(f'ping -c 1 {ip}', shell=True); eval(expr)"
    other = 'app.run(host="0.0.0.0", debug=True)  PASSWORD = "supersecretpassword"'
    return example + other
)py";
  Outcome o = Audit(source);
  EXPECT_TRUE(o.findings.empty()) << Ids(o);
}

TEST(PythonChecks, ArgumentVectorIsNotCommandInjection) {
  Outcome o = Audit(R"py(import subprocess
from flask import request
ip = request.args.get("ip")
subprocess.run(["ping", "-c", "1", ip])
subprocess.check_output(["ping", "-c", "1", ip], shell=False)
subprocess.Popen(("ls", ip))
)py");
  EXPECT_TRUE(o.findings.empty()) << Ids(o);
}

TEST(PythonChecks, ShellInjectionThroughEveryFormOfStringBuilding) {
  Outcome o = Audit(R"py(import subprocess as sp
from subprocess import Popen as P
import subprocess
sp.call("ls %s" % d, shell=True)
sp.call("ls {}".format(d), shell=True)
sp.run("ls " + d, shell=True)
P(cmd, shell=True)
subprocess.check_call(f"tar xf {name}", shell=True)
)py");
  auto found = o.Of("BW-PY-001");
  ASSERT_EQ(found.size(), 5u) << Ids(o);
  std::vector<int> lines;
  for (const auto* f : found) {
    lines.push_back(f->location.line);
    EXPECT_EQ(f->severity, Severity::kHigh);
  }
  EXPECT_EQ(lines, (std::vector<int>{4, 5, 6, 7, 8}));
  EXPECT_NE(found[0]->message.find("%-formatting"), std::string::npos);
  EXPECT_NE(found[1]->message.find("str.format()"), std::string::npos);
  EXPECT_NE(found[2]->message.find("concatenation"), std::string::npos);
  EXPECT_NE(found[3]->message.find("subprocess.Popen"), std::string::npos);
  EXPECT_NE(found[4]->message.find("f-string"), std::string::npos);
}

TEST(PythonChecks, ShellTrueWithConstantCommandIsLow) {
  Outcome o = Audit(R"py(import subprocess
CMD = "ls -l /tmp"
subprocess.run("ls -l", shell=True)
subprocess.run(CMD, shell=True)
subprocess.run("ls -l", shell=False)
)py");
  auto low = o.Of("BW-PY-002");
  ASSERT_EQ(low.size(), 2u) << Ids(o);
  EXPECT_EQ(low[0]->severity, Severity::kLow);
  EXPECT_EQ(low[1]->location.line, 4);
  EXPECT_TRUE(o.Of("BW-PY-001").empty());
}

TEST(PythonChecks, OsCommandFunctions) {
  Outcome o = Audit(R"py(import os, commands, pty
from os import system
from flask import request
os.system("ls " + user)
system(cmd)
os.popen(f"cat {name}")
commands.getoutput(line)
pty.spawn(shell)
os.spawnl(os.P_WAIT, program, "arg")
os.system("uptime")
os.execv("/bin/ls", ["ls", path])
os.system("ping " + request.form["host"])
)py");
  auto high = o.Of("BW-PY-003");
  ASSERT_EQ(high.size(), 7u) << Ids(o);
  EXPECT_EQ(high[0]->severity, Severity::kHigh);
  EXPECT_EQ(high[1]->location.line, 5);
  EXPECT_EQ(high[6]->location.line, 12);
  EXPECT_EQ(high[6]->severity, Severity::kCritical);
  auto low = o.Of("BW-PY-004");
  ASSERT_EQ(low.size(), 1u) << Ids(o);
  EXPECT_EQ(low[0]->location.line, 10);
  EXPECT_EQ(low[0]->severity, Severity::kLow);
}

TEST(PythonChecks, EvalExecCompile) {
  Outcome o = Audit(R"py(import re, ast
from flask import request
eval(expr)
exec(input())
compile(source, "<x>", "exec")
eval("1 + 2")
re.compile(pattern)
ast.literal_eval(text)
model.eval()
def eval(x):
    return x
value = eval(request.values["v"])
)py");
  auto found = o.Of("BW-PY-005");
  ASSERT_EQ(found.size(), 4u) << Ids(o);
  EXPECT_EQ(found[0]->severity, Severity::kHigh);
  EXPECT_EQ(found[1]->severity, Severity::kCritical);  // input()
  EXPECT_NE(found[1]->message.find("input()"), std::string::npos);
  EXPECT_EQ(found[2]->location.line, 5);
  EXPECT_EQ(found[3]->location.line, 12);
  EXPECT_EQ(found[3]->location.column, 9);
  EXPECT_EQ(found[3]->severity, Severity::kCritical);
}

TEST(PythonChecks, DynamicImport) {
  Outcome o = Audit(R"py(import importlib
from flask import request
__import__(name)
importlib.import_module(request.args["m"])
__import__("os")
importlib.import_module("json")
)py");
  auto found = o.Of("BW-PY-006");
  ASSERT_EQ(found.size(), 2u) << Ids(o);
  EXPECT_EQ(found[0]->severity, Severity::kMedium);
  EXPECT_EQ(found[1]->severity, Severity::kHigh);
}

TEST(PythonChecks, UnsafeDeserialisation) {
  Outcome o = Audit(R"py(import pickle, cPickle, marshal, shelve, jsonpickle, json, torch
from flask import request
data = pickle.loads(request.data)
obj = pickle.load(fh)
cPickle.loads(blob)
marshal.loads(blob)
db = shelve.open("state")
jsonpickle.decode(text)
torch.load(path)
torch.load(path, weights_only=True)
json.loads(text)
)py");
  auto found = o.Of("BW-PY-007");
  ASSERT_EQ(found.size(), 7u) << Ids(o);
  EXPECT_EQ(found[0]->severity, Severity::kCritical);
  EXPECT_EQ(found[1]->severity, Severity::kHigh);
  EXPECT_EQ(found[6]->location.line, 9);
}

TEST(PythonChecks, YamlLoaders) {
  Outcome o = Audit(R"py(import yaml
from yaml import load, CSafeLoader
yaml.load(f)
yaml.load(f, Loader=yaml.SafeLoader)
yaml.load(f, yaml.CSafeLoader)
load(f, Loader=CSafeLoader)
yaml.safe_load(f)
yaml.load(f, Loader=yaml.FullLoader)
yaml.unsafe_load(f)
yaml.full_load(f)
yaml.load(f, Loader=yaml.Loader)
load(f)
)py");
  auto found = o.Of("BW-PY-008");
  ASSERT_EQ(found.size(), 6u) << Ids(o);
  std::vector<int> lines;
  for (const auto* f : found) lines.push_back(f->location.line);
  EXPECT_EQ(lines, (std::vector<int>{3, 8, 9, 10, 11, 12}));
  EXPECT_EQ(found[1]->severity, Severity::kMedium);
  EXPECT_EQ(found[2]->severity, Severity::kHigh);
  EXPECT_EQ(found[3]->severity, Severity::kMedium);
}

TEST(PythonChecks, FlaskDebuggerAndBinding) {
  Outcome o = Audit(R"py(from flask import Flask
server = Flask(__name__)
HOST = "0.0.0.0"
server.run(debug=True)
server.run(host=HOST, debug=False)
runner.run(debug=True)
server.run("127.0.0.1", 8080, True)
sock.bind(("0.0.0.0", 8080))
sock.bind(("127.0.0.1", 8080))
)py");
  auto debug = o.Of("BW-PY-009");
  ASSERT_EQ(debug.size(), 2u) << Ids(o);
  EXPECT_EQ(debug[0]->location.line, 4);
  EXPECT_EQ(debug[0]->location.column, 12);
  EXPECT_EQ(debug[0]->severity, Severity::kCritical);
  EXPECT_EQ(debug[1]->location.line, 7);
  auto bind = o.Of("BW-PY-010");
  ASSERT_EQ(bind.size(), 2u) << Ids(o);
  EXPECT_EQ(bind[0]->location.line, 5);
  EXPECT_EQ(bind[1]->location.line, 8);
}

TEST(PythonChecks, DebugConfiguration) {
  Outcome o = Audit(R"py(from flask import Flask
app = Flask(__name__)
app.config["DEBUG"] = True
app.debug = True
app.config.update(DEBUG=True, TESTING=False)
app.config["DEBUG"] = False
DEBUG = True
)py");
  auto found = o.Of("BW-PY-011");
  ASSERT_EQ(found.size(), 3u) << Ids(o);
  EXPECT_EQ(found[2]->location.line, 5);
  Outcome django = Audit("DEBUG = True\nALLOWED_HOSTS = []\n", "mysite/settings.py");
  ASSERT_EQ(django.Of("BW-PY-011").size(), 1u) << Ids(django);
}

TEST(PythonChecks, HardCodedSecretKey) {
  Outcome o = Audit(R"py(import os
from flask import Flask
app = Flask(__name__)
app.secret_key = "dev-6f1c9a2b"
app.config["SECRET_KEY"] = 'k3y-from-tutorial'
SECRET_KEY = "django-insecure-abcdef123456"
app.config.update(SECRET_KEY="another-literal-key")
app.secret_key = os.environ["SECRET_KEY"]
app.secret_key = os.urandom(32)
)py");
  auto found = o.Of("BW-PY-012");
  ASSERT_EQ(found.size(), 4u) << Ids(o);
  for (const auto* f : found) {
    EXPECT_EQ(f->message.find("6f1c9a2b"), std::string::npos);
    EXPECT_EQ(f->message.find("from-tutorial"), std::string::npos);
  }
  EXPECT_NE(found[0]->message.find("\"de***\""), std::string::npos);
  EXPECT_TRUE(o.Of("BW-PY-020").empty()) << Ids(o);
}

TEST(PythonChecks, SqlBuiltByFormatting) {
  Outcome o = Audit(R"py(from flask import request
from sqlalchemy import text
cursor.execute(f"SELECT * FROM users WHERE name = '{name}'")
cursor.execute("SELECT * FROM users WHERE name = '%s'" % name)
cursor.execute("DELETE FROM t WHERE id = {}".format(uid))
query = "SELECT * FROM t WHERE id = " + request.args["id"]
conn.execute(query)
session.execute(text(f"UPDATE t SET a = {a}"))
cursor.execute("SELECT * FROM users WHERE name = %s", (name,))
cursor.execute("SELECT 1")
executor.execute(f"{job} now")
)py");
  auto found = o.Of("BW-PY-013");
  ASSERT_EQ(found.size(), 5u) << Ids(o);
  std::vector<int> lines;
  for (const auto* f : found) lines.push_back(f->location.line);
  EXPECT_EQ(lines, (std::vector<int>{3, 4, 5, 7, 8}));
  EXPECT_EQ(found[0]->severity, Severity::kHigh);
  EXPECT_EQ(found[3]->severity, Severity::kCritical);
}

TEST(PythonChecks, TlsVerification) {
  Outcome o = Audit(R"py(import requests, ssl, urllib3
requests.get(url, verify=False)
requests.post(url, verify=True)
requests.get(url, verify="/etc/ssl/ca.pem")
ctx = ssl._create_unverified_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
ctx2 = ssl.create_default_context()
urllib3.disable_warnings()
)py");
  auto verify = o.Of("BW-PY-014");
  ASSERT_EQ(verify.size(), 1u) << Ids(o);
  EXPECT_EQ(verify[0]->location.line, 2);
  EXPECT_EQ(verify[0]->location.column, 19);
  EXPECT_EQ(o.Of("BW-PY-015").size(), 3u) << Ids(o);
  EXPECT_EQ(o.Of("BW-PY-016").size(), 1u) << Ids(o);
}

TEST(PythonChecks, WeakHashes) {
  Outcome o = Audit(R"py(import hashlib
h1 = hashlib.md5(data)
h2 = hashlib.sha1(password.encode())
h3 = hashlib.sha256(data)
h4 = hashlib.md5(data, usedforsecurity=False)
h5 = hashlib.new("MD5")
)py");
  auto found = o.Of("BW-PY-017");
  ASSERT_EQ(found.size(), 3u) << Ids(o);
  EXPECT_EQ(found[0]->severity, Severity::kLow);
  EXPECT_EQ(found[1]->severity, Severity::kMedium);
  EXPECT_EQ(found[2]->location.line, 6);
}

TEST(PythonChecks, RandomForSecurityValues) {
  Outcome o = Audit(R"py(import random, secrets
session_token = random.randint(0, 10**9)
x = random.random()
def generate_token():
    return "".join(random.choice(alphabet) for _ in range(32))
def shuffle_deck(deck):
    random.shuffle(deck)
good = secrets.token_urlsafe(32)
)py");
  auto found = o.Of("BW-PY-018");
  ASSERT_EQ(found.size(), 2u) << Ids(o);
  EXPECT_EQ(found[0]->location.line, 2);
  EXPECT_EQ(found[1]->location.line, 5);
}

TEST(PythonChecks, InsecureTempFile) {
  Outcome o = Audit("import tempfile\nname = tempfile.mktemp()\nfd, p = tempfile.mkstemp()\n");
  ASSERT_EQ(o.Of("BW-PY-019").size(), 1u) << Ids(o);
  EXPECT_EQ(o.Of("BW-PY-019")[0]->location.line, 2);
}

TEST(PythonChecks, HardCodedCredentials) {
  Outcome o = Audit(R"py(import os
db_password = "Tr0ub4dor&3x"
dbPassword = 'correct-horse-battery'
API_KEY = "k_8f7d6e5c4b3a2910"
conn = connect(host="db", password="hunter2hunter2")
cfg = {"user": "admin", "client_secret": "s3cr3tValue99"}
def login(user, password="letmein-now-2024"):
    if password == "rosebud-9000":
        return True
settings.auth_token = "abcdEFGH12345678xyz"
default_pw = "changeme"
password = "changeme"
)py");
  auto found = o.Of("BW-PY-020");
  ASSERT_EQ(found.size(), 9u) << Ids(o);
  std::vector<int> lines;
  for (const auto* f : found) lines.push_back(f->location.line);
  EXPECT_EQ(lines, (std::vector<int>{2, 3, 4, 5, 6, 7, 8, 10, 12}));
  EXPECT_EQ(found[3]->location.column, 27);       // the keyword argument
  EXPECT_EQ(found[8]->severity, Severity::kLow);  // a default value
  for (const auto* f : found) {
    for (const char* secret : {"Tr0ub4dor", "battery", "8f7d6e", "hunter2hunter2", "s3cr3tValue",
                               "letmein-now", "rosebud", "EFGH1234"}) {
      EXPECT_EQ(f->message.find(secret), std::string::npos) << f->message;
    }
  }
}

TEST(PythonChecks, CredentialNegatives) {
  Outcome o = Audit(R"py(import os
password = os.environ["PASSWORD"]
db_password = os.getenv("DB_PASSWORD")
token = ""
PASSWORD_FILE = "/run/secrets/db_password"
password_env = "DB_PASSWORD"
secret_name = "prod/db"
token_url = "https://auth.example.com/token"
password = None
error_token = "Invalid token supplied"
PASSWORD_PROMPT = "Enter your password: "
api_key = "${API_KEY}"
password = "<password>"
field = form.password
max_tokens = 512
auth = ("user", pw)
)py");
  EXPECT_TRUE(o.Of("BW-PY-020").empty()) << Ids(o);
  EXPECT_TRUE(o.Of("BW-PY-012").empty()) << Ids(o);
}

TEST(PythonChecks, RequestDataAsPath) {
  Outcome o = Audit(R"py(import os
from flask import request, send_file
from werkzeug.utils import secure_filename
open(request.args["f"])
name = request.form.get("name")
send_file(os.path.join("/srv/files", name))
open("static/index.html")
open(os.path.join("/srv", secure_filename(request.args["f"])))
)py");
  auto found = o.Of("BW-PY-021");
  ASSERT_EQ(found.size(), 2u) << Ids(o);
  EXPECT_EQ(found[0]->location.line, 4);
  EXPECT_EQ(found[1]->location.line, 6);
}

TEST(PythonChecks, AssertForAccessControl) {
  Outcome o = Audit("assert user.is_admin\nassert len(items) > 0\nassert has_permission(u, 'x')\n");
  auto found = o.Of("BW-PY-022");
  ASSERT_EQ(found.size(), 2u) << Ids(o);
  EXPECT_EQ(found[1]->location.line, 3);
}

TEST(PythonChecks, TemplateInjection) {
  Outcome o = Audit(R"py(from flask import request, render_template_string
render_template_string(request.args.get("t"))
render_template_string(tpl)
render_template_string("<p>{{ name }}</p>", name=n)
)py");
  auto found = o.Of("BW-PY-023");
  ASSERT_EQ(found.size(), 2u) << Ids(o);
  EXPECT_EQ(found[0]->severity, Severity::kCritical);
  EXPECT_EQ(found[1]->severity, Severity::kHigh);
}

TEST(PythonChecks, RequestDataIsFollowedThroughAssignmentsWithinItsFunction) {
  Outcome o = Audit(R"py(import os
from flask import request

def first():
    host = request.args["host"]
    cmd = "ping -c 1 " + host
    cmd += " -W 1"
    os.system(cmd)

def second(host):
    os.system("ping " + host)
)py");
  auto found = o.Of("BW-PY-003");
  ASSERT_EQ(found.size(), 2u) << Ids(o);
  EXPECT_EQ(found[0]->severity, Severity::kCritical);
  EXPECT_EQ(found[1]->severity, Severity::kHigh);  // `host` is a plain parameter here
}

TEST(PythonChecks, RouteParametersAreRequestData) {
  Outcome o = Audit(R"py(import os
from flask import Flask
app = Flask(__name__)

@app.route("/greet/<name>")
def greet(name):
    os.system("echo " + name)
)py");
  auto found = o.Of("BW-PY-003");
  ASSERT_EQ(found.size(), 1u) << Ids(o);
  EXPECT_EQ(found[0]->severity, Severity::kCritical);
}

TEST(PythonChecks, BrokenFileIsDiagnosedAndStillChecked) {
  Outcome o = Audit("x = 'unterminated\nimport os\nos.system(cmd)\n", "src/tool.py");
  ASSERT_EQ(o.diagnostics.size(), 1u);
  EXPECT_EQ(o.diagnostics[0].location.path, "src/tool.py");
  EXPECT_EQ(o.diagnostics[0].location.line, 1);
  EXPECT_EQ(o.diagnostics[0].location.column, 5);
  ASSERT_EQ(o.Of("BW-PY-003").size(), 1u) << Ids(o);
  EXPECT_EQ(o.Of("BW-PY-003")[0]->location.line, 3);
}

TEST(PythonChecks, BinaryAndHostileInputDoNotCrash) {
  std::string noise;
  uint32_t state = 99;
  for (int i = 0; i < (1 << 18); ++i) {
    state = state * 1664525u + 1013904223u;
    noise += static_cast<char>(state >> 24);
  }
  Outcome o = Audit(noise);
  EXPECT_LE(o.diagnostics.size(), 21u);
  std::string deep = "eval(";
  for (int i = 0; i < 20000; ++i) deep += "eval(";
  Outcome d = Audit(deep + "x" + std::string(20001, ')') + "\n");
  EXPECT_FALSE(d.Of("BW-PY-005").empty());
  // An unclosed bracket swallows the following lines, as in Python; the
  // call inside them is still seen.
  Outcome unbalanced = Audit("os.system(((((\nimport os\nos.system(x)\n");
  auto calls = unbalanced.Of("BW-PY-003");
  ASSERT_FALSE(calls.empty()) << Ids(unbalanced);
  EXPECT_EQ(calls.back()->location.line, 3);
  EXPECT_FALSE(unbalanced.diagnostics.empty());
}

}  // namespace
}  // namespace bulwark::audit
