// go-binary cataloger on real Go binaries (Debian's docker.io, containerd
// and runc packages, when installed: skipped loudly otherwise) and on
// SYNTHETIC fixtures: /bin/true with a .go.buildinfo section added by
// objcopy, holding a build-info blob written here in the documented format
// (not produced by a Go toolchain), plus hand-built ELF images for the
// pre-1.18 pointer format and for binaries stripped of section headers.
#include <gtest/gtest.h>

#include <filesystem>

#include "sbom/cataloger.hpp"
#include "sbom/fixtures/binary-catalogers/elf_builder.hpp"
#include "sbom/go_buildinfo.hpp"
#include "test_support.hpp"

namespace bulwark::sbom {
namespace {

namespace fs = std::filesystem;
using testing::ElfBuilder;

// cmd/go's module-info sentinels (infoStart, infoEnd).
const std::string kInfoStart("\x30\x77\xaf\x0c\x92\x74\x08\x02\x41\xe1\xc1\x07\xe6\xd6\x18\xe6",
                             16);
const std::string kInfoEnd("\xf9\x32\x43\x31\x86\x18\x20\x72\x00\x82\x42\x10\x41\x16\xd8\xf2", 16);

const std::string kModInfo =
    "path\texample.com/app/cmd/app\n"
    "mod\texample.com/app\t(devel)\t\n"
    "dep\tgithub.com/gorilla/mux\tv1.8.0\th1:i40aqfkR1h2SlN9hojwV5ZA91wcXFOvkdNIeFDP5koI=\n"
    "dep\tgolang.org/x/net\tv0.0.0-20200114155413-6afb5195e5aa\th1:abc=\n"
    "=>\tgolang.org/x/net\tv0.17.0\th1:def=\n"
    "dep\texample.com/local\tv1.0.0\t\n"
    "=>\t../local\t\t\n"
    "build\t-compiler=gc\n"
    "build\t-ldflags=\"-s -w -X example.com/app/cmd/app/version.Version=1.4.2\"\n"
    "build\tCGO_ENABLED=0\n";

std::string Uvarint(uint64_t value) {
  std::string out;
  while (value >= 0x80) {
    out += static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  return out + static_cast<char>(value);
}

std::string InlineBlob(const std::string& version, const std::string& modinfo) {
  std::string blob(kGoBuildInfoMagic);
  blob += '\x08';
  blob += '\x02';  // flags: inline strings
  blob += std::string(16, '\0');
  std::string mod = kInfoStart + modinfo + kInfoEnd;
  return blob + Uvarint(version.size()) + version + Uvarint(mod.size()) + mod;
}

image::ContentReader Bytes(std::string content) {
  return [content](uint64_t) -> core::Result<std::string> { return content; };
}

image::ContentReader Disk(fs::path path) {
  return [path](uint64_t) -> core::Result<std::string> { return testing::ReadFile(path); };
}

image::FileEntry Executable(const std::string& path, uint64_t size) {
  image::FileEntry entry;
  entry.path = path;
  entry.mode = 0755;
  entry.size = size;
  entry.layer = 0;
  return entry;
}

CatalogOutput Catalog(image::FileView& view) {
  view.Finish();
  CatalogOutput out;
  MakeGoBinaryCataloger()->Catalog(view, CatalogContext{}, out);
  return out;
}

CatalogOutput CatalogBytes(const std::string& path, const std::string& content) {
  image::FileView view;
  view.Add(Executable(path, content.size()), Bytes(content));
  return Catalog(view);
}

const Package* FindPackage(const CatalogOutput& out, const std::string& name) {
  for (const Package& package : out.packages) {
    if (package.name == name) return &package;
  }
  return nullptr;
}

// /bin/true with the blob added as section .go.buildinfo by objcopy.
std::string ObjcopyFixture(const std::string& section, const std::string& payload) {
  fs::path dir = testing::MakeTempDir("bulwark-go-fixture");
  testing::WriteFile(dir / "payload", payload);
  fs::copy_file("/bin/true", dir / "app");
  testing::CommandResult result =
      testing::RunCommand({"objcopy", "--add-section", section + "=" + (dir / "payload").string(),
                           (dir / "app").string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::string image = testing::ReadFile(dir / "app");
  fs::remove_all(dir);
  return image;
}

TEST(GoBinaryCataloger, SyntheticInlineBuildInfo) {
  std::string image = ObjcopyFixture(".go.buildinfo", InlineBlob("go1.21.4", kModInfo));
  CatalogOutput out = CatalogBytes("app/bin/app", image);
  EXPECT_TRUE(out.notes.empty()) << out.notes.front();
  ASSERT_EQ(out.packages.size(), 4u);  // stdlib, mux, x/net (replaced), main; not ../local

  const Package* stdlib = FindPackage(out, "stdlib");
  ASSERT_NE(stdlib, nullptr);
  EXPECT_EQ(stdlib->version, "v1.21.4");
  EXPECT_EQ(stdlib->purl, "pkg:golang/stdlib@v1.21.4");
  EXPECT_EQ(stdlib->metadata.at("go.toolchain"), "go1.21.4");

  const Package* mux = FindPackage(out, "github.com/gorilla/mux");
  ASSERT_NE(mux, nullptr);
  EXPECT_EQ(mux->version, "v1.8.0");
  EXPECT_EQ(mux->type, PackageType::kGo);
  EXPECT_EQ(mux->purl, "pkg:golang/github.com/gorilla/mux@v1.8.0");
  EXPECT_EQ(mux->locations, std::vector<std::string>{"/app/bin/app"});
  EXPECT_EQ(mux->cataloger, "go-binary");

  const Package* net = FindPackage(out, "golang.org/x/net");
  ASSERT_NE(net, nullptr);
  EXPECT_EQ(net->version, "v0.17.0");  // the replacement, not the pseudo-version

  // "(devel)" main module: version from -ldflags -X <module>/cmd/...Version.
  const Package* main_module = FindPackage(out, "example.com/app");
  ASSERT_NE(main_module, nullptr);
  EXPECT_EQ(main_module->version, "1.4.2");
  EXPECT_EQ(FindPackage(out, "../local"), nullptr);
  EXPECT_EQ(FindPackage(out, "example.com/local"), nullptr);
}

TEST(GoBinaryCataloger, DevelMainModuleWithoutStampIsDropped) {
  std::string modinfo =
      "path\tx.io/tool\nmod\tx.io/tool\t(devel)\t\ndep\tx.io/lib\tv1.0.0\th1:x=\n";
  CatalogOutput out = CatalogBytes(
      "tool", ObjcopyFixture(".go.buildinfo", InlineBlob("go1.22.3 X:boringcrypto", modinfo)));
  EXPECT_EQ(FindPackage(out, "x.io/tool"), nullptr);
  ASSERT_NE(FindPackage(out, "x.io/lib"), nullptr);
  EXPECT_EQ(FindPackage(out, "stdlib")->version, "v1.22.3");
}

std::string MainVersion(const std::string& version, const std::string& ldflags) {
  std::string modinfo =
      "path\tx.io/app\nmod\tx.io/app\t" + version + "\t\nbuild\t-ldflags=\"" + ldflags + "\"\n";
  std::string file = InlineBlob("go1.24.0", modinfo) + std::string(1024, '\0');
  CatalogOutput out = CatalogBytes("app", file);
  const Package* main_module = FindPackage(out, "x.io/app");
  return main_module == nullptr ? "<none>" : main_module->version;
}

// Trivy's -ldflags rules: a "v0.0.0" pseudo-version gives way to a stamped
// semver; keys are ranked; a tie in the best rank gives nothing.
TEST(GoBinaryCataloger, MainModuleVersionFromLdflags) {
  EXPECT_EQ(MainVersion("v1.2.3", "-X main.version=9.9.9"), "v1.2.3");
  EXPECT_EQ(MainVersion("v0.0.0-20240101000000-abcdefabcdef",
                        "-X main.version=2.0.1 -X x.io/z.Version=3.0.0"),
            "2.0.1");
  EXPECT_EQ(MainVersion("(devel)", "-X=x.io/app/cmd/app.Version=v4.0.0 -X main.version=2.0.1"),
            "v4.0.0");
  EXPECT_EQ(MainVersion("(devel)", "-X main.version=1.0.0 -X x.io/app/version.Version=1.1.0"),
            "<none>");
  EXPECT_EQ(MainVersion("(devel)", "-X main.version=not-semver"), "<none>");
  EXPECT_EQ(MainVersion("(devel)", "-X 'main.Ver=1.5.0'"), "1.5.0");
}

TEST(GoBinaryCataloger, PointerFormatBeforeGo118) {
  for (bool is64 : {true, false}) {
    for (bool big : {false, true}) {
      ElfBuilder builder(is64, big);
      size_t ptr = is64 ? 8 : 4;
      auto word = [&](uint64_t value) {
        std::string out(ptr, '\0');
        for (size_t i = 0; i < ptr; ++i)
          out[big ? ptr - 1 - i : i] = static_cast<char>(value >> (8 * i));
        return out;
      };
      std::string version = "go1.16.15";
      std::string mod =
          kInfoStart +
          "path\tx.io/old\nmod\tx.io/old\tv0.3.0\th1:y=\ndep\tx.io/dep\tv2.1.0+incompatible\t\n" +
          kInfoEnd;
      uint64_t version_at = builder.Add(".rodata", version + mod);
      uint64_t headers_at =
          builder.Add(".data", word(version_at) + word(version.size()) +
                                   word(version_at + version.size()) + word(mod.size()));
      std::string blob(kGoBuildInfoMagic);
      blob += static_cast<char>(ptr);
      blob += static_cast<char>(big ? 1 : 0);
      blob += word(headers_at) + word(headers_at + 2 * ptr);
      blob.resize(32, '\0');
      builder.Add(".go.buildinfo", blob);
      CatalogOutput out = CatalogBytes("old", builder.Build() + std::string(1024, '\0'));
      EXPECT_TRUE(out.notes.empty()) << (out.notes.empty() ? "" : out.notes.front());
      ASSERT_EQ(out.packages.size(), 3u) << "is64=" << is64 << " big=" << big;
      EXPECT_EQ(FindPackage(out, "stdlib")->version, "v1.16.15");
      EXPECT_EQ(FindPackage(out, "x.io/old")->version, "v0.3.0");
      EXPECT_EQ(FindPackage(out, "x.io/dep")->version, "v2.1.0+incompatible");
    }
  }
}

TEST(GoBinaryCataloger, SectionHeadersStrippedFallsBackToTheDataSegment) {
  ElfBuilder builder(true, false);
  builder.Add(".data", std::string(48, 'd') +
                           InlineBlob("go1.20.1", "path\tx.io/s\nmod\tx.io/s\tv1.0.0\t\n"));
  builder.StripSectionHeaders();
  std::string image = builder.Build() + std::string(1024, '\0');
  CatalogOutput out = CatalogBytes("stripped", image);
  EXPECT_NE(FindPackage(out, "x.io/s"), nullptr);
  EXPECT_NE(FindPackage(out, "stdlib"), nullptr);
}

TEST(GoBinaryCataloger, NonElfFileIsScannedForTheInlineBlob) {
  std::string file =
      std::string(32, 'p') + InlineBlob("go1.19.8", "path\tx.io/pe\n") + std::string(1024, 'z');
  CatalogOutput out = CatalogBytes("app.exe", file);
  ASSERT_EQ(out.packages.size(), 1u);  // only stdlib: no "mod" line
  EXPECT_EQ(out.packages[0].name, "stdlib");
  // Off the 16-byte boundary the magic is not build info.
  CatalogOutput misaligned = CatalogBytes(
      "odd", std::string(7, 'p') + InlineBlob("go1.19.8", "") + std::string(1024, 'z'));
  EXPECT_TRUE(misaligned.packages.empty());
}

TEST(GoBinaryCataloger, NotGoAndBrokenBlobs) {
  CatalogOutput plain = CatalogBytes("bin/true", testing::ReadFile("/bin/true"));
  EXPECT_TRUE(plain.packages.empty());
  EXPECT_TRUE(plain.notes.empty());

  std::string blob = InlineBlob("go1.21.4", kModInfo);
  std::string broken = blob.substr(0, 32) + Uvarint(1000) + "go1";  // length past the end
  CatalogOutput out = CatalogBytes("usr/bin/broken", ObjcopyFixture(".go.buildinfo", broken));
  EXPECT_TRUE(out.packages.empty());
  ASSERT_EQ(out.notes.size(), 1u);
  EXPECT_NE(out.notes[0].find("/usr/bin/broken"), std::string::npos) << out.notes[0];

  // Every truncation of a real blob decodes or fails cleanly.
  for (size_t size = 0; size <= blob.size(); ++size)
    (void)DecodeGoBuildInfo(blob.substr(0, size), nullptr);
}

TEST(GoBinaryCataloger, ModInfoLines) {
  GoBuildInfo info;
  ParseGoModInfo(
      "path\ta\nmod\ta\tv1.0.0\nbogus line\ndep\tonly-path\n=>\tx\ty\nbuild\t\"we\\tird\"=\"v "
      "a\\\"l\"\n",
      info);
  EXPECT_EQ(info.main.version, "v1.0.0");
  EXPECT_TRUE(info.deps.empty());
  EXPECT_EQ(info.malformed_lines, 2);  // the dep with one column, the orphan "=>"
  ASSERT_EQ(info.settings.size(), 1u);
  EXPECT_EQ(info.settings[0].first, "we\tird");
  EXPECT_EQ(info.settings[0].second, "v a\"l");
  std::string out;
  EXPECT_FALSE(GoUnquote("\"unterminated\\\"", out));
  EXPECT_TRUE(GoUnquote("\"\\x41\\n\"", out));
  EXPECT_EQ(out, "A\n");
}

TEST(GoBinaryCataloger, WantsExecutablesOnly) {
  auto cataloger = MakeGoBinaryCataloger();
  image::FileEntry entry = Executable("usr/bin/app", 4096);
  EXPECT_TRUE(cataloger->Wants(entry));
  entry.mode = 0644;
  EXPECT_FALSE(cataloger->Wants(entry));
}

// Debian builds these in GOPATH mode: build info holds the toolchain and
// the main package path but no "mod"/"dep" lines, so only stdlib comes out.
TEST(GoBinaryCataloger, RealDebianBinaries) {
  struct Real {
    const char* file;
    const char* main_package;
  };
  const Real reals[] = {{"/usr/sbin/dockerd", "github.com/docker/docker/cmd/dockerd"},
                        {"/usr/bin/containerd", "github.com/containerd/containerd/cmd/containerd"},
                        {"/usr/sbin/runc", "github.com/opencontainers/runc"},
                        {"/usr/sbin/docker-proxy", "github.com/docker/libnetwork/cmd/proxy"}};
  int found = 0;
  for (const Real& real : reals) {
    if (!fs::exists(real.file)) {
      std::cerr << "SKIPPED part: " << real.file
                << " not installed (Debian docker.io/containerd/runc)\n";
      continue;
    }
    ++found;
    std::string image = testing::ReadFile(real.file);
    core::Result<GoBuildInfo> info = ReadGoBuildInfo(image);
    ASSERT_TRUE(info.ok()) << real.file << ": " << info.status().message();
    EXPECT_EQ(info->path, real.main_package);
    ASSERT_TRUE(info->go_version.starts_with("go1.")) << info->go_version;

    image::FileView view;
    view.Add(Executable(std::string(real.file).substr(1), image.size()), Disk(real.file));
    CatalogOutput out = Catalog(view);
    EXPECT_TRUE(out.notes.empty()) << out.notes.front();
    const Package* stdlib = FindPackage(out, "stdlib");
    ASSERT_NE(stdlib, nullptr) << real.file;
    EXPECT_EQ(stdlib->version, "v" + info->go_version.substr(2));
    EXPECT_EQ(stdlib->locations.front(), real.file);
    if (info->main.path.empty()) {
      EXPECT_EQ(out.packages.size(), 1 + info->deps.size()) << real.file;
    }
  }
  if (found == 0) {
    GTEST_SKIP() << "SKIPPED: none of Debian's Go binaries (docker.io, containerd, runc) installed";
  }
}

TEST(GoBinaryCataloger, RealDockerdLdflagsSettingDecoded) {
  if (!fs::exists("/usr/sbin/dockerd")) GTEST_SKIP() << "SKIPPED: /usr/sbin/dockerd not installed";
  core::Result<GoBuildInfo> info = ReadGoBuildInfo(testing::ReadFile("/usr/sbin/dockerd"));
  ASSERT_TRUE(info.ok());
  std::string ldflags;
  for (const auto& [key, value] : info->settings) {
    if (key == "-ldflags") ldflags = value;
  }
  // Debian stamps the version through -X; the quoted setting is unquoted.
  EXPECT_NE(ldflags.find("-X \"github.com/docker/docker/dockerversion.Version="), std::string::npos)
      << ldflags;
}

}  // namespace
}  // namespace bulwark::sbom
