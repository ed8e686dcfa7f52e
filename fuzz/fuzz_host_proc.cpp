// libFuzzer target: the readers of host files `audit --host` parses —
// /proc/PID/mountinfo, /proc/net/tcp{,6}, /etc/passwd + /etc/group and
// audit rules — on arbitrary bytes. The first byte picks the reader.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "host/collect_files.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  namespace host = bulwark::host;
  switch (data[0] % 5) {
    case 0: {
      auto mounts = host::ParseMountInfo(text);
      if (!mounts.empty()) host::MountFor(mounts, "/var/lib/docker");
      break;
    }
    case 1: host::ParseProcNetTcp(text, false); break;
    case 2: host::ParseProcNetTcp(text, true); break;
    case 3: {
      size_t split = text.find('\x01');
      host::ParseHostAccounts(text.substr(0, split),
                              split == std::string_view::npos ? std::string_view() : text.substr(split + 1));
      break;
    }
    case 4:
      for (const std::string& rule : host::ParseAuditRuleLines(text)) {
        host::AuditRuleCovers(rule, "/usr/bin/dockerd");
        host::SplitAuditEntry(rule);
      }
      break;
  }
  return 0;
}
