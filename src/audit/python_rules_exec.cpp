// Rules on calls that run commands or code: shells, eval/exec, dynamic
// imports, unsafe deserialisation, YAML loaders, template rendering.
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

// "sp.run()" or, when an alias hides the module, "sp.run() (subprocess.run)".
std::string CallName(const CallSite& call) {
  if (call.raw == call.callee || call.callee.empty()) return call.raw + "()";
  return fmt::format("{}() ({})", call.raw, call.callee);
}

std::string Shorten(std::string_view text, size_t max = 60) {
  std::string out;
  for (char c : text.substr(0, max)) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  if (text.size() > max) out += "...";
  return out;
}

const Arg* FirstArg(const CallSite& call, std::initializer_list<std::string_view> keywords) {
  if (const Arg* arg = call.Positional(0)) return arg;
  for (std::string_view kw : keywords) {
    if (const Arg* arg = call.Keyword(kw)) return arg;
  }
  return nullptr;
}

void CheckSubprocessShell(const PyModel& model, const CallSite& call, core::FindingSink& sink) {
  if (!In(call.callee, {"subprocess.Popen", "subprocess.call", "subprocess.run",
                        "subprocess.check_call", "subprocess.check_output"})) {
    return;
  }
  const Arg* shell = call.Keyword("shell");
  if (shell == nullptr || !model.Evaluate(shell->begin, shell->end).is_true) return;
  const Arg* cmd = FirstArg(call, {"args"});
  if (cmd == nullptr) return;
  ExprFacts f = model.Evaluate(cmd->begin, cmd->end);
  if (f.constant) {
    sink.Report(kShellConstant, CallLoc(model, call),
                fmt::format("{} runs a shell (shell=True) with the constant command \"{}\"",
                            CallName(call), Shorten(f.literal)));
    return;
  }
  sink.ReportWithSeverity(kShellInjection, f.tainted ? Severity::kCritical : Severity::kHigh,
                          CallLoc(model, call),
                          fmt::format("{} runs a shell (shell=True) with a command built from {}",
                                      CallName(call), Describe(f)));
}

// Index of the argument naming the command or program, or -1.
int ProgramArgument(std::string_view callee, bool* uses_shell) {
  *uses_shell = true;
  if (In(callee, {"os.system", "os.popen", "os.popen2", "os.popen3", "os.popen4",
                  "commands.getoutput", "commands.getstatusoutput", "subprocess.getoutput",
                  "subprocess.getstatusoutput", "asyncio.create_subprocess_shell", "platform.popen",
                  "popen2.popen2", "popen2.popen3", "popen2.popen4"})) {
    return 0;
  }
  *uses_shell = false;
  if (callee == "pty.spawn") return 0;
  if (callee.substr(0, 8) == "os.spawn") return 1;  // os.spawnl(mode, path, ...)
  if (callee.substr(0, 7) == "os.exec" && callee != "os.execute") return 0;
  return -1;
}

void CheckOsCommand(const PyModel& model, const CallSite& call, core::FindingSink& sink) {
  bool uses_shell = false;
  int index = ProgramArgument(call.callee, &uses_shell);
  if (index < 0) return;
  const Arg* arg = call.Positional(static_cast<size_t>(index));
  if (arg == nullptr && index == 0) arg = FirstArg(call, {"command", "cmd", "argv"});
  if (arg == nullptr) return;
  ExprFacts f = model.Evaluate(arg->begin, arg->end);
  if (f.constant) {
    if (!uses_shell) return;  // a fixed program without a shell is fine
    sink.Report(kOsCommandConstant, CallLoc(model, call),
                fmt::format("{} runs the constant shell command \"{}\"", CallName(call),
                            Shorten(f.literal)));
    return;
  }
  std::string what = uses_shell ? "runs a shell command built from" : "starts a program named by";
  sink.ReportWithSeverity(kOsCommandInjection, f.tainted ? Severity::kCritical : Severity::kHigh,
                          CallLoc(model, call),
                          fmt::format("{} {} {}", CallName(call), what, Describe(f)));
}

void CheckEval(const PyModel& model, const CallSite& call, core::FindingSink& sink) {
  bool builtin = call.raw == call.callee;
  std::string_view name = call.callee;
  if (name.substr(0, 9) == "builtins.") name.remove_prefix(9);
  if (!In(name, {"eval", "exec", "compile"}) ||
      (!builtin && call.callee.substr(0, 9) != "builtins.")) {
    return;
  }
  const Arg* arg = FirstArg(call, {"source", "expression", "object"});
  if (arg == nullptr) return;
  ExprFacts f = model.Evaluate(arg->begin, arg->end);
  if (f.constant) return;
  std::string consequence =
      f.tainted ? ": any Python code a client sends runs inside the service" : "";
  sink.ReportWithSeverity(kCodeEval, f.tainted ? Severity::kCritical : Severity::kHigh,
                          CallLoc(model, call),
                          fmt::format("{}() runs code from {}{}", name, Describe(f), consequence));
}

void CheckDynamicImport(const PyModel& model, const CallSite& call, core::FindingSink& sink) {
  bool builtin_import = call.callee == "__import__" || call.callee == "builtins.__import__";
  if (!builtin_import && call.callee != "importlib.import_module") return;
  const Arg* arg = FirstArg(call, {"name"});
  if (arg == nullptr) return;
  ExprFacts f = model.Evaluate(arg->begin, arg->end);
  if (f.constant) return;
  sink.ReportWithSeverity(
      kDynamicImport, f.tainted ? Severity::kHigh : Severity::kMedium, CallLoc(model, call),
      fmt::format("{} imports a module named by {}", CallName(call), Describe(f)));
}

