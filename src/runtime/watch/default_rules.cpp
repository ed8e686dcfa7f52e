#include "runtime/watch/default_rules.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "runtime/rules/rule_reader.hpp"

namespace bulwark::runtime::watch {

core::Result<std::vector<rules::RuleSource>> CollectRuleSources(
    bool with_defaults, const std::vector<std::string>& paths) {
  std::vector<rules::RuleSource> sources;
  if (with_defaults) {
    for (const EmbeddedRuleFile& file : EmbeddedRuleFiles()) {
      sources.push_back({"<builtin>/" + std::string(file.name), std::string(file.text)});
    }
  }
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      return core::Error(core::ErrorCode::kNotFound,
                         "rules file " + path + " is not a readable regular file");
    }
    uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec || size > rules::kMaxRuleFileBytes) {
      return core::Error(core::ErrorCode::kTooLarge,
                         "rules file " + path + " is larger than " +
                             std::to_string(rules::kMaxRuleFileBytes >> 20) + " MiB: not a rules file");
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) {
      return core::Error(core::ErrorCode::kIoError, "rules file " + path + " could not be read");
    }
    sources.push_back({path, text.str()});
  }
  return sources;
}

}  // namespace bulwark::runtime::watch
