// The single sequential pass over a docker save archive (see docker_archive.hpp).
#include <archive_entry.h>

#include <algorithm>
#include <optional>
#include <string_view>

#include "image/archive_io.hpp"
#include "image/docker_archive.hpp"
#include "image/file_view.hpp"

namespace bulwark::image {
namespace {

// Enough of a blob to tell a JSON document from a tar (a tar header is 512).
constexpr size_t kSniffBytes = 512;

// All JSON documents of one archive together, in units of max_json_bytes.
constexpr uint64_t kDocumentBudget = 8;

enum class Role { kSkip, kDocument, kLayer, kSniff };

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view DirName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool LooksLikeJson(std::string_view head) {
  for (char c : head) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    return c == '{' || c == '[';
  }
  return false;
}

class ArchivePass {
 public:
  ArchivePass(archive* outer, const std::string& name, const ManifestPlan* plan, int plain_fd,
              ReadSession& session, ArchivePassOutput& out)
      : outer_(outer), name_(name), plan_(plan), plain_fd_(plain_fd), session_(session), out_(out) {
    if (plan_ == nullptr) return;
    for (size_t i = 0; i < plan_->layers.size(); ++i) plan_layers_.try_emplace(plan_->layers[i].path, int(i));
  }

  core::Status Run() {
    while (true) {
      archive_entry* e = nullptr;
      int r = archive_read_next_header(outer_, &e);
      if (r == ARCHIVE_EOF) return core::Status::Ok();
      if (r < ARCHIVE_WARN || r == ARCHIVE_RETRY) return Damaged();
      RETURN_IF_ERROR(Entry(e));
    }
  }

 private:
  core::Status Damaged() const {
    std::string why = ArchiveError(outer_);
    if (entries_ == 0)
      return core::Error(core::ErrorCode::kParseError, name_ + ": not a readable tar archive (" + why + ")");
    // A layer that broke just before says more (it names the layer).
    if (!last_layer_error_.empty() && last_layer_path_ == NormalisePath(last_path_)) {
      return core::Error(core::ErrorCode::kParseError, last_layer_error_);
    }
    return core::Error(core::ErrorCode::kParseError,
                       name_ + ": truncated or damaged after entry " + Quoted(last_path_) + ": " + why);
  }

  core::Status Entry(archive_entry* e) {
    ++entries_;
    if (++session_.entries > session_.options.limits.max_entries) {
      return core::Error(core::ErrorCode::kTooLarge, name_ + ": more than " +
                                                         std::to_string(session_.options.limits.max_entries) +
                                                         " entries (limit max_entries)");
    }
    const char* raw = archive_entry_pathname(e);
    if (raw == nullptr) return core::Status::Ok();
    last_path_ = raw;
    std::string path = NormalisePath(raw);
    if (const char* target = archive_entry_hardlink(e); target != nullptr) {
      out_.aliases[path] = NormalisePath(target);
      return core::Status::Ok();
    }
    if (archive_entry_filetype(e) == AE_IFLNK) {
      const char* target = archive_entry_symlink(e);
      out_.aliases[path] =
          NormalisePath(std::string(DirName(path)) + "/" + (target != nullptr ? target : ""));
      return core::Status::Ok();
    }
    if (archive_entry_filetype(e) != AE_IFREG) return core::Status::Ok();
    la_int64_t size = archive_entry_size(e);
    out_.sizes[path] = size > 0 ? static_cast<uint64_t>(size) : 0;
    sparse_ = archive_entry_sparse_count(e) > 0;  // stored data is not one run: no direct reads
    EntryStream stream(outer_);
    switch (Classify(path)) {
      case Role::kSkip:
        return core::Status::Ok();
      case Role::kDocument:
        ReadDocument(path, stream);
        return core::Status::Ok();
      case Role::kLayer:
        return ReadLayerEntry(path, stream);
      case Role::kSniff:
        return Sniff(path, stream);
    }
    return core::Status::Ok();
  }

  // A blob of unknown role: a small JSON document, or else maybe a layer.
  core::Status Sniff(const std::string& path, EntryStream& stream) {
    if (core::Status peek = stream.Peek(kSniffBytes); !peek.ok()) {
      out_.unreadable[path] = core::Error(peek.code(), name_ + ": " + Quoted(path) + ": " + peek.message());
      return core::Status::Ok();
    }
    if (out_.sizes[path] <= session_.options.limits.max_json_bytes && LooksLikeJson(stream.Head())) {
      ReadDocument(path, stream);
      return core::Status::Ok();
    }
    return ReadLayerEntry(path, stream);
  }

