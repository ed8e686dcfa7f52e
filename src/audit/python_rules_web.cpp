// Rules for web services: Flask/Werkzeug debug and binding, debug
// configuration, SQL built by string formatting, request data as a path.
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

bool IsAllInterfaces(std::string_view host) {
  return host == "0.0.0.0" || host == "::" || host == "[::]";
}

// The argument given by keyword or, failing that, at a position.
const Arg* ArgumentOf(const CallSite& call, std::string_view keyword, int position) {
  if (const Arg* arg = call.Keyword(keyword)) return arg;
  return position >= 0 ? call.Positional(static_cast<size_t>(position)) : nullptr;
}

void ReportBindAll(const PyModel& model, const CallSite& call, const Arg& arg,
                   std::string_view host, core::FindingSink& sink) {
  sink.Report(kBindAllInterfaces, ArgLoc(model, arg),
              fmt::format("{}() listens on all interfaces (\"{}\"); normal inside a container, "
                          "where the port is published, but exposed to every network when run on "
                          "a host",
                          call.raw, host));
}

void CheckServerRun(const PyModel& model, const CallSite& call, core::FindingSink& sink) {
  bool app_run = call.last == "run" && !call.receiver.empty() &&
                 (model.IsFlaskApp(call.receiver) || NameHasWord(call.receiver, {"socketio"}));
  bool run_simple = call.callee == "werkzeug.serving.run_simple" ||
                    call.callee == "werkzeug.run_simple" || call.raw == "run_simple";
  bool uvicorn = call.callee == "uvicorn.run";
  if (!app_run && !run_simple && !uvicorn) return;
  // Flask.run(host, port, debug); run_simple(hostname, port, app, use_reloader, use_debugger);
  // SocketIO.run(app, ...) takes the app first, so only its keyword counts.
  bool socketio = call.receiver.find("socketio") != std::string::npos;
  const Arg* debug = nullptr;
  if (app_run) debug = ArgumentOf(call, "debug", socketio ? -1 : 2);
  if (run_simple) debug = ArgumentOf(call, "use_debugger", 4);
  if (debug != nullptr && model.Evaluate(debug->begin, debug->end).is_true) {
    sink.Report(kFlaskDebugRun, ArgLoc(model, *debug),
                fmt::format("{}() starts the Werkzeug debugger ({}=True): anyone who reaches the "
                            "port can run Python code in the service",
                            call.raw, debug->keyword.empty() ? "debug" : debug->keyword));
  }
  const Arg* host =
      ArgumentOf(call, run_simple ? "hostname" : "host", uvicorn || socketio ? -1 : 0);
  if (host == nullptr) return;
  ExprFacts f = model.Evaluate(host->begin, host->end);
  if (f.constant && IsAllInterfaces(f.literal)) ReportBindAll(model, call, *host, f.literal, sink);
}

// sock.bind(("0.0.0.0", 8080))
void CheckSocketBind(const PyModel& model, const CallSite& call, core::FindingSink& sink) {
  if (call.last != "bind" || call.receiver.empty()) return;
  const Arg* addr = call.Positional(0);
  if (addr == nullptr || addr->end - addr->begin < 3 || !model.At(addr->begin).IsOp("(")) return;
  const PyToken& host = model.At(addr->begin + 1);
  if (!host.IsConstantString() || !model.At(addr->begin + 2).IsOp(",")) return;
  std::string value = parse::PyStringValue(host);
  if (IsAllInterfaces(value)) ReportBindAll(model, call, *addr, value, sink);
}

// app.config.update(DEBUG=True) / app.config.from_mapping(DEBUG=True)
void CheckConfigUpdate(const PyModel& model, const CallSite& call, core::FindingSink& sink) {
  if (!In(call.last, {"update", "from_mapping"})) return;
  std::string_view receiver = call.receiver;
  if (receiver.size() < 7 || receiver.substr(receiver.size() - 7) != ".config") return;
  const Arg* debug = call.Keyword("DEBUG");
  if (debug != nullptr && model.Evaluate(debug->begin, debug->end).is_true) {
    sink.Report(kDebugConfig, ArgLoc(model, *debug), fmt::format("{}() sets DEBUG=True", call.raw));
  }
}

