#include "image/layer_merge.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "image/opened_image.hpp"

namespace bulwark::image {
namespace {

struct Ref {
  uint32_t layer;
  uint32_t index;
  bool operator==(const Ref& other) const { return layer == other.layer && index == other.index; }
};

std::string_view DirOf(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

// Keys are views into the layers' paths, which outlive the merge.
using LayerByPath = std::unordered_map<std::string_view, uint32_t>;

void Cover(LayerByPath& map, std::string_view path, uint32_t layer) {
  auto [it, inserted] = map.try_emplace(path, layer);
  if (!inserted) it->second = std::max(it->second, layer);
}

// Tars may leave parent directories implicit; the view needs an entry for
// every component (FileView::Resolve walks them), so add the missing ones.
// Sorted entries share parents with their neighbours: one Find per run.
void AddImplicitParents(FileView& view) {
  std::vector<FileEntry> missing;
  std::unordered_set<std::string> added;
  std::string_view known;  // a directory known to exist, with its ancestors
  for (const FileEntry& entry : view.Entries()) {
    std::string_view dir = DirOf(entry.path);
    while (!dir.empty() && dir != known && view.Find(dir) == nullptr &&
           added.insert(std::string(dir)).second) {
      FileEntry parent;
      parent.path = std::string(dir);
      parent.type = FileType::kDirectory;
      parent.mode = 0755;
      parent.layer = entry.layer;
      missing.push_back(std::move(parent));
      dir = DirOf(dir);
    }
    known = DirOf(entry.path);
  }
  if (missing.empty()) return;
  for (FileEntry& parent : missing) view.Add(std::move(parent));
  view.Finish();
}

class Merger {
 public:
  explicit Merger(const std::vector<const LayerContents*>& layers) : layers_(layers) {}

  std::vector<CaptureId> Run(const std::function<ContentReader(CaptureId)>& reader_for, FileView& view) {
    CollectCovers();
    CollectSurvivors();
    FixHardlinks();
    std::vector<CaptureId> used;
    for (const Ref& ref : survivors_) {
      const LayerEntry& item = Item(ref);
      FileEntry entry = item.entry;
      entry.layer = static_cast<int>(ref.layer);
      CaptureId capture = item.capture;
      if (auto it = converted_.find(PackRef(ref)); it != converted_.end()) {
        const LayerEntry& target = Item(Ref{ref.layer, it->second});
        entry.type = FileType::kRegular;
        entry.size = target.entry.size;
        entry.mode = target.entry.mode;
        entry.link_target.clear();
        capture = target.capture;
      } else if (capture != kNoCapture && !(last_[item.entry.path] == ref)) {
        capture = kNoCapture;  // replaced by a later layer
      }
      if (capture != kNoCapture) used.push_back(capture);
      view.Add(std::move(entry), capture != kNoCapture ? reader_for(capture) : nullptr);
    }
    view.Finish();
    AddImplicitParents(view);
    std::sort(used.begin(), used.end());
    used.erase(std::unique(used.begin(), used.end()), used.end());
    return used;
  }

 private:
  static uint64_t PackRef(const Ref& ref) { return (uint64_t{ref.layer} << 32) | ref.index; }
  const LayerEntry& Item(const Ref& ref) const { return layers_[ref.layer]->entries[ref.index]; }

  // What each layer hides below it. A non-directory only hides something
  // when a lower layer had a directory there, so only those are recorded.
  void CollectCovers() {
    std::unordered_map<std::string_view, bool> lower_dirs;
    for (uint32_t layer = 0; layer < layers_.size(); ++layer) {
      const auto& entries = layers_[layer]->entries;
      for (const LayerEntry& item : entries) {
        const FileEntry& entry = item.entry;
        if (item.kind == LayerEntry::Kind::kWhiteout) {
          Cover(self_, entry.path, layer);
          Cover(below_, entry.path, layer);
        } else if (item.kind == LayerEntry::Kind::kOpaque) {
          Cover(below_, entry.path, layer);
        } else if (entry.type != FileType::kDirectory && lower_dirs.count(entry.path) != 0) {
          Cover(below_, entry.path, layer);
        }
      }
      for (const LayerEntry& item : entries) {
        if (item.kind != LayerEntry::Kind::kFile) continue;
        if (item.entry.type == FileType::kDirectory) lower_dirs.try_emplace(item.entry.path, true);
        lower_dirs.try_emplace(DirOf(item.entry.path), true);  // parents a tar may leave implicit
      }
    }
    for (const auto& [path, layer] : below_) max_cover_ = std::max(max_cover_, layer);
  }

  // True when a layer above `layer` hid everything below `dir` (or an
  // ancestor of it). Entries come grouped by directory, so cache the last.
  bool DirHidden(std::string_view dir, uint32_t layer) {
    if (dir == cached_dir_ && layer == cached_layer_) return cached_hidden_;
    bool hidden = false;
    for (size_t end = 0; !hidden;) {
      std::string_view prefix = dir.substr(0, end);
      auto it = below_.find(prefix);
      hidden = it != below_.end() && it->second > layer;
      if (end >= dir.size()) break;
      size_t slash = dir.find('/', end + 1);
      end = slash == std::string_view::npos ? dir.size() : slash;
    }
    cached_dir_ = dir;
    cached_layer_ = layer;
    cached_hidden_ = hidden;
    return hidden;
  }

  bool Hidden(const FileEntry& entry, uint32_t layer) {
    if (below_.empty() || layer >= max_cover_) return false;
    auto it = self_.find(entry.path);
    if (it != self_.end() && it->second > layer) return true;
    return DirHidden(DirOf(entry.path), layer);
  }

  void CollectSurvivors() {
    for (uint32_t layer = 0; layer < layers_.size(); ++layer) {
      const auto& entries = layers_[layer]->entries;
      for (uint32_t i = 0; i < entries.size(); ++i) {
        const LayerEntry& item = entries[i];
        if (item.kind != LayerEntry::Kind::kFile || Hidden(item.entry, layer)) continue;
        survivors_.push_back(Ref{layer, i});
        bool is_link = item.entry.type == FileType::kHardlink && item.link_index != kNoIndex;
        if (item.capture != kNoCapture) last_.try_emplace(item.entry.path, Ref{layer, i});
        if (is_link) last_.try_emplace(entries[item.link_index].entry.path, Ref{0, kNoIndex});
      }
    }
    // Second pass: the last surviving writer of each tracked path.
    for (const Ref& ref : survivors_) {
      if (auto it = last_.find(Item(ref).entry.path); it != last_.end()) it->second = ref;
    }
  }

  // A hard link whose target is no longer the entry it was linked to (a
  // later layer deleted or replaced it) becomes a regular file of its own.
  void FixHardlinks() {
    for (const Ref& ref : survivors_) {
      const LayerEntry& item = Item(ref);
      if (item.entry.type != FileType::kHardlink || item.link_index == kNoIndex) continue;
      const std::string& target = Item(Ref{ref.layer, item.link_index}).entry.path;
      if (!(last_[target] == Ref{ref.layer, item.link_index})) converted_[PackRef(ref)] = item.link_index;
    }
  }

  const std::vector<const LayerContents*>& layers_;
  std::unordered_map<std::string_view, uint32_t> self_;   // ".wh." targets
  std::unordered_map<std::string_view, uint32_t> below_;  // dirs whose lower contents are hidden
  uint32_t max_cover_ = 0;
  std::vector<Ref> survivors_;
  std::unordered_map<std::string_view, Ref> last_;  // captured paths and link targets
  std::unordered_map<uint64_t, uint32_t> converted_;
  std::string_view cached_dir_;
  uint32_t cached_layer_ = UINT32_MAX;
  bool cached_hidden_ = false;
};

}  // namespace

std::vector<CaptureId> MergeLayers(const std::vector<const LayerContents*>& layers,
                                   const std::function<ContentReader(CaptureId)>& reader_for,
                                   FileView& view) {
  return Merger(layers).Run(reader_for, view);
}

std::unique_ptr<Image> MakeLayeredImage(ImageInfo info, const std::vector<const LayerContents*>& layers,
                                        std::shared_ptr<CaptureStore> store, NoteList& notes) {
  FileView view;
  std::weak_ptr<const CaptureStore> weak = store;
  std::vector<CaptureId> used = MergeLayers(
      layers, [&weak](CaptureId id) { return CaptureReader(weak, id); }, view);
  // Content of replaced, hidden or unused layers' files goes now.
  size_t next = 0;
  for (CaptureId id = 0; id < store->count(); ++id) {
    if (next < used.size() && used[next] == id) {
      ++next;
    } else {
      store->Release(id);
    }
  }
  return std::make_unique<OpenedImage>(std::move(info), std::move(view), notes.Take(), std::move(store));
}

}  // namespace bulwark::image
