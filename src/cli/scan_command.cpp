// `bulwark scan IMAGE` / `bulwark scan --sbom FILE`: the image's packages
// matched against the local vulnerability DB, reported like every finding
// (table, json, sarif, markdown) or as CycloneDX with vulnerabilities.
// Steps: load the SBOM, open the DB, match, filter (unfixed, severity,
// ignore file, VEX), render.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/image_input.hpp"
#include "cli/report_flags.hpp"
#include "core/check_registry.hpp"
#include "sbom/cyclonedx_writer.hpp"
#include "vuln/cyclonedx_vulns.hpp"
#include "vuln/db_import.hpp"
#include "vuln/matcher.hpp"
#include "vuln/openvex.hpp"
#include "vuln/vuln_findings.hpp"

namespace bulwark::cli {
namespace {

constexpr const char* kCycloneDx = "cyclonedx";

struct ScanFlags {
  ImageInput input;
  ReportFlags report;
  std::string db;
  std::vector<std::string> vex;
  bool ignore_unfixed = false;
  double db_max_age_hours = 7 * 24;
};

core::Result<std::unique_ptr<vuln::VulnDb>> OpenDb(const ScanFlags& flags) {
  std::filesystem::path path = flags.db.empty() ? vuln::DefaultDbPath() : std::filesystem::path(flags.db);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return core::Error(core::ErrorCode::kNotFound,
                       "no vulnerability DB at " + path.string() +
                           ": run `bulwark db update` (online) or `bulwark db import PATH...` (OSV JSON, "
                           "all.zip, Alpine secdb, Debian tracker files), or point --db / BULWARK_DB at one");
  }
  return vuln::VulnDb::Open(path, false);
}

void WarnIfStale(const vuln::VulnDb& db, const ScanFlags& flags) {
  auto status = db.Status();
  if (!status.ok() || flags.report.quiet) return;
  if (status->advisories == 0) {
    std::fprintf(stderr, "bulwark scan: warning: the vulnerability DB %s is empty\n", status->path.c_str());
  } else if (flags.db_max_age_hours > 0 && status->age_hours > flags.db_max_age_hours) {
    std::fprintf(stderr,
                 "bulwark scan: warning: the vulnerability DB was last updated %s ago (%s); run `bulwark db "
                 "update` or import newer data (--db-max-age sets the limit)\n",
                 vuln::FormatAge(status->age_hours).c_str(), status->updated_at.c_str());
  }
}

core::Status ApplyVexFiles(const ScanFlags& flags, core::Report& report) {
  for (const std::string& path : flags.vex) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return core::Error(core::ErrorCode::kNotFound, "cannot read the VEX document " + path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSIGN_OR_RETURN(vuln::VexDocument doc, vuln::ReadOpenVex(text, path));
    report.vex_suppressed += static_cast<int>(vuln::ApplyVex(doc, report.findings).size());
  }
  return core::Status::Ok();
}

core::Status FilterFindings(const ScanFlags& flags, core::Report& report) {
  ASSIGN_OR_RETURN(std::set<core::Severity> severities, ParseSeverityList(flags.report.severity));
  ASSIGN_OR_RETURN(std::optional<core::IgnoreFile> ignore, LoadIgnoreFile(flags.report, "."));
  std::vector<core::Finding> kept;
  for (core::Finding& f : report.findings) {
    if (flags.ignore_unfixed && f.fixed.empty()) continue;
    if (!severities.empty() && !severities.count(f.severity)) continue;
    const core::IgnoreRule* rule = nullptr;
    if (ignore) {
      // A vulnerability can be ignored by any of its IDs.
      core::Finding probe = f;
      for (size_t i = 0; i <= f.aliases.size() && !rule; ++i) {
        probe.id = i == 0 ? f.id : f.aliases[i - 1];
        rule = ignore->Match(probe);
      }
    }
    if (rule) {
      ++report.suppressed;
      report.suppressed_findings.push_back({f, "ignorefile:" + std::to_string(rule->line), rule->reason});
      continue;
    }
    kept.push_back(std::move(f));
  }
  report.findings = std::move(kept);
  return ApplyVexFiles(flags, report);
}

int RunScanCommand(const ScanFlags& flags) {
  if (auto st = ValidateReportFlags(flags.report, {kCycloneDx}); !st.ok()) {
    std::fprintf(stderr, "bulwark scan: %s\n", st.message().c_str());
    return kExitUsage;
  }
  auto sbom = LoadSbom(flags.input, flags.report.quiet);
  if (!sbom.ok()) {
    std::fprintf(stderr, "bulwark scan: %s\n", sbom.status().message().c_str());
    return sbom.status().code() == core::ErrorCode::kInvalidArgument ? kExitUsage : kExitUnreadable;
  }
  auto db = OpenDb(flags);
  if (!db.ok()) {
    std::fprintf(stderr, "bulwark scan: %s\n", db.status().message().c_str());
    return kExitUnreadable;
  }
  WarnIfStale(**db, flags);
  auto matches = vuln::MatchSbom(*sbom, **db);
  if (!matches.ok()) {
    std::fprintf(stderr, "bulwark scan: %s\n", matches.status().message().c_str());
    return kExitUnreadable;
  }
  core::Report report;
  report.target = sbom->target.empty() ? flags.input.sbom_file : sbom->target;
  report.scan = true;
  report.packages_examined = static_cast<int>(sbom->packages.size());
  report.findings = vuln::MatchesToFindings(*sbom, *matches);
  for (const std::string& note : sbom->notes) report.diagnostics.push_back(core::Diagnostic{{}, note});
  if (auto st = FilterFindings(flags, report); !st.ok()) {
    std::fprintf(stderr, "bulwark scan: %s\n", st.message().c_str());
    return kExitUnreadable;
  }
  core::SortFindings(report.findings);
  if (auto st = ApplyBaselineFlag(report, flags.report); !st.ok()) {
    std::fprintf(stderr, "bulwark scan: %s\n", st.message().c_str());
    return kExitUnreadable;
  }
  SaveReportResult(flags.report.results, "scan", report);
  if (flags.report.format == kCycloneDx) {
    // The document lists every package; vulnerabilities only those reported.
    std::vector<vuln::VulnMatch> reported;
    for (const vuln::VulnMatch& m : *matches) {
      for (const core::Finding& f : report.findings) {
        if (f.id == m.id && f.package.purl == sbom->packages[m.package_index].purl) {
          reported.push_back(m);
          break;
        }
      }
    }
    nlohmann::json bom = sbom::CycloneDxDocument(*sbom, sbom::CycloneDxOptions{});
    vuln::AddVulnerabilities(bom, reported, *sbom);
    return EmitText(bom.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n", report, flags.report);
  }
  core::CheckRegistry registry;
  return EmitReport(report, flags.report, registry);
}

}  // namespace

void AddScanCommand(CLI::App& app, CommandRunner& run) {
  auto flags = std::make_shared<ScanFlags>();
  CLI::App* cmd = app.add_subcommand(
      "scan", "Find vulnerable packages in an image (or an SBOM) with the local vulnerability DB");
  AddImageInput(*cmd, flags->input, true);
  AddReportFlags(*cmd, flags->report);
  cmd->get_option("--format")->description("Output format: table, json, sarif, markdown, cyclonedx");
  cmd->add_option("--db", flags->db, "The vulnerability DB (default $BULWARK_DB or ~/.cache/bulwark/vuln.db)");
  cmd->add_option("--vex", flags->vex, "OpenVEX document(s): drop findings marked not_affected or fixed");
  cmd->add_flag("--ignore-unfixed", flags->ignore_unfixed, "Report only vulnerabilities with a published fix");
  cmd->add_option("--db-max-age", flags->db_max_age_hours,
                  "Warn when the DB is older than this many hours (default 168; 0 never warns)");
  cmd->callback([flags, &run] { run = [flags] { return RunScanCommand(*flags); }; });
}

}  // namespace bulwark::cli
