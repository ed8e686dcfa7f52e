#include "respond/file_kind.hpp"

#include <array>
#include <cmath>
#include <cstring>
#include <string>
#include <string_view>

namespace bulwark::respond {
namespace {

bool StartsWith(std::span<const uint8_t> data, std::string_view magic, size_t at = 0) {
  return data.size() >= at + magic.size() &&
         std::memcmp(data.data() + at, magic.data(), magic.size()) == 0;
}

struct Magic {
  std::string_view bytes;
  size_t offset;
  const char* description;
};

constexpr std::array<Magic, 8> kArchives = {{
    {"\x1f\x8b", 0, "gzip archive"},
    {"PK\x03\x04", 0, "zip archive (or jar)"},
    {"BZh", 0, "bzip2 archive"},
    {std::string_view("\xfd" "7zXZ\0", 6), 0, "xz archive"},
    {"\x28\xb5\x2f\xfd", 0, "zstd archive"},
    {"!<arch>\n", 0, "ar archive (or .deb)"},
    {"ustar", 257, "tar archive"},
    {"7z\xbc\xaf\x27\x1c", 0, "7-zip archive"},
}};

// Mostly printable, no NUL, in the first 4 KiB.
bool LooksLikeText(std::span<const uint8_t> data) {
  size_t n = std::min<size_t>(data.size(), 4096);
  size_t odd = 0;
  for (size_t i = 0; i < n; ++i) {
    uint8_t c = data[i];
    if (c == 0) return false;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ++odd;
  }
  return odd * 20 <= n;
}

}  // namespace

const char* FileKindName(FileKind kind) {
  switch (kind) {
    case FileKind::kElf: return "elf";
    case FileKind::kScript: return "script";
    case FileKind::kArchive: return "archive";
    case FileKind::kText: return "text";
    case FileKind::kData: return "data";
    case FileKind::kEmpty: return "empty";
  }
  return "data";
}

FileType DetectFileType(std::span<const uint8_t> data) {
  if (data.empty()) return {FileKind::kEmpty, "empty file"};
  if (StartsWith(data, "\x7f" "ELF")) return {FileKind::kElf, "ELF object"};
  if (StartsWith(data, "#!")) {
    // The interpreter line, bounded; the renderer escapes it.
    std::string line;
    for (size_t i = 2; i < data.size() && i < 130 && data[i] != '\n'; ++i) {
      line += static_cast<char>(data[i]);
    }
    size_t start = line.find_first_not_of(" \t");
    line = start == std::string::npos ? "" : line.substr(start);
    return {FileKind::kScript, "script for " + (line.empty() ? "an unnamed interpreter" : line)};
  }
  for (const auto& m : kArchives) {
    if (StartsWith(data, m.bytes, m.offset)) return {FileKind::kArchive, m.description};
  }
  if (LooksLikeText(data)) return {FileKind::kText, "text"};
  return {FileKind::kData, "data"};
}

double ShannonEntropy(std::span<const uint8_t> data) {
  if (data.empty()) return 0.0;
  std::array<uint64_t, 256> counts{};
  for (uint8_t b : data) ++counts[b];
  double h = 0.0;
  const double n = static_cast<double>(data.size());
  for (uint64_t c : counts) {
    if (c == 0) continue;
    double p = static_cast<double>(c) / n;
    h -= p * std::log2(p);
  }
  return h;
}

}  // namespace bulwark::respond
