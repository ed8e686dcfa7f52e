// Test helpers: a FileView of a real directory tree (or of some subtrees of
// it), with file content read lazily from disk, as a dir: source would give;
// and a FileView of in-memory files. Tests only; the image subsystem owns
// the real sources.
#pragma once

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "image/file_view.hpp"

namespace bulwark::testing {

inline image::ContentReader DiskReader(const std::filesystem::path& path) {
  return [path](uint64_t max_bytes) -> core::Result<std::string> {
    std::ifstream in(path, std::ios::binary);
    if (!in) return core::Error(core::ErrorCode::kIoError, path.string() + ": cannot open");
    std::string text;
    char buffer[65536];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
      text.append(buffer, static_cast<size_t>(in.gcount()));
      if (text.size() > max_bytes) {
        return core::Error(core::ErrorCode::kTooLarge, path.string() + ": over the read limit");
      }
    }
    return text;
  };
}

inline void AddDiskEntry(image::FileView& view, const std::filesystem::path& root,
                         const std::filesystem::path& path) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) return;
  image::FileEntry entry;
  entry.path = image::NormalisePath(path.lexically_relative(root).generic_string());
  if (entry.path.empty()) return;
  entry.mode = st.st_mode & 07777;
  if (S_ISDIR(st.st_mode)) {
    entry.type = image::FileType::kDirectory;
    view.Add(entry);
  } else if (S_ISLNK(st.st_mode)) {
    entry.type = image::FileType::kSymlink;
    std::error_code ec;
    entry.link_target = std::filesystem::read_symlink(path, ec).string();
    view.Add(entry);
  } else if (S_ISREG(st.st_mode)) {
    entry.size = static_cast<uint64_t>(st.st_size);
    view.Add(entry, DiskReader(path));
  } else {
    entry.type = image::FileType::kOther;
    view.Add(entry);
  }
}

// Every entry below `root`, or only below the given relative subtrees
// ("var/lib/dpkg"); the directories leading to a subtree are added too.
inline image::FileView FileViewFromDir(const std::filesystem::path& root,
                                       const std::vector<std::string>& subtrees = {""}) {
  image::FileView view;
  for (const std::string& subtree : subtrees) {
    std::filesystem::path top = root / subtree;
    for (std::filesystem::path p = top; p != root && p.has_relative_path(); p = p.parent_path()) {
      AddDiskEntry(view, root, p);
    }
    std::error_code ec;
    std::filesystem::recursive_directory_iterator it(
        top, std::filesystem::directory_options::skip_permission_denied, ec);
    for (; !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      AddDiskEntry(view, root, it->path());
    }
  }
  view.Finish();
  return view;
}

// Regular files (path -> content) and symlinks (path -> target), all in
// layer `layer`.
inline image::FileView MemoryView(
    const std::vector<std::pair<std::string, std::string>>& files,
    const std::vector<std::pair<std::string, std::string>>& symlinks = {}, int layer = 0) {
  image::FileView view;
  // Every parent directory too, as an image has them (Resolve needs them).
  std::set<std::string> dirs;
  auto add_parents = [&](const std::string& path) {
    for (size_t slash = path.find('/'); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
      dirs.insert(path.substr(0, slash));
    }
  };
  for (const auto& file : files) add_parents(file.first);
  for (const auto& link : symlinks) add_parents(link.first);
  for (const std::string& dir : dirs) {
    image::FileEntry entry;
    entry.path = dir;
    entry.type = image::FileType::kDirectory;
    entry.mode = 0755;
    entry.layer = layer;
    view.Add(entry);
  }
  for (const auto& [path, content] : files) {
    image::FileEntry entry;
    entry.path = path;
    entry.size = content.size();
    entry.mode = 0644;
    entry.layer = layer;
    std::string text = content;
    view.Add(entry, [text](uint64_t) { return core::Result<std::string>(text); });
  }
  for (const auto& [path, target] : symlinks) {
    image::FileEntry entry;
    entry.path = path;
    entry.type = image::FileType::kSymlink;
    entry.link_target = target;
    entry.layer = layer;
    view.Add(entry);
  }
  view.Finish();
  return view;
}

}  // namespace bulwark::testing
