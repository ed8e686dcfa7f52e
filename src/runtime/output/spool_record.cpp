#include "runtime/output/spool_record.hpp"

#include <array>
#include <charconv>
#include <cstdio>

namespace bulwark::runtime::output {
namespace {

// The reflected IEEE 802.3 polynomial (zlib's crc32).
constexpr std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320U ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kCrcTable = MakeCrcTable();

bool ParseHex32(std::string_view text, uint32_t* out) {
  if (text.size() != 8) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out, 16);
  return ec == std::errc() && ptr == text.data() + text.size();
}

bool ParseU64(std::string_view text, uint64_t* out) {
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out, 10);
  return ec == std::errc() && ptr == text.data() + text.size();
}

// "gen=<g> seg=<s> off=<o>": the part of a slot the checksum covers.
std::string CursorBody(const SpoolCursor& cursor) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "gen=%020llu seg=%020llu off=%020llu",
                static_cast<unsigned long long>(cursor.generation),
                static_cast<unsigned long long>(cursor.segment),
                static_cast<unsigned long long>(cursor.offset));
  return buf;
}

}  // namespace

uint32_t Crc32(std::string_view data) {
  uint32_t c = 0xFFFFFFFFU;
  for (char ch : data) c = kCrcTable[(c ^ static_cast<uint8_t>(ch)) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFU;
}

std::string EncodeSpoolRecord(std::string_view payload) {
  char crc[16];
  std::snprintf(crc, sizeof crc, "%08x ", Crc32(payload));
  std::string record;
  record.reserve(payload.size() + kSpoolRecordOverhead);
  record += crc;
  record += payload;
  record.push_back('\n');
  return record;
}

std::optional<std::string_view> DecodeSpoolRecord(std::string_view line) {
  if (line.size() < 9 || line[8] != ' ') return std::nullopt;
  uint32_t crc = 0;
  if (!ParseHex32(line.substr(0, 8), &crc)) return std::nullopt;
  std::string_view payload = line.substr(9);
  if (payload.find('\n') != std::string_view::npos) return std::nullopt;
  if (Crc32(payload) != crc) return std::nullopt;
  return payload;
}

std::vector<SpoolLine> SplitSpoolLines(std::string_view data, size_t* complete_end) {
  std::vector<SpoolLine> lines;
  size_t start = 0;
  while (start < data.size()) {
    size_t nl = data.find('\n', start);
    if (nl == std::string_view::npos) break;
    SpoolLine line{start, nl - start, false};
    line.valid = DecodeSpoolRecord(data.substr(start, nl - start)).has_value();
    lines.push_back(line);
    start = nl + 1;
  }
  if (complete_end != nullptr) *complete_end = start;
  return lines;
}

std::string EncodeCursorSlot(const SpoolCursor& cursor) {
  std::string body = CursorBody(cursor);
  char crc[24];
  std::snprintf(crc, sizeof crc, " crc=%08x", Crc32(body));
  std::string slot = body + crc;
  slot.resize(kCursorSlotBytes - 1, ' ');
  slot.push_back('\n');
  return slot;
}

std::optional<SpoolCursor> DecodeCursorSlot(std::string_view slot) {
  if (slot.size() != kCursorSlotBytes || slot.back() != '\n') return std::nullopt;
  size_t crc_at = slot.find(" crc=");
  if (crc_at == std::string_view::npos || crc_at + 13 > slot.size()) return std::nullopt;
  std::string_view body = slot.substr(0, crc_at);
  uint32_t crc = 0;
  if (!ParseHex32(slot.substr(crc_at + 5, 8), &crc) || Crc32(body) != crc) return std::nullopt;
  SpoolCursor cursor;
  // body: "gen=<20> seg=<20> off=<20>"
  if (body.size() != 4 + 20 + 5 + 20 + 5 + 20 || body.substr(0, 4) != "gen=" ||
      body.substr(24, 5) != " seg=" || body.substr(49, 5) != " off=") {
    return std::nullopt;
  }
  if (!ParseU64(body.substr(4, 20), &cursor.generation) ||
      !ParseU64(body.substr(29, 20), &cursor.segment) ||
      !ParseU64(body.substr(54, 20), &cursor.offset)) {
    return std::nullopt;
  }
  return cursor;
}

std::optional<SpoolCursor> DecodeCursorFile(std::string_view content) {
  std::optional<SpoolCursor> best;
  for (size_t at = 0; at + kCursorSlotBytes <= content.size() && at < 2 * kCursorSlotBytes;
       at += kCursorSlotBytes) {
    auto slot = DecodeCursorSlot(content.substr(at, kCursorSlotBytes));
    if (slot && (!best || slot->generation > best->generation)) best = slot;
  }
  return best;
}

}  // namespace bulwark::runtime::output
