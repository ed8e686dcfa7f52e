// CIS 4.7, 4.9 and 4.10: what an image's build history and configuration
// reveal about its Dockerfile. docker-bench greps `docker history` for
// "update" and "ADD" and passes vacuously when the history is empty
// (imported or squashed images); here each record is parsed, and an image
// without readable history is reported as such.
#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "host/checks_common.hpp"
#include "host/checks_section4_internal.hpp"
#include "host/json_access.hpp"
#include "host/secret_names.hpp"

namespace bulwark::host::section4 {
namespace {

using common::JoinList;

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::vector<std::string> SplitWords(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (IsSpace(c)) {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

// The simple commands of a shell line, split at && || ; | and newlines.
std::vector<std::vector<std::string>> SimpleCommands(std::string_view line) {
  std::vector<std::vector<std::string>> commands;
  std::string current;
  for (char c : line) {
    if (c == '&' || c == '|' || c == ';' || c == '\n' || c == '(' || c == ')') {
      commands.push_back(SplitWords(current));
      current.clear();
    } else {
      current += c;
    }
  }
  commands.push_back(SplitWords(current));
  return commands;
}

std::string Unquoted(std::string word) {
  while (!word.empty() && (word.front() == '"' || word.front() == '\'')) word.erase(0, 1);
  while (!word.empty() && (word.back() == '"' || word.back() == '\'')) word.pop_back();
  return word;
}

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

enum class PackageVerb { kNone, kUpdate, kInstall };

// What one simple command does to packages: the first word after the
// package manager that is one of its update or install sub-commands.
PackageVerb VerbOf(const std::vector<std::string>& words) {
  static const std::set<std::string> kManagers = {"apt-get", "apt",      "apk",   "yum",
                                                  "dnf",     "microdnf", "zypper"};
  static const std::set<std::string> kUpdates = {"update", "makecache", "refresh", "ref"};
  static const std::set<std::string> kInstalls = {
      "install", "in",        "add",          "upgrade",      "dist-upgrade", "full-upgrade",
      "dup",     "reinstall", "localinstall", "groupinstall", "build-dep"};
  size_t i = 0;
  while (i < words.size() && !kManagers.count(BaseName(Unquoted(words[i])))) ++i;
  if (i == words.size()) return PackageVerb::kNone;
  std::string manager = BaseName(Unquoted(words[i]));
  for (++i; i < words.size(); ++i) {
    std::string word = Unquoted(words[i]);
    // yum/dnf "update" upgrades packages; apt's and apk's refresh an index.
    if (word == "update" && (manager == "yum" || manager == "dnf" || manager == "microdnf")) {
      return PackageVerb::kInstall;
    }
    if (kUpdates.count(word)) return PackageVerb::kUpdate;
    if (kInstalls.count(word)) return PackageVerb::kInstall;
  }
  return PackageVerb::kNone;
}

bool IsDecimal(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

bool IsHex(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
  });
}

bool IsArchiveName(std::string_view name) {
  static constexpr std::array<std::string_view, 10> kExtensions = {
      ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2",
      ".tbz", ".tar.xz", ".txz", ".tar.zst", ".tzst"};
  return std::any_of(kExtensions.begin(), kExtensions.end(), [&](std::string_view ext) {
    return name.size() > ext.size() && name.substr(name.size() - ext.size()) == ext;
  });
}

bool IsUrl(std::string_view source) {
  return source.rfind("http://", 0) == 0 || source.rfind("https://", 0) == 0 ||
         source.rfind("git@", 0) == 0 || source.rfind("git://", 0) == 0;
}

// "#(nop) ADD file:abc in /dest " (classic builder).
AddRecord ClassicAdd(const std::vector<std::string>& words, size_t add) {
  AddRecord record;
  if (add + 1 >= words.size()) return record;
  const std::string& source = words[add + 1];
  auto in = std::find(words.begin() + static_cast<std::ptrdiff_t>(add), words.end(), "in");
  if (in != words.end() && in + 1 != words.end()) record.destination = *(in + 1);
  bool local = source.rfind("file:", 0) == 0 || source.rfind("dir:", 0) == 0 ||
               source.rfind("multi:", 0) == 0;
  record.source = !local && IsHex(source) ? AddSource::kRemote : AddSource::kLocal;
  return record;
}

// "ADD [--chown=..] src... dest # buildkit" (BuildKit).
AddRecord BuildKitAdd(const std::vector<std::string>& words) {
  AddRecord record;
  std::vector<std::string> operands;
  for (size_t i = 1; i < words.size() && words[i] != "#"; ++i) {
    if (words[i].rfind("--", 0) != 0) operands.push_back(Unquoted(words[i]));
  }
  if (operands.size() < 2) return record;
  record.destination = operands.back();
  operands.pop_back();
  record.source = AddSource::kLocal;
  if (std::any_of(operands.begin(), operands.end(),
                  [](const std::string& s) { return IsUrl(s); })) {
    record.source = AddSource::kRemote;
  } else if (std::any_of(operands.begin(), operands.end(),
                         [](const std::string& s) { return IsArchiveName(s); })) {
    record.source = AddSource::kArchive;
  }
  return record;
}

std::string ImageName(const ImageFacts& image) { return ImageSubject(image).name; }

// The subject, evidence and message of an image whose history says nothing.
void HistoryUnavailable(const ImageFacts& image, size_t entries, ResultSink& out) {
  out.Info(
      ImageSubject(image), "history: " + std::to_string(entries) + " entries, no CreatedBy record",
      "image " + ImageName(image) +
          ": history unavailable (imported or squashed image), its build steps cannot be judged");
}

}  // namespace

std::vector<std::string> CreatedByRecords(const ImageFacts& image) {
  std::vector<std::string> records;
  if (!image.history.is_array()) return records;
  for (const nlohmann::json& entry : image.history)
    records.push_back(JsonString(entry, "/CreatedBy"));
  return records;
}

bool HistoryReadable(const std::vector<std::string>& records) {
  return std::any_of(records.begin(), records.end(), [](const std::string& r) {
    return std::any_of(r.begin(), r.end(), [](char c) { return !IsSpace(c); });
  });
}

bool UpdatesWithoutInstall(std::string_view created_by) {
  if (created_by.find("#(nop)") != std::string_view::npos) return false;
  bool update = false;
  bool install = false;
  for (const std::vector<std::string>& command : SimpleCommands(created_by)) {
    PackageVerb verb = VerbOf(command);
    update = update || verb == PackageVerb::kUpdate;
    install = install || verb == PackageVerb::kInstall;
  }
  return update && !install;
}

AddRecord ClassifyAdd(std::string_view created_by) {
  std::vector<std::string> words = SplitWords(created_by);
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] == "#(nop)" && words[i + 1] == "ADD") return ClassicAdd(words, i + 1);
  }
  if (!words.empty() && words[0] == "ADD") return BuildKitAdd(words);
  return AddRecord{};
}

