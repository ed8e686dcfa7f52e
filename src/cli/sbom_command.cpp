// `bulwark sbom IMAGE`: the packages in an image, as bulwark JSON,
// CycloneDX 1.5, SPDX 2.3 or a table.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>

#include "cli/commands.hpp"
#include "cli/image_input.hpp"
#include "cli/report_flags.hpp"
#include "core/escape.hpp"
#include "sbom/cyclonedx_writer.hpp"
#include "sbom/sbom_json.hpp"
#include "sbom/spdx_writer.hpp"

namespace bulwark::cli {
namespace {

struct SbomFlags {
  ImageInput input;
  std::string format;
  std::string output;
  bool quiet = false;
};

std::string Pad(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string SbomTable(const sbom::Sbom& sbom, bool quiet) {
  std::string out;
  for (const sbom::Package& p : sbom.packages) {
    std::string location = p.locations.empty() ? "" : p.locations.front();
    std::string owner = p.os_owner.empty() ? "" : "  (installed by " + p.os_owner + ")";
    out += Pad(std::string(sbom::PackageTypeName(p.type)), 9) + Pad(core::EscapeTerminal(p.name), 34) + " " +
           Pad(core::EscapeTerminal(p.version), 28) + " " + core::EscapeTerminal(location) +
           core::EscapeTerminal(owner) + "\n";
  }
  if (quiet) return out;
  for (const std::string& note : sbom.notes) out += "note: " + core::EscapeTerminal(note) + "\n";
  std::map<std::string, int> by_type;
  for (const sbom::Package& p : sbom.packages) ++by_type[std::string(sbom::PackageTypeName(p.type))];
  std::string counts;
  for (const auto& [type, n] : by_type) counts += (counts.empty() ? "" : ", ") + type + ": " + std::to_string(n);
  std::string os = sbom.os.Empty() ? "unknown OS" : sbom.os.id + " " + sbom.os.version_id;
  out += std::to_string(sbom.packages.size()) + " packages (" + counts + ") in " + core::EscapeTerminal(sbom.target) +
         ", " + core::EscapeTerminal(os) + "\n";
  return out;
}

int RunSbomCommand(const SbomFlags& flags) {
  const std::string format = flags.format.empty() ? "table" : flags.format;
  if (format != "table" && format != "json" && format != "cyclonedx" && format != "spdx") {
    std::fprintf(stderr, "bulwark sbom: unknown format '%s' (use table, json, cyclonedx, spdx)\n", format.c_str());
    return kExitUsage;
  }
  auto sbom = LoadSbom(flags.input, flags.quiet);
  if (!sbom.ok()) {
    std::fprintf(stderr, "bulwark sbom: %s\n", sbom.status().message().c_str());
    return sbom.status().code() == core::ErrorCode::kInvalidArgument ? kExitUsage : kExitUnreadable;
  }
  std::string text;
  if (format == "json") text = sbom::WriteSbomJson(*sbom);
  if (format == "cyclonedx") text = sbom::WriteCycloneDx(*sbom, sbom::CycloneDxOptions{});
  if (format == "spdx") text = sbom::WriteSpdx(*sbom);
  if (format == "table") text = SbomTable(*sbom, flags.quiet);
  if (flags.output.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  std::ofstream out(flags.output, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) {
    std::fprintf(stderr, "bulwark sbom: cannot write %s\n", flags.output.c_str());
    return kExitUnreadable;
  }
  return 0;
}

}  // namespace

void AddSbomCommand(CLI::App& app, CommandRunner& run) {
  auto flags = std::make_shared<SbomFlags>();
  CLI::App* cmd = app.add_subcommand("sbom", "List the packages in an image (SBOM: JSON, CycloneDX 1.5, SPDX 2.3)");
  AddImageInput(*cmd, flags->input, false);
  cmd->add_option("-f,--format", flags->format, "table (default), json, cyclonedx, spdx");
  cmd->add_option("-o,--output", flags->output, "Write the SBOM to FILE instead of stdout");
  cmd->add_flag("-q,--quiet", flags->quiet, "No summary, notes or progress");
  cmd->callback([flags, &run] { run = [flags] { return RunSbomCommand(*flags); }; });
}

}  // namespace bulwark::cli
