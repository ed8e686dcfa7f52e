// The small procfs parsers on crafted text: stat with hostile comm values
// (spaces, parentheses, bytes that are not UTF-8), missing fields, status
// IDs, NUL-separated cmdline with its bounds, cgroup container IDs of each
// runtime layout, and the boot time.
#include <gtest/gtest.h>

#include <string>

#include "respond/proc_stat.hpp"

namespace bulwark::respond {
namespace {

std::string StatLine(const std::string& comm, const std::string& rest_after_state = "") {
  // Fields 3..22: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
  // cutime cstime priority nice threads itrealvalue starttime, then more.
  return "4242 (" + comm + ") S 17 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 " +
         rest_after_state + "12345 67 18446744073709551615\n";
}

TEST(ProcStat, ParsesFields) {
  auto st = ParseProcStat(StatLine("sleep"));
  ASSERT_TRUE(st.ok()) << st.status().message();
  EXPECT_EQ(st->pid, 4242);
  EXPECT_EQ(st->comm, "sleep");
  EXPECT_EQ(st->state, 'S');
  EXPECT_EQ(st->ppid, 17);
  EXPECT_EQ(st->start_ticks, 987654u);
}

TEST(ProcStat, CommWithSpacesAndParentheses) {
  auto st = ParseProcStat(StatLine("a) (b"));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->comm, "a) (b");
  EXPECT_EQ(st->ppid, 17);
  auto tricky = ParseProcStat(StatLine(") S 1 2 3 ("));
  ASSERT_TRUE(tricky.ok());
  EXPECT_EQ(tricky->comm, ") S 1 2 3 (");
  EXPECT_EQ(tricky->ppid, 17);
  auto kworker = ParseProcStat(StatLine("kworker/0:1"));
  ASSERT_TRUE(kworker.ok());
  EXPECT_EQ(kworker->comm, "kworker/0:1");
}

TEST(ProcStat, InvalidUtf8CommIsKeptAsBytes) {
  std::string comm = "\xff\xfe\x1b[31m";
  auto st = ParseProcStat(StatLine(comm));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->comm, comm);
}

TEST(ProcStat, RejectsBrokenLines) {
  EXPECT_FALSE(ParseProcStat("").ok());
  EXPECT_FALSE(ParseProcStat("4242 sleep S 1").ok());              // no parentheses
  EXPECT_FALSE(ParseProcStat("4242 (sleep) S 1 2 3").ok());        // too few fields
  EXPECT_FALSE(ParseProcStat("abc (sleep) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20").ok());
  EXPECT_FALSE(ParseProcStat("-3 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20").ok());
  EXPECT_FALSE(ParseProcStat("5 (x) SS 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20").ok());
  EXPECT_FALSE(ParseProcStat("5 (x) S one 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20").ok());
  EXPECT_FALSE(ParseProcStat("5 )x( S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20").ok());
}

TEST(ProcStat, HugeCommIsBounded) {
  auto st = ParseProcStat(StatLine(std::string(1 << 20, 'A')));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->comm.size(), 64u);
}

TEST(ProcStatus, IdsAndMissingFields) {
  auto st = ParseProcStatus("Name:\tkworker/0:1\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t77\nPPid:\t1\n"
                            "Uid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\n");
  EXPECT_EQ(st.name, "kworker/0:1");
  EXPECT_EQ(st.tgid, 77);
  EXPECT_EQ(st.ppid, 1);
  EXPECT_EQ(st.uid.real, 1000);
  EXPECT_EQ(st.uid.effective, 0);
  EXPECT_EQ(st.gid.fs, 1000);
  auto empty = ParseProcStatus("garbage\nUid:\tx y\n");
  EXPECT_EQ(empty.uid.real, -1);
  EXPECT_EQ(empty.gid.real, -1);
  EXPECT_TRUE(empty.name.empty());
}

TEST(ProcCmdline, SplitsOnNul) {
  bool truncated = true;
  auto args = ParseCmdline(std::string("[kworker/0:1-events]\0--stage2\0\0x\0", 33), truncated);
  ASSERT_EQ(args.size(), 4u);
  EXPECT_EQ(args[0], "[kworker/0:1-events]");
  EXPECT_EQ(args[1], "--stage2");
  EXPECT_EQ(args[2], "");
  EXPECT_EQ(args[3], "x");
  EXPECT_FALSE(truncated);
  EXPECT_TRUE(ParseCmdline("", truncated).empty());
  // A rewritten, NUL-padded argv area: one argument, not dozens of empty ones.
  auto padded = ParseCmdline(std::string("[kworker/0:1-events]") + std::string(40, '\0'), truncated);
  ASSERT_EQ(padded.size(), 1u);
  // setproctitle-style: one argument with spaces and no NUL at all.
  auto one = ParseCmdline("nginx: worker process", truncated);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0], "nginx: worker process");
}

TEST(ProcCmdline, Bounds) {
  bool truncated = false;
  std::string many;
  for (int i = 0; i < 5000; ++i) many += std::string("a") + '\0';
  EXPECT_EQ(ParseCmdline(many, truncated).size(), kMaxArgs);
  EXPECT_TRUE(truncated);
  auto huge = ParseCmdline(std::string(1 << 20, 'x'), truncated);
  ASSERT_EQ(huge.size(), 1u);
  EXPECT_EQ(huge[0].size(), kMaxArgBytes);
  EXPECT_TRUE(truncated);
}

TEST(ProcCgroup, ContainerIds) {
  const std::string id = "370c7c08a42839410bbe152cf3f09c8ef81ec4532c154865e3f259904483af0d";
  EXPECT_EQ(ContainerIdFromCgroup("12:pids:/docker/" + id + "\n0::/docker/" + id + "\n"), id);
  EXPECT_EQ(ContainerIdFromCgroup("0::/system.slice/docker-" + id + ".scope\n"), id);
  EXPECT_EQ(ContainerIdFromCgroup("0::/kubepods.slice/kubepods-pod1.slice/cri-containerd-" + id + ".scope\n"), id);
  EXPECT_EQ(ContainerIdFromCgroup("0::/kubepods/besteffort/pod12/crio-" + id + "\n"), id);
  EXPECT_EQ(ContainerIdFromCgroup("0::/machine.slice/libpod-" + id + ".scope/container\n"), id);
  EXPECT_EQ(ContainerIdFromCgroup("0::/system.slice/containerd.service:cri-containerd:" + id + "\n"), id);
  EXPECT_FALSE(ContainerIdFromCgroup("0::/user.slice/user-1000.slice/session-2.scope\n"));
  EXPECT_FALSE(ContainerIdFromCgroup("0::/docker/" + id.substr(0, 63) + "\n"));
  EXPECT_FALSE(ContainerIdFromCgroup("0::/docker/" + id.substr(0, 63) + "G\n"));
  EXPECT_FALSE(ContainerIdFromCgroup("no colons at all\n"));
  EXPECT_FALSE(ContainerIdFromCgroup(""));
  EXPECT_FALSE(ContainerIdFromCgroup(std::string(1 << 20, '/')));
}

TEST(ProcBootTime, Btime) {
  EXPECT_EQ(ParseBootTime("cpu  1 2 3\nintr 5\nbtime 1700000000\nprocesses 9\n"), 1700000000);
  EXPECT_FALSE(ParseBootTime("cpu 1\n"));
  EXPECT_FALSE(ParseBootTime("btime x\n"));
  EXPECT_FALSE(ParseBootTime("btime -5\n"));
}

}  // namespace
}  // namespace bulwark::respond
