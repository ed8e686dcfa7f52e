// Metadata of the Python code checks (BW-PY-*): one entry per ID, beside
// the rules in python_rules_*.cpp.
#include "audit/python_rules.hpp"

namespace bulwark::audit::py {
namespace {

using core::Severity;

core::CheckInfo Check(std::string_view id, std::string title, Severity severity,
                      std::string rationale, std::string remediation, std::vector<std::string> cwe,
                      std::vector<std::string> attack, std::vector<std::string> nist,
                      std::vector<std::string> peers) {
  core::CheckInfo info;
  info.id = std::string(id);
  info.title = std::move(title);
  info.severity = severity;
  info.category = core::Category::kCode;
  info.rationale = std::move(rationale);
  info.remediation = std::move(remediation);
  info.references.cwe = std::move(cwe);
  info.references.attack = std::move(attack);
  info.references.nist = std::move(nist);
  info.fixable = false;  // code is never rewritten automatically: the remediation says how
  info.peers = std::move(peers);
  return info;
}

std::vector<core::CheckInfo> ExecChecks() {
  return {
      Check(kShellInjection, "Shell command built from non-constant input (command injection)",
            Severity::kHigh,
            "With shell=True the command string goes to /bin/sh; any part of it that comes from a "
            "variable, f-string, % or + can carry ';', '|' or '$()' and run further commands. "
            "Critical when the value reaches from request data.",
            "Pass an argument list without a shell: subprocess.run([\"ping\", \"-c\", \"1\", ip], "
            "check=True); validate the value (e.g. ipaddress.ip_address(ip)). If a shell is "
            "unavoidable, quote each value with shlex.quote().",
            {"CWE-78"}, {"T1059", "T1190"}, {"SI-10", "CM-7"}, {"bandit B602"}),
      Check(kShellConstant, "subprocess call with shell=True and a constant command",
            Severity::kLow,
            "A constant command is not injectable, but shell=True adds a shell to the attack "
            "surface and tends to become injectable when the command is later parameterised.",
            "Split the command into an argument list and drop shell=True.", {"CWE-78"}, {},
            {"CM-7"}, {"bandit B602"}),
      Check(kOsCommandInjection, "OS command run with a non-constant command (command injection)",
            Severity::kHigh,
            "os.system, os.popen, commands.getoutput and friends always use a shell; os.spawn*, "
            "os.exec* and pty.spawn run whatever program they are given. A command built from "
            "variables lets an attacker choose what runs. Critical with request data.",
            "Use subprocess.run() with an argument list and no shell, and validate every value "
            "(allow-list, ipaddress, int()).",
            {"CWE-78"}, {"T1059", "T1190"}, {"SI-10", "CM-7"}, {"bandit B605", "bandit B606"}),
      Check(kOsCommandConstant, "OS shell command with a constant string", Severity::kLow,
            "Not injectable as written, but it runs a shell and depends on PATH.",
            "Use subprocess.run() with an argument list and an absolute program path.", {"CWE-78"},
            {}, {"CM-7"}, {"bandit B605"}),
      Check(kCodeEval, "eval/exec/compile on non-constant input (code injection)", Severity::kHigh,
            "eval, exec and compile run arbitrary Python; given data an attacker controls, they "
            "give the attacker code execution inside the service (critical when the value "
            "reaches from request data or input()).",
            "Do not evaluate data. Parse what you expect: ast.literal_eval() for Python literals, "
            "json.loads() for JSON, or a small expression parser with an allow-list of "
            "operators.",
            {"CWE-95", "CWE-94"}, {"T1059", "T1190"}, {"SI-10"}, {"bandit B307", "bandit B102"}),
      Check(kDynamicImport, "Module imported by a non-constant name", Severity::kMedium,
            "__import__ or importlib.import_module with a name from data can load any module on "
            "the path, including attacker-placed ones, and run its top-level code.",
            "Map allowed names to modules with a dict; never import by a name from a request.",
            {"CWE-470"}, {"T1059"}, {"SI-10", "CM-7(5)"}, {}),
      Check(kUnsafeDeserialization, "Unsafe deserialisation (pickle, marshal, shelve, dill)",
            Severity::kHigh,
            "pickle-family loaders run code chosen by whoever wrote the bytes (__reduce__); "
            "loading data that crossed a trust boundary gives code execution.",
            "Use a data-only format (json, msgpack, protobuf); if pickle is unavoidable, "
            "authenticate the bytes with an HMAC before loading. For torch.load pass "
            "weights_only=True.",
            {"CWE-502"}, {"T1190", "T1059"}, {"SI-10", "SI-7"},
            {"bandit B301", "bandit B302", "bandit B614"}),
      Check(kUnsafeYaml, "YAML loaded with an unsafe loader", Severity::kHigh,
            "yaml.load with the default, Loader, UnsafeLoader or FullLoader can build arbitrary "
            "Python objects (e.g. !!python/object/apply:os.system) from a YAML document.",
            "Use yaml.safe_load() or yaml.load(data, Loader=yaml.SafeLoader).", {"CWE-502"},
            {"T1190"}, {"SI-10"}, {"bandit B506"}),
      Check(kTemplateInjection, "Template rendered from a non-constant string (SSTI)",
            Severity::kHigh,
            "Rendering a template whose text comes from data lets an attacker write Jinja2 "
            "expressions that reach Python objects and run code ({{ cycler.__init__... }}).",
            "Keep template text constant (render_template with a file) and pass data as "
            "variables.",
            {"CWE-1336", "CWE-94"}, {"T1190"}, {"SI-10"}, {}),
  };
}

std::vector<core::CheckInfo> WebChecks() {
  return {
      Check(kFlaskDebugRun, "Flask/Werkzeug debugger enabled", Severity::kCritical,
            "app.run(debug=True) starts the Werkzeug interactive debugger: an error page offers a "
            "Python console, and its PIN can be derived from data the service leaks. That is "
            "remote code execution for anyone who reaches the port.",
            "Remove debug=True (use FLASK_DEBUG only on a developer machine) and serve with a "
            "production WSGI server such as gunicorn.",
            {"CWE-489", "CWE-94"}, {"T1190"}, {"CM-6", "CM-7"}, {"bandit B201"}),
      Check(kBindAllInterfaces, "Server binds to all interfaces", Severity::kMedium,
            "Listening on 0.0.0.0 exposes the service on every network of the machine. Inside a "
            "container this is the normal way to publish a port (isolation comes from the "
            "container network and which ports are published), so the finding matters when the "
            "code also runs directly on a host.",
            "Bind to 127.0.0.1 when run outside a container, or read the address from "
            "configuration; in a container, publish the port only on the interface that needs "
            "it (\"127.0.0.1:5000:5000\").",
            {"CWE-1327"}, {}, {"SC-7"}, {"bandit B104"}),
      Check(kDebugConfig, "Debug mode enabled in the application configuration", Severity::kHigh,
            "DEBUG=True makes error pages show source, settings and request data, and in Flask "
            "it switches on the Werkzeug debugger when the app runs with the built-in server.",
            "Set DEBUG from the environment and default it to False.", {"CWE-489", "CWE-215"},
            {"T1190"}, {"CM-6"}, {"bandit B201"}),
      Check(kSqlInjection, "SQL built by string formatting (SQL injection)", Severity::kHigh,
            "Formatting values into SQL text lets a value close the quote and add its own SQL: "
            "read any table, change data, or bypass a login. Critical with request data.",
            "Use the driver's parameters: cursor.execute(\"SELECT * FROM users WHERE id = %s\", "
            "(user_id,)) (sqlite3: '?'), or SQLAlchemy text() with bound :params.",
            {"CWE-89"}, {"T1190"}, {"SI-10"}, {"bandit B608"}),
      Check(kPathTraversal, "Request data used as a file path (path traversal)", Severity::kMedium,
            "A file name from the request can contain ../ or an absolute path and reach any file "
            "the service can read or write (keys, /etc/passwd, the source).",
            "Use flask.send_from_directory or werkzeug.utils.safe_join with a fixed base "
            "directory, or secure_filename(); reject names that resolve outside the base.",
            {"CWE-22"}, {"T1190"}, {"SI-10", "AC-3"}, {}),
  };
}

std::vector<core::CheckInfo> CryptoChecks() {
  return {
      Check(kTlsVerifyFalse, "TLS certificate verification disabled (verify=False)",
            Severity::kHigh,
            "Without certificate verification anyone on the network path can impersonate the "
            "server and read or change the traffic, credentials included.",
            "Remove verify=False; for a private CA pass verify=\"/path/to/ca.pem\".", {"CWE-295"},
            {}, {"SC-8"}, {"bandit B501"}),
      Check(kTlsUnverifiedContext, "Unverified TLS context", Severity::kHigh,
            "ssl._create_unverified_context(), CERT_NONE and check_hostname=False accept any "
            "certificate, so the connection can be intercepted.",
            "Use ssl.create_default_context() (optionally with cafile=) and keep hostname "
            "checking on.",
            {"CWE-295"}, {}, {"SC-8"}, {"bandit B323"}),
      Check(kTlsWarningsDisabled, "urllib3 TLS warnings disabled", Severity::kLow,
            "Silencing InsecureRequestWarning hides that some request skips certificate "
            "verification; it usually travels with verify=False.",
            "Remove the call and fix the request that triggered the warning.", {"CWE-295"}, {},
            {"SC-8"}, {}),
      Check(kWeakHash, "Weak hash (MD5/SHA-1)", Severity::kLow,
            "MD5 and SHA-1 have practical collisions, and as password hashes they are fast "
            "enough to brute-force offline (medium when used on a password).",
            "Use hashlib.sha256 for integrity, argon2/bcrypt/scrypt/hashlib.pbkdf2_hmac for "
            "passwords, or pass usedforsecurity=False for non-security uses.",
            {"CWE-327", "CWE-916"}, {}, {"IA-5"}, {"bandit B324"}),
      Check(kInsecureRandom, "Non-cryptographic random used for a security value", Severity::kLow,
            "The random module is a Mersenne Twister: after 624 outputs its state is known, so "
            "tokens, passwords or nonces made with it can be predicted.",
            "Use the secrets module: secrets.token_urlsafe(), secrets.choice(), "
            "secrets.randbelow().",
            {"CWE-338", "CWE-330"}, {}, {"IA-5"}, {"bandit B311"}),
      Check(kInsecureTempFile, "Insecure temporary file name (tempfile.mktemp)", Severity::kMedium,
            "mktemp returns a name without creating the file; another process can create or "
            "link it first (symlink race).",
            "Use tempfile.mkstemp(), NamedTemporaryFile() or TemporaryDirectory().", {"CWE-377"},
            {}, {"SC-4"}, {"bandit B306"}),
      Check(kAssertAuth, "assert used for an access-control decision", Severity::kLow,
            "assert statements are removed when Python runs with -O, so an access check written "
            "as assert silently disappears.",
            "Use an explicit if ...: raise/abort(403).", {"CWE-617", "CWE-703"}, {}, {"AC-3"},
            {"bandit B101"}),
  };
}

std::vector<core::CheckInfo> CredentialChecks() {
  return {
      Check(kHardcodedSecretKey, "Hard-coded Flask/Django secret key", Severity::kHigh,
            "The secret key signs session cookies and tokens; whoever has the source (a leaked "
            "image layer, a public repository) can forge a session for any user.",
            "Load it from the environment or a mounted secret (app.secret_key = "
            "os.environ[\"SECRET_KEY\"]), generate it with secrets.token_hex(32), and rotate the "
            "exposed one.",
            {"CWE-798", "CWE-321"}, {"T1552.001"}, {"IA-5(7)", "SC-12"}, {"bandit B105"}),
      Check(kHardcodedCredential, "Hard-coded credential in source", Severity::kHigh,
            "A password, token or key written in the source ends up in every copy of the code "
            "and every image layer built from it, and cannot be rotated without a release.",
            "Read it at run time from the environment or a mounted secret (Docker/Kubernetes "
            "secrets under /run/secrets), rotate the exposed value, and remove it from history.",
            {"CWE-798", "CWE-259"}, {"T1552.001"}, {"IA-5(7)", "IA-5"},
            {"bandit B105", "bandit B106", "bandit B107"}),
  };
}

}  // namespace

std::vector<core::CheckInfo> PythonCheckCatalog() {
  std::vector<core::CheckInfo> all;
  for (auto* group : {&ExecChecks, &WebChecks, &CryptoChecks, &CredentialChecks}) {
    for (core::CheckInfo& info : group()) all.push_back(std::move(info));
  }
  return all;
}

}  // namespace bulwark::audit::py
