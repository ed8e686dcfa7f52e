#include "respond/proc_maps.hpp"

#include <charconv>
#include <map>

namespace bulwark::respond {
namespace {

bool Hex(std::string_view s, uint64_t& out) {
  if (s.empty() || s.size() > 16) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out, 16);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// Takes the next space-separated field off `line`.
std::string_view Field(std::string_view& line) {
  size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;
  size_t start = i;
  while (i < line.size() && line[i] != ' ') ++i;
  std::string_view f = line.substr(start, i - start);
  line.remove_prefix(i);
  return f;
}

bool ParseLine(std::string_view line, MapRegion& r) {
  std::string_view range = Field(line), perms = Field(line), offset = Field(line), dev = Field(line),
                   inode = Field(line);
  size_t dash = range.find('-');
  if (dash == std::string_view::npos) return false;
  if (!Hex(range.substr(0, dash), r.start) || !Hex(range.substr(dash + 1), r.end) || r.end < r.start) return false;
  if (perms.size() != 4 || !Hex(offset, r.offset) || dev.find(':') == std::string_view::npos) return false;
  for (size_t i = 0; i < 3; ++i) {
    if (perms[i] != "rwx"[i] && perms[i] != '-') return false;
  }
  auto [ptr, ec] = std::from_chars(inode.data(), inode.data() + inode.size(), r.inode);
  if (inode.empty() || ec != std::errc() || ptr != inode.data() + inode.size()) return false;
  r.perms = std::string(perms);
  while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  r.path = std::string(line.substr(0, 4096));
  return true;
}

bool IsSpecial(const std::string& path) {
  return path == "[vdso]" || path == "[vsyscall]" || path == "[vectors]" || path == "[uprobes]" ||
         path == "[sigpage]";
}

void AddListed(std::vector<ExecRegion>& list, const MapRegion& r, const std::string& label) {
  if (list.size() >= kMaxListedRegions) return;
  list.push_back({label, r.perms, r.start, r.end - r.start, 1});
}

}  // namespace

ParsedMaps ParseMaps(std::string_view text) {
  ParsedMaps out;
  size_t lines = 0;
  while (!text.empty()) {
    if (lines++ == kMaxMapLines) {
      out.truncated = true;
      break;
    }
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty()) continue;
    MapRegion r;
    if (ParseLine(line, r)) out.regions.push_back(std::move(r));
    else ++out.malformed;
  }
  return out;
}

MapsSummary SummariseMaps(const ParsedMaps& maps) {
  MapsSummary s;
  s.regions = maps.regions.size();
  s.malformed = maps.malformed;
  s.truncated = maps.truncated;
  std::map<std::string, size_t> file_index;  // path -> index in s.file_exec
  for (const auto& r : maps.regions) {
    bool exec = r.perms[2] == 'x';
    bool write = r.perms[1] == 'w';
    if (!exec || IsSpecial(r.path)) continue;
    bool memfd = r.path.rfind("/memfd:", 0) == 0 || r.path.rfind("memfd:", 0) == 0;
    bool anon = r.path.empty() || (r.path.front() == '[' && !IsSpecial(r.path)) ||
                r.path.rfind("/dev/zero", 0) == 0 || (r.inode == 0 && r.path.front() != '/');
    std::string label = r.path.empty() ? "[anon]" : r.path;
    if (write) AddListed(s.writable_exec, r, label);
    if (memfd) AddListed(s.memfd_exec, r, label);
    else if (anon) AddListed(s.anon_exec, r, label);
    else {
      auto [it, fresh] = file_index.emplace(r.path, s.file_exec.size());
      if (fresh) {
        if (s.file_exec.size() >= kMaxListedRegions) continue;
        s.file_exec.push_back({r.path, r.perms, r.start, r.end - r.start, 1});
      } else if (it->second < s.file_exec.size()) {
        s.file_exec[it->second].size += r.end - r.start;
        s.file_exec[it->second].regions += 1;
      }
    }
  }
  return s;
}

}  // namespace bulwark::respond
