// Daemon images (label docker): an image the local daemon has, exported
// through the Engine API and streamed, must give the same files and info as
// `docker save` of it read through docker-archive:. Uses the lab's base
// image when present, else imports a tiny one (removed afterwards).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "docker/engine_client.hpp"
#include "image/image_source.hpp"
#include "image_test_util.hpp"
#include "test_support.hpp"

namespace bulwark::image {
namespace {

namespace fs = std::filesystem;
using bulwark::testing::RunCommand;

constexpr const char* kLabImage = "bulwark-lab/python-flask:bookworm";
constexpr const char* kTinyImage = "bulwark-test/image-source:tiny";

bool Wanted(const FileEntry& entry) {
  const std::string& p = entry.path;
  return p == "var/lib/dpkg/status" || p == "etc/os-release" || p == "usr/lib/os-release" ||
         (p.size() > 9 && p.compare(p.size() - 9, 9, "/METADATA") == 0);
}

class DaemonImageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    socket_ = docker::EngineClient::DefaultSocketPath();
    docker::EngineClient client(socket_);
    core::Status ping = client.Ping();
    if (!ping.ok()) {
      unreachable_ = ping.message();
      return;
    }
    if (client.InspectImage(kLabImage).ok()) {
      image_ = kLabImage;
      return;
    }
    // No lab image: import a tiny root filesystem made here.
    temp_ = bulwark::testing::MakeTempDir("bulwark-daemon-img");
    bulwark::testing::WriteFile(
        temp_ / "rootfs.tar",
        testing::TarWriter()
            .Dir("etc")
            .File("etc/os-release", "ID=debian\nVERSION_ID=12\n")
            .Dir("var/lib/dpkg")
            .File("var/lib/dpkg/status", "Package: tiny\nVersion: 1.0\n\n")
            .File("usr/lib/python3/dist-packages/tiny-1.0.dist-info/METADATA", "Name: tiny\nVersion: 1.0\n")
            .Symlink("usr/bin/python", "python3")
            .Finish());
    auto imported = RunCommand({"docker", "import", (temp_ / "rootfs.tar").string(), kTinyImage});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    image_ = kTinyImage;
    imported_ = true;
  }

  static void TearDownTestSuite() {
    if (imported_) (void)RunCommand({"docker", "rmi", kTinyImage});
    if (!temp_.empty()) fs::remove_all(temp_);
  }

  void SetUp() override {
    if (!unreachable_.empty()) {
      GTEST_SKIP() << "SKIPPED: dockerd is unreachable (" << unreachable_
                   << "); start it to run the daemon tests";
    }
  }

  OpenOptions Options() const {
    OpenOptions options;
    options.wants = Wanted;
    options.docker_socket = socket_;
    return options;
  }

  static inline std::string socket_;
  static inline std::string unreachable_;
  static inline std::string image_;
  static inline bool imported_ = false;
  static inline fs::path temp_;
};

TEST_F(DaemonImageTest, ExportMatchesDockerSaveReadAsAnArchive) {
  fs::path dir = bulwark::testing::MakeTempDir("bulwark-daemon-save");
  fs::path saved = dir / "image.tar";
  auto save = RunCommand({"docker", "save", image_, "-o", saved.string()});
  ASSERT_EQ(save.exit_code, 0) << save.err;

  auto start = std::chrono::steady_clock::now();
  auto daemon = OpenImage(image_, Options());
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(daemon.ok()) << daemon.status().message();
  std::cout << "[ timing ] OpenImage(" << image_ << ") through the daemon: " << ms << " ms\n";
  auto archive = OpenImage("docker-archive:" + saved.string(), Options());
  ASSERT_TRUE(archive.ok()) << archive.status().message();

  const ImageInfo& a = (*daemon)->Info();
  const ImageInfo& b = (*archive)->Info();
  EXPECT_EQ(a.source, "daemon");
  EXPECT_EQ(a.reference, image_);
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.os, b.os);
  EXPECT_EQ(a.architecture, b.architecture);
  EXPECT_EQ(a.config_json, b.config_json);
  ASSERT_EQ(a.layers.size(), b.layers.size());
  for (size_t i = 0; i < a.layers.size(); ++i) {
    EXPECT_EQ(a.layers[i].digest, b.layers[i].digest);
    EXPECT_EQ(a.layers[i].diff_id, b.layers[i].diff_id);
    EXPECT_EQ(a.layers[i].size, b.layers[i].size);
  }
  EXPECT_NE(std::find(a.repo_tags.begin(), a.repo_tags.end(), image_), a.repo_tags.end());

  const auto& ea = (*daemon)->Files().Entries();
  const auto& eb = (*archive)->Files().Entries();
  ASSERT_EQ(ea.size(), eb.size());
  size_t compared = 0;
  for (size_t i = 0; i < ea.size(); ++i) {
    ASSERT_EQ(ea[i].path, eb[i].path);
    EXPECT_EQ(ea[i].type, eb[i].type) << ea[i].path;
    EXPECT_EQ(ea[i].mode, eb[i].mode) << ea[i].path;
    EXPECT_EQ(ea[i].size, eb[i].size) << ea[i].path;
    EXPECT_EQ(ea[i].link_target, eb[i].link_target) << ea[i].path;
    EXPECT_EQ(ea[i].layer, eb[i].layer) << ea[i].path;
    if (!Wanted(ea[i]) || ea[i].type != FileType::kRegular) continue;
    auto ca = (*daemon)->Files().Read(ea[i]);
    auto cb = (*archive)->Files().Read(eb[i]);
    ASSERT_TRUE(ca.ok()) << ca.status().message();
    ASSERT_TRUE(cb.ok()) << cb.status().message();
    EXPECT_EQ(*ca, *cb) << ea[i].path;
    ++compared;
  }
  EXPECT_GE(compared, 2u) << "dpkg status and os-release at least";
  EXPECT_NE((*daemon)->Files().Find("var/lib/dpkg/status"), nullptr);
  fs::remove_all(dir);
}

TEST_F(DaemonImageTest, UnknownImageSaysSoAndWhereToLook) {
  auto image = OpenImage("bulwark-test/no-such-image:never", Options());
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.status().code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(image.status().message(),
            "image not found: bulwark-test/no-such-image:never (docker images lists what the daemon has)");
}

}  // namespace
}  // namespace bulwark::image
