// Fixes of single instructions: overridden HEALTHCHECK / CMD / ENTRYPOINT
// removed (BW-DF-003/004/005), admin ports dropped from EXPOSE (009),
// MAINTAINER turned into a LABEL (014), ADD of local files turned into COPY
// (022), a multi-source COPY given a directory destination (026) and a
// relative WORKDIR made absolute when the directory it is relative to is
// known (012).
#include <algorithm>
#include <filesystem>
#include <fstream>

#include "fix/dockerfile_fixer_internal.hpp"

namespace bulwark::fix::dockerfile {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}
bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

void RemoveOverridden(Session& s, std::string_view keyword, std::string_view id) {
  for (const parse::Stage& stage : s.df().stages) {
    std::vector<const parse::Instruction*> seen;
    for (const parse::Instruction& inst : s.ctx().StageInstructions(stage.index)) {
      if (inst.keyword == keyword) seen.push_back(&inst);
    }
    for (size_t i = 0; i + 1 < seen.size(); ++i) {
      const parse::Instruction& inst = *seen[i];
      if (!s.HasAt(id, inst.begin_offset)) continue;
      s.MarkRemoved(inst);
      s.Add(Change{std::string(id),
                   {RemoveInstruction(s, inst, std::string(id))},
                   -1,
                   inst.start_line,
                   inst.end_line});
    }
  }
}

bool IsAdminPort(std::string_view word) {
  static constexpr std::string_view kPorts[] = {"22",   "23",   "2375", "2376",
                                                "3389", "5900", "5985", "5986"};
  std::string_view port = word.substr(0, word.find('/'));
  if (port.size() < word.size() && Lower(word.substr(port.size() + 1)) != "tcp" &&
      Lower(word.substr(port.size() + 1)) != "udp" &&
      Lower(word.substr(port.size() + 1)) != "sctp") {
    return false;
  }
  return std::find(std::begin(kPorts), std::end(kPorts), port) != std::end(kPorts);
}

void FixExpose(Session& s, const parse::Instruction& inst) {
  std::vector<size_t> drop;
  for (size_t i = 0; i < inst.args.size(); ++i) {
    if (s.HasAt("BW-DF-009", inst.args[i].offset) && IsAdminPort(inst.args[i].value)) {
      drop.push_back(i);
    }
  }
  if (drop.empty()) return;
  bool ranges = std::any_of(inst.args.begin(), inst.args.end(), [&](const parse::Word& w) {
    return s.HasAt("BW-DF-009", w.offset) && !IsAdminPort(w.value);
  });
  if (ranges) {
    s.Note("BW-DF-009", inst.start_line,
           "not fixed: a port range includes an administration port; split it by hand");
  }
  Change change{"BW-DF-009", {}, 0, inst.start_line, inst.end_line};
  if (drop.size() == inst.args.size()) {
    change.edits.push_back(RemoveInstruction(s, inst, "BW-DF-009"));
    change.instruction_delta = -1;
    s.MarkRemoved(inst);
  } else if (inst.start_line != inst.end_line) {
    s.Note("BW-DF-009", inst.start_line,
           "not fixed: the EXPOSE spans several lines; remove the port by hand");
    return;
  } else {
    // Each run of dropped words goes with the blanks before it (after it
    // when the run starts the list).
    for (size_t k = 0; k < drop.size();) {
      size_t a = drop[k];
      size_t b = a;
      while (k + 1 < drop.size() && drop[k + 1] == b + 1) b = drop[++k];
      ++k;
      size_t begin = a > 0 ? inst.args[a - 1].end_offset : inst.args[a].offset;
      size_t end = a > 0 ? inst.args[b].end_offset : inst.args[b + 1].offset;
      change.edits.push_back({begin, end, "", "BW-DF-009"});
    }
  }
  s.Add(std::move(change));
}

// MAINTAINER's value as a double-quoted LABEL value: quotes, escape
// characters and `$` (LABEL expands variables) escaped.
std::string LabelValue(std::string_view value, char escape) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == escape || c == '$') out += escape;
    out += c;
  }
  return out + "\"";
}

// True when every source of an ADD is a local, non-archive path, and it has
// no flag that only ADD understands.
bool AddIsPlainCopy(const parse::Instruction& inst) {
  if (inst.args.size() < 2) return false;
  for (const parse::Flag& flag : inst.flags) {
    if (flag.name == "checksum" || flag.name == "keep-git-dir" || flag.name == "unpack") {
      return false;
    }
  }
  static constexpr std::string_view kArchives[] = {".tar",  ".tar.gz", ".tgz", ".tar.bz2", ".tbz",
                                                   ".tbz2", ".tar.xz", ".txz", ".tar.zst"};
  for (size_t i = 0; i + 1 < inst.args.size(); ++i) {
    std::string lower = Lower(inst.args[i].value);
    if (lower.find("://") != std::string::npos || StartsWith(lower, "git@")) return false;
    for (std::string_view suffix : kArchives) {
      if (EndsWith(lower, suffix)) return false;
    }
  }
  return true;
}

