#include "image/file_view.hpp"

#include <algorithm>

namespace bulwark::image {
namespace {

constexpr int kMaxSymlinkHops = 40;

bool PathLess(const FileEntry& a, const FileEntry& b) { return a.path < b.path; }

}  // namespace

std::string NormalisePath(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out;
  for (std::string_view part : parts) {
    if (!out.empty()) out += '/';
    out += part;
  }
  return out;
}

void FileView::Add(FileEntry entry, ContentReader content) {
  finished_ = false;
  entries_.push_back(std::move(entry));
  contents_.push_back(std::move(content));
}

void FileView::Finish() {
  // Stable order by path; a later Add of the same path wins.
  std::vector<size_t> order(entries_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return PathLess(entries_[a], entries_[b]); });
  std::vector<FileEntry> entries;
  std::vector<ContentReader> contents;
  entries.reserve(order.size());
  contents.reserve(order.size());
  for (size_t k = 0; k < order.size(); ++k) {
    size_t i = order[k];
    if (k + 1 < order.size() && entries_[order[k + 1]].path == entries_[i].path) continue;
    entries.push_back(std::move(entries_[i]));
    contents.push_back(std::move(contents_[i]));
  }
  entries_ = std::move(entries);
  contents_ = std::move(contents);
  finished_ = true;
}

const FileEntry* FileView::Find(std::string_view path) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), path,
                             [](const FileEntry& e, std::string_view p) { return e.path < p; });
  if (it == entries_.end() || it->path != path) return nullptr;
  return &*it;
}

const FileEntry* FileView::Resolve(std::string_view path) const {
  // Walk component by component so links in the middle of a path resolve
  // too; every target is re-normalised, which keeps ".." inside the root.
  std::string pending = NormalisePath(path);
  std::string done;
  int hops = 0;
  while (true) {
    size_t slash = pending.find('/');
    std::string part = pending.substr(0, slash);
    std::string rest = slash == std::string::npos ? "" : pending.substr(slash + 1);
    std::string candidate = done.empty() ? part : done + "/" + part;
    if (candidate.empty()) return nullptr;
    const FileEntry* entry = Find(candidate);
    if (entry == nullptr) return nullptr;
    if (entry->type == FileType::kSymlink) {
      if (++hops > kMaxSymlinkHops) return nullptr;
      std::string target = entry->link_target;
      std::string base = (!target.empty() && target[0] == '/') ? "" : done;
      pending = NormalisePath(base + "/" + target + (rest.empty() ? "" : "/" + rest));
      done.clear();
      if (pending.empty()) return nullptr;  // the root itself has no entry
      continue;
    }
    if (rest.empty()) return entry;
    done = candidate;
    pending = rest;
  }
}

std::vector<const FileEntry*> FileView::Under(std::string_view dir) const {
  std::vector<const FileEntry*> out;
  std::string prefix = dir.empty() ? "" : std::string(dir) + "/";
  auto it = std::lower_bound(entries_.begin(), entries_.end(), prefix,
                             [](const FileEntry& e, const std::string& p) { return e.path < p; });
  for (; it != entries_.end() && it->path.compare(0, prefix.size(), prefix) == 0; ++it) {
    if (it->path.size() > prefix.size()) out.push_back(&*it);
  }
  return out;
}

bool FileView::HasContent(const FileEntry& entry) const {
  const FileEntry* target = &entry;
  if (entry.type == FileType::kHardlink) target = Find(entry.link_target);
  if (target == nullptr) return false;
  size_t index = static_cast<size_t>(target - entries_.data());
  return index < contents_.size() && contents_[index] != nullptr;
}

core::Result<std::string> FileView::Read(const FileEntry& entry, uint64_t max_bytes) const {
  const FileEntry* target = &entry;
  if (entry.type == FileType::kHardlink) {
    target = Find(entry.link_target);
    if (target == nullptr) {
      return core::Error(core::ErrorCode::kNotFound,
                         entry.path + ": hard link to missing " + entry.link_target);
    }
  }
  if (target < entries_.data() || target >= entries_.data() + entries_.size()) {
    return core::Error(core::ErrorCode::kInvalidArgument, entry.path + ": not an entry of this view");
  }
  if (target->type != FileType::kRegular && target->type != FileType::kHardlink) {
    return core::Error(core::ErrorCode::kInvalidArgument, entry.path + ": not a regular file");
  }
  if (target->size > max_bytes) {
    return core::Error(core::ErrorCode::kTooLarge,
                       entry.path + ": " + std::to_string(target->size) + " bytes, over the limit of " +
                           std::to_string(max_bytes));
  }
  const ContentReader& reader = contents_[static_cast<size_t>(target - entries_.data())];
  if (!reader) {
    return core::Error(core::ErrorCode::kNotFound, entry.path + ": not read (no cataloger asked for it)");
  }
  return reader(max_bytes);
}

}  // namespace bulwark::image
