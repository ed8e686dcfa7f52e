// Rules on TLS verification, weak hashes, non-cryptographic random numbers
// for security values, insecure temporary files and assert-based checks.
#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>

#include "audit/python_rules.hpp"

namespace bulwark::audit::py {
namespace {

using core::Severity;

bool In(std::string_view s, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// Names that say a value guards access: tokens, keys, passwords, nonces.
bool IsSecurityName(std::string_view name) {
  return IsSecretName(name) ||
         NameHasWord(name, {"token", "nonce", "salt", "otp", "csrf", "session", "reset", "secret",
                            "password", "passwd", "pwd", "pin", "apikey", "auth"});
}

bool IsRandomCall(const CallSite& call) {
  return call.callee.substr(0, 7) == "random." &&
         In(call.last, {"random", "randint", "randrange", "choice", "choices", "getrandbits",
                        "sample", "shuffle", "uniform", "randbytes"});
}

void ReportRandom(const PyModel& model, const CallSite& call, std::string_view why,
                  core::FindingSink& sink) {
  sink.Report(kInsecureRandom, CallLoc(model, call),
              fmt::format("{}() (Mersenne Twister, predictable) makes {}; use the secrets module",
                          call.raw, why));
}

void CheckTls(const PyModel& model, const CallSite& call, core::FindingSink& sink) {
  if (const Arg* verify = call.Keyword("verify");
      verify != nullptr && model.Evaluate(verify->begin, verify->end).is_false) {
    sink.Report(
        kTlsVerifyFalse, ArgLoc(model, *verify),
        fmt::format("{}() turns off TLS certificate verification (verify=False)", call.raw));
  }
  if (In(call.callee, {"ssl._create_unverified_context", "ssl._create_stdlib_context"})) {
    sink.Report(kTlsUnverifiedContext, CallLoc(model, call),
                fmt::format("{}() makes a TLS context that accepts any certificate", call.raw));
  }
  if (const Arg* reqs = call.Keyword("cert_reqs")) {
    size_t end = reqs->begin;
    const PyToken& t = model.At(reqs->begin);
    bool none = (t.kind == PyTokenKind::kName &&
                 model.Resolve(model.ReadChain(reqs->begin, &end)) == "ssl.CERT_NONE") ||
                (t.IsConstantString() && parse::PyStringValue(t) == "CERT_NONE");
    if (none) {
      sink.Report(
          kTlsUnverifiedContext, ArgLoc(model, *reqs),
          fmt::format("{}() is given cert_reqs=CERT_NONE: certificates are not checked", call.raw));
    }
  }
  if (In(call.callee, {"urllib3.disable_warnings", "requests.packages.urllib3.disable_warnings"})) {
    sink.Report(kTlsWarningsDisabled, CallLoc(model, call),
                fmt::format("{}() hides the warning that TLS verification is off", call.raw));
  }
}

void CheckHash(const PyModel& model, const CallSite& call, core::FindingSink& sink) {
  std::string algorithm;
  if (In(call.callee, {"hashlib.md5", "hashlib.sha1"})) {
    algorithm = call.callee.substr(8);
  } else if (call.callee == "hashlib.new") {
    const Arg* name = call.Positional(0);
    if (name == nullptr) return;
    ExprFacts f = model.Evaluate(name->begin, name->end);
    std::string lower;
    for (char c : f.literal)
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!f.constant || (lower != "md5" && lower != "sha1")) return;
    algorithm = lower;
  } else {
    return;
  }
  if (const Arg* use = call.Keyword("usedforsecurity");
      use != nullptr && model.Evaluate(use->begin, use->end).is_false) {
    return;
  }
  bool password = false;
  for (const Arg& arg : call.args) {
    ExprFacts f = model.Evaluate(arg.begin, arg.end);
    password |= !f.name.empty() && NameHasWord(f.name, {"password", "passwd", "pwd", "pass"});
  }
  password |= NameHasWord(model.function(), {"password", "passwd", "pwd"});
  if (password) {
    sink.ReportWithSeverity(kWeakHash, Severity::kMedium, CallLoc(model, call),
                            fmt::format("{}() hashes a password with {}: fast and broken; use a "
                                        "password hash (argon2, bcrypt, scrypt, pbkdf2)",
                                        call.raw, algorithm));
    return;
  }
  sink.Report(
      kWeakHash, CallLoc(model, call),
      fmt::format("{}() uses {}, which is broken for security purposes", call.raw, algorithm));
}

}  // namespace

void CheckCryptoCall(const PyModel& model, const CallSite& call, core::FindingSink& sink) {
  CheckTls(model, call, sink);
  CheckHash(model, call, sink);
  if (IsRandomCall(call) && IsSecurityName(model.function())) {
    ReportRandom(model, call, fmt::format("a value in {}()", model.function()), sink);
  }
  if (call.callee == "tempfile.mktemp") {
    sink.Report(kInsecureTempFile, CallLoc(model, call),
                "tempfile.mktemp() returns a name another process can take first; use "
                "tempfile.mkstemp() or NamedTemporaryFile()");
  }
}

void CheckCryptoAssignment(const PyModel& model, const Assignment& assign,
                           core::FindingSink& sink) {
  for (auto [tb, te] : assign.targets) {
    TargetName target;
    if (!model.ParseTarget(tb, te, &target)) continue;
    if (!target.subscript && target.key == "check_hostname" &&
        model.Evaluate(assign.value_begin, assign.value_end).is_false) {
      sink.Report(kTlsUnverifiedContext, model.Loc(tb, assign.value_end - 1),
                  "check_hostname = False: the TLS peer's name is not checked");
    }
    size_t end = assign.value_begin;
    if (!target.subscript && target.key == "verify_mode" &&
        model.At(assign.value_begin).kind == PyTokenKind::kName &&
        model.Resolve(model.ReadChain(assign.value_begin, &end)) == "ssl.CERT_NONE") {
      sink.Report(kTlsUnverifiedContext, model.Loc(tb, assign.value_end - 1),
                  "verify_mode = ssl.CERT_NONE: certificates are not checked");
    }
    if (IsSecurityName(target.key) && !IsSecurityName(model.function())) {
      for (const CallSite& call : model.Calls(assign.value_begin, assign.value_end)) {
        if (IsRandomCall(call)) ReportRandom(model, call, fmt::format("'{}'", target.key), sink);
      }
    }
  }
}

// assert is_admin(user): removed by python -O, so the check disappears.
void CheckCryptoStatement(const PyModel& model, size_t begin, size_t end, core::FindingSink& sink) {
  if (!model.At(begin).IsName("assert")) return;
  for (size_t i = begin + 1; i < end; ++i) {
    const PyToken& t = model.At(i);
    if (t.kind != PyTokenKind::kName) continue;
    if (NameHasWord(t.text,
                    {"auth", "authenticated", "authorized", "authorised", "admin", "permission",
                     "permissions", "perm", "perms", "role", "roles", "logged", "login",
                     "superuser", "staff", "owner", "allowed", "access"})) {
      sink.Report(
          kAssertAuth, model.Loc(begin, end - 1),
          fmt::format("assert guards an access decision ('{}'); python -O removes it", t.text));
      return;
    }
  }
}

}  // namespace bulwark::audit::py