// ADD extracts a local archive whatever its name: look at the first bytes
// of the sources that exist in the build context next to the Dockerfile.
bool SourceIsArchive(const Session& s, const parse::Instruction& inst) {
  const std::filesystem::path& dockerfile = s.ctx().file().absolute_path;
  if (dockerfile.empty()) return false;
  for (size_t i = 0; i + 1 < inst.args.size(); ++i) {
    std::filesystem::path source(inst.args[i].value);
    if (source.is_absolute() || inst.args[i].value.find("..") != std::string::npos) continue;
    std::error_code error;
    std::filesystem::path path = dockerfile.parent_path() / source;
    if (!std::filesystem::is_regular_file(path, error)) continue;
    std::ifstream in(path, std::ios::binary);
    std::string head(512, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(std::max<std::streamsize>(in.gcount(), 0)));
    std::string_view h = head;
    // gzip, bzip2, xz, zstd
    static constexpr std::string_view kMagic[] = {"\x1f\x8b", "BZh", "\xfd\x37zXZ",
                                                  "\x28\xb5\x2f\xfd"};
    bool compressed = std::any_of(std::begin(kMagic), std::end(kMagic),
                                  [&](std::string_view magic) { return StartsWith(h, magic); });
    if (compressed || (h.size() >= 262 && h.substr(257, 5) == "ustar")) {
      return true;
    }
  }
  return false;
}

// `path` relative to `current` (empty: unknown).
std::string Resolve(std::string current, const std::string& path) {
  if (StartsWith(path, "/")) return path;
  if (current.empty()) return "";
  while (current.size() > 1 && current.back() == '/') current.pop_back();
  return current == "/" ? "/" + path : current + "/" + path;
}

}  // namespace

void FixOverridden(Session& s) {
  RemoveOverridden(s, "HEALTHCHECK", "BW-DF-003");
  RemoveOverridden(s, "CMD", "BW-DF-004");
  RemoveOverridden(s, "ENTRYPOINT", "BW-DF-005");
}

void FixAdminPorts(Session& s) {
  if (!s.Has("BW-DF-009")) return;
  for (const parse::Instruction& inst : s.df().instructions) {
    if (inst.keyword == "EXPOSE" && !s.Removed(inst)) FixExpose(s, inst);
  }
}

void FixMaintainer(Session& s) {
  if (!s.Has("BW-DF-014")) return;
  for (const parse::Instruction& inst : s.df().instructions) {
    if (inst.keyword != "MAINTAINER" || !s.HasAt("BW-DF-014", inst.begin_offset)) continue;
    // MAINTAINER takes its text as written, quotes included.
    std::string value = inst.args.empty() ? "" : inst.args[0].raw;
    std::string text = KeywordLike(inst, "LABEL") +
                       " org.opencontainers.image.authors=" + LabelValue(value, s.df().escape);
    s.Add(Change{"BW-DF-014",
                 {{inst.begin_offset, inst.end_offset, text, "BW-DF-014"}},
                 0,
                 inst.start_line,
                 inst.end_line});
  }
}

void FixAddLocal(Session& s) {
  if (!s.Has("BW-DF-022")) return;
  for (const parse::Instruction* inst : s.ctx().instructions()) {
    if (inst->keyword != "ADD" || !s.HasIn("BW-DF-022", *inst)) continue;
    if (!AddIsPlainCopy(*inst) || SourceIsArchive(s, *inst)) {
      s.Note("BW-DF-022", inst->start_line,
             "not fixed: this ADD also fetches or extracts something; split it by hand");
      continue;
    }
    TextEdit edit{inst->begin_offset, inst->begin_offset + 3, KeywordLike(*inst, "COPY"),
                  "BW-DF-022"};
    s.Add(Change{"BW-DF-022", {edit}, 0, inst->start_line, inst->end_line});
  }
}

void FixCopyDestination(Session& s) {
  if (!s.Has("BW-DF-026")) return;
  for (const parse::Instruction* inst : s.ctx().instructions()) {
    if ((inst->keyword != "COPY" && inst->keyword != "ADD") || inst->args.size() < 3) continue;
    const parse::Word& dest = inst->args.back();
    if (!s.HasAt("BW-DF-026", dest.offset) || dest.end_offset <= dest.offset) continue;
    char last = s.text()[dest.end_offset - 1];
    size_t at = (last == '"' || last == '\'') ? dest.end_offset - 1 : dest.end_offset;
    s.Add(Change{"BW-DF-026", {{at, at, "/", "BW-DF-026"}}, 0, inst->start_line, inst->end_line});
  }
}

void FixRelativeWorkdir(Session& s) {
  if (!s.Has("BW-DF-012")) return;
  for (const parse::Stage& stage : s.df().stages) {
    // The working directory as far as this Dockerfile sets it; empty while
    // it is the base image's (unknown) one.
    std::string current = stage.scratch ? "/" : "";
    for (int member : StageChain(s.df(), stage.index)) {
      if (member == stage.index) break;
      for (const parse::Instruction& inst : s.ctx().StageInstructions(member)) {
        if (inst.keyword != "WORKDIR" || inst.args.empty()) continue;
        current = Resolve(current, inst.args[0].value);
      }
    }
    for (const parse::Instruction& inst : s.ctx().StageInstructions(stage.index)) {
      if (inst.keyword != "WORKDIR" || inst.args.empty()) continue;
      const parse::Word& word = inst.args[0];
      std::string path = word.value;
      std::string next = Resolve(current, path);
      if (parse::HasVariable(next)) next.clear();
      if (s.HasAt("BW-DF-012", word.offset)) {
        std::string fixed =
            next.empty() ? "" : std::filesystem::path(next).lexically_normal().generic_string();
        while (fixed.size() > 1 && fixed.back() == '/') fixed.pop_back();
        bool plain =
            word.raw == word.value && fixed.find_first_of(" \t\"'\\`") == std::string::npos;
        if (fixed.empty() || !plain) {
          s.Note("BW-DF-012", inst.start_line,
                 "not fixed: the directory '" + path +
                     "' is relative to is not known here; write the absolute path by hand");
        } else {
          s.Add(Change{"BW-DF-012",
                       {{word.offset, word.end_offset, fixed, "BW-DF-012"}},
                       0,
                       inst.start_line,
                       inst.end_line});
        }
      }
      current = next;
    }
  }
}

}  // namespace bulwark::fix::dockerfile
