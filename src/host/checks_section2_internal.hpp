// Internals of CIS section 2 (daemon configuration): how a check looks a
// daemon setting up and says where it came from, and the check functions
// that checks_section2.cpp lists with their metadata. Pure functions of
// HostFacts; thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "host/host_check.hpp"

namespace bulwark::host::section2 {

// A daemon setting as the checks see it.
struct Setting {
  const DaemonOption* option = nullptr;  // nullptr: set nowhere bulwark could read
  // The option's source, or why it counts as unset ("\"icc\" not set on
  // dockerd's command line or in /etc/docker/daemon.json (default: true)").
  std::string evidence;
  // Non-empty when the value cannot be known (daemon.json unreadable and the
  // key not on the command line): the reason to Skip with.
  std::string unknown;
};

Setting Look(const HostFacts& facts, std::string_view key, std::string_view default_text);

// "" when dockerd's command line was read; else "; judged from daemon.json
// and /info only: ..." for the evidence.
std::string ProcessNote(const HostFacts& facts);

// The SecurityOptions of /info ("name=seccomp,profile=default", ...).
std::vector<std::string> SecurityOptions(const HostFacts& facts);
bool HasSecurityOption(const HostFacts& facts,
                       std::string_view name);  // "rootless" -> name=rootless...

// Why the daemon counts as rootless ("/info SecurityOptions name=rootless",
// "dockerd pid 42 runs as uid 1000"); "" when it does not.
std::string RootlessEvidence(const HostFacts& facts);

std::string JoinList(const std::vector<std::string>& items, std::string_view separator = ", ");

// 2.1 - 2.18
void CheckRootless(const HostFacts& facts, ResultSink& out);
void CheckIcc(const HostFacts& facts, ResultSink& out);
void CheckLogLevel(const HostFacts& facts, ResultSink& out);
void CheckIptables(const HostFacts& facts, ResultSink& out);
void CheckInsecureRegistries(const HostFacts& facts, ResultSink& out);
void CheckAufs(const HostFacts& facts, ResultSink& out);
void CheckTls(const HostFacts& facts, ResultSink& out);
void CheckDefaultUlimits(const HostFacts& facts, ResultSink& out);
void CheckUsernsRemap(const HostFacts& facts, ResultSink& out);
void CheckCgroupParent(const HostFacts& facts, ResultSink& out);
void CheckBaseDeviceSize(const HostFacts& facts, ResultSink& out);
void CheckAuthorization(const HostFacts& facts, ResultSink& out);
void CheckRemoteLogging(const HostFacts& facts, ResultSink& out);
void CheckNoNewPrivileges(const HostFacts& facts, ResultSink& out);
void CheckLiveRestore(const HostFacts& facts, ResultSink& out);
void CheckUserlandProxy(const HostFacts& facts, ResultSink& out);
void CheckSeccomp(const HostFacts& facts, ResultSink& out);
void CheckExperimental(const HostFacts& facts, ResultSink& out);

}  // namespace bulwark::host::section2
