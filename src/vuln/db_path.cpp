#include <cstdlib>

#include "vuln/vuln_db.hpp"

namespace bulwark::vuln {

std::filesystem::path DefaultDbPath() {
  if (const char* explicit_path = std::getenv("BULWARK_DB"); explicit_path && *explicit_path) {
    return explicit_path;
  }
  if (const char* cache = std::getenv("XDG_CACHE_HOME"); cache && *cache) {
    return std::filesystem::path(cache) / "bulwark" / "vuln.db";
  }
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home && *home ? home : "/root") / ".cache" / "bulwark" / "vuln.db";
}

}  // namespace bulwark::vuln