bool IsDbReceiver(std::string_view receiver) {
  std::string_view last = receiver.substr(receiver.rfind('.') + 1);
  return In(last, {"c", "cur", "db", "conn", "con"}) ||
         NameHasWord(last, {"cursor", "cur", "conn", "connection", "db", "database", "session",
                            "engine", "sql", "sqlite", "mysql", "postgres", "pg"});
}

void CheckSql(const PyModel& model, const CallSite& call, core::FindingSink& sink) {
  bool execute = In(call.last, {"execute", "executemany", "executescript", "mogrify", "raw"}) &&
                 !call.receiver.empty();
  bool text =
      In(call.callee, {"sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text"});
  bool pandas = In(call.callee, {"pandas.read_sql", "pandas.read_sql_query"});
  if (!execute && !text && !pandas) return;
  const Arg* query = ArgumentOf(call, pandas ? "sql" : "statement", 0);
  if (query == nullptr) query = call.Keyword("sql");
  if (query == nullptr) return;
  ExprFacts f = model.Evaluate(query->begin, query->end);
  if (f.constant || !f.formatted) return;
  if (!f.sql_like && !(execute && IsDbReceiver(call.receiver)) && !text) return;
  sink.ReportWithSeverity(kSqlInjection, f.tainted ? Severity::kCritical : Severity::kHigh,
                          CallLoc(model, call),
                          fmt::format("{}() runs SQL built with {}", call.raw, Describe(f)));
}

void CheckPathFromRequest(const PyModel& model, const CallSite& call, core::FindingSink& sink) {
  bool builtin_open = call.raw == "open" && call.callee == "open";
  if (!builtin_open &&
      !In(call.callee, {"io.open", "codecs.open", "os.open", "flask.send_file", "pathlib.Path",
                        "shutil.copy", "shutil.copyfile", "os.remove", "os.unlink"})) {
    return;
  }
  const Arg* path = ArgumentOf(call, "file", 0);
  if (path == nullptr) path = call.Keyword("path_or_file");
  if (path == nullptr) return;
  ExprFacts f = model.Evaluate(path->begin, path->end);
  if (!f.tainted) return;
  sink.Report(kPathTraversal, CallLoc(model, call),
              fmt::format("{}() opens a path built from {}: \"../\" reaches any file the service "
                          "can read",
                          call.raw, Describe(f)));
}

}  // namespace

void CheckWebCall(const PyModel& model, const CallSite& call, core::FindingSink& sink) {
  CheckServerRun(model, call, sink);
  CheckSocketBind(model, call, sink);
  CheckConfigUpdate(model, call, sink);
  CheckSql(model, call, sink);
  CheckPathFromRequest(model, call, sink);
}

// app.config["DEBUG"] = True, app.debug = True, DEBUG = True in a Django settings.py.
void CheckWebAssignment(const PyModel& model, const Assignment& assign, core::FindingSink& sink) {
  ExprFacts value = model.Evaluate(assign.value_begin, assign.value_end);
  if (!value.is_true || assign.op != "=") return;
  for (auto [tb, te] : assign.targets) {
    TargetName target;
    if (!model.ParseTarget(tb, te, &target)) continue;
    std::string_view base = target.base;
    bool config_key = target.subscript && target.key == "DEBUG" && base.size() >= 6 &&
                      base.substr(base.size() - 6) == "config";
    bool app_attr = !target.subscript && target.key == "debug" && model.IsFlaskApp(base);
    std::string_view path = model.path();
    bool settings = target.base.empty() && target.key == "DEBUG" && model.at_module_level() &&
                    path.size() >= 11 && path.substr(path.size() - 11) == "settings.py";
    if (!config_key && !app_attr && !settings) continue;
    sink.Report(kDebugConfig, model.Loc(tb, assign.value_end - 1),
                settings ? "Django settings set DEBUG = True: error pages show code, settings "
                           "and request data"
                         : "debug mode is switched on in the application configuration");
  }
}

}  // namespace bulwark::audit::py
