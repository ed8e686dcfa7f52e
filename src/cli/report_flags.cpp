#include "cli/report_flags.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/baseline.hpp"
#include "core/render.hpp"

namespace bulwark::cli {

void AddReportFlags(CLI::App& command, ReportFlags& flags) {
  command.add_option("-f,--format", flags.format, "Output format: table, json, sarif, markdown");
  command.add_option("-o,--output", flags.output, "Write the report to FILE instead of stdout");
  command.add_option("--severity", flags.severity, "Report only these severities, e.g. high,critical");
  command.add_option_function<int>(
      "--exit-code", [&flags](int code) { flags.exit_code = code; flags.exit_code_set = true; },
      "Exit with N when a finding at or above --fail-on (default: any) is reported");
  command.add_option("--fail-on", flags.fail_on, "Severity that trips --exit-code (default exit code 1)");
  command.add_option_function<std::string>(
      "--ignorefile", [&flags](const std::string& f) { flags.ignorefile = f; flags.ignorefile_set = true; },
      "Suppressions file (default .bulwarkignore in the target, then the current directory)");
  command.add_flag("-q,--quiet", flags.quiet, "Print findings only, no summary or progress");
  command.add_flag("--no-color", flags.no_color, "No colour (also honours NO_COLOR)");
  command.add_option("--baseline", flags.baseline,
                     "An earlier run's JSON report (bulwark's or docker-bench's): show what is new, unchanged, fixed");
  AddResultsFlags(command, flags.results);
}

core::Result<std::set<core::Severity>> ParseSeverityList(const std::string& list) {
  std::set<core::Severity> out;
  size_t start = 0;
  for (size_t i = 0; i <= list.size(); ++i) {
    if (i != list.size() && list[i] != ',') continue;
    std::string word = list.substr(start, i - start);
    start = i + 1;
    if (word.empty()) continue;
    auto sev = core::ParseSeverity(word);
    if (!sev) return core::Error(core::ErrorCode::kInvalidArgument, "unknown severity '" + word +
                                 "' (use critical, high, medium, low, info)");
    out.insert(*sev);
  }
  return out;
}

core::Status ValidateReportFlags(const ReportFlags& flags, const std::vector<std::string>& extra_formats) {
  bool extra = std::find(extra_formats.begin(), extra_formats.end(), flags.format) != extra_formats.end();
  if (!flags.format.empty() && !extra && !core::ParseReportFormat(flags.format)) {
    std::string known = "table, json, sarif, markdown";
    for (const std::string& f : extra_formats) known += ", " + f;
    return core::Error(core::ErrorCode::kInvalidArgument, "unknown format '" + flags.format + "' (use " + known + ")");
  }
  auto sevs = ParseSeverityList(flags.severity);
  if (!sevs.ok()) return sevs.status();
  if (!flags.fail_on.empty() && !core::ParseSeverity(flags.fail_on)) {
    return core::Error(core::ErrorCode::kInvalidArgument, "unknown --fail-on severity '" + flags.fail_on + "'");
  }
  return core::Status::Ok();
}

core::Result<std::optional<core::IgnoreFile>> LoadIgnoreFile(const ReportFlags& flags, const std::string& target) {
  namespace fs = std::filesystem;
  if (flags.ignorefile_set) {
    ASSIGN_OR_RETURN(core::IgnoreFile file, core::IgnoreFile::Load(flags.ignorefile));
    return std::optional<core::IgnoreFile>(std::move(file));
  }
  std::error_code ec;
  for (fs::path candidate : {fs::path(target) / ".bulwarkignore", fs::path(".bulwarkignore")}) {
    if (fs::is_regular_file(candidate, ec)) {
      ASSIGN_OR_RETURN(core::IgnoreFile file, core::IgnoreFile::Load(candidate));
      return std::optional<core::IgnoreFile>(std::move(file));
    }
  }
  return std::optional<core::IgnoreFile>();
}

namespace {

bool UseColour(const ReportFlags& flags) {
  if (flags.no_color || !flags.output.empty()) return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string(term) == "dumb") return false;
  return isatty(STDOUT_FILENO) == 1;
}

int GateExitCode(const core::Report& report, const ReportFlags& flags) {
  if (!flags.exit_code_set && flags.fail_on.empty()) return 0;
  core::Severity threshold = core::Severity::kInfo;
  if (!flags.fail_on.empty()) threshold = *core::ParseSeverity(flags.fail_on);
  for (const core::Finding& f : report.findings) {
    // A host check's info or note is not a failure (docker-bench's INFO/NOTE).
    if (f.verdict == core::Verdict::kInfo || f.verdict == core::Verdict::kNote) continue;
    if (f.severity >= threshold) return flags.exit_code_set ? flags.exit_code : 1;
  }
  return 0;
}

}  // namespace

core::Status ApplyBaselineFlag(core::Report& report, const ReportFlags& flags) {
  if (flags.baseline.empty()) return core::Status::Ok();
  // Refuse a huge file before reading it (ApplyBaseline's bound is 64 MiB).
  std::error_code ec;
  auto size = std::filesystem::file_size(flags.baseline, ec);
  if (!ec && size > (uintmax_t{64} << 20)) {
    return core::Error(core::ErrorCode::kTooLarge, "the baseline " + flags.baseline + " is larger than 64 MiB");
  }
  std::ifstream in(flags.baseline, std::ios::binary);
  if (!in) {
    return core::Error(core::ErrorCode::kNotFound, "cannot read the baseline " + flags.baseline +
                                                       " (give the JSON report of an earlier run)");
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return core::ApplyBaseline(text, flags.baseline, report);
}

int EmitReport(const core::Report& report, const ReportFlags& flags, const core::CheckRegistry& registry) {
  core::ReportFormat format = flags.format.empty() ? core::ReportFormat::kTable
                                                   : *core::ParseReportFormat(flags.format);
  std::string text;
  switch (format) {
    case core::ReportFormat::kJson: text = core::RenderJson(report); break;
    case core::ReportFormat::kSarif: text = core::RenderSarif(report, registry); break;
    case core::ReportFormat::kMarkdown: text = core::RenderMarkdown(report); break;
    case core::ReportFormat::kTable:
      text = core::RenderTable(report, core::TableOptions{UseColour(flags), flags.quiet});
      break;
  }
  return EmitText(text, report, flags);
}

int EmitText(const std::string& text, const core::Report& report, const ReportFlags& flags) {
  if (flags.output.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  } else {
    std::ofstream out(flags.output, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) {
      std::fprintf(stderr, "bulwark: cannot write the report to %s\n", flags.output.c_str());
      return kExitUnreadable;
    }
  }
  return GateExitCode(report, flags);
}

}  // namespace bulwark::cli
