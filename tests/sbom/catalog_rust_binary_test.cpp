// rust-cargo-auditable cataloger on SYNTHETIC fixtures: /bin/true with a
// .dep-v0 section added by objcopy, holding JSON written here in
// cargo-auditable's format and zlib-compressed here (not produced by cargo
// auditable itself); plus hand-built ELF images for hostile payloads.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>

#include "sbom/cataloger.hpp"
#include "sbom/fixtures/binary-catalogers/elf_builder.hpp"
#include "test_support.hpp"

namespace bulwark::sbom {
namespace {

namespace fs = std::filesystem;

const char kDepInfo[] = R"({"packages":[
  {"name":"myapp","version":"0.1.0","source":"local","dependencies":[1,2,3],"root":true},
  {"name":"serde","version":"1.0.190","source":"crates.io","dependencies":[]},
  {"name":"cc","version":"1.0.83","source":"crates.io","kind":"build"},
  {"name":"forked","version":"0.4.0","source":"git","kind":"runtime"},
  {"name":"","version":"9.9.9","source":"crates.io"},
  {"name":"noversion","source":"crates.io"},
  "not an object"
]})";

std::string Zlib(const std::string& text) {
  uLongf size = compressBound(text.size());
  std::string out(size, '\0');
  EXPECT_EQ(compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                      reinterpret_cast<const Bytef*>(text.data()), text.size(), 9),
            Z_OK);
  out.resize(size);
  return out;
}

std::string ObjcopyFixture(const std::string& payload) {
  fs::path dir = testing::MakeTempDir("bulwark-rust-fixture");
  testing::WriteFile(dir / "payload", payload);
  fs::copy_file("/bin/true", dir / "app");
  testing::CommandResult result =
      testing::RunCommand({"objcopy", "--add-section", ".dep-v0=" + (dir / "payload").string(),
                           (dir / "app").string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::string image = testing::ReadFile(dir / "app");
  fs::remove_all(dir);
  return image;
}

// A hand-built ELF with .dep-v0 (fast; for the hostile payloads).
std::string BuiltFixture(const std::string& payload) {
  testing::ElfBuilder builder(true, false);
  builder.Add(".dep-v0", payload);
  return builder.Build() + std::string(1024, '\0');
}

CatalogOutput CatalogBytes(const std::string& path, const std::string& content) {
  image::FileView view;
  image::FileEntry entry;
  entry.path = path;
  entry.mode = 0755;
  entry.size = content.size();
  entry.layer = 2;
  view.Add(entry, [content](uint64_t) -> core::Result<std::string> { return content; });
  view.Finish();
  CatalogOutput out;
  MakeRustBinaryCataloger()->Catalog(view, CatalogContext{}, out);
  return out;
}

const Package* FindPackage(const CatalogOutput& out, const std::string& name) {
  for (const Package& package : out.packages) {
    if (package.name == name) return &package;
  }
  return nullptr;
}

TEST(RustBinaryCataloger, RuntimeCratesFromEverySource) {
  CatalogOutput out = CatalogBytes("usr/local/bin/myapp", ObjcopyFixture(Zlib(kDepInfo)));
  EXPECT_TRUE(out.notes.empty()) << out.notes.front();
  ASSERT_EQ(out.packages.size(), 3u);  // myapp, serde, forked; not the build-only cc

  const Package* serde = FindPackage(out, "serde");
  ASSERT_NE(serde, nullptr);
  EXPECT_EQ(serde->version, "1.0.190");
  EXPECT_EQ(serde->type, PackageType::kCargo);
  EXPECT_EQ(serde->purl, "pkg:cargo/serde@1.0.190");
  EXPECT_EQ(serde->metadata.at("cargo.source"), "crates.io");
  EXPECT_EQ(serde->locations, std::vector<std::string>{"/usr/local/bin/myapp"});
  EXPECT_EQ(serde->layer, 2);
  EXPECT_EQ(serde->cataloger, "rust-cargo-auditable");
  EXPECT_EQ(serde->metadata.count("cargo.root"), 0u);

  const Package* root = FindPackage(out, "myapp");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->metadata.at("cargo.root"), "true");
  EXPECT_EQ(root->metadata.at("cargo.source"), "local");
  EXPECT_EQ(FindPackage(out, "forked")->metadata.at("cargo.source"), "git");
  EXPECT_EQ(FindPackage(out, "cc"), nullptr);
}

TEST(RustBinaryCataloger, NoSectionMeansNoPackagesAndNoNotes) {
  CatalogOutput out = CatalogBytes("bin/true", testing::ReadFile("/bin/true"));
  EXPECT_TRUE(out.packages.empty());
  EXPECT_TRUE(out.notes.empty());
  CatalogOutput script = CatalogBytes("bin/script", "#!/bin/sh\n" + std::string(2000, '#'));
  EXPECT_TRUE(script.packages.empty());
  EXPECT_TRUE(script.notes.empty());
}

void ExpectOneNote(const CatalogOutput& out, const std::string& path, const std::string& words) {
  EXPECT_TRUE(out.packages.empty());
  ASSERT_EQ(out.notes.size(), 1u);
  EXPECT_NE(out.notes[0].find(path), std::string::npos) << out.notes[0];
  EXPECT_NE(out.notes[0].find(words), std::string::npos) << out.notes[0];
}

TEST(RustBinaryCataloger, HostilePayloadsBecomeNotes) {
  ExpectOneNote(CatalogBytes("bin/a", BuiltFixture("not zlib at all")), "/bin/a", "zlib");
  std::string compressed = Zlib(kDepInfo);
  ExpectOneNote(CatalogBytes("bin/b", BuiltFixture(compressed.substr(0, compressed.size() / 2))),
                "/bin/b", "zlib");
  // A bomb: 64 MiB of spaces inflate past the 8 MiB bound and are not kept.
  ExpectOneNote(CatalogBytes("bin/c", BuiltFixture(Zlib(std::string(64 << 20, ' ')))), "/bin/c",
                "more than");
  ExpectOneNote(CatalogBytes("bin/d", BuiltFixture(Zlib("{\"packages\": 7}"))), "/bin/d",
                "packages");
  ExpectOneNote(CatalogBytes("bin/e", BuiltFixture(Zlib("[1, 2"))), "/bin/e", "JSON");
  // Deep nesting inside the bound parses without recursion trouble.
  std::string deep =
      "{\"packages\":[],\"x\":" + std::string(1 << 20, '[') + std::string(1 << 20, ']') + "}";
  CatalogOutput nested = CatalogBytes("bin/f", BuiltFixture(Zlib(deep)));
  EXPECT_TRUE(nested.packages.empty());
}

TEST(RustBinaryCataloger, EveryTruncationIsSafe) {
  std::string image = BuiltFixture(Zlib(kDepInfo));
  for (size_t size = 1024; size <= image.size(); size += 7) {
    (void)CatalogBytes("bin/t", image.substr(0, size));
  }
}

}  // namespace
}  // namespace bulwark::sbom
