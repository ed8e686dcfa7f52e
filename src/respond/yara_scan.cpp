#include "respond/yara_scan.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>

#ifdef BULWARK_HAVE_YARA
#include <yara.h>
#endif

namespace bulwark::respond {

#ifndef BULWARK_HAVE_YARA

bool YaraAvailable() { return false; }

core::Result<std::vector<YaraMatch>> YaraScan(std::span<const uint8_t>, const YaraOptions&) {
  return std::vector<YaraMatch>{};
}

#else

namespace {

bool InitialiseOnce() {
  static const bool ok = yr_initialize() == ERROR_SUCCESS;  // never finalised: lives as long as the process
  return ok;
}

struct CompilerDeleter {
  void operator()(YR_COMPILER* c) const { yr_compiler_destroy(c); }
};
struct RulesDeleter {
  void operator()(YR_RULES* r) const { yr_rules_destroy(r); }
};

struct CompileErrors {
  std::string first;  // file:line: message of the first error
  std::string current_file;
};

void OnCompileMessage(int level, const char* file_name, int line, const YR_RULE*, const char* message,
                      void* user) {
  if (level != YARA_ERROR_LEVEL_ERROR) return;
  auto* errors = static_cast<CompileErrors*>(user);
  if (errors->first.empty()) {
    errors->first = (file_name ? std::string(file_name) : errors->current_file) + ":" +
                    std::to_string(line) + ": " + (message ? message : "error");
  }
}

int OnScanMessage(YR_SCAN_CONTEXT*, int message, void* data, void* user) {
  if (message != CALLBACK_MSG_RULE_MATCHING) return CALLBACK_CONTINUE;
  auto* out = static_cast<std::vector<YaraMatch>*>(user);
  auto* rule = static_cast<YR_RULE*>(data);
  YaraMatch m;
  m.rule = rule->identifier;
  m.source = rule->ns != nullptr && rule->ns->name != nullptr ? rule->ns->name : "";
  const YR_META* meta = nullptr;
  yr_rule_metas_foreach(rule, meta) {
    if (meta->type != META_TYPE_STRING || meta->string == nullptr) continue;
    std::string id = meta->identifier;
    if (id == "description") m.description = meta->string;
    if (id == "severity") m.severity = meta->string;
    if (id == "attack") m.attack = meta->string;
  }
  const char* tag = nullptr;
  yr_rule_tags_foreach(rule, tag) { m.tags.emplace_back(tag); }
  if (m.severity != "high" && m.severity != "medium") m.severity = "low";
  if (out->size() < 256) out->push_back(std::move(m));
  return CALLBACK_CONTINUE;
}

core::Status ReadRuleFile(const std::filesystem::path& path, std::string& text) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return core::Error(core::ErrorCode::kIoError, path.string() + ": " + ec.message());
  if (size > kMaxYaraFileBytes) {
    return core::Error(core::ErrorCode::kTooLarge, path.string() + ": YARA rule file over 4 MiB");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (!in) return core::Error(core::ErrorCode::kIoError, path.string() + ": cannot read");
  text = buf.str();
  return core::Status::Ok();
}

core::Result<std::vector<std::filesystem::path>> RuleFiles(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return core::Error(core::ErrorCode::kNotFound, dir + ": not a directory of YARA rules");
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    auto ext = entry.path().extension();
    if ((ext == ".yar" || ext == ".yara") && entry.is_regular_file(ec)) files.push_back(entry.path());
    if (files.size() > kMaxYaraFiles) {
      return core::Error(core::ErrorCode::kTooLarge, dir + ": more than 256 YARA rule files");
    }
  }
  if (ec) return core::Error(core::ErrorCode::kIoError, dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

bool YaraAvailable() { return InitialiseOnce(); }

core::Result<std::vector<YaraMatch>> YaraScan(std::span<const uint8_t> data, const YaraOptions& options) {
  if (!InitialiseOnce()) return core::Error(core::ErrorCode::kInternal, "libyara failed to initialise");
  YR_COMPILER* raw_compiler = nullptr;
  if (yr_compiler_create(&raw_compiler) != ERROR_SUCCESS) {
    return core::Error(core::ErrorCode::kInternal, "libyara: cannot create a compiler");
  }
  std::unique_ptr<YR_COMPILER, CompilerDeleter> compiler(raw_compiler);
  CompileErrors errors;
  yr_compiler_set_callback(compiler.get(), OnCompileMessage, &errors);
  auto add = [&](const std::string& name, const std::string& text, const char* ns) -> core::Status {
    errors.current_file = name;
    if (yr_compiler_add_string(compiler.get(), text.c_str(), ns) != 0) {
      return core::Error(core::ErrorCode::kParseError, "YARA rule does not compile: " + errors.first);
    }
    return core::Status::Ok();
  };
  size_t rule_files = 0;
  if (options.shipped) {
    for (const auto& source : ShippedYaraRules()) {
      RETURN_IF_ERROR(add(std::string(source.name), std::string(source.text), "bulwark"));
      ++rule_files;
    }
  }
  for (const auto& dir : options.rule_dirs) {
    ASSIGN_OR_RETURN(auto files, RuleFiles(dir));
    for (const auto& file : files) {
      std::string text;
      RETURN_IF_ERROR(ReadRuleFile(file, text));
      RETURN_IF_ERROR(add(file.string(), text, file.filename().string().c_str()));
      ++rule_files;
    }
  }
  std::vector<YaraMatch> matches;
  if (rule_files == 0) return matches;
  YR_RULES* raw_rules = nullptr;
  if (yr_compiler_get_rules(compiler.get(), &raw_rules) != ERROR_SUCCESS) {
    return core::Error(core::ErrorCode::kInternal, "libyara: cannot build the compiled rules");
  }
  std::unique_ptr<YR_RULES, RulesDeleter> rules(raw_rules);
  int rc = yr_rules_scan_mem(rules.get(), data.data(), data.size(), SCAN_FLAGS_FAST_MODE, OnScanMessage,
                             &matches, kYaraTimeoutSeconds);
  if (rc != ERROR_SUCCESS) {
    return core::Error(core::ErrorCode::kInternal,
                       "libyara scan failed (error " + std::to_string(rc) +
                           (rc == ERROR_SCAN_TIMEOUT ? ", timeout" : "") + ")");
  }
  return matches;
}

#endif

}  // namespace bulwark::respond
