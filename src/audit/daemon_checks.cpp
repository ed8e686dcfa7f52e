#include "audit/daemon_checks.hpp"

#include <algorithm>
#include <cctype>

#include "audit/daemon_rules.hpp"

namespace bulwark::audit {
namespace daemon {
namespace {

using core::Severity;
using parse::DaemonConfig;
using parse::YamlMark;

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

class Context {
 public:
  Context(const DaemonConfig& config, const std::string& path, core::FindingSink& sink)
      : config_(config), path_(path), sink_(sink) {}

  const DaemonConfig& config() const { return config_; }
  // Where a finding about an absent setting goes: the opening brace.
  YamlMark Absent() const { return config_.start; }

  void Report(std::string_view id, YamlMark mark, std::string message) const {
    sink_.Report(id, Location(mark), std::move(message));
  }
  void Report(std::string_view id, Severity severity, YamlMark mark, std::string message) const {
    sink_.ReportWithSeverity(id, severity, Location(mark), std::move(message));
  }

 private:
  core::Location Location(YamlMark mark) const {
    return core::Location{path_, mark.line, mark.column, 0, 0};
  }

  const DaemonConfig& config_;
  const std::string& path_;
  core::FindingSink& sink_;
};

// Reports a boolean that should have the value `wanted`: absent settings
// whose default is wrong at the brace, wrong values at the key.
void ExpectBool(const Context& ctx, std::string_view id, const char* key,
                const std::optional<parse::DaemonValue<bool>>& value, bool wanted,
                bool default_value, const std::string& why) {
  const std::string wanted_text = wanted ? "true" : "false";
  if (!value) {
    if (default_value == wanted) return;
    ctx.Report(
        id, ctx.Absent(),
        std::string("daemon.json does not set \"") + key + "\": " + wanted_text + " (" + why + ")");
  } else if (value->value != wanted) {
    ctx.Report(id, value->key,
               std::string("daemon.json sets \"") + key +
                   "\": " + (value->value ? "true" : "false") + " (" + why + ")");
  }
}

bool IsTcpHost(std::string_view host) {
  const std::string lower = Lower(host);
  for (std::string_view local : {"unix://", "fd://", "npipe://", "ssh://"}) {
    if (StartsWith(lower, local)) return false;
  }
  return StartsWith(lower, "tcp://") || lower.find("://") == std::string::npos;
}

bool IsLoopback(std::string_view address) {
  std::string lower = Lower(address);
  if (StartsWith(lower, "tcp://")) lower.erase(0, 6);
  return StartsWith(lower, "127.") || StartsWith(lower, "localhost") ||
         StartsWith(lower, "[::1]") || StartsWith(lower, "::1");
}

void CheckHosts(const Context& ctx) {
  const auto& c = ctx.config();
  if (!c.hosts) return;
  const bool verified = c.tlsverify && c.tlsverify->value;
  if (verified) return;
  const bool encrypted = c.tls && c.tls->value;
  for (const auto& host : c.hosts->value) {
    if (!IsTcpHost(host.text)) continue;
    ctx.Report(kTcpWithoutTls, IsLoopback(host.text) ? Severity::kHigh : Severity::kCritical,
               host.mark,
               "dockerd listens on " + parse::Printable(host.text) +
                   (encrypted ? " with tls but without tlsverify: any client is accepted"
                              : " without TLS: anyone who reaches it controls Docker"));
  }
}

void CheckLogging(const Context& ctx) {
  const auto& c = ctx.config();
  const std::string driver = c.log_driver ? Lower(c.log_driver->value) : "json-file";
  if (driver == "none") {
    ctx.Report(kLogging, c.log_driver->mark,
               "daemon.json disables container logs (\"log-driver\": \"none\")");
    return;
  }
  if (driver != "json-file" || c.LogOpt("max-size") != nullptr) return;
  const YamlMark where = c.log_opts     ? c.log_opts->key
                         : c.log_driver ? c.log_driver->key
                                        : ctx.Absent();
  ctx.Report(kLogging, where,
             std::string("container logs use json-file") + (c.log_driver ? "" : " (the default)") +
                 " without \"max-size\" in \"log-opts\": they grow until the disk is full");
}

void CheckLists(const Context& ctx) {
  const auto& c = ctx.config();
  if (c.insecure_registries) {
    for (const auto& registry : c.insecure_registries->value) {
      if (IsLoopback(registry.text)) continue;
      ctx.Report(kInsecureRegistries, registry.mark,
                 "daemon.json trusts insecure registry " + parse::Printable(registry.text));
    }
  }
  if (c.storage_opts) {
    for (const auto& option : c.storage_opts->value) {
      if (!StartsWith(Lower(option.text), "dm.basesize")) continue;
      ctx.Report(kBaseSize, option.mark,
                 "daemon.json sets storage option " + parse::Printable(option.text));
    }
  }
  if (!c.default_ulimits || c.default_ulimits->value.empty()) {
    ctx.Report(kDefaultUlimits, c.default_ulimits ? c.default_ulimits->key : ctx.Absent(),
               "daemon.json sets no \"default-ulimits\"");
  }
  if (!c.authorization_plugins || c.authorization_plugins->value.empty()) {
    ctx.Report(kAuthorizationPlugins,
               c.authorization_plugins ? c.authorization_plugins->key : ctx.Absent(),
               "daemon.json configures no \"authorization-plugins\"");
  }
}

void CheckStrings(const Context& ctx) {
  const auto& c = ctx.config();
  if (c.log_level && Lower(c.log_level->value) != "info") {
    ctx.Report(kLogLevel, c.log_level->mark,
               "daemon.json sets \"log-level\": \"" + parse::Printable(c.log_level->value) + "\"");
  }
  if (c.storage_driver && Lower(c.storage_driver->value) == "aufs") {
    ctx.Report(kAufs, c.storage_driver->mark, "daemon.json uses the aufs storage driver");
  }
  if (!c.userns_remap || c.userns_remap->value.empty()) {
    ctx.Report(kUsernsRemap, c.userns_remap ? c.userns_remap->key : ctx.Absent(),
               "daemon.json does not enable \"userns-remap\": container root is host root");
  }
  if (c.cgroup_parent && !c.cgroup_parent->value.empty()) {
    ctx.Report(
        kCgroupParent, c.cgroup_parent->key,
        "daemon.json sets \"cgroup-parent\": \"" + parse::Printable(c.cgroup_parent->value) + "\"");
  }
  if (c.seccomp_profile && Lower(c.seccomp_profile->value) == "unconfined") {
    ctx.Report(
        kSeccompUnconfined, c.seccomp_profile->mark,
        "daemon.json disables seccomp for all containers (\"seccomp-profile\": \"unconfined\")");
  }
}

void CheckBooleans(const Context& ctx) {
  const auto& c = ctx.config();
  ExpectBool(ctx, kIcc, "icc", c.icc, false, true,
             "containers on the default bridge can reach each other");
  ExpectBool(ctx, kIptables, "iptables", c.iptables, true, true,
             "Docker will not install its isolation rules");
  ExpectBool(ctx, kNoNewPrivileges, "no-new-privileges", c.no_new_privileges, true, false,
             "setuid binaries can raise privileges in containers");
  ExpectBool(ctx, kLiveRestore, "live-restore", c.live_restore, true, false,
             "restarting dockerd stops every container");
  ExpectBool(ctx, kUserlandProxy, "userland-proxy", c.userland_proxy, false, true,
             "a docker-proxy process serves every published port");
  ExpectBool(ctx, kExperimental, "experimental", c.experimental, false, false,
             "experimental features are not for production");
}

}  // namespace
}  // namespace daemon

namespace {

class DaemonAnalyzer final : public Analyzer {
 public:
  void Analyze(const core::SourceFile& file, core::FindingSink& sink) override {
    auto config = parse::ParseDaemonConfig(file.content);
    if (!config.ok()) {
      const parse::YamlMark mark = parse::ErrorMark(config.status());
      std::string message = config.status().message();
      if (mark.known()) message = message.substr(std::min(message.size(), message.find(": ") + 2));
      sink.Diagnose(core::Location{file.path, mark.line, mark.column, 0, 0},
                    "daemon.json not analysed: " + message);
      return;
    }
    for (const auto& issue : config->issues) {
      sink.Diagnose(core::Location{file.path, issue.mark.line, issue.mark.column, 0, 0},
                    "daemon.json: " + issue.message);
    }
    RunDaemonChecks(*config, file.path, sink);
  }
};

}  // namespace

core::Status RegisterDaemonChecks(core::CheckRegistry& registry) {
  for (auto& info : daemon::DaemonCatalog()) RETURN_IF_ERROR(registry.Add(std::move(info)));
  return core::Status::Ok();
}

std::unique_ptr<Analyzer> MakeDaemonAnalyzer() { return std::make_unique<DaemonAnalyzer>(); }

void RunDaemonChecks(const parse::DaemonConfig& config, const std::string& path,
                     core::FindingSink& sink) {
  const daemon::Context ctx(config, path, sink);
  daemon::CheckBooleans(ctx);
  daemon::CheckStrings(ctx);
  daemon::CheckLists(ctx);
  daemon::CheckHosts(ctx);
  daemon::CheckLogging(ctx);
}

}  // namespace bulwark::audit