std::string Abbreviated(std::string_view record, size_t limit) {
  std::vector<std::string> words = SplitWords(record);
  size_t first = 0;
  // "|2 A=x B=y /bin/sh -c step": the build arguments are not the step, and
  // their values may be secrets.
  if (!words.empty() && words[0].size() > 1 && words[0].size() < 5 && words[0][0] == '|' &&
      IsDecimal(std::string_view(words[0]).substr(1))) {
    first = 1 + std::stoul(words[0].substr(1));
  }
  if (first + 1 < words.size() && words[first] == "/bin/sh" && words[first + 1] == "-c") first += 2;
  std::string text;
  for (size_t i = first; i < words.size(); ++i) text += (text.empty() ? "" : " ") + words[i];
  text = MaskSecretAssignments(text);
  if (text.size() > limit) text = text.substr(0, limit) + "...";
  return text;
}

void CheckUpdateAlone(const HostFacts& facts, ResultSink& out) {
  for (const ImageFacts& image : facts.engine.images) {
    std::vector<std::string> records = CreatedByRecords(image);
    if (!HistoryReadable(records)) {
      HistoryUnavailable(image, records.size(), out);
      continue;
    }
    std::vector<std::string> alone;
    for (const std::string& record : records) {
      if (UpdatesWithoutInstall(record)) alone.push_back("\"" + Abbreviated(record) + "\"");
    }
    if (alone.empty()) {
      out.Pass(
          ImageSubject(image),
          std::to_string(records.size()) + " history records, no index update without an install",
          "image " + ImageName(image) + " never refreshes a package index in a layer of its own");
    } else {
      out.Warn(ImageSubject(image), "history CreatedBy: " + JoinList(alone, "; "),
               "image " + ImageName(image) +
                   " refreshes a package index in a layer without installing, so a cached stale "
                   "index can be reused by later builds");
    }
  }
}