  Role Classify(const std::string& path) const {
    if (plan_ != nullptr) {
      if (plan_layers_.count(path) != 0) return Role::kLayer;
      if (path == "manifest.json" || path == "index.json" || path == plan_->config_path)
        return Role::kDocument;
      return Role::kSkip;
    }
    if (path == "manifest.json" || path == "index.json") return Role::kDocument;
    std::string_view base = BaseName(path);
    if (path == "repositories" || path == "oci-layout" || base == "VERSION" || base == "json")
      return Role::kSkip;
    if (EndsWith(path, ".json")) return Role::kDocument;
    return Role::kSniff;  // blobs/<alg>/<hex> and <id>/layer.tar
  }

  // Documents are kept in memory until the end, so all of them together
  // get a budget too (an archive may hold any number of "*.json").
  void ReadDocument(const std::string& path, EntryStream& stream) {
    uint64_t max_json = session_.options.limits.max_json_bytes;
    uint64_t room = kDocumentBudget * max_json - std::min(document_bytes_, kDocumentBudget * max_json);
    std::string text;
    core::Status status = stream.ReadAll(std::min(max_json, room), &text);
    if (!status.ok() && room < max_json) {
      status = core::Error(core::ErrorCode::kTooLarge, "JSON documents of over " +
                                                           std::to_string(kDocumentBudget * max_json) +
                                                           " bytes in all (limit 8 x max_json_bytes)");
    }
    if (status.ok()) {
      document_bytes_ += text.size();
      out_.documents[path] = std::move(text);
    } else {
      out_.unreadable[path] =
          core::Error(status.code(), name_ + ": " + Quoted(path) + ": " + status.message());
    }
  }

  core::Status ReadLayerEntry(const std::string& path, EntryStream& stream) {
    auto planned = plan_layers_.find(path);
    int index = planned != plan_layers_.end() ? planned->second : -1;
    std::string layer_name =
        name_ + ": layer " + (index >= 0 ? std::to_string(index) + " (" + path + ")" : Quoted(path));
    ArchivePtr inner = NewTarReader();
    if (!inner) return OpenFailed(layer_name, nullptr);
    // Straight from the file when the outer tar is plain: the data starts
    // where the outer reader stands, and skips cost nothing.
    std::optional<FileRangeSource> range;
    int opened = ARCHIVE_OK;
    if (plain_fd_ >= 0 && !sparse_) {
      range.emplace(plain_fd_, static_cast<uint64_t>(archive_filter_bytes(outer_, 0)), out_.sizes[path]);
      opened = range->Open(inner.get());
    } else {
      opened = archive_read_open(inner.get(), &stream, nullptr, EntryStream::ReadCallback, nullptr);
    }
    if (opened != ARCHIVE_OK) {
      return Unreadable(path, OpenFailed(layer_name, inner.get()));
    }
    auto contents = ReadLayer(inner.get(), layer_name, index, session_);
    if (contents.ok()) {
      out_.layers.insert_or_assign(path, std::move(contents).value());
      return core::Status::Ok();
    }
    // A limit ends the whole read; a damaged candidate matters only if the
    // manifest names it.
    if (contents.status().code() == core::ErrorCode::kTooLarge) return contents.status();
    return Unreadable(path, contents.status());
  }

  core::Status Unreadable(const std::string& path, core::Status status) {
    last_layer_error_ = status.message();
    last_layer_path_ = path;
    out_.unreadable[path] = std::move(status);
    return core::Status::Ok();
  }

  archive* outer_;
  const std::string& name_;
  const ManifestPlan* plan_;
  int plain_fd_;
  ReadSession& session_;
  ArchivePassOutput& out_;
  std::unordered_map<std::string, int> plan_layers_;
  uint64_t entries_ = 0;
  uint64_t document_bytes_ = 0;
  bool sparse_ = false;
  std::string last_path_;
  std::string last_layer_error_;
  std::string last_layer_path_;
};

}  // namespace

core::Status RunArchivePass(archive* outer, const std::string& name, const ManifestPlan* plan, int plain_fd,
                            ReadSession& session, ArchivePassOutput& out) {
  return ArchivePass(outer, name, plan, plain_fd, session, out).Run();
}

std::string ResolveAlias(const std::unordered_map<std::string, std::string>& aliases,
                         const std::string& path) {
  std::string current = path;
  for (int hop = 0; hop < 8; ++hop) {
    auto it = aliases.find(current);
    if (it == aliases.end()) break;
    current = it->second;
  }
  return current;
}

}  // namespace bulwark::image
