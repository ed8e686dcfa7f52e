// DaemonRestartAdvice: which changed daemon.json settings dockerd applies on
// SIGHUP and which need a restart, told the way an operator acts on it.
#include <map>
#include <set>

#include "fix/daemon_json_fixer.hpp"
#include "fix/json_edit.hpp"
#include "parse/daemon_config.hpp"

namespace bulwark::fix {
namespace {

using parse::YamlNode;

// dockerd reference, "Configuration reload behavior", and moby's
// daemon/reload.go + reload_unix.go (default-shm-size, default-ipc-mode,
// default-cgroupns-mode, network-diagnostic-port).
constexpr std::string_view kReloadable[] = {
    "debug",
    "labels",
    "live-restore",
    "max-concurrent-downloads",
    "max-concurrent-uploads",
    "max-download-attempts",
    "default-runtime",
    "runtimes",
    "authorization-plugins",
    "allow-nondistributable-artifacts",
    "insecure-registries",
    "registry-mirrors",
    "shutdown-timeout",
    "features",
    "default-shm-size",
    "default-ipc-mode",
    "default-cgroupns-mode",
    "network-diagnostic-port",
};

// Settings that existing containers keep until they are created again.
constexpr std::string_view kPerContainer[] = {
    "log-driver",      "log-opts",      "default-ulimits", "no-new-privileges",
    "seccomp-profile", "cgroup-parent", "userland-proxy",
};

// Order-insensitive text of a value, to tell whether a setting changed.
std::string Canonical(const YamlNode& node) {
  switch (node.kind()) {
    case parse::YamlKind::kNull:
      return "null";
    case parse::YamlKind::kScalar:
      return node.plain() ? node.text() : JsonQuote(node.text());
    case parse::YamlKind::kSequence: {
      std::string out = "[";
      for (const auto& item : node.items()) out += Canonical(*item) + ",";
      return out + "]";
    }
    case parse::YamlKind::kMap: {
      std::map<std::string, std::string> members;  // the last of a repeated key wins
      for (const auto& entry : node.entries()) members[entry.key->text()] = Canonical(*entry.value);
      std::string out = "{";
      for (const auto& [key, value] : members) out += JsonQuote(key) + ":" + value + ",";
      return out + "}";
    }
  }
  return {};
}

struct Settings {
  std::vector<std::string> keys;  // file order, each once
  std::map<std::string, std::string> values;
  bool live_restore = false;
};

core::Result<Settings> ReadSettings(std::string_view text) {
  ASSIGN_OR_RETURN(parse::DaemonConfig config, parse::ParseDaemonConfig(text));
  Settings settings;
  for (const auto& setting : config.settings) {
    if (settings.values.count(setting.key) == 0) settings.keys.push_back(setting.key);
    settings.values[setting.key] = Canonical(*setting.value);
  }
  settings.live_restore = config.live_restore && config.live_restore->value;
  return settings;
}

std::string List(const std::vector<std::string>& keys) {
  std::string out;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) out += i + 1 == keys.size() ? " and " : ", ";
    out += keys[i];
  }
  return out;
}

bool Contains(const std::vector<std::string>& keys, std::string_view key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::string RestartMessage(const RestartAdvice& advice, const Settings& before,
                           const Settings& after) {
  std::string message =
      "dockerd must restart to apply " + List(advice.restart) +
      " (a reload does not apply them). Check the file first with `sudo dockerd --validate "
      "--config-file /etc/docker/daemon.json` (Docker Engine 23 and later), and make sure "
      "dockerd's command line "
      "(`systemctl cat docker`) sets none of these as flags: dockerd refuses to start when a "
      "setting is both a flag and in daemon.json. Then run `sudo systemctl restart docker`.";
  if (Contains(advice.restart, "userns-remap")) {
    message +=
        " Stop the containers first: with userns-remap, images, containers and volumes move to "
        "a new storage root, so the ones running now are not managed after the restart.";
  } else if (before.live_restore) {
    message += " live-restore is on, so running containers keep running through the restart.";
  } else if (after.live_restore) {
    message +=
        " Run `sudo systemctl reload docker` first to turn live-restore on: running containers "
        "then keep running through the restart.";
  } else {
    message +=
        " Running containers stop during the restart and start again only if their restart "
        "policy says so.";
  }
  for (std::string_view key : kPerContainer) {
    if (Contains(advice.restart, key)) {
      message +=
          " Containers keep the log, ulimit and security settings they were created "
          "with until they are recreated.";
      break;
    }
  }
  return message;
}

}  // namespace

bool DaemonKeyReloadable(std::string_view key) {
  return std::find(std::begin(kReloadable), std::end(kReloadable), key) != std::end(kReloadable);
}

RestartAdvice DaemonRestartAdvice(std::string_view before, std::string_view after) {
  RestartAdvice advice;
  core::Result<Settings> new_settings = ReadSettings(after);
  if (!new_settings.ok()) {
    advice.action = RestartAdvice::Action::kInvalid;
    advice.message = "The new daemon.json is not valid (" + new_settings.status().message() +
                     "): dockerd would not start with it, so do not restart or reload until it "
                     "is fixed.";
    return advice;
  }
  // A current file that does not parse cannot be what dockerd runs with:
  // every setting of the new one counts as changed.
  core::Result<Settings> old_settings = ReadSettings(before);
  const Settings old_values = old_settings.ok() ? std::move(old_settings).value() : Settings{};

  std::vector<std::string> changed;
  for (const std::string& key : new_settings->keys) {
    auto old = old_values.values.find(key);
    if (old == old_values.values.end() || old->second != new_settings->values.at(key)) {
      changed.push_back(key);
    }
  }
  for (const std::string& key : old_values.keys) {
    if (new_settings->values.count(key) == 0) changed.push_back(key);
  }
  for (const std::string& key : changed) {
    (DaemonKeyReloadable(key) ? advice.reloadable : advice.restart).push_back(key);
  }

  if (changed.empty()) {
    advice.message = "daemon.json does not change: dockerd needs neither a reload nor a restart.";
  } else if (advice.restart.empty()) {
    advice.action = RestartAdvice::Action::kReload;
    advice.message = "dockerd applies " + List(advice.reloadable) +
                     " on a reload, without stopping containers: run `sudo systemctl reload "
                     "docker` (or send SIGHUP to dockerd).";
  } else {
    advice.action = RestartAdvice::Action::kRestart;
    advice.message = RestartMessage(advice, old_values, *new_settings);
  }
  return advice;
}

}  // namespace bulwark::fix
