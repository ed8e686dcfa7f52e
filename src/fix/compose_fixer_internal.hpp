// Internal to the compose fixer. ServiceFix is what every job sees while one
// service is fixed: the service (model and YAML node), the findings the
// request asks to fix there, what is known about its image, and helpers that
// queue edits through the shared YamlEditor. New keys and list changes are
// queued and written by Flush() in one order (user, read_only, tmpfs,
// cap_drop, cap_add, security_opt, limits, healthcheck, env_file), so a fixed
// service reads the same whatever was missing. Not thread-safe; one per
// service per Plan().
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "audit/compose_rules.hpp"
#include "fix/fixer.hpp"
#include "fix/yaml_edit.hpp"
#include "parse/compose.hpp"

namespace bulwark::fix::compose_fix {

// The check IDs, as the checks themselves name them (kPrivileged, ...).
using namespace ::bulwark::audit::compose;  // NOLINT(google-build-using-namespace)

// Defaults written for missing limits; a note tells the user to tune them.
inline constexpr std::string_view kDefaultMemory = "512m";
inline constexpr std::string_view kDefaultCpus = "1.0";
inline constexpr std::string_view kDefaultPids = "200";
inline constexpr std::string_view kRestartPolicy = "on-failure:5";
inline constexpr std::string_view kEnvFile = ".env";

// (check ID, line, column) of a finding.
using FindingKey = std::tuple<std::string, int, int>;
// Requested findings by check ID, with where each is reported.
using WantedFindings = std::map<std::string, std::vector<parse::YamlMark>, std::less<>>;

// The requested findings of one service: the compose checks are run on the
// service alone and their findings kept when the request names the same
// check at the same position (compose_fixer_findings.cpp).
WantedFindings ServiceFindings(const parse::ComposeFile& file, const parse::ComposeService& service,
                               const std::set<FindingKey>& requested);
// The requested BW-CO-034 findings of a document, by network.
WantedFindings NetworkFindings(const parse::ComposeFile& file,
                               const std::set<FindingKey>& requested);

// What bulwark knows about how a service's image runs (compose_fixer_profile.cpp).
struct ImageProfile {
  std::string what;                      // for notes: "the postgres image"
  bool known = false;                    // an image (or Dockerfile) bulwark recognises
  bool built = false;                    // built from a Dockerfile by compose
  std::optional<std::string> user;       // for `user:`; nullopt: leave the image's choice
  std::string user_note;                 // why no user is set
  std::vector<std::string> cap_add;      // needed once ALL is dropped
  std::string cap_note;                  // what else it may need, and why it is not added
  std::vector<std::string> tmpfs;        // writable paths a read-only root needs, /tmp included
  std::vector<std::string> healthcheck;  // a test in CMD form; empty when unknown
  std::string healthcheck_note;          // why none is added
};
ImageProfile ProfileFor(const parse::ComposeService& service, const std::filesystem::path& dir,
                        const FixOptions& options);

// A list attribute's pending change (cap_add, cap_drop, security_opt,
// tmpfs, env_file, ports).
struct ListChange {
  std::map<size_t, std::string> remove;                     // YAML item index -> check ID
  std::vector<std::pair<std::string, std::string>> append;  // (new string item, check ID)

  void Remove(size_t index, std::string_view id) { remove.emplace(index, std::string(id)); }
  // Appends once.
  void Append(std::string item, std::string_view id);
};

// Shared by the services of one Plan().
struct PlanContext {
  const FixRequest* request = nullptr;
  const FixOptions* options = nullptr;
  std::filesystem::path dir;  // the compose file's directory
  YamlEditor* editor = nullptr;
  FixPlan* plan = nullptr;
  // .env lines (NAME=value) requested so far, and the names taken.
  std::map<std::string, std::string> env_values;
  std::map<std::string, std::string> existing_env;  // the .env already on disk
};

class ServiceFix {
 public:
  ServiceFix(PlanContext& context, const parse::ComposeFile& file,
             const parse::ComposeService& service, WantedFindings wanted);

  const parse::ComposeFile& file() const { return file_; }
  const parse::ComposeService& service() const { return service_; }
  const parse::YamlNode& node() const { return *service_.node; }
  YamlEditor& editor() { return *context_.editor; }
  PlanContext& context() { return context_; }
  const FixOptions& options() const { return *context_.options; }
  const ImageProfile& profile() const { return profile_; }

  bool Wants(std::string_view id) const { return wanted_.count(id) != 0; }
  // Where the requested findings of `id` are reported.
  const std::vector<parse::YamlMark>& Marks(std::string_view id) const;
  bool WantsAt(std::string_view id, parse::YamlMark mark) const;

  void Fixed(std::string_view id) { context_.plan->fixed_ids.insert(std::string(id)); }
  void Note(std::string_view id, std::string message);
  // Records a failed edit as a note; true when `status` is ok.
  bool Check(const core::Status& status, std::string_view id, std::string_view what);

  // Queues `key: value` (written by Flush, in the canonical key order).
  void AddKey(std::string key, YamlValue value, std::string_view id);
  // Sets an existing key written in the service, or adds it (also when the
  // current value comes from a `<<` merge: the explicit key overrides it).
  bool SetKey(std::string_view key, YamlValue value, std::string_view id);
  // Removes a key written in the service; a merged one cannot be removed
  // here (a note says so) unless `override_value` can replace it.
  bool RemoveKey(std::string_view key, std::string_view id,
                 std::optional<YamlValue> override_value = std::nullopt);
  ListChange& List(const std::string& key) { return lists_[key]; }
  // The string items of a list attribute as written (a scalar is one item).
  std::vector<std::string> ListItems(std::string_view key) const;
  // The index of the YAML item of list `key` at `mark`.
  std::optional<size_t> ItemIndex(std::string_view key, parse::YamlMark mark) const;

  // Writes the queued keys and list changes.
  void Flush();

 private:
  void FlushList(const std::string& key, const ListChange& change);

  PlanContext& context_;
  const parse::ComposeFile& file_;
  const parse::ComposeService& service_;
  WantedFindings wanted_;
  ImageProfile profile_;
  struct NewKey {
    std::string key;
    YamlValue value;
    std::string check_id;
  };
  std::vector<NewKey> new_keys_;
  std::map<std::string, ListChange> lists_;
};

// The jobs, each on one service (or, for networks, one document).
void FixPrivileges(
    ServiceFix& fix);  // 001, 002, 003, 004, 025-027, 033 (compose_fixer_privilege.cpp)
void FixIsolation(ServiceFix& fix);       // 005, 012-016, 019, 024 (compose_fixer_isolation.cpp)
void FixResources(ServiceFix& fix);       // 006, 007, 008, 030 (compose_fixer_runtime.cpp)
void FixRuntimeHygiene(ServiceFix& fix);  // 023, 028 (compose_fixer_runtime.cpp)
void FixPorts(ServiceFix& fix);           // 009, 032 (compose_fixer_network.cpp)
void FixSecrets(ServiceFix& fix);         // 021 (compose_fixer_secrets.cpp)
void FixBackendNetworks(PlanContext& context, const parse::ComposeFile& file,
                        const WantedFindings& wanted);  // 034 (compose_fixer_network.cpp)

}  // namespace bulwark::fix::compose_fix
