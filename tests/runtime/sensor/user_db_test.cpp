// User names from a process's own root: a root that gave no users (the
// process already gone, the container not yet set up) is retried after a
// second instead of being trusted for the whole cache lifetime.
#include "runtime/sensor/user_db.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "test_support.hpp"

namespace bulwark::runtime::sensor {
namespace {

namespace fs = std::filesystem;
constexpr uint64_t kSec = 1'000'000'000ULL;

TEST(UserDb, EmptyRootIsRetriedSoonAndAGoodOneKept) {
  const fs::path root = bulwark::testing::MakeTempDir("bw_userdb");
  UserDb db(60 * kSec);
  const uint64_t t0 = 1000 * kSec;
  EXPECT_EQ(db.UserName("c1", root.string(), 0, t0), "");

  fs::create_directories(root / "etc");
  bulwark::testing::WriteFile(root / "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
  EXPECT_EQ(db.UserName("c1", root.string(), 0, t0 + kSec / 2), "") << "within the retry delay";
  EXPECT_EQ(db.UserName("c1", root.string(), 0, t0 + 2 * kSec), "root");

  bulwark::testing::WriteFile(root / "etc/passwd", "admin:x:0:0::/root:/bin/sh\n");
  EXPECT_EQ(db.UserName("c1", root.string(), 0, t0 + 30 * kSec), "root") << "kept for the TTL";
  EXPECT_EQ(db.UserName("c1", root.string(), 0, t0 + 63 * kSec), "admin") << "reloaded after it";
  fs::remove_all(root);
}

}  // namespace
}  // namespace bulwark::runtime::sensor
