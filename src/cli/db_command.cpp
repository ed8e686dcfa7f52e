// `bulwark db import PATH...`, `bulwark db update`, `bulwark db status`: the
// local vulnerability DB that `scan` reads, built from files a user has
// (offline, air-gapped) or downloaded from the public sources.
#include <unistd.h>

#include <cstdio>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/report_flags.hpp"
#include "vuln/db_import.hpp"
#include "vuln/db_update.hpp"

namespace bulwark::cli {
namespace {

struct DbFlags {
  std::string db;
  std::vector<std::string> paths;  // import
  std::string format;              // status: text | json
  bool quiet = false;
  bool skip_debian = false;
  vuln::UpdateOptions update;
};

std::filesystem::path DbPath(const DbFlags& flags) {
  return flags.db.empty() ? vuln::DefaultDbPath() : std::filesystem::path(flags.db);
}

core::Result<std::unique_ptr<vuln::VulnDb>> OpenWritable(const DbFlags& flags) {
  return vuln::VulnDb::Open(DbPath(flags), true);
}

void PrintSummary(const vuln::ImportSummary& summary, const std::filesystem::path& db) {
  for (const vuln::ImportCount& count : summary.sources) {
    std::printf("%-28s %7lld advisories from %lld files", count.source.c_str(),
                static_cast<long long>(count.advisories), static_cast<long long>(count.files));
    if (count.skipped > 0) std::printf(" (%lld left out)", static_cast<long long>(count.skipped));
    std::printf("\n");
  }
  if (summary.ignored_files > 0) {
    std::printf("%lld files were no advisory format and were ignored\n",
                static_cast<long long>(summary.ignored_files));
  }
  std::printf("DB: %s\n", db.c_str());
}

int RunImport(const DbFlags& flags) {
  if (flags.paths.empty()) {
    std::fprintf(stderr, "bulwark db import: name files or directories (OSV JSON, all.zip, Alpine secdb, "
                         "Debian tracker JSON)\n");
    return kExitUsage;
  }
  auto db = OpenWritable(flags);
  if (!db.ok()) {
    std::fprintf(stderr, "bulwark db import: %s\n", db.status().message().c_str());
    return kExitUnreadable;
  }
  std::vector<std::filesystem::path> paths(flags.paths.begin(), flags.paths.end());
  auto summary = vuln::ImportPaths(**db, paths);
  if (!summary.ok()) {
    std::fprintf(stderr, "bulwark db import: %s\n", summary.status().message().c_str());
    return kExitUnreadable;
  }
  if (!flags.quiet) PrintSummary(*summary, DbPath(flags));
  return 0;
}

int RunUpdate(const DbFlags& flags) {
  auto db = OpenWritable(flags);
  if (!db.ok()) {
    std::fprintf(stderr, "bulwark db update: %s\n", db.status().message().c_str());
    return kExitUnreadable;
  }
  vuln::UpdateOptions options = flags.update;
  options.debian = !flags.skip_debian;
  bool tty = !flags.quiet && isatty(STDERR_FILENO) == 1;
  if (!flags.quiet) {
    options.progress = [tty](const vuln::UpdateProgress& p) {
      unsigned long long kib = static_cast<unsigned long long>(p.bytes >> 10);
      if (!tty) {
        if (p.total >= 0 && p.bytes == p.total) std::fprintf(stderr, "%s: %llu KiB\n", p.name.c_str(), kib);
        return;
      }
      if (p.total > 0) {
        std::fprintf(stderr, "\r\033[K%s: %llu / %llu KiB", p.name.c_str(), kib,
                     static_cast<unsigned long long>(p.total >> 10));
      } else {
        std::fprintf(stderr, "\r\033[K%s: %llu KiB", p.name.c_str(), kib);
      }
    };
  }
  auto result = vuln::UpdateDb(**db, options);
  if (tty) std::fprintf(stderr, "\r\033[K");
  if (!result.ok()) {
    std::fprintf(stderr, "bulwark db update: %s\n", result.status().message().c_str());
    return kExitUnreadable;
  }
  for (const std::string& failure : result->failures) {
    std::fprintf(stderr, "bulwark db update: warning: %s\n", failure.c_str());
  }
  if (!flags.quiet) {
    PrintSummary(result->imported, DbPath(flags));
    if (result->resumed > 0) std::printf("%lld downloads resumed\n", static_cast<long long>(result->resumed));
  }
  return result->failures.empty() ? 0 : kExitUnreadable;
}

int RunStatus(const DbFlags& flags) {
  std::filesystem::path path = DbPath(flags);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    std::fprintf(stderr, "bulwark db status: no DB at %s (run `bulwark db update` or `bulwark db import PATH...`)\n",
                 path.c_str());
    return kExitUnreadable;
  }
  auto db = vuln::VulnDb::Open(path, false);
  if (!db.ok()) {
    std::fprintf(stderr, "bulwark db status: %s\n", db.status().message().c_str());
    return kExitUnreadable;
  }
  auto status = (*db)->Status();
  if (!status.ok()) {
    std::fprintf(stderr, "bulwark db status: %s\n", status.status().message().c_str());
    return kExitUnreadable;
  }
  if (flags.format == "json") {
    nlohmann::json sources = nlohmann::json::array();
    for (const vuln::SourceStatus& s : status->sources) {
      sources.push_back({{"source", s.source}, {"origin", s.origin}, {"advisories", s.advisories},
                         {"imported_at", s.imported_at}});
    }
    nlohmann::json out{{"path", status->path.string()}, {"schema_version", status->schema_version},
                       {"advisories", status->advisories}, {"affected_rows", status->affected_rows},
                       {"built_at", status->built_at}, {"updated_at", status->updated_at},
                       {"age_hours", status->age_hours}, {"sources", sources}};
    std::printf("%s\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else if (flags.format.empty() || flags.format == "table") {
    std::printf("%s", vuln::FormatDbStatus(*status).c_str());
  } else {
    std::fprintf(stderr, "bulwark db status: unknown format '%s' (use table, json)\n", flags.format.c_str());
    return kExitUsage;
  }
  return 0;
}

}  // namespace

void AddDbCommand(CLI::App& app, CommandRunner& run) {
  auto flags = std::make_shared<DbFlags>();
  CLI::App* cmd = app.add_subcommand("db", "Import, update and inspect the local vulnerability DB");
  cmd->add_option("--db", flags->db, "The DB file (default $BULWARK_DB or ~/.cache/bulwark/vuln.db)");
  cmd->require_subcommand(1);
  CLI::App* import = cmd->add_subcommand(
      "import", "Import advisories from files: OSV JSON (files, directories, all.zip), Alpine secdb, Debian tracker");
  import->add_option("PATH", flags->paths, "Files or directories")->required();
  import->add_flag("-q,--quiet", flags->quiet, "No summary");
  import->callback([flags, &run] { run = [flags] { return RunImport(*flags); }; });
  CLI::App* update = cmd->add_subcommand(
      "update", "Download OSV, Alpine secdb and Debian tracker data over HTTPS (resumable) and import it");
  update->add_option("--ecosystems", flags->update.ecosystems, "OSV ecosystems (default PyPI,npm,Go,Maven,...)")
      ->delimiter(',');
  update->add_option("--alpine", flags->update.alpine_branches, "Alpine branches, e.g. v3.19,v3.20")->delimiter(',');
  update->add_flag("--no-debian", flags->skip_debian, "Skip the Debian security tracker");
  update->add_option("--mirror", flags->update.mirror, "Fetch everything from this base URL instead (a mirror)");
  update->add_option("--ca-file", flags->update.ca_file, "Trust this CA bundle (a private mirror)");
  update->add_option("--download-dir", flags->update.download_dir, "Keep downloads here (default: beside the DB)");
  update->add_flag("-q,--quiet", flags->quiet, "No progress or summary");
  update->callback([flags, &run] { run = [flags] { return RunUpdate(*flags); }; });
  CLI::App* status = cmd->add_subcommand("status", "Say what the DB holds and how old it is");
  status->add_option("-f,--format", flags->format, "table (default) or json");
  status->callback([flags, &run] { run = [flags] { return RunStatus(*flags); }; });
}

}  // namespace bulwark::cli
