#include "audit/python_checks.hpp"

#include <string>

#include "audit/python_model.hpp"
#include "audit/python_rules.hpp"
#include "parse/python_tokenizer.hpp"

namespace bulwark::audit {
namespace {

// Enough to show that a file is broken without burying the report.
constexpr size_t kMaxDiagnosticsPerFile = 20;

class PythonAnalyzer : public Analyzer {
 public:
  void Analyze(const core::SourceFile& file, core::FindingSink& sink) override {
    parse::PyTokenizerOptions options;
    options.max_diagnostics = kMaxDiagnosticsPerFile;
    parse::PyTokenStream stream = parse::TokenizePython(file.content, options);
    for (const parse::PyTokenDiagnostic& d : stream.diagnostics) {
      sink.Diagnose(core::Location{file.path, d.line, d.column, 0, 0}, "python: " + d.message);
    }
    py::PyModel model(stream, file.path);
    model.ForEachStatement(
        [&](size_t begin, size_t end) { CheckStatement(model, begin, end, sink); });
  }

 private:
  static void CheckStatement(const py::PyModel& model, size_t begin, size_t end,
                             core::FindingSink& sink) {
    for (const py::CallSite& call : model.Calls(begin, end)) {
      py::CheckExecCall(model, call, sink);
      py::CheckWebCall(model, call, sink);
      py::CheckCryptoCall(model, call, sink);
    }
    py::Assignment assign;
    if (model.ParseAssignment(begin, end, &assign)) {
      py::CheckWebAssignment(model, assign, sink);
      py::CheckCryptoAssignment(model, assign, sink);
      py::CheckCredentialAssignment(model, assign, sink);
    }
    py::CheckCryptoStatement(model, begin, end, sink);
    py::CheckCredentialStatement(model, begin, end, sink);
  }
};

}  // namespace

core::Status RegisterPythonChecks(core::CheckRegistry& registry) {
  for (core::CheckInfo& info : py::PythonCheckCatalog())
    RETURN_IF_ERROR(registry.Add(std::move(info)));
  return core::Status::Ok();
}

std::unique_ptr<Analyzer> MakePythonAnalyzer() { return std::make_unique<PythonAnalyzer>(); }

}  // namespace bulwark::audit
