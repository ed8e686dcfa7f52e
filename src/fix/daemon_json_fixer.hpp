// The daemon.json fixer (MakeDaemonJsonFixer() in fixer.hpp) and what dockerd
// needs to apply a changed daemon.json. The fixer sets the CIS Docker
// Benchmark section 2 settings bulwark checks (icc, userns-remap,
// live-restore, userland-proxy, no-new-privileges, rotated json-file logs,
// default ulimits, ...) with JsonEditor, so every key it does not touch stays
// as written; a missing file (empty text) becomes a complete hardened file.
// Settings whose fix could break a working host are left to the user:
// insecure registries (pulls from them would fail until they have TLS),
// the aufs storage driver (images are not visible after a driver change),
// a TCP socket without TLS (clients would lose access; certificates are
// needed) and authorization plugins (dockerd does not start without the
// plugin installed). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fix/fixer.hpp"

namespace bulwark::fix {

// The values the fixer writes.
inline constexpr std::string_view kDaemonLogMaxSize = "10m";
inline constexpr std::string_view kDaemonLogMaxFile = "3";
inline constexpr long long kDaemonNofileLimit = 65536;

// What dockerd needs before a changed daemon.json takes effect.
struct RestartAdvice {
  enum class Action {
    kNone,     // nothing dockerd reads changed
    kReload,   // SIGHUP (systemctl reload docker) applies every change
    kRestart,  // some change needs dockerd to restart
    kInvalid,  // the new text is not a daemon.json dockerd would start with
  };
  Action action = Action::kNone;
  std::vector<std::string> reloadable;  // changed top-level keys a reload applies
  std::vector<std::string> restart;     // changed top-level keys only a restart applies
  std::string message;                  // a few sentences for the user
};

// Compares daemon.json before and after (empty text: the file does not
// exist, which dockerd reads as an empty configuration).
RestartAdvice DaemonRestartAdvice(std::string_view before, std::string_view after);

// True for the top-level daemon.json keys dockerd reloads on SIGHUP (the
// dockerd reference's "configuration reload behavior" list, plus the
// platform settings daemon/reload_unix.go reloads).
bool DaemonKeyReloadable(std::string_view key);

}  // namespace bulwark::fix
