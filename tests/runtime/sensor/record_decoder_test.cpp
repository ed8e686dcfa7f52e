// The record decoder on crafted records: each kind decodes to Falco's
// argument names and values; malformed records are errors, never crashes.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <random>

#include "record_builder.hpp"
#include "runtime/sensor/record_decoder.hpp"
#include "runtime/sensor/syscall_table.hpp"

namespace bulwark::runtime::sensor {
namespace {

using testing::LeafFirst;
using testing::RecordBuilder;

const EventArg& Arg(const Event& e, std::string_view name) {
  static const EventArg kMissing{};
  const EventArg* a = e.Arg(name);
  EXPECT_NE(a, nullptr) << "no argument " << name;
  return a ? *a : kMissing;
}

class Decoder : public ::testing::Test {
 protected:
  core::Status Decode(const std::vector<uint8_t>& rec) { return decoder_.Decode(rec, evt_, facts_); }
  RecordDecoder decoder_{5};
  Event evt_;
  KernelFacts facts_;
};

TEST_F(Decoder, OpenatWithFileFacts) {
  bw_file file{};
  file.dev = 0x803;
  file.ino = 1234;
  file.mode = 0100644;
  // dirfd as a 32-bit int in a 64-bit register: AT_FDCWD (-100) zero-extended.
  auto rec = RecordBuilder(BW_KIND_SYSCALL, 257, 3)
                 .Int(0xffffff9cULL).Str("/etc/shadow").Int(0).Int(0).Struct(file).Build();
  ASSERT_TRUE(Decode(rec).ok());
  EXPECT_EQ(evt_.type, EventType::kOpenat);
  EXPECT_EQ(evt_.num, 1u);
  EXPECT_EQ(evt_.ts_ns, 1'000'000'005u);
  EXPECT_EQ(evt_.pid, 42);
  EXPECT_EQ(evt_.res, 3);
  EXPECT_EQ(evt_.fd, 3);
  EXPECT_EQ(evt_.cpu, 1);
  EXPECT_EQ(Arg(evt_, "fd").num, 3);
  EXPECT_EQ(Arg(evt_, "fd").kind, ArgKind::kFd);
  EXPECT_EQ(Arg(evt_, "dirfd").num, -100);
  EXPECT_EQ(Arg(evt_, "name").text, "/etc/shadow");
  EXPECT_EQ(Arg(evt_, "name").kind, ArgKind::kPath);
  EXPECT_EQ(Arg(evt_, "flags").kind, ArgKind::kOpenFlags);
  EXPECT_EQ(Arg(evt_, "ino").num, 1234);
  EXPECT_EQ(Arg(evt_, "dev").num, 0x803);
  EXPECT_TRUE(facts_.has_file);
  EXPECT_EQ(evt_.nargs, 7);
}

// Records only the state tables read come without a stamp (a clock read
// costs the kernel ~70 ns): they take the time of the record before them.
TEST_F(Decoder, UnstampedRecordTakesThePreviousTime) {
  ASSERT_TRUE(Decode(RecordBuilder(BW_KIND_SYSCALL, 3, 0).Ts(2'000'000'000).Int(4).Build()).ok());
  EXPECT_EQ(evt_.ts_ns, 2'000'000'005u);
  ASSERT_TRUE(Decode(RecordBuilder(BW_KIND_SYSCALL, 3, 0).Ts(0).Int(5).Build()).ok());
  EXPECT_EQ(evt_.ts_ns, 2'000'000'005u);
  ASSERT_TRUE(Decode(RecordBuilder(BW_KIND_SYSCALL, 3, 0).Ts(3'000'000'000).Int(6).Build()).ok());
  EXPECT_EQ(evt_.ts_ns, 3'000'000'005u);
}

// Before any stamped record: the decoder's creation, never a later time.
TEST(DecoderFirstRecord, UnstampedFirstRecordGetsTheDecodersStart) {
  auto ns = [] {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  };
  const uint64_t before = ns();
  RecordDecoder decoder;
  const uint64_t after = ns();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  Event evt;
  KernelFacts facts;
  ASSERT_TRUE(decoder.Decode(RecordBuilder(BW_KIND_SYSCALL, 3, 0).Ts(0).Int(4).Build(), evt, facts).ok());
  EXPECT_GE(evt.ts_ns, before);
  EXPECT_LE(evt.ts_ns, after);
}

TEST_F(Decoder, FailedOpenHasNoFd) {
  bw_file none{};
  auto rec = RecordBuilder(BW_KIND_SYSCALL, 2, -2).Str("/nope").Int(0).Int(0).Struct(none).Build();
  ASSERT_TRUE(Decode(rec).ok());
  EXPECT_EQ(evt_.type, EventType::kOpen);
  EXPECT_EQ(evt_.fd, -1);
  EXPECT_EQ(Arg(evt_, "fd").num, -2);
}

TEST_F(Decoder, ConnectWithKernelTuple) {
  const uint8_t lo[4] = {127, 0, 0, 1};
  bw_tuple t{};
  t.family = 2;
  t.type = 1;
  t.proto = 6;
  t.sport = 40000;
  t.dport = 8080;
  std::memcpy(t.saddr, lo, 4);
  std::memcpy(t.daddr, lo, 4);
  auto rec = RecordBuilder(BW_KIND_SYSCALL, 42, 0)
                 .Int(5).Str(testing::SockaddrIn(lo, 8080)).Struct(t).Build();
  ASSERT_TRUE(Decode(rec).ok());
  EXPECT_EQ(evt_.type, EventType::kConnect);
  EXPECT_EQ(evt_.fd, 5);
  EXPECT_EQ(Arg(evt_, "addr").addr.port, 8080);
  EXPECT_EQ(Arg(evt_, "tuple").addr.port, 8080);
  EXPECT_EQ(Arg(evt_, "tuple").addr.ip[0], 127);
  EXPECT_EQ(facts_.local.port, 40000);
  EXPECT_EQ(facts_.l4proto, L4Proto::kTcp);
}

TEST_F(Decoder, ExecRecordCarriesProcessFacts) {
  bw_exec_info info{};
  info.uid = 1000;
  info.euid = 1000;
  info.ppid = 7;
  info.loginuid = 1000;
  info.exe_mode = 0100755;
  info.exe_uid = 0;
  info.flags = BW_EXEC_UPPER_LAYER;
  info.start_time_ns = 100;
  std::string argv("/bin/sh\0-c\0echo hi\0", 19);
  auto rec = RecordBuilder(BW_KIND_EXEC, 59, 0)
                 .Str("/bin/sh").Str(argv).Str(LeafFirst({"usr", "bin", "dash"}))
                 .Str(LeafFirst({"home", "u"})).Str(std::string("sh\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16))
                 .Struct(info).Str(LeafFirst({"docker", std::string(64, 'a')}))
                 .Str(std::string("A=1\0B=2\0", 8)).Build();
  ASSERT_TRUE(Decode(rec).ok());
  EXPECT_EQ(evt_.type, EventType::kExecve);
  EXPECT_EQ(Arg(evt_, "exe").text, "/bin/sh");
  EXPECT_EQ(Arg(evt_, "args").text, "-c echo hi");
  EXPECT_EQ(Arg(evt_, "cwd").text, "/home/u");
  EXPECT_EQ(Arg(evt_, "ptid").num, 7);
  EXPECT_EQ(Arg(evt_, "flags").num, kExeUpperLayer);  // not writable: owned by root, uid 1000
  ASSERT_TRUE(facts_.has_exec);
  EXPECT_EQ(facts_.exec.exepath, "/usr/bin/dash");
  EXPECT_EQ(facts_.exec.comm, "sh");
  EXPECT_EQ(facts_.exec.cgroup, "/docker/" + std::string(64, 'a'));
  EXPECT_EQ(facts_.exec.argv.size(), 3u);
  EXPECT_EQ(facts_.exec.env, (std::vector<std::string>{"A=1", "B=2"}));
}

TEST_F(Decoder, ExecveatAndWritableExecutable) {
  bw_exec_info info{};
  info.euid = 1000;
  info.exe_uid = 1000;
  info.exe_mode = 0100755;
  info.flags = BW_EXEC_FROM_MEMFD;
  auto rec = RecordBuilder(BW_KIND_EXEC, 322, 0)
                 .Str("/dev/fd/3").Str("").Str(LeafFirst({"memfd:x"})).Str("").Str("x").Struct(info).Build();
  ASSERT_TRUE(Decode(rec).ok());
  EXPECT_EQ(evt_.type, EventType::kExecveat);
  EXPECT_EQ(Arg(evt_, "exe").text, "/dev/fd/3") << "no argv: the filename stands in";
  EXPECT_EQ(Arg(evt_, "flags").num, kExeWritable | kExeFromMemfd);
  EXPECT_EQ(facts_.exec.exepath, "memfd:x") << "a memfd is named by itself, as Falco shows it";
  EXPECT_EQ(facts_.exec.cwd, "/");

  // runc's cloned binary: the name holds slashes; still one component.
  auto runc = RecordBuilder(BW_KIND_EXEC, 59, 0)
                  .Str("/proc/self/exe").Str("").Str(LeafFirst({"memfd:runc_cloned:/proc/self/exe"}))
                  .Str("").Str("runc").Struct(info).Build();
  ASSERT_TRUE(Decode(runc).ok());
  EXPECT_EQ(facts_.exec.exepath, "memfd:runc_cloned:/proc/self/exe");
}

TEST_F(Decoder, ForkAndExit) {
  bw_fork_info fork{};
  fork.clone_flags = 0x11;
  fork.child_pid = fork.child_tid = 77;
  fork.child_ppid = 42;
  auto rec = RecordBuilder(BW_KIND_FORK, 56, 77).Struct(fork).Build();
  ASSERT_TRUE(Decode(rec).ok());
  EXPECT_EQ(evt_.type, EventType::kClone);
  EXPECT_EQ(Arg(evt_, "pid").num, 77);
  EXPECT_EQ(Arg(evt_, "ptid").num, 42);
  EXPECT_EQ(Arg(evt_, "flags").kind, ArgKind::kCloneFlags);
  bw_exit_info exit{};
  exit.exit_code = (3 << 8);
  exit.reaper_pid = 1;
  ASSERT_TRUE(Decode(RecordBuilder(BW_KIND_EXIT, 0, 0).Struct(exit).Build()).ok());
  EXPECT_EQ(evt_.type, EventType::kProcExit);
  EXPECT_EQ(Arg(evt_, "ret").num, 3);
  EXPECT_EQ(Arg(evt_, "sig").num, 0);
  EXPECT_EQ(evt_.num, 2u);
}

TEST_F(Decoder, PrctlNameOnlyForSetName) {
  auto rec = RecordBuilder(BW_KIND_SYSCALL, 157, 0).Int(15).Int(0).Str(std::string("evil\0", 5)).Build();
  ASSERT_TRUE(Decode(rec).ok());
  EXPECT_EQ(Arg(evt_, "arg2_str").text, "evil");
  EXPECT_EQ(facts_.comm, "evil");
  rec = RecordBuilder(BW_KIND_SYSCALL, 157, 0).Int(38).Int(1).Str("bash").Build();
  ASSERT_TRUE(Decode(rec).ok());
  EXPECT_EQ(evt_.Arg("arg2_str"), nullptr);
}

TEST_F(Decoder, TruncatedRecordKeepsWhatArrived) {
  auto rec = RecordBuilder(BW_KIND_SYSCALL, 82, 0).Str("/a").Flags(BW_HDR_TRUNCATED).Build();
  ASSERT_TRUE(Decode(rec).ok());
  EXPECT_TRUE(facts_.truncated);
  EXPECT_EQ(Arg(evt_, "oldpath").text, "/a");
  EXPECT_EQ(evt_.Arg("newpath"), nullptr);
}

TEST_F(Decoder, RefusesMalformedRecords) {
  auto good = RecordBuilder(BW_KIND_SYSCALL, 87, 0).Str("/tmp/x").Build();
  ASSERT_TRUE(Decode(good).ok());
  std::vector<uint8_t> shorter(good.begin(), good.begin() + 10);
  EXPECT_FALSE(Decode(shorter).ok());
  std::vector<uint8_t> cut(good.begin(), good.end() - 2);  // header says longer
  EXPECT_FALSE(Decode(cut).ok());
  auto bad_len = good;
  bad_len[sizeof(bw_hdr)] = 0xff;  // parameter length past the end
  EXPECT_FALSE(Decode(bad_len).ok());
  EXPECT_FALSE(Decode(RecordBuilder(BW_KIND_SYSCALL, 9999, 0).Build()).ok()) << "unknown syscall";
  EXPECT_FALSE(Decode(RecordBuilder(77, 2, 0).Build()).ok()) << "unknown kind";
  EXPECT_FALSE(Decode(RecordBuilder(BW_KIND_SYSCALL, 3, 0).Str("abc").Build()).ok()) << "int of 3 bytes";
  EXPECT_FALSE(Decode(RecordBuilder(BW_KIND_SYSCALL, 87, 0).Str("a").Str("b").Build()).ok()) << "extra";
  EXPECT_FALSE(Decode(RecordBuilder(BW_KIND_EXEC, 59, 0).Str("a").Build()).ok()) << "exec w/o facts";
  EXPECT_FALSE(Decode(RecordBuilder(BW_KIND_FORK, 56, 0).Str("short").Build()).ok());
  EXPECT_FALSE(Decode(RecordBuilder(BW_KIND_EXIT, 0, 0).Build()).ok());
  auto many = RecordBuilder(BW_KIND_SYSCALL, 87, 0);
  for (int i = 0; i < 20; ++i) many.Str("x");
  EXPECT_FALSE(Decode(many.Build()).ok()) << "more parameters than allowed";
}

TEST_F(Decoder, RandomBytesNeverCrash) {
  std::mt19937 rng(7);
  auto seed = RecordBuilder(BW_KIND_SYSCALL, 257, 3).Int(1).Str("/etc/passwd").Int(0).Int(0).Build();
  int decoded = 0;
  for (int round = 0; round < 20000; ++round) {
    std::vector<uint8_t> rec = seed;
    int flips = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < flips; ++i) rec[rng() % rec.size()] = static_cast<uint8_t>(rng());
    if (rng() % 4 == 0) rec.resize(rng() % (rec.size() + 1));
    decoded += Decode(rec).ok() ? 1 : 0;
  }
  EXPECT_GT(decoded, 0);
}

TEST(Sockaddr, Families) {
  const uint8_t ip[4] = {10, 1, 2, 3};
  std::string in = testing::SockaddrIn(ip, 443);
  SockAddr a = ParseSockaddr({reinterpret_cast<const uint8_t*>(in.data()), in.size()});
  EXPECT_EQ(a.family, 2);
  EXPECT_EQ(a.port, 443);
  EXPECT_EQ(a.ip[3], 3);
  std::string in6(28, '\0');
  in6[0] = 10;
  in6[3] = 80;
  in6[8 + 15] = 1;  // ::1
  a = ParseSockaddr({reinterpret_cast<const uint8_t*>(in6.data()), in6.size()});
  EXPECT_EQ(a.family, 10);
  EXPECT_EQ(a.port, 80);
  EXPECT_EQ(a.ip[15], 1);
  std::string un("\x01\x00", 2);  // appended: GCC 12 warns falsely on operator+ chains
  un += "/run/docker.sock";
  un.push_back('\0');
  a = ParseSockaddr({reinterpret_cast<const uint8_t*>(un.data()), un.size()});
  EXPECT_EQ(a.path, "/run/docker.sock");
  std::string abstract("\x01\x00\x00", 3);
  abstract += "hidden";
  a = ParseSockaddr({reinterpret_cast<const uint8_t*>(abstract.data()), abstract.size()});
  EXPECT_EQ(a.path, "@hidden");
  std::string truncated_in6(10, '\0');
  truncated_in6[0] = 10;
  EXPECT_EQ(ParseSockaddr({reinterpret_cast<const uint8_t*>(truncated_in6.data()), 10}).family, 0);
  EXPECT_EQ(ParseSockaddr({}).family, 0);
}

TEST(LeafFirstPaths, Join) {
  std::string p = LeafFirst({"usr", "bin", "python3"});
  EXPECT_EQ(JoinLeafFirst({reinterpret_cast<const uint8_t*>(p.data()), p.size()}), "/usr/bin/python3");
  EXPECT_EQ(JoinLeafFirst({}), "/");
}

TEST(SyscallTable, KernelOrderAndArgumentBudget) {
  for (const SyscallSpec& s : AllSyscalls()) {
    SCOPED_TRACE(std::string(EventTypeName(s.type)));
    int last_reg = -1, extras = 0;
    size_t args = 1;  // the return value
    for (uint8_t i = 0; i < s.nparams; ++i) {
      const ParamSpec& p = s.params[i];
      if (p.reg == kExtraReg) {
        ++extras;
        EXPECT_EQ(i + 1, s.nparams) << "the extra parameter comes last";
      } else {
        EXPECT_GT(static_cast<int>(p.reg), last_reg) << "registers ascend";
        EXPECT_LT(p.reg, BW_MAX_ARGS);
        last_reg = p.reg;
      }
      args += p.kernel_kind == BW_A_FILE_RES ? 2 : p.kernel_kind == BW_A_USER_BYTES ? 3
              : p.kernel_kind == BW_A_CREDS ? 3 : 1;
    }
    EXPECT_LE(extras, 1);
    EXPECT_LE(args, kMaxEventArgs);
    EXPECT_EQ(FindSyscall(s.nr), &s);
    bw_spec k = KernelSpec(s, true);
    EXPECT_EQ(k.interesting, 1);
    EXPECT_EQ(k.category, s.category);
  }
  EXPECT_EQ(SyscallsFor(EventType::kOpenat), std::vector<uint16_t>{257});
  EXPECT_EQ(FindSyscall(1), nullptr) << "write is never decoded";
  // Every event type the rules can name, except procexit and the ones with
  // no x86_64 syscall, has a syscall.
  for (size_t i = 1; i < kEventTypeCount; ++i) {
    auto t = static_cast<EventType>(i);
    if (t == EventType::kProcExit || t == EventType::kUmount) continue;
    EXPECT_FALSE(SyscallsFor(t).empty()) << EventTypeName(t);
  }
  EXPECT_TRUE(StateEventTypes().test(static_cast<size_t>(EventType::kClone)));
  EXPECT_FALSE(StateEventTypes().test(static_cast<size_t>(EventType::kPtrace)));
}

}  // namespace
}  // namespace bulwark::runtime::sensor