void CheckCopyNotAdd(const HostFacts& facts, ResultSink& out) {
  for (const ImageFacts& image : facts.engine.images) {
    std::vector<std::string> records = CreatedByRecords(image);
    if (!HistoryReadable(records)) {
      HistoryUnavailable(image, records.size(), out);
      continue;
    }
    // The oldest record is the base image's root filesystem (ADD ... in /).
    size_t oldest = records.size();
    while (oldest > 0 && !HistoryReadable({records[oldest - 1]})) --oldest;
    std::vector<std::string> risky;
    std::vector<std::string> local;
    for (size_t i = 0; i < records.size(); ++i) {
      AddRecord add = ClassifyAdd(records[i]);
      if (add.source == AddSource::kNone) continue;
      if (i + 1 == oldest && add.destination == "/") continue;
      std::string quoted = "\"" + Abbreviated(records[i]) + "\"";
      if (add.source == AddSource::kRemote) quoted += " (remote URL)";
      if (add.source == AddSource::kArchive) quoted += " (archive, unpacked by ADD)";
      (add.source == AddSource::kLocal ? local : risky).push_back(quoted);
    }
    if (!risky.empty()) {
      out.Warn(ImageSubject(image), "history CreatedBy: " + JoinList(risky, "; "),
               "image " + ImageName(image) + " was built with ADD of a remote URL or an archive");
    } else if (!local.empty()) {
      out.Info(ImageSubject(image), "history CreatedBy: " + JoinList(local, "; "),
               "image " + ImageName(image) + " uses ADD for local content, where COPY is clearer");
    } else {
      out.Pass(ImageSubject(image),
               std::to_string(records.size()) + " history records, no ADD after the base layer",
               "image " + ImageName(image) + " uses COPY, not ADD");
    }
  }
}

void CheckBuildSecrets(const HostFacts& facts, ResultSink& out) {
  for (const ImageFacts& image : facts.engine.images) {
    std::vector<std::string> found;
    std::set<std::string> seen;
    auto note = [&](const std::string& where, const std::string& assignment) {
      std::optional<std::string> name = SecretAssignmentName(assignment);
      if (name && seen.insert(where + *name).second)
        found.push_back(where + " " + MaskedAssignment(*name));
    };
    for (const std::string& entry : JsonStrings(image.inspect, "/Config/Env"))
      note("Config.Env", entry);
    std::vector<std::string> records = CreatedByRecords(image);
    for (const std::string& record : records) {
      for (const std::string& assignment : HistoryAssignments(record)) note("history", assignment);
    }
    if (!found.empty()) {
      out.Warn(ImageSubject(image), JoinList(found, ", "),
               "image " + ImageName(image) +
                   " carries secret-looking variables in its configuration or build history, "
                   "readable by anyone who can pull it");
      continue;
    }
    std::string scope =
        "Config.Env (" + std::to_string(JsonStrings(image.inspect, "/Config/Env").size()) +
        " variables)" +
        (HistoryReadable(records) ? " and " + std::to_string(records.size()) + " history records"
                                  : "; history unavailable");
    out.Pass(
        ImageSubject(image), "no secret-looking variable in " + scope,
        "image " + ImageName(image) + " shows no secret in its environment or build arguments");
  }
}

}  // namespace bulwark::host::section4