void CheckDeserialization(const PyModel& model, const CallSite& call, core::FindingSink& sink) {
  std::string_view c = call.callee;
  bool unsafe = In(
      c, {"pickle.load", "pickle.loads", "pickle.Unpickler", "cPickle.load", "cPickle.loads",
          "cPickle.Unpickler", "_pickle.load", "_pickle.loads", "dill.load", "dill.loads",
          "cloudpickle.load", "cloudpickle.loads", "shelve.open", "marshal.load", "marshal.loads",
          "jsonpickle.decode", "jsonpickle.loads", "pandas.read_pickle", "joblib.load"});
  if (c == "torch.load") {
    const Arg* weights = call.Keyword("weights_only");
    unsafe = weights == nullptr || !model.Evaluate(weights->begin, weights->end).is_true;
  }
  if (c == "numpy.load") {
    const Arg* allow = call.Keyword("allow_pickle");
    unsafe = allow != nullptr && model.Evaluate(allow->begin, allow->end).is_true;
  }
  if (!unsafe) return;
  const Arg* arg = FirstArg(call, {"file", "data", "filename", "string", "s"});
  ExprFacts f = arg != nullptr ? model.Evaluate(arg->begin, arg->end) : ExprFacts{};
  std::string source = f.tainted ? " data from the request (" + f.taint_source + ")" : " its input";
  sink.ReportWithSeverity(
      kUnsafeDeserialization, f.tainted ? Severity::kCritical : Severity::kHigh,
      CallLoc(model, call),
      fmt::format("{} deserialises{}: a crafted payload runs code while it is loaded",
                  CallName(call), source));
}

void CheckYaml(const PyModel& model, const CallSite& call, core::FindingSink& sink) {
  std::string_view c = call.callee;
  if (In(c, {"yaml.unsafe_load", "yaml.unsafe_load_all"})) {
    sink.Report(kUnsafeYaml, CallLoc(model, call),
                fmt::format("{} constructs arbitrary Python objects from YAML", CallName(call)));
    return;
  }
  if (In(c, {"yaml.full_load", "yaml.full_load_all"})) {
    sink.ReportWithSeverity(kUnsafeYaml, Severity::kMedium, CallLoc(model, call),
                            fmt::format("{} uses FullLoader, which still builds Python objects "
                                        "(CVE-2020-14343 class of bugs); use yaml.safe_load()",
                                        CallName(call)));
    return;
  }
  if (!In(c, {"yaml.load", "yaml.load_all"})) return;
  const Arg* loader = call.Keyword("Loader");
  if (loader == nullptr) loader = call.Positional(1);
  if (loader == nullptr) {
    sink.Report(kUnsafeYaml, CallLoc(model, call),
                fmt::format("{} without a Loader= argument (older PyYAML defaults to the unsafe "
                            "loader; newer ones raise)",
                            CallName(call)));
    return;
  }
  size_t chain_end = loader->begin;
  if (model.At(loader->begin).kind != PyTokenKind::kName) return;
  std::string name = model.Resolve(model.ReadChain(loader->begin, &chain_end));
  std::string_view last = std::string_view(name).substr(name.rfind('.') + 1);
  if (In(last, {"Loader", "UnsafeLoader", "CLoader", "CUnsafeLoader"})) {
    sink.Report(
        kUnsafeYaml, CallLoc(model, call),
        fmt::format("{} with {} constructs arbitrary Python objects", CallName(call), last));
  } else if (In(last, {"FullLoader", "CFullLoader"})) {
    sink.ReportWithSeverity(kUnsafeYaml, Severity::kMedium, CallLoc(model, call),
                            fmt::format("{} with {} still builds Python objects; use SafeLoader",
                                        CallName(call), last));
  }
}

void CheckTemplate(const PyModel& model, const CallSite& call, core::FindingSink& sink) {
  bool render =
      call.callee == "flask.render_template_string" || call.raw == "render_template_string";
  bool from_text = call.callee == "jinja2.Template" || call.last == "from_string";
  if (!render && !from_text) return;
  const Arg* arg = FirstArg(call, {"source"});
  if (arg == nullptr) return;
  ExprFacts f = model.Evaluate(arg->begin, arg->end);
  if (f.constant || (from_text && !f.tainted)) return;
  sink.ReportWithSeverity(
      kTemplateInjection, f.tainted ? Severity::kCritical : Severity::kHigh, CallLoc(model, call),
      fmt::format("{} renders a template built from {}", CallName(call), Describe(f)));
}

}  // namespace

void CheckExecCall(const PyModel& model, const CallSite& call, core::FindingSink& sink) {
  CheckSubprocessShell(model, call, sink);
  CheckOsCommand(model, call, sink);
  CheckEval(model, call, sink);
  CheckDynamicImport(model, call, sink);
  CheckDeserialization(model, call, sink);
  CheckYaml(model, call, sink);
  CheckTemplate(model, call, sink);
}

core::Location CallLoc(const PyModel& model, const CallSite& call) {
  return model.Loc(call.name_begin, call.close);
}

core::Location ArgLoc(const PyModel& model, const Arg& arg) {
  size_t first = arg.keyword.empty() ? arg.begin : arg.begin - 2;
  return model.Loc(first, arg.end > arg.begin ? arg.end - 1 : arg.begin);
}

}  // namespace bulwark::audit::py
