#include "image/layer_reader.hpp"

#include <archive_entry.h>

#include <string_view>
#include <unordered_map>

#include "image/archive_io.hpp"

namespace bulwark::image {
namespace {

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view DirName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

std::string Join(std::string_view dir, std::string_view name) {
  if (dir.empty()) return std::string(name);
  std::string out(dir);
  out += '/';
  out += name;
  return out;
}

class LayerScanner {
 public:
  LayerScanner(archive* a, const std::string& name, int layer, ReadSession& session)
      : a_(a), name_(name), layer_(layer), session_(session), limits_(session.options.limits) {}

  core::Result<LayerContents> Run() {
    while (true) {
      archive_entry* e = nullptr;
      int r = archive_read_next_header(a_, &e);
      if (r == ARCHIVE_EOF) break;
      // RETRY is a damaged header; resyncing past it is not worth the risk.
      if (r < ARCHIVE_WARN || r == ARCHIVE_RETRY) return Damaged(ArchiveError(a_));
      RETURN_IF_ERROR(Entry(e));
    }
    contents_.tar_bytes = static_cast<uint64_t>(archive_filter_bytes(a_, 0));
    ResolveHardlinks();
    return std::move(contents_);
  }

 private:
  core::Status Damaged(const std::string& why) const {
    std::string where = contents_.entries.empty() ? "" : " after entry " + Quoted(last_path_);
    return core::Error(core::ErrorCode::kParseError,
                       name_ + ": not a readable tar (truncated or damaged?)" + where + ": " + why);
  }

  void Note(const std::string& text) { session_.notes.Add(name_ + ": " + text); }

  core::Status CheckBounds(archive_entry* e, uint64_t declared) {
    if (++session_.entries > limits_.max_entries) {
      return core::Error(core::ErrorCode::kTooLarge, name_ + ": more than " +
                                                         std::to_string(limits_.max_entries) +
                                                         " entries over all layers (limit max_entries)");
    }
    // Checked before the data is skipped: skipping a bomb means inflating it.
    auto position = static_cast<uint64_t>(archive_filter_bytes(a_, 0));
    if (declared > limits_.max_layer_bytes || position + declared > limits_.max_layer_bytes) {
      const char* path = archive_entry_pathname(e);
      return core::Error(core::ErrorCode::kTooLarge,
                         name_ + ": more than " + std::to_string(limits_.max_layer_bytes) +
                             " uncompressed bytes (limit max_layer_bytes; a decompression bomb?) at entry " +
                             Quoted(path != nullptr ? path : ""));
    }
    return core::Status::Ok();
  }

  core::Status Entry(archive_entry* e) {
    la_int64_t size = archive_entry_size_is_set(e) ? archive_entry_size(e) : 0;
    uint64_t declared = size > 0 ? static_cast<uint64_t>(size) : 0;
    RETURN_IF_ERROR(CheckBounds(e, declared));
    const char* raw = archive_entry_pathname(e);
    if (raw == nullptr) raw = archive_entry_pathname_utf8(e);
    if (raw == nullptr) {
      Note("an entry without a readable name was skipped");
      return core::Status::Ok();
    }
    last_path_ = raw;
    std::string path = NormalisePath(raw);
    if (LeavesRoot(raw)) Note("entry " + Quoted(raw) + " leaves the root; read as " + Quoted(path));
    if (path.empty()) return core::Status::Ok();  // the root itself
    if (BaseName(path).substr(0, 4) == ".wh.") {
      AddWhiteout(path);
      return core::Status::Ok();
    }
    LayerEntry entry;
    entry.entry.path = std::move(path);
    entry.entry.mode = static_cast<uint32_t>(archive_entry_perm(e)) & 07777;
    entry.entry.layer = layer_;
    SetType(e, declared, entry.entry);
    return Content(entry, declared);
  }

  void AddWhiteout(const std::string& path) {
    std::string_view base = BaseName(path);
    LayerEntry marker;
    if (base == ".wh..wh..opq") {
      marker.kind = LayerEntry::Kind::kOpaque;
      marker.entry.path = std::string(DirName(path));
    } else if (base.substr(0, 8) == ".wh..wh.") {
      return;  // other AUFS bookkeeping (.wh..wh.plnk, .wh..wh.aufs): no meaning here
    } else {
      std::string_view hidden = base.substr(4);
      if (hidden.empty() || hidden == "." || hidden == "..") {
        Note("whiteout " + Quoted(path) + " names no entry; ignored");
        return;
      }
      marker.kind = LayerEntry::Kind::kWhiteout;
      marker.entry.path = Join(DirName(path), hidden);
    }
    marker.entry.layer = layer_;
    contents_.entries.push_back(std::move(marker));
  }

