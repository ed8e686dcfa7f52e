// /proc/PID/maps parsing and its triage summary on crafted lines: file,
// anonymous, memfd and rwx executable regions, the special kernel regions
// left out, truncated and hostile lines counted but never trusted, and the
// bounds.
#include <gtest/gtest.h>

#include <string>

#include "respond/proc_maps.hpp"

namespace bulwark::respond {
namespace {

constexpr const char* kMaps =
    "55d0c0a00000-55d0c0a02000 r--p 00000000 08:01 1234   /usr/bin/sleep\n"
    "55d0c0a02000-55d0c0a06000 r-xp 00002000 08:01 1234   /usr/bin/sleep\n"
    "55d0c0a06000-55d0c0a08000 r-xp 00006000 08:01 1234   /usr/bin/sleep\n"
    "7f0000000000-7f0000021000 rw-p 00000000 00:00 0 \n"
    "7f1000000000-7f1000001000 rwxp 00000000 00:00 0 \n"
    "7f2000000000-7f2000002000 r-xp 00000000 00:01 777    /memfd:payload (deleted)\n"
    "7f3000000000-7f3000180000 r-xp 00028000 08:01 99     /usr/lib/x86_64-linux-gnu/libc.so.6\n"
    "7f4000000000-7f4000001000 r-xp 00000000 00:00 0      [vdso]\n"
    "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0   [vsyscall]\n"
    "7f5000000000-7f5000002000 r-xp 00000000 08:01 555    /tmp/.x/evil lib (deleted)\n";

TEST(ProcMaps, ParsesRegions) {
  auto maps = ParseMaps(kMaps);
  EXPECT_EQ(maps.malformed, 0u);
  ASSERT_EQ(maps.regions.size(), 10u);
  EXPECT_EQ(maps.regions[1].start, 0x55d0c0a02000u);
  EXPECT_EQ(maps.regions[1].perms, "r-xp");
  EXPECT_EQ(maps.regions[1].path, "/usr/bin/sleep");
  EXPECT_EQ(maps.regions[3].path, "");
  EXPECT_EQ(maps.regions[9].path, "/tmp/.x/evil lib (deleted)");
}

TEST(ProcMaps, Summary) {
  MapsSummary s = SummariseMaps(ParseMaps(kMaps));
  EXPECT_EQ(s.regions, 10u);
  ASSERT_EQ(s.file_exec.size(), 3u);
  EXPECT_EQ(s.file_exec[0].path, "/usr/bin/sleep");
  EXPECT_EQ(s.file_exec[0].regions, 2);
  EXPECT_EQ(s.file_exec[0].size, 0x6000u);
  ASSERT_EQ(s.anon_exec.size(), 1u);
  EXPECT_EQ(s.anon_exec[0].perms, "rwxp");
  EXPECT_EQ(s.anon_exec[0].path, "[anon]");
  ASSERT_EQ(s.memfd_exec.size(), 1u);
  EXPECT_EQ(s.memfd_exec[0].path, "/memfd:payload (deleted)");
  ASSERT_EQ(s.writable_exec.size(), 1u);
}

TEST(ProcMaps, HostileAndTruncatedLines) {
  const char* text =
      "55d0c0a00000-55d0c0a02000 r-xp 00000000 08:01 1234   /usr/bin/ok\n"
      "55d0c0a00000-55d0c0a0\n"                                   // truncated
      "55d0c0a00000 r-xp 00000000 08:01 1 /x\n"                   // no range
      "zzzz-yyyy r-xp 00000000 08:01 1 /x\n"                      // not hex
      "2000-1000 r-xp 00000000 08:01 1 /x\n"                      // end before start
      "1000-2000 rwxq! 00000000 08:01 1 /x\n"                     // bad perms
      "1000-2000 abcp 00000000 08:01 1 /x\n"                      // bad perms
      "1000-2000 r-xp 00000000 0801 1 /x\n"                       // bad dev
      "1000-2000 r-xp 00000000 08:01 -1 /x\n"                     // bad inode
      "11112222333344445-2 r-xp 00000000 08:01 1 /x\n"            // over 64 bits
      "\n";
  auto maps = ParseMaps(text);
  EXPECT_EQ(maps.regions.size(), 1u);
  EXPECT_EQ(maps.malformed, 9u);
  EXPECT_EQ(SummariseMaps(maps).file_exec.size(), 1u);
}

TEST(ProcMaps, Bounds) {
  std::string many;
  for (int i = 0; i < 70000; ++i) many += "1000-2000 rwxp 00000000 00:00 0\n";
  auto maps = ParseMaps(many);
  EXPECT_TRUE(maps.truncated);
  EXPECT_EQ(maps.regions.size(), kMaxMapLines);
  MapsSummary s = SummariseMaps(maps);
  EXPECT_EQ(s.anon_exec.size(), kMaxListedRegions);
  EXPECT_EQ(s.writable_exec.size(), kMaxListedRegions);
  auto huge = ParseMaps("1000-2000 r-xp 00000000 08:01 1 /" + std::string(1 << 20, 'p') + "\n");
  ASSERT_EQ(huge.regions.size(), 1u);
  EXPECT_EQ(huge.regions[0].path.size(), 4096u);
}

}  // namespace
}  // namespace bulwark::respond
