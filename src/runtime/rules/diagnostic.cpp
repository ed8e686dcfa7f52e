#include "runtime/rules/diagnostic.hpp"

#include <algorithm>
#include <utility>

namespace bulwark::runtime::rules {
namespace {

// Names come from untrusted files: keep terminals safe.
std::string Printable(std::string_view s, size_t max = 200) {
  std::string out;
  out.reserve(std::min(s.size(), max));
  for (char c : s.substr(0, max)) {
    auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? '?' : c;
  }
  if (s.size() > max) out += "...";
  return out;
}

}  // namespace

std::string FormatDiagnostic(const Diagnostic& d) {
  std::string out = Printable(d.file, 400) + ":";
  if (d.line > 0) {
    out += std::to_string(d.line) + ":";
    if (d.column > 0) out += std::to_string(d.column) + ":";
  }
  out += d.severity == DiagSeverity::kError ? " error: " : " warning: ";
  if (!d.item_kind.empty()) {
    out += d.item_kind;
    if (!d.item_name.empty()) out += " '" + Printable(d.item_name) + "'";
    out += ": ";
  }
  out += Printable(d.message, 1000);
  return out;
}

size_t LoadResult::ErrorCount() const {
  return static_cast<size_t>(std::count_if(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) {
    return d.severity == DiagSeverity::kError;
  }));
}

size_t LoadResult::WarningCount() const { return diagnostics.size() - ErrorCount(); }

void Diagnostics::Error(std::string_view code, SrcPos pos, std::string_view kind, std::string_view name,
                        std::string message) {
  Add(DiagSeverity::kError, code, pos, kind, name, std::move(message));
}

void Diagnostics::Warning(std::string_view code, SrcPos pos, std::string_view kind, std::string_view name,
                          std::string message) {
  Add(DiagSeverity::kWarning, code, pos, kind, name, std::move(message));
}

void Diagnostics::Add(DiagSeverity severity, std::string_view code, SrcPos pos, std::string_view kind,
                      std::string_view name, std::string message) {
  // A hostile file could produce one diagnostic per byte; keep the list bounded.
  constexpr size_t kMaxDiagnostics = 10000;
  if (result_.diagnostics.size() >= kMaxDiagnostics) return;
  Diagnostic d;
  d.severity = severity;
  d.code = std::string(code);
  d.file = pos.source < names_.size() ? names_[pos.source] : std::string("<rules>");
  d.line = static_cast<int>(pos.line);
  d.column = static_cast<int>(pos.column);
  d.item_kind = std::string(kind);
  d.item_name = std::string(name.substr(0, 1000));
  d.message = std::move(message);
  result_.diagnostics.push_back(std::move(d));
}

}  // namespace bulwark::runtime::rules
