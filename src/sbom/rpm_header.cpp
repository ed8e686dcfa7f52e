#include "sbom/rpm_header.hpp"

#include <cstring>

#include "image/file_view.hpp"

namespace bulwark::sbom {
namespace {

// Tags (rpm's include/rpm/rpmtag.h).
constexpr uint32_t kTagName = 1000;
constexpr uint32_t kTagVersion = 1001;
constexpr uint32_t kTagRelease = 1002;
constexpr uint32_t kTagEpoch = 1003;
constexpr uint32_t kTagVendor = 1011;
constexpr uint32_t kTagLicense = 1014;
constexpr uint32_t kTagArch = 1022;
constexpr uint32_t kTagOldFilenames = 1027;
constexpr uint32_t kTagSourceRpm = 1044;
constexpr uint32_t kTagDirIndexes = 1116;
constexpr uint32_t kTagBasenames = 1117;
constexpr uint32_t kTagDirnames = 1118;
constexpr uint32_t kTagModularityLabel = 5096;

// Types.
constexpr uint32_t kTypeInt32 = 4;
constexpr uint32_t kTypeString = 6;
constexpr uint32_t kTypeStringArray = 8;
constexpr uint32_t kTypeI18nString = 9;

// rpm's own limits (lib/header_internal.h: HEADER_TAGS_MAX, HEADER_DATA_MAX).
constexpr uint32_t kMaxEntries = 0xffff;
constexpr uint32_t kMaxData = 256u << 20;
constexpr std::string_view kMagic = "\x8e\xad\xe8\x01";

uint32_t Be32(const char* p) {
  auto b = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | uint32_t{b[3]};
}

struct Entry {
  uint32_t tag = 0;
  uint32_t type = 0;
  uint32_t offset = 0;
  uint32_t count = 0;
};

core::Status TagError(uint32_t tag, std::string_view what) {
  return core::Error(core::ErrorCode::kParseError,
                     "rpm header tag " + std::to_string(tag) + ": " + std::string(what));
}

class HeaderReader {
 public:
  HeaderReader(std::string_view data, std::vector<Entry> entries)
      : data_(data), entries_(std::move(entries)) {}

  const Entry* Find(uint32_t tag) const {
    for (const Entry& e : entries_) {
      if (e.tag == tag) return &e;
    }
    return nullptr;
  }

  // `count` NUL-terminated strings starting at the entry's offset.
  core::Result<std::vector<std::string>> Strings(const Entry& e) const {
    std::vector<std::string> out;
    if (e.offset >= data_.size() || e.count > data_.size() - e.offset) {
      return TagError(e.tag, "string data outside the header");
    }
    size_t pos = e.offset;
    for (uint32_t i = 0; i < e.count; ++i) {
      size_t nul = data_.find('\0', pos);
      if (nul == std::string_view::npos) return TagError(e.tag, "unterminated string");
      out.emplace_back(data_.substr(pos, nul - pos));
      pos = nul + 1;
    }
    return out;
  }

  // A STRING or the first of an I18NSTRING / STRING_ARRAY; "" when absent.
  core::Result<std::string> String(uint32_t tag) const {
    const Entry* e = Find(tag);
    if (e == nullptr) return std::string();
    if (e->type != kTypeString && e->type != kTypeI18nString && e->type != kTypeStringArray) {
      return TagError(tag, "not a string");
    }
    if (e->count == 0) return std::string();
    Entry first = *e;
    first.count = 1;
    ASSIGN_OR_RETURN(std::vector<std::string> strings, Strings(first));
    return strings.front();
  }

  core::Result<std::vector<std::string>> StringArray(uint32_t tag) const {
    const Entry* e = Find(tag);
    if (e == nullptr) return std::vector<std::string>();
    if (e->type != kTypeStringArray) return TagError(tag, "not a string array");
    return Strings(*e);
  }

  core::Result<std::vector<uint32_t>> Int32Array(uint32_t tag) const {
    const Entry* e = Find(tag);
    if (e == nullptr) return std::vector<uint32_t>();
    if (e->type != kTypeInt32) return TagError(tag, "not an INT32");
    if (e->offset > data_.size() || e->count > (data_.size() - e->offset) / 4) {
      return TagError(tag, "INT32 data outside the header");
    }
    std::vector<uint32_t> out;
    out.reserve(e->count);
    for (uint32_t i = 0; i < e->count; ++i) out.push_back(Be32(data_.data() + e->offset + 4 * i));
    return out;
  }

