#include "sbom/go_buildinfo.hpp"

#include <optional>

namespace bulwark::sbom {
namespace {

constexpr size_t kHeaderSize = 32;
constexpr size_t kAlign = 16;
constexpr size_t kSentinelSize = 16;

core::Status Bad(const std::string& what) {
  return core::Error(core::ErrorCode::kParseError, "Go build info: " + what);
}

core::Status NotGo() { return core::Error(core::ErrorCode::kNotFound, "not a Go executable"); }

uint64_t DecodeUnsigned(std::string_view bytes, size_t width, bool big_endian) {
  uint64_t value = 0;
  for (size_t i = 0; i < width && i < bytes.size(); ++i) {
    size_t index = big_endian ? i : width - 1 - i;
    value = (value << 8) | static_cast<unsigned char>(bytes[index]);
  }
  return value;
}

// A uvarint-prefixed string from the front of `data`, consuming it.
std::optional<std::string_view> TakeVarintString(std::string_view& data) {
  uint64_t length = 0;
  size_t used = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (used >= data.size()) return std::nullopt;
    unsigned char byte = static_cast<unsigned char>(data[used++]);
    length |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) break;
    if (shift + 7 >= 64) return std::nullopt;
  }
  if (length > data.size() - used) return std::nullopt;
  std::string_view out = data.substr(used, length);
  data.remove_prefix(used + length);
  return out;
}

// Reads a Go string header {ptr, len} at `address` and the bytes it names.
std::optional<std::string_view> ReadGoString(const ElfFile& elf, uint64_t address, size_t ptr_size,
                                             bool big_endian) {
  std::string_view header = elf.ReadAddress(address, 2 * ptr_size);
  if (header.size() < 2 * ptr_size) return std::nullopt;
  uint64_t data_address = DecodeUnsigned(header, ptr_size, big_endian);
  uint64_t length = DecodeUnsigned(header.substr(ptr_size), ptr_size, big_endian);
  if (length > kMaxGoString) return std::nullopt;
  std::string_view bytes = elf.ReadAddress(data_address, length);
  if (bytes.size() != length) return std::nullopt;
  return bytes;
}

// cmd/go frames the module info with 16-byte sentinels; a string that is not
// framed that way carries no module info.
std::string_view StripSentinels(std::string_view mod) {
  if (mod.size() >= 2 * kSentinelSize + 1 && mod[mod.size() - kSentinelSize - 1] == '\n') {
    return mod.substr(kSentinelSize, mod.size() - 2 * kSentinelSize);
  }
  return {};
}

std::vector<std::string_view> SplitTabs(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t tab = text.find('\t', start);
    out.push_back(text.substr(start, tab - start));  // npos - start still means "to the end"
    if (tab == std::string_view::npos) return out;
    start = tab + 1;
  }
}

bool ParseModuleColumns(std::string_view rest, GoModule& module) {
  std::vector<std::string_view> columns = SplitTabs(rest);
  if (columns.size() != 2 && columns.size() != 3) return false;
  if (columns[0].empty()) return false;
  module.path = std::string(columns[0]);
  module.version = std::string(columns[1]);
  if (columns.size() == 3) module.sum = std::string(columns[2]);
  return true;
}

bool ParseSetting(std::string_view kv, std::pair<std::string, std::string>& setting) {
  if (kv.empty() || kv[0] == '=') return false;
  std::string_view raw_value;
  if (kv[0] == '"' || kv[0] == '`') {
    // A quoted key: find its closing quote (skipping escapes in "...").
    size_t end = 1;
    while (end < kv.size() && kv[end] != kv[0]) end += (kv[0] == '"' && kv[end] == '\\') ? 2 : 1;
    if (end >= kv.size() || !GoUnquote(kv.substr(0, end + 1), setting.first)) return false;
    kv.remove_prefix(end + 1);
    if (kv.empty() || kv[0] != '=') return false;
    raw_value = kv.substr(1);
  } else {
    size_t eq = kv.find('=');
    if (eq == std::string_view::npos) return false;
    setting.first = std::string(kv.substr(0, eq));
    raw_value = kv.substr(eq + 1);
  }
  if (!raw_value.empty() && (raw_value[0] == '"' || raw_value[0] == '`')) {
    return GoUnquote(raw_value, setting.second);
  }
  setting.second = std::string(raw_value);
  return true;
}

bool ParseLine(std::string_view line, GoBuildInfo& info, GoModule*& last) {
  auto take = [&line](std::string_view prefix) {
    if (line.substr(0, prefix.size()) != prefix) return false;
    line.remove_prefix(prefix.size());
    return true;
  };
  if (take("path\t")) {
    info.path = std::string(line);
  } else if (take("mod\t")) {
    last = nullptr;
    if (!ParseModuleColumns(line, info.main)) return false;
    last = &info.main;
  } else if (take("dep\t")) {
    last = nullptr;
    GoModule dep;
    if (!ParseModuleColumns(line, dep)) return false;
    info.deps.push_back(std::move(dep));
    last = &info.deps.back();
  } else if (take("=>\t")) {
    std::vector<std::string_view> columns = SplitTabs(line);
    if (columns.size() != 3 || last == nullptr) return false;
    last->replace_path = std::string(columns[0]);
    last->replace_version = std::string(columns[1]);
    last->replace_sum = std::string(columns[2]);
    last = nullptr;
  } else if (take("build\t")) {
    std::pair<std::string, std::string> setting;
    if (!ParseSetting(line, setting)) return false;
    info.settings.push_back(std::move(setting));
  }
  return true;  // other lines ("go\t...") are not ours to judge
}

