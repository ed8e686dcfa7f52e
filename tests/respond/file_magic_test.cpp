// libmagic in its sandboxed child: an ELF, a script and a gzip are named;
// a child that hangs is killed at the deadline, one that crashes, answers
// garbage or hits its limits is "no answer", and the parent lives on. The
// description is escaped in every renderer.
#include "respond/file_magic.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "elf_builder.hpp"
#include "respond/sandboxed_child.hpp"
#include "respond/triage.hpp"
#include "respond/triage_render.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define TEST_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_UNDER_ASAN 1
#endif
#endif

namespace bulwark::respond {
namespace {

using Clock = std::chrono::steady_clock;

std::span<const uint8_t> Bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

std::string Describe(const std::string& data) {
  auto d = LibmagicDescribe(Bytes(data));
  EXPECT_TRUE(d.ok()) << d.status().message();
  return d.ok() ? d.value() : "";
}

TEST(FileMagic, NamesElfScriptAndGzip) {
  if (!LibmagicAvailable()) GTEST_SKIP() << "this build has no libmagic";
  testing::ElfBuilder elf;
  elf.AddSection({".text", 1, 6, std::string(64, '\x90')});
  EXPECT_NE(Describe(elf.Build()).find("ELF"), std::string::npos);
  EXPECT_NE(Describe("#!/bin/sh\necho hello\nexit 0\n").find("script"), std::string::npos);
  std::string gzip("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
  gzip += std::string(64, 'x');
  EXPECT_NE(Describe(gzip).find("gzip"), std::string::npos);
}

TEST(FileMagic, TriageReportsItAndEscapesIt) {
  TriageOptions options;
  options.yara = false;
  auto report = TriageBytes(Bytes("#!/bin/sh\necho hello\n"), "s.sh", options);
  ASSERT_TRUE(report.ok());
  auto json = TriageJson(*report);
  if (LibmagicAvailable()) {
    EXPECT_NE(report->file_type.libmagic.find("script"), std::string::npos);
    EXPECT_EQ(json["file_type"]["libmagic"], report->file_type.libmagic);
    EXPECT_NE(TriageText(*report).find("libmagic:   " + report->file_type.libmagic), std::string::npos);
  } else {
    EXPECT_TRUE(json["file_type"]["libmagic"].is_null());
  }
  // Without options (tests, fuzzing) libmagic is never run.
  auto plain = TriageBytes(Bytes("#!/bin/sh\n"), "s.sh");
  EXPECT_TRUE(plain.file_type.libmagic.empty());
  EXPECT_TRUE(TriageJson(plain)["file_type"]["libmagic"].is_null());
  // libmagic quotes strings from the file: escaped like any of them.
  TriageReport hostile = plain;
  hostile.file_type.libmagic = "text \x1b[31m| `x` \xff\n# title";
  for (char c : TriageText(hostile)) EXPECT_NE(c, '\x1b');
  std::string md = TriageMarkdown(hostile);
  EXPECT_EQ(md.find("\x1b"), std::string::npos);
  EXPECT_EQ(md.find("| `x`"), std::string::npos);
  EXPECT_NO_THROW(TriageJson(hostile).dump());
}

TEST(Sandbox, AnswersAndBoundsTheAnswer) {
  auto r = RunSandboxed([]() -> core::Result<std::string> { return std::string("hello\n"); });
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, "hello");
  auto big = RunSandboxed([]() -> core::Result<std::string> { return std::string(5000, 'a'); });
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->size(), kMaxAnswerBytes);
}

TEST(Sandbox, HangingChildIsKilledAtTheDeadline) {
  auto start = Clock::now();
  auto r = RunSandboxed([]() -> core::Result<std::string> {
    ::sleep(60);
    return std::string("too late");
  });
  auto took = Clock::now() - start;
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no answer within 3000 ms"), std::string::npos) << r.status().message();
  EXPECT_GE(took, std::chrono::milliseconds(2900));
  EXPECT_LT(took, std::chrono::milliseconds(4500));
}

TEST(Sandbox, CrashingChildIsNoAnswerAndTheParentLives) {
  auto r = RunSandboxed([]() -> core::Result<std::string> {
    ::raise(SIGSEGV);
    return std::string("unreachable");
  });
  ASSERT_FALSE(r.ok());
#ifndef TEST_UNDER_ASAN  // ASan turns the SIGSEGV into a report and exit status 1
  EXPECT_NE(r.status().message().find("signal " + std::to_string(SIGSEGV)), std::string::npos)
      << r.status().message();
#endif
  auto aborted = RunSandboxed([]() -> core::Result<std::string> { std::abort(); });
  EXPECT_FALSE(aborted.ok());
  SUCCEED() << "the parent is still here";
}

TEST(Sandbox, GarbageEmptyAndErrorsAreNoAnswer) {
  EXPECT_FALSE(RunSandboxed([]() -> core::Result<std::string> { return std::string("a\0b\x01", 4); }).ok());
  EXPECT_FALSE(RunSandboxed([]() -> core::Result<std::string> { return std::string(); }).ok());
  auto failed = RunSandboxed([]() -> core::Result<std::string> {
    return core::Error(core::ErrorCode::kParseError, "bad magic");
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("bad magic"), std::string::npos);
  auto exited = RunSandboxed([]() -> core::Result<std::string> { ::_exit(7); });
  ASSERT_FALSE(exited.ok());
  EXPECT_NE(exited.status().message().find("status 7"), std::string::npos);
}

TEST(Sandbox, ChildIsConfined) {
  // No new privileges, and none of the parent's descriptors but the answer pipe.
  int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  int high = ::fcntl(fd, F_DUPFD, 40);
  auto r = RunSandboxed([high]() -> core::Result<std::string> {
    bool closed = ::fcntl(high, F_GETFD) < 0;
    return std::to_string(::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0)) + (closed ? " closed" : " open");
  });
  ::close(high);
  ::close(fd);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, "1 closed");
}

TEST(Sandbox, CpuLimitStopsABusyChild) {
  SandboxLimits limits;
  limits.cpu_seconds = 1;
  limits.deadline = std::chrono::milliseconds(20000);
  auto r = RunSandboxed(
      []() -> core::Result<std::string> {
        volatile unsigned long spin = 0;
        while (true) spin = spin + 1;
      },
      limits);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("CPU limit"), std::string::npos) << r.status().message();
}

#ifndef TEST_UNDER_ASAN  // the address-space limit is not set under ASan
TEST(Sandbox, AddressSpaceLimitRefusesBigAllocations) {
  auto r = RunSandboxed([]() -> core::Result<std::string> {
    void* p = std::malloc(size_t{1} << 30);
    if (p == nullptr) return core::Error(core::ErrorCode::kTooLarge, "allocation refused");
    return std::string("allocated");
  });
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("allocation refused"), std::string::npos) << r.status().message();
}
#endif

}  // namespace
}  // namespace bulwark::respond
