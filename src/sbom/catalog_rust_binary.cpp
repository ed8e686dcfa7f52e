// rust-cargo-auditable cataloger: crates recorded by cargo-auditable
// (github.com/rust-secure-code/cargo-auditable) in the ELF section .dep-v0,
// a zlib-compressed JSON document
//   {"packages": [{"name", "version", "source", "kind", "dependencies": [i], "root"}]}
// where "kind" defaults to "runtime" and is "build" for build-time-only
// crates (build scripts, proc macros).
//
// Like Syft (syft/pkg/cataloger/rust/package.go, newPackagesFromAudit) and
// Trivy (pkg/dependency/parser/rust/binary/parse.go), both through
// go-rustaudit, we keep only runtime crates and keep them whatever their
// source (crates.io, git, local, registry); the source goes to metadata
// "cargo.source" so the matcher can tell a crates.io crate from a local one,
// and the binary's own crate is marked "cargo.root" = "true".
// See ../shared/notes/sca.md §1. Only ELF is read (Linux images).
//
// The section is untrusted: inflated at most kMaxInflated bytes, JSON parsed
// without exceptions and with nesting beyond the schema's depth discarded.
#include <zlib.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "sbom/cataloger.hpp"
#include "sbom/elf_reader.hpp"
#include "sbom/purl.hpp"

namespace bulwark::sbom {
namespace {

using nlohmann::json;

constexpr std::string_view kCatalogerName = "rust-cargo-auditable";
constexpr size_t kMaxInflated = 8u << 20;
constexpr int kMaxJsonDepth = 8;

core::Result<std::string> InflateBounded(std::string_view compressed, size_t limit) {
  z_stream stream{};
  if (inflateInit(&stream) != Z_OK)
    return core::Error(core::ErrorCode::kInternal, "zlib init failed");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  char chunk[64 * 1024];
  int ret = Z_OK;
  while (ret == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof(chunk);
    ret = inflate(&stream, Z_NO_FLUSH);
    size_t produced = sizeof(chunk) - stream.avail_out;
    if (out.size() + produced > limit) {
      inflateEnd(&stream);
      return core::Error(core::ErrorCode::kTooLarge,
                         "inflates to more than " + std::to_string(limit) + " bytes");
    }
    out.append(chunk, produced);
    if (ret == Z_BUF_ERROR && stream.avail_in == 0) break;  // input ended early
  }
  std::string message = stream.msg != nullptr ? stream.msg : "truncated data";
  inflateEnd(&stream);
  if (ret != Z_STREAM_END) return core::Error(core::ErrorCode::kParseError, "zlib: " + message);
  return out;
}

std::string StringField(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

struct Crate {
  std::string name, version, source;
  bool root = false;
};

core::Result<std::vector<Crate>> ParseDepInfo(std::string_view text) {
  json::parser_callback_t depth_limit = [](int depth, json::parse_event_t, json&) {
    return depth <= kMaxJsonDepth;
  };
  json doc = json::parse(text, depth_limit, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return core::Error(core::ErrorCode::kParseError, "dependency list is not a JSON object");
  }
  auto packages = doc.find("packages");
  if (packages == doc.end() || !packages->is_array()) {
    return core::Error(core::ErrorCode::kParseError, "no \"packages\" array");
  }
  std::vector<Crate> crates;
  for (const json& item : *packages) {
    if (!item.is_object()) continue;
    std::string kind = StringField(item, "kind");
    if (!kind.empty() && kind != "runtime") continue;
    Crate crate{StringField(item, "name"), StringField(item, "version"),
                StringField(item, "source")};
    auto root = item.find("root");
    crate.root = root != item.end() && root->is_boolean() && root->get<bool>();
    if (crate.name.empty() || crate.version.empty()) continue;
    crates.push_back(std::move(crate));
  }
  return crates;
}

// kNotFound when the file has no .dep-v0 section (not cargo-auditable).
core::Result<std::vector<Crate>> ReadCrates(std::string_view file) {
  if (!LooksLikeElf(file)) return core::Error(core::ErrorCode::kNotFound, "not ELF");
  core::Result<ElfFile> elf = ElfFile::Parse(file);
  if (!elf.ok()) return core::Error(core::ErrorCode::kNotFound, elf.status().message());
  const ElfSection* section = elf->FindSection(".dep-v0");
  if (section == nullptr) return core::Error(core::ErrorCode::kNotFound, "no .dep-v0 section");
  ASSIGN_OR_RETURN(std::string_view compressed, elf->SectionData(*section));
  core::Result<std::string> text = InflateBounded(compressed, kMaxInflated);
  if (!text.ok()) return core::Error(text.status().code(), ".dep-v0: " + text.status().message());
  core::Result<std::vector<Crate>> crates = ParseDepInfo(*text);
  if (!crates.ok()) {
    return core::Error(crates.status().code(), ".dep-v0: " + crates.status().message());
  }
  return crates;
}

class RustBinaryCataloger : public Cataloger {
 public:
  std::string_view Name() const override { return kCatalogerName; }
  std::vector<std::string> Paths() const override {
    return {
        "**/* (regular files with an execute bit, 1 KiB to 512 MiB, with an ELF section .dep-v0)"};
  }
  bool Wants(const image::FileEntry& entry) const override { return IsExecutableCandidate(entry); }

  void Catalog(const image::FileView& files, const CatalogContext& context,
               CatalogOutput& out) const override {
    for (const image::FileEntry& entry : files.Entries()) {
      if (!Wants(entry) || !files.HasContent(entry)) continue;
      core::Result<std::string> content = files.Read(entry, kMaxExecutableBytes);
      if (!content.ok()) {
        out.notes.push_back("/" + entry.path + ": " + content.status().message());
        continue;
      }
      core::Result<std::vector<Crate>> crates = ReadCrates(*content);
      if (!crates.ok()) {
        if (crates.status().code() != core::ErrorCode::kNotFound) {
          out.notes.push_back("/" + entry.path + ": " + crates.status().message());
        }
        continue;
      }
      for (const Crate& crate : *crates) out.packages.push_back(MakePackage(entry, crate, context));
    }
  }

 private:
  static Package MakePackage(const image::FileEntry& entry, const Crate& crate,
                             const CatalogContext& context) {
    Package package;
    package.name = crate.name;
    package.version = crate.version;
    package.type = PackageType::kCargo;
    package.locations.push_back("/" + entry.path);
    package.layer = entry.layer;
    package.cataloger = std::string(kCatalogerName);
    if (!crate.source.empty()) package.metadata["cargo.source"] = crate.source;
    if (crate.root) package.metadata["cargo.root"] = "true";
    package.purl = MakePurl(package, context.os);
    return package;
  }
};

}  // namespace

std::unique_ptr<Cataloger> MakeRustBinaryCataloger() {
  return std::make_unique<RustBinaryCataloger>();
}

}  // namespace bulwark::sbom
