// Diagnostics of the rule loader: every problem found in a rule file, with
// the file, line and column it comes from and the item (rule, macro, list,
// ...) it belongs to, as Falco's loader reports them. A LoadResult gathers
// them; errors disable only the item they name, warnings disable nothing.
//
// Value types; thread-compatible. Diagnostics is the loader's internal sink
// that turns source positions into file names.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bulwark::runtime::rules {

enum class DiagSeverity : uint8_t { kError, kWarning };

// A position in one of the loaded sources: `source` indexes the source list
// given to the loader; line and column are 1-based (line 0: unknown).
struct SrcPos {
  uint32_t source = 0;
  uint32_t line = 0;
  uint32_t column = 0;
};

struct Diagnostic {
  DiagSeverity severity = DiagSeverity::kError;
  std::string code;       // stable short name: "yaml-parse", "undefined-macro", ...
  std::string file;       // the source name given to the loader
  int line = 0;           // 1-based; 0 when unknown
  int column = 0;
  std::string item_kind;  // "rule", "macro", "list", "exception", "required_engine_version", ...
  std::string item_name;  // empty when the item has no name (yet)
  std::string message;
};

// "file:line:col: error: rule 'Name': message"; the position part shrinks
// to "file:" when it is unknown. Control characters are shown as '?'.
std::string FormatDiagnostic(const Diagnostic& d);

struct LoadResult {
  std::vector<Diagnostic> diagnostics;

  size_t ErrorCount() const;
  size_t WarningCount() const;
  bool ok() const { return ErrorCount() == 0; }
};

// The loader's sink: positions in, file names out.
class Diagnostics {
 public:
  Diagnostics(const std::vector<std::string>& source_names, LoadResult& result)
      : names_(source_names), result_(result) {}

  void Error(std::string_view code, SrcPos pos, std::string_view kind, std::string_view name,
             std::string message);
  void Warning(std::string_view code, SrcPos pos, std::string_view kind, std::string_view name,
               std::string message);
  size_t ErrorCount() const { return result_.ErrorCount(); }

 private:
  void Add(DiagSeverity severity, std::string_view code, SrcPos pos, std::string_view kind,
           std::string_view name, std::string message);

  const std::vector<std::string>& names_;
  LoadResult& result_;
};

}  // namespace bulwark::runtime::rules