 private:
  std::string_view data_;
  std::vector<Entry> entries_;
};

core::Status ReadFiles(const HeaderReader& reader, RpmHeader& header) {
  ASSIGN_OR_RETURN(std::vector<std::string> basenames, reader.StringArray(kTagBasenames));
  ASSIGN_OR_RETURN(std::vector<std::string> dirnames, reader.StringArray(kTagDirnames));
  ASSIGN_OR_RETURN(std::vector<uint32_t> dirindexes, reader.Int32Array(kTagDirIndexes));
  if (basenames.empty()) {
    ASSIGN_OR_RETURN(std::vector<std::string> old, reader.StringArray(kTagOldFilenames));
    for (const std::string& path : old) header.files.push_back(image::NormalisePath(path));
    return core::Status::Ok();
  }
  if (dirindexes.size() != basenames.size()) {
    return TagError(kTagDirIndexes, "count differs from BASENAMES");
  }
  header.files.reserve(basenames.size());
  for (size_t i = 0; i < basenames.size(); ++i) {
    if (dirindexes[i] >= dirnames.size()) return TagError(kTagDirIndexes, "index past DIRNAMES");
    header.files.push_back(image::NormalisePath(dirnames[dirindexes[i]] + basenames[i]));
  }
  return core::Status::Ok();
}

core::Status ReadTags(const HeaderReader& reader, RpmHeader& header) {
  ASSIGN_OR_RETURN(header.name, reader.String(kTagName));
  ASSIGN_OR_RETURN(header.version, reader.String(kTagVersion));
  ASSIGN_OR_RETURN(header.release, reader.String(kTagRelease));
  ASSIGN_OR_RETURN(header.license, reader.String(kTagLicense));
  ASSIGN_OR_RETURN(header.vendor, reader.String(kTagVendor));
  ASSIGN_OR_RETURN(header.arch, reader.String(kTagArch));
  ASSIGN_OR_RETURN(header.source_rpm, reader.String(kTagSourceRpm));
  ASSIGN_OR_RETURN(header.modularity_label, reader.String(kTagModularityLabel));
  ASSIGN_OR_RETURN(std::vector<uint32_t> epoch, reader.Int32Array(kTagEpoch));
  if (!epoch.empty()) {
    header.has_epoch = true;
    header.epoch = epoch.front();
  }
  return ReadFiles(reader, header);
}

}  // namespace

core::Result<RpmHeader> ParseRpmHeader(std::string_view blob) {
  if (blob.size() >= 8 && blob.substr(0, 4) == kMagic) blob.remove_prefix(8);
  if (blob.size() < 8)
    return core::Error(core::ErrorCode::kParseError, "rpm header shorter than 8 bytes");
  uint32_t il = Be32(blob.data());
  uint32_t dl = Be32(blob.data() + 4);
  if (il == 0 || il > kMaxEntries) {
    return core::Error(core::ErrorCode::kParseError,
                       "rpm header with " + std::to_string(il) + " entries");
  }
  if (dl > kMaxData) return core::Error(core::ErrorCode::kParseError, "rpm header data too large");
  uint64_t need = 8 + uint64_t{il} * 16 + dl;
  if (blob.size() < need) {
    return core::Error(core::ErrorCode::kParseError,
                       "rpm header truncated: " + std::to_string(blob.size()) + " bytes, needs " +
                           std::to_string(need));
  }
  std::vector<Entry> entries(il);
  for (uint32_t i = 0; i < il; ++i) {
    const char* p = blob.data() + 8 + size_t{i} * 16;
    entries[i] = {Be32(p), Be32(p + 4), Be32(p + 8), Be32(p + 12)};
  }
  HeaderReader reader(blob.substr(8 + size_t{il} * 16, dl), std::move(entries));
  RpmHeader header;
  RETURN_IF_ERROR(ReadTags(reader, header));
  return header;
}

}  // namespace bulwark::sbom