core::Result<std::string_view> LocateBlob(std::string_view file, const ElfFile* elf) {
  std::string_view region = file;
  if (elf != nullptr) {
    if (const ElfSection* section = elf->FindSection(".go.buildinfo")) {
      ASSIGN_OR_RETURN(region, elf->SectionData(*section));
    } else if (!elf->Sections().empty()) {
      return NotGo();  // Go 1.13+ always writes the section; none means no build info
    } else {
      // Section headers stripped: Go looks in the first writable,
      // non-executable PT_LOAD segment, so do we.
      region = {};
      for (const ElfSegment& segment : elf->Segments()) {
        uint32_t flags = segment.flags & (ElfFile::kSegmentWrite | ElfFile::kSegmentExecute);
        if (segment.type != ElfFile::kSegmentLoad || flags != ElfFile::kSegmentWrite) continue;
        if (segment.offset < file.size()) region = file.substr(segment.offset, segment.filesz);
        break;
      }
    }
  }
  size_t at = FindGoBuildInfoMagic(region);
  if (at == std::string_view::npos) return NotGo();
  return region.substr(at);
}

}  // namespace

size_t FindGoBuildInfoMagic(std::string_view data) {
  size_t pos = 0;
  while (pos < data.size()) {
    size_t found = data.find(kGoBuildInfoMagic, pos);
    if (found == std::string_view::npos || data.size() - found < kHeaderSize) break;
    if (found % kAlign == 0) return found;
    pos = (found + kAlign) & ~(kAlign - 1);
  }
  return std::string_view::npos;
}

core::Result<GoBuildInfo> ReadGoBuildInfo(std::string_view file) {
  std::optional<ElfFile> elf;
  if (LooksLikeElf(file)) {
    core::Result<ElfFile> parsed = ElfFile::Parse(file);
    // A damaged ELF header still gets the plain scan (inline format only).
    if (parsed.ok()) elf = std::move(parsed).value();
  }
  ASSIGN_OR_RETURN(std::string_view blob, LocateBlob(file, elf ? &*elf : nullptr));
  return DecodeGoBuildInfo(blob, elf ? &*elf : nullptr);
}

core::Result<GoBuildInfo> DecodeGoBuildInfo(std::string_view blob, const ElfFile* elf) {
  if (blob.size() < kHeaderSize || blob.substr(0, kGoBuildInfoMagic.size()) != kGoBuildInfoMagic) {
    return NotGo();
  }
  size_t ptr_size = static_cast<unsigned char>(blob[14]);
  unsigned char flags = static_cast<unsigned char>(blob[15]);
  std::string_view version;
  std::string_view mod;
  if ((flags & 0x2) != 0) {
    std::string_view rest = blob.substr(kHeaderSize);
    std::optional<std::string_view> v = TakeVarintString(rest);
    std::optional<std::string_view> m = v ? TakeVarintString(rest) : std::nullopt;
    if (!v || !m) return Bad("inline strings run past the end of the data");
    version = *v;
    mod = *m;
  } else {
    if (ptr_size != 4 && ptr_size != 8) return Bad("pointer size " + std::to_string(ptr_size));
    if (elf == nullptr) return Bad("pointer-format build info outside an ELF file");
    bool big_endian = (flags & 0x1) != 0;
    uint64_t version_at = DecodeUnsigned(blob.substr(16), ptr_size, big_endian);
    uint64_t mod_at = DecodeUnsigned(blob.substr(16 + ptr_size), ptr_size, big_endian);
    std::optional<std::string_view> v = ReadGoString(*elf, version_at, ptr_size, big_endian);
    std::optional<std::string_view> m = ReadGoString(*elf, mod_at, ptr_size, big_endian);
    if (!v) return Bad("toolchain version pointer leads nowhere");
    version = *v;
    mod = m ? *m : std::string_view();
  }
  if (version.empty()) return NotGo();
  GoBuildInfo info;
  info.go_version = std::string(version);
  ParseGoModInfo(StripSentinels(mod), info);
  return info;
}

void ParseGoModInfo(std::string_view text, GoBuildInfo& info) {
  GoModule* last = nullptr;  // the module a "=>" line replaces
  while (!text.empty()) {
    size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (line.empty()) continue;
    if (!ParseLine(line, info, last)) ++info.malformed_lines;
  }
}

bool GoUnquote(std::string_view quoted, std::string& out) {
  out.clear();
  if (quoted.size() < 2 || quoted.front() != quoted.back()) return false;
  if (quoted.front() == '`') {
    out = std::string(quoted.substr(1, quoted.size() - 2));
    return out.find('`') == std::string::npos;
  }
  if (quoted.front() != '"') return false;
  std::string_view body = quoted.substr(1, quoted.size() - 2);
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == '"') return false;
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++i >= body.size()) return false;
    switch (body[i]) {
      case 'a':
        out += '\a';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
        out += '\\';
        break;
      case '"':
        out += '"';
        break;
      case '\'':
        out += '\'';
        break;
      case 'x': {
        if (i + 2 >= body.size()) return false;
        int hi = hex(body[i + 1]);
        int lo = hex(body[i + 2]);
        if (hi < 0 || lo < 0) return false;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        break;
      }
      default:
        // Octal and \u escapes are rare in build settings: keep them as written.
        out += '\\';
        out += body[i];
    }
  }
  return true;
}

}  // namespace bulwark::sbom
