// The process-level signs on crafted facts: the kernel-thread disguise
// only when the process runs a file, deleted / temporary / hidden
// executables, fileless and writable+executable memory, a mining-pool
// connection (not a listener on the same port), a stratum URL in argv,
// and a plain process that raises nothing. Also how they score.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "respond/live_signs.hpp"
#include "respond/verdict.hpp"

namespace bulwark::respond {
namespace {

bool Has(const std::vector<ProcessSign>& signs, const std::string& id) {
  return std::any_of(signs.begin(), signs.end(), [&](const ProcessSign& s) { return s.signal == id; });
}

ProcessFacts Plain() {
  ProcessFacts p;
  p.pid = 10;
  p.comm = "python3";
  p.argv = {"python3", "app.py"};
  p.has_exe = true;
  p.exe = "/usr/bin/python3.11";
  return p;
}

TEST(LiveSigns, Names) {
  EXPECT_TRUE(LooksLikeKernelThreadName("kworker/0:1"));
  EXPECT_TRUE(LooksLikeKernelThreadName("[kworker/0:1-events]"));
  EXPECT_TRUE(LooksLikeKernelThreadName("[anything]"));
  EXPECT_TRUE(LooksLikeKernelThreadName("ksoftirqd/3"));
  EXPECT_FALSE(LooksLikeKernelThreadName("kworkers"));
  EXPECT_FALSE(LooksLikeKernelThreadName("[]"));
  EXPECT_FALSE(LooksLikeKernelThreadName("python3"));
  EXPECT_TRUE(IsTempPath("/tmp/x"));
  EXPECT_TRUE(IsTempPath("/dev/shm/.a/b"));
  EXPECT_FALSE(IsTempPath("/tmpfoo/x"));
  EXPECT_FALSE(IsTempPath("/usr/bin/tmp"));
  EXPECT_TRUE(IsInHiddenDir("/tmp/.ICE-unix/.kworker"));
  EXPECT_TRUE(IsInHiddenDir("/root/.cache/x"));
  EXPECT_FALSE(IsInHiddenDir("/usr/bin/.hidden-file-only"));
  EXPECT_FALSE(IsInHiddenDir("/usr/../bin/x"));
  EXPECT_TRUE(IsMiningPort(3333));
  EXPECT_TRUE(IsMiningPort(14444));
  EXPECT_FALSE(IsMiningPort(443));
}

TEST(LiveSigns, PlainProcessRaisesNothing) {
  ProcessFacts p = Plain();
  p.maps.file_exec.push_back({"/usr/bin/python3.11", "r-xp", 0x1000, 4096, 1});
  p.sockets.push_back({3, 1, "tcp", "0.0.0.0:3333", "", 3333, 0, "LISTEN"});  // listening on the port is not mining
  EXPECT_TRUE(ProcessSigns(p).empty());
}

TEST(LiveSigns, KernelThreadDisguiseNeedsAnExecutable) {
  ProcessFacts thread;
  thread.comm = "kworker/0:1";
  thread.has_exe = false;  // a real kernel thread
  EXPECT_TRUE(ProcessSigns(thread).empty());
  ProcessFacts fake = Plain();
  fake.comm = "kworker/0:1";
  fake.argv = {"[kworker/0:1-events]", "--stage2"};
  fake.exe = "/tmp/.ICE-unix/.kworker";
  fake.exe_deleted = true;
  auto signs = ProcessSigns(fake);
  EXPECT_TRUE(Has(signs, "proc-kernel-thread-name"));
  EXPECT_TRUE(Has(signs, "proc-exe-deleted"));
  EXPECT_TRUE(Has(signs, "proc-exe-temp-dir"));
  EXPECT_TRUE(Has(signs, "proc-exe-hidden-dir"));
}

TEST(LiveSigns, MemoryAndNetwork) {
  ProcessFacts p = Plain();
  p.maps.anon_exec.push_back({"[anon]", "rwxp", 0x7000, 4096, 1});
  p.maps.writable_exec.push_back({"[anon]", "rwxp", 0x7000, 4096, 1});
  p.maps.memfd_exec.push_back({"/memfd:x (deleted)", "r-xp", 0x8000, 4096, 1});
  p.sockets.push_back({4, 2, "tcp", "10.0.0.2:41000", "1.2.3.4:3333", 41000, 3333, "ESTABLISHED"});
  p.argv.push_back("-o");
  p.argv.push_back("STRATUM+TCP://pool.example:3333");
  auto signs = ProcessSigns(p);
  for (const char* id : {"proc-anon-exec", "proc-wx-memory", "proc-memfd-exec", "proc-mining-connection",
                         "proc-stratum-cmdline"}) {
    EXPECT_TRUE(Has(signs, id)) << id;
  }
  ProcessFacts memfd = Plain();
  memfd.exe = "/memfd:payload";
  EXPECT_TRUE(Has(ProcessSigns(memfd), "proc-memfd-exec"));
}

TEST(LiveSigns, SignsScoreWithTheFile) {
  TriageReport r;
  ProcessFacts p = Plain();
  p.comm = "kworker/1:2";
  p.exe = "/dev/shm/.x/k";
  p.exe_deleted = true;
  p.signs = ProcessSigns(p);
  r.process = p;
  Assess(r);
  EXPECT_EQ(r.assessment.verdict, Verdict::kMalicious);
  EXPECT_EQ(r.assessment.score, 40 + 30 + 25 + 25);
  auto& attack = r.assessment.attack;
  for (const char* t : {"T1036.004", "T1036.005", "T1070.004", "T1036", "T1564.001"}) {
    EXPECT_NE(std::find(attack.begin(), attack.end(), t), attack.end()) << t;
  }
  TriageReport plain;
  plain.process = Plain();
  Assess(plain);
  EXPECT_EQ(plain.assessment.verdict, Verdict::kClean);
}

}  // namespace
}  // namespace bulwark::respond