  void SetType(archive_entry* e, uint64_t declared, FileEntry& entry) {
    if (const char* target = archive_entry_hardlink(e); target != nullptr) {
      entry.type = FileType::kHardlink;
      entry.link_target = NormalisePath(target);
      if (LeavesRoot(target))
        Note("hard link " + Quoted(entry.path) + " -> " + Quoted(target) + " leaves the root");
      if (entry.link_target.empty() || entry.link_target == entry.path) {
        Note("hard link " + Quoted(entry.path) + " has no usable target; kept as a special file");
        entry.type = FileType::kOther;
      } else {
        has_hardlinks_ = true;
      }
      return;
    }
    switch (archive_entry_filetype(e)) {
      case AE_IFREG:
        entry.type = FileType::kRegular;
        entry.size = declared;
        return;
      case AE_IFDIR:
        entry.type = FileType::kDirectory;
        return;
      case AE_IFLNK: {
        entry.type = FileType::kSymlink;
        const char* target = archive_entry_symlink(e);
        entry.link_target = target != nullptr ? target : "";
        // Kept as data: FileView::Resolve never leaves the root.
        if (!entry.link_target.empty() && entry.link_target[0] != '/' &&
            LeavesRoot(Join(DirName(entry.path), entry.link_target))) {
          Note("symbolic link " + Quoted(entry.path) + " -> " + Quoted(entry.link_target) +
               " points above the root; lookups stay inside it");
        }
        return;
      }
      default:
        entry.type = FileType::kOther;
        return;
    }
  }

  core::Status Content(LayerEntry& entry, uint64_t declared) {
    const auto& wants = session_.options.wants;
    FileType type = entry.entry.type;
    bool candidate = type == FileType::kRegular || type == FileType::kHardlink;
    if (candidate && wants && wants(entry.entry)) {
      if (type == FileType::kHardlink) {
        wanted_links_.push_back(static_cast<uint32_t>(contents_.entries.size()));
      } else {
        RETURN_IF_ERROR(Capture(entry, declared));
      }
    }
    if (declared > 0 && entry.capture == kNoCapture && archive_read_data_skip(a_) < ARCHIVE_WARN) {
      return Damaged(ArchiveError(a_));
    }
    contents_.entries.push_back(std::move(entry));
    return core::Status::Ok();
  }

  core::Status Capture(LayerEntry& entry, uint64_t declared) {
    auto id = session_.store.CaptureEntry(a_, declared);
    if (id.ok()) {
      entry.capture = *id;
      return core::Status::Ok();
    }
    if (id.status().code() == core::ErrorCode::kParseError) return Damaged(id.status().message());
    Note(Quoted(entry.entry.path) + ": content not kept: " + id.status().message());
    // Whatever the capture left unread is skipped with the entry.
    entry.capture = kNoCapture;
    return core::Status::Ok();
  }

  // A tar hard link names an entry stored earlier in the same layer; point
  // each at the entry holding the data (following chains).
  void ResolveHardlinks() {
    if (!has_hardlinks_) return;
    auto& entries = contents_.entries;
    std::unordered_map<std::string_view, uint32_t> last;
    size_t wanted = 0;
    for (uint32_t i = 0; i < entries.size(); ++i) {
      LayerEntry& item = entries[i];
      if (item.kind != LayerEntry::Kind::kFile) continue;
      if (item.entry.type == FileType::kHardlink) {
        auto it = last.find(item.entry.link_target);
        if (it != last.end()) {
          uint32_t target = it->second;
          if (entries[target].entry.type == FileType::kHardlink) target = entries[target].link_index;
          if (target != kNoIndex) {
            item.link_index = target;
            item.entry.link_target = entries[target].entry.path;
          }
        }
        while (wanted < wanted_links_.size() && wanted_links_[wanted] < i) ++wanted;
        bool is_wanted = wanted < wanted_links_.size() && wanted_links_[wanted] == i;
        if (is_wanted && (item.link_index == kNoIndex || entries[item.link_index].capture == kNoCapture)) {
          Note("hard link " + Quoted(item.entry.path) + " -> " + Quoted(item.entry.link_target) +
               ": its content was not kept (the target was not asked for)");
        }
      }
      last[entries[i].entry.path] = i;
    }
  }

  archive* a_;
  const std::string& name_;
  int layer_;
  ReadSession& session_;
  const ImageLimits& limits_;
  LayerContents contents_;
  std::string last_path_;
  bool has_hardlinks_ = false;
  std::vector<uint32_t> wanted_links_;  // indices, ascending
};

}  // namespace

bool LeavesRoot(std::string_view path) {
  if (!path.empty() && path[0] == '/') return true;
  int depth = 0;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(start, end - start);
    if (part == "..") {
      if (--depth < 0) return true;
    } else if (!part.empty() && part != ".") {
      ++depth;
    }
    start = end + 1;
  }
  return false;
}

core::Result<LayerContents> ReadLayer(archive* a, const std::string& name, int layer, ReadSession& session) {
  return LayerScanner(a, name, layer, session).Run();
}

}  // namespace bulwark::image
