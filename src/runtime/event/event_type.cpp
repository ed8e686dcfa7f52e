#include <algorithm>
#include <array>
#include <cctype>

#include "runtime/event/alert.hpp"
#include "runtime/event/event.hpp"

namespace bulwark::runtime {
namespace {

// Indexed by EventType; Falco's names (procexit is the scheduler's exit).
constexpr std::array<std::string_view, kEventTypeCount> kNames = {
    "unknown",
    "execve", "execveat", "clone", "clone3", "fork", "vfork", "procexit",
    "open", "openat", "openat2", "creat", "close",
    "rename", "renameat", "renameat2", "unlink", "unlinkat", "mkdir", "mkdirat", "rmdir",
    "symlink", "symlinkat", "link", "linkat",
    "chmod", "fchmod", "fchmodat", "chown", "fchown", "fchownat", "lchown",
    "chdir", "fchdir", "chroot",
    "socket", "connect", "accept", "accept4", "bind", "listen",
    "sendto", "sendmsg", "recvfrom", "recvmsg",
    "dup", "dup2", "dup3", "fcntl", "pipe", "pipe2", "memfd_create",
    "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid", "capset", "prctl",
    "ptrace", "mount", "umount", "umount2", "init_module", "finit_module", "delete_module", "bpf",
    "kill", "tkill", "tgkill", "setns", "unshare", "userfaultfd", "personality",
};

constexpr std::array<std::string_view, 8> kPriorityNames = {
    "Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational", "Debug"};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string_view EventTypeName(EventType type) {
  auto i = static_cast<size_t>(type);
  return i < kNames.size() ? kNames[i] : kNames[0];
}

std::optional<EventType> EventTypeFromName(std::string_view name) {
  for (size_t i = 1; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<EventType>(i);
  }
  return std::nullopt;
}

std::string_view PriorityName(Priority priority) {
  auto i = static_cast<size_t>(priority);
  return i < kPriorityNames.size() ? kPriorityNames[i] : "Debug";
}

std::optional<Priority> ParsePriority(std::string_view word) {
  for (size_t i = 0; i < kPriorityNames.size(); ++i) {
    if (EqualsIgnoreCase(word, kPriorityNames[i])) return static_cast<Priority>(i);
  }
  if (EqualsIgnoreCase(word, "info")) return Priority::kInformational;
  return std::nullopt;
}

}  // namespace bulwark::runtime
