#include "audit/compose_checks.hpp"

#include <algorithm>
#include <cctype>

#include "audit/compose_rules.hpp"

namespace bulwark::audit {
namespace compose {

std::string ServiceContext::Subject() const {
  return "service '" + parse::Printable(service_.name, 60) + "'";
}

void ServiceContext::Report(std::string_view id, parse::YamlMark mark, std::string message) const {
  sink_.Report(id, core::Location{path_, mark.line, mark.column, 0, 0}, std::move(message));
}

void ServiceContext::Report(std::string_view id, core::Severity severity, parse::YamlMark mark,
                            std::string message) const {
  sink_.ReportWithSeverity(id, severity, core::Location{path_, mark.line, mark.column, 0, 0},
                           std::move(message));
}

std::string Upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<std::string> Effective(std::string_view text) {
  if (!parse::HasInterpolation(text) && text.find("$$") == std::string_view::npos) {
    return std::string(text);
  }
  return parse::InterpolationDefault(text);
}

std::optional<bool> EffectiveBool(const std::optional<parse::ComposeValue>& value) {
  if (!value) return std::nullopt;
  auto text = Effective(value->text);
  if (!text) return std::nullopt;
  return parse::ComposeValue{*text, value->key, value->mark, value->plain}.AsBool();
}

}  // namespace compose

namespace {

// Strips the "LINE:COLUMN: " prefix a parse error carries; the location
// already says it.
std::string WithoutMark(const core::Status& status) {
  const std::string& message = status.message();
  if (!parse::ErrorMark(status).known()) return message;
  size_t colon = message.find(':');
  colon = message.find(':', colon + 1);
  return colon == std::string::npos ? message : message.substr(std::min(colon + 2, message.size()));
}

class ComposeAnalyzer final : public Analyzer {
 public:
  void Analyze(const core::SourceFile& file, core::FindingSink& sink) override {
    auto documents = parse::ParseComposeStream(file.content);
    if (!documents.ok()) {
      const parse::YamlMark mark = parse::ErrorMark(documents.status());
      sink.Diagnose(core::Location{file.path, mark.line, mark.column, 0, 0},
                    "compose file not analysed: " + WithoutMark(documents.status()));
      return;
    }
    for (const auto& document : *documents) {
      for (const auto& issue : document.issues) {
        sink.Diagnose(core::Location{file.path, issue.mark.line, issue.mark.column, 0, 0},
                      "compose: " + issue.message);
      }
      RunComposeChecks(document, file.path, sink);
    }
  }
};

}  // namespace

core::Status RegisterComposeChecks(core::CheckRegistry& registry) {
  for (auto& info : compose::ComposeCatalog()) RETURN_IF_ERROR(registry.Add(std::move(info)));
  return core::Status::Ok();
}

std::unique_ptr<Analyzer> MakeComposeAnalyzer() { return std::make_unique<ComposeAnalyzer>(); }

void RunComposeChecks(const parse::ComposeFile& file, const std::string& path,
                      core::FindingSink& sink) {
  for (const auto& service : file.services) {
    const compose::ServiceContext ctx(file, service, path, sink);
    compose::CheckPrivileges(ctx);
    compose::CheckNamespaces(ctx);
    compose::CheckMounts(ctx);
    compose::CheckNetwork(ctx);
    compose::CheckResources(ctx);
    compose::CheckRuntimeHygiene(ctx);
    compose::CheckEnvironment(ctx);
  }
  compose::CheckBackendNetworks(file, path, sink);
}

}  // namespace bulwark::audit
