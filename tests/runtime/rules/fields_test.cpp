// Fields: the registry (every field falco_rules.yaml uses, notes section
// 2.1), argument forms, symbolic renderings by ArgKind, and extraction from
// processes, descriptors and containers.
#include <gtest/gtest.h>

#include <string>

#include "runtime/rules/arg_render.hpp"
#include "runtime/rules/fake_state.hpp"
#include "runtime/rules/fields.hpp"

namespace bulwark::runtime::rules {
namespace {

using testing::Errors;
using testing::LoadYaml;
using testing::OneRule;
using testing::Scene;

// The 64 distinct fields of falco_rules.yaml (notes section 2.1).
const char* const kStableFields[] = {
    "proc.cmdline", "proc.name", "proc.pname", "proc.aname", "proc.aname[2]", "evt.type", "proc.args", "user.name",
    "proc.exepath", "proc.tty", "user.uid", "user.loginuid", "fd.name", "proc.pcmdline", "evt.arg.flags",
    "proc.pexe", "container.image.repository", "fd.typechar", "evt.arg.request", "fd.l4proto", "proc.cwd",
    "evt.res", "fd.type", "proc.exe", "fd.directory", "fd.lport", "fd.rport", "thread.cap_effective",
    "evt.arg.target", "fd.nameraw", "fd.num", "container.start_ts", "evt.arg.oldpath", "evt.rawres", "group.gid",
    "group.name", "proc.pexepath", "proc.sname", "user.loginname", "container.id", "container.privileged",
    "evt.arg.domain", "evt.arg.linkpath", "evt.arg.newpath", "evt.args", "evt.is_open_read", "evt.is_open_write",
    "evt.num", "fd.connected", "fd.filename", "fd.ip", "fd.name_changed", "fd.net", "fd.sip", "fd.sip.name",
    "fd.snet", "fd.sport", "k8s.ns.name", "proc.aexepath[2]", "proc.duration", "proc.exe_ino.ctime",
    "proc.exe_ino.ctime_duration_proc_start", "proc.exe_ino.mtime", "proc.is_exe_from_memfd",
    "proc.is_exe_upper_layer"};

TEST(Fields, EveryStableRulesFieldIsDefined) {
  auto registry = DefaultFieldRegistry();
  ASSERT_NE(registry, nullptr);
  EXPECT_EQ(std::size(kStableFields), 65u);  // 64 fields, proc.aname also with an index
  for (const char* f : kStableFields) EXPECT_TRUE(registry->IsDefined(f)) << f;
  EXPECT_FALSE(registry->IsDefined("proc.nam"));
  EXPECT_FALSE(registry->IsDefined("ka.verb"));
  EXPECT_FALSE(registry->IsDefined("proc.name[1]"));
}

TEST(Fields, RegistryRefusesDuplicates) {
  FieldRegistry registry;
  ASSERT_TRUE(registry.Add(MakeProcessFields()).ok());
  EXPECT_FALSE(registry.Add(MakeProcessFields()).ok());
  // Fields are documented.
  auto all = DefaultFieldRegistry();
  for (const FieldDesc* f : all->AllFields()) EXPECT_FALSE(f->description.empty()) << f->name;
}

TEST(Fields, OutputPrefixMatching) {
  auto registry = DefaultFieldRegistry();
  ResolvedField f;
  std::string error;
  EXPECT_EQ(registry->MatchPrefix("proc.name)", f, error), 9u);
  EXPECT_EQ(f.display, "proc.name");
  EXPECT_EQ(registry->MatchPrefix("proc.aname[3] x", f, error), 13u);
  EXPECT_EQ(f.display, "proc.aname[3]");
  EXPECT_EQ(registry->MatchPrefix("evt.arg.flags,", f, error), 13u);
  EXPECT_EQ(f.display, "evt.arg.flags");
  EXPECT_EQ(registry->MatchPrefix("evt.args", f, error), 8u);
  EXPECT_EQ(registry->MatchPrefix("fd.sip.name.", f, error), 11u);
  EXPECT_EQ(registry->MatchPrefix("fd.name_x", f, error), 7u);  // longest field prefix, as Falco
  EXPECT_EQ(registry->MatchPrefix("nothing", f, error), 0u);
}

std::string Rendered(ArgKind kind, int64_t num, EventType type = EventType::kOpenat) {
  EventArg a;
  a.kind = kind;
  a.num = num;
  std::string out;
  RenderArg(a, type, out);
  return out;
}

TEST(ArgRender, SymbolicForms) {
  EXPECT_EQ(Rendered(ArgKind::kOpenFlags, 0), "O_RDONLY");
  EXPECT_EQ(Rendered(ArgKind::kOpenFlags, 01 | 0100 | 01000), "O_WRONLY|O_CREAT|O_TRUNC");
  EXPECT_EQ(Rendered(ArgKind::kOpenFlags, 02 | 02000000), "O_RDWR|O_CLOEXEC");
  EXPECT_EQ(Rendered(ArgKind::kSocketDomain, 17), "AF_PACKET");
  EXPECT_EQ(Rendered(ArgKind::kSocketDomain, 10), "AF_INET6");
  EXPECT_EQ(Rendered(ArgKind::kSocketDomain, 999), "999");
  EXPECT_EQ(Rendered(ArgKind::kSocketType, 1 | 04000 | 02000000), "SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC");
  EXPECT_EQ(Rendered(ArgKind::kPtraceRequest, 0), "PTRACE_TRACEME");
  EXPECT_EQ(Rendered(ArgKind::kPtraceRequest, 0x4206), "PTRACE_SEIZE");
  EXPECT_EQ(Rendered(ArgKind::kMountFlags, 4096 | 16384), "MS_BIND|MS_REC");
  EXPECT_EQ(Rendered(ArgKind::kMountFlags, 0xC0ED0000 | 1), "MS_RDONLY");
  EXPECT_EQ(Rendered(ArgKind::kUmountFlags, 2), "MNT_DETACH");
  EXPECT_EQ(Rendered(ArgKind::kCloneFlags, 0x100 | 0x200 | 0x400 | 17), "CLONE_VM|CLONE_FS|CLONE_FILES");
  EXPECT_EQ(Rendered(ArgKind::kNamespaceFlags, 0x20000 | 0x40000000), "CLONE_NEWNS|CLONE_NEWNET");
  EXPECT_EQ(Rendered(ArgKind::kSignal, 9), "SIGKILL");
  EXPECT_EQ(Rendered(ArgKind::kSignal, 15), "SIGTERM");
  EXPECT_EQ(Rendered(ArgKind::kUnlinkatFlags, 0x200), "AT_REMOVEDIR");
  EXPECT_EQ(Rendered(ArgKind::kLinkatFlags, 0x400), "AT_SYMLINK_FOLLOW");
  EXPECT_EQ(Rendered(ArgKind::kRenameFlags, 2), "RENAME_EXCHANGE");
  EXPECT_EQ(Rendered(ArgKind::kMemfdFlags, 1 | 2), "MFD_CLOEXEC|MFD_ALLOW_SEALING");
  EXPECT_EQ(Rendered(ArgKind::kDupFlags, 02000000), "O_CLOEXEC");
  EXPECT_EQ(Rendered(ArgKind::kFcntlCommand, 1030), "F_DUPFD_CLOEXEC");
  EXPECT_EQ(Rendered(ArgKind::kBpfCommand, 5), "BPF_PROG_LOAD");
  EXPECT_EQ(Rendered(ArgKind::kPrctlOption, 15), "PR_SET_NAME");
  EXPECT_EQ(Rendered(ArgKind::kCapabilities, (1 << 21) | 1), "CAP_CHOWN CAP_SYS_ADMIN");
  EXPECT_EQ(Rendered(ArgKind::kAccessMode, 0), "F_OK");
  EXPECT_EQ(Rendered(ArgKind::kAccessMode, 4 | 2), "W_OK|R_OK");
  EXPECT_EQ(Rendered(ArgKind::kErrno, -2), "ENOENT");
  EXPECT_EQ(Rendered(ArgKind::kErrno, 5), "5");
  EXPECT_EQ(Rendered(ArgKind::kMode, 0755), "0755");
  EXPECT_EQ(Rendered(ArgKind::kMode, 04755, EventType::kChmod),
            "S_ISUID|S_IRUSR|S_IWUSR|S_IXUSR|S_IRGRP|S_IXGRP|S_IROTH|S_IXOTH");
  EXPECT_EQ(Rendered(ArgKind::kInt, -7), "-7");
  EXPECT_EQ(Rendered(ArgKind::kUint, -1), "18446744073709551615");
}

TEST(ArgRender, ResultsAndAddresses) {
  std::string s;
  AppendResult(3, s);
  EXPECT_EQ(s, "SUCCESS");
  s.clear();
  AppendResult(-115, s);
  EXPECT_EQ(s, "EINPROGRESS");
  EXPECT_EQ(ErrnoName(13), "EACCES");
  EXPECT_EQ(ErrnoName(0), "");
  SockAddr a;
  a.family = 2;
  a.ip = {192, 168, 0, 1};
  a.port = 8080;
  s.clear();
  AppendSockAddr(a, s);
  EXPECT_EQ(s, "192.168.0.1:8080");
  a.family = 10;
  a.ip = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  s.clear();
  AppendSockAddr(a, s);
  EXPECT_EQ(s, "::1:8080");
  a.family = 1;
  a.path = "/run/docker.sock";
  s.clear();
  AppendSockAddr(a, s);
  EXPECT_EQ(s, "/run/docker.sock");
}

bool Match(const std::string& condition, const Scene& scene) {
  LoadResult r;
  auto engine = LoadYaml(OneRule(condition), r);
  EXPECT_EQ(r.ErrorCount(), 0u) << condition << "\n" << Errors(r);
  return testing::Fires(*engine, scene, "r");
}

TEST(Fields, ProcessUserAndThreadFields) {
  Scene s;
  Process& leader = s.state.Add(40, 1, "sshd");
  leader.sid = 40;
  Process& parent = s.state.Add(50, 40, "bash", {"-l"});
  parent.sid = 40;
  Process& p = s.state.Add(100, 50, "python3", {"app.py", "--port", "80"}, "/usr/bin/python3.11");
  p.sid = 40;
  p.pgid = 100;
  p.exe = "python3";
  p.env = {"HOME=/root", "PATH=/usr/bin"};
  p.euid = 33;
  p.user_name = "www-data";
  p.loginuid = 1000;
  p.login_name = "alice";
  p.egid = 33;
  p.group_name = "www-data";
  p.tty = 34816;
  p.cap_permitted = uint64_t{1} << 12;
  p.exe_ino = 42;
  s.Exec(100);
  EXPECT_TRUE(Match("proc.exeline = \"python3 app.py --port 80\" and proc.cmdnargs = 3 and proc.cmdlenargs = 14", s));
  EXPECT_TRUE(Match("proc.env[HOME] = /root and proc.env contains \"PATH=/usr/bin\" and not proc.env[SHELL] exists", s));
  EXPECT_TRUE(Match("proc.sname = sshd and proc.sid = 40 and proc.vpgid = 100 and proc.is_vpgid_leader = true", s));
  EXPECT_TRUE(Match("proc.is_sid_leader = false and proc.loginshellid = 50", s));
  EXPECT_TRUE(Match("user.uid = 33 and user.name = www-data and user.loginuid = 1000 and user.loginname = alice", s));
  EXPECT_TRUE(Match("group.gid = 33 and group.name = www-data and proc.tty = 34816", s));
  EXPECT_TRUE(Match("thread.cap_permitted = CAP_NET_ADMIN and thread.cap_effective = \"\"", s));
  EXPECT_TRUE(Match("thread.tid = 100 and proc.exe_ino = 42 and not proc.exe_ino.ctime exists", s));
  EXPECT_TRUE(Match("proc.pcmdline = \"bash -l\" and proc.ppid = 50 and proc.pid.ts > 0", s));
  EXPECT_TRUE(Match("evt.arg.filename = /usr/bin/python3.11 and evt.arg.flags = 0", s));  // exe flags from the process
  s.state.procs[100].loginuid.reset();
  EXPECT_TRUE(Match("user.loginuid = -1", s));
}

TEST(Fields, DescriptorFields) {
  Scene s;
  s.state.Add(100, 1, "cat");
  s.Open(100, "/etc/ssh/sshd_config", 0, 4, "../etc/ssh/sshd_config");
  EXPECT_TRUE(Match("fd.directory = /etc/ssh and fd.filename = sshd_config and fd.num = 4", s));
  EXPECT_TRUE(Match("fd.nameraw = ../etc/ssh/sshd_config and fd.typechar = f and fd.type = file", s));
  EXPECT_TRUE(Match("evt.is_open_read = true and evt.is_open_write = false and evt.is_open_create = false", s));
  EXPECT_FALSE(Match("fd.l4proto exists or fd.sip exists or fd.sockfamily exists", s));
  s.fd.name = "/shadow";
  EXPECT_TRUE(Match("fd.directory = / and fd.filename = shadow", s));
  s.fd.type = FdType::kDirectory;
  s.fd.name = "/etc";
  EXPECT_TRUE(Match("fd.directory = /etc and fd.typechar = d", s));
  s.fd.type = FdType::kUnix;
  s.fd.name = "/run/docker.sock";
  EXPECT_TRUE(Match("fd.sockfamily = unix and fd.typechar = u and not fd.ip exists", s));
  EXPECT_TRUE(Match("fd.name_changed = false", s));
  s.fd.name_changed_evt = s.evt.num;  // this event named it (a first name counts)
  EXPECT_TRUE(Match("fd.name_changed = true", s));
  s.evt.num += 1;  // a later event on the same descriptor
  EXPECT_TRUE(Match("fd.name_changed = false", s));
}

TEST(Fields, ContainerAndKubernetesFields) {
  Scene s;
  Process& p = s.state.Add(100, 1, "sh");
  p.container_id = "abcdef012345";
  Container& c = s.state.AddContainer("abcdef012345", "registry.k8s.io/pause");
  c.type = "containerd";
  c.labels["app"] = "web";
  c.mounts.push_back({"/var/run/docker.sock", "/var/run/docker.sock", "", true, "rprivate"});
  c.mounts.push_back({"/root/data", "/data", "ro", false, ""});
  c.k8s_ns_name = "kube-system";
  c.k8s_pod_name = "pause-1";
  c.start_ts_ns = 1'700'000'005'000'000'000ULL;
  s.Exec(100);
  EXPECT_TRUE(Match("container.id = abcdef012345 and container.name = c-abcd and container.type = containerd", s));
  EXPECT_TRUE(Match("container.image = registry.k8s.io/pause:latest and container.image.tag = latest", s));
  EXPECT_TRUE(Match("container.label[app] = web and not container.label[tier] exists", s));
  EXPECT_TRUE(Match("container.mount.dest[/var/run/docker.sock] = /var/run/docker.sock", s));
  EXPECT_TRUE(Match("container.mount.dest[/root*] = /data and container.mount.rdwr[/root*] = false", s));
  EXPECT_TRUE(Match("container.mount.source[/data] = /root/data and container.mount[1] = /root/data:/data:ro:false:", s));
  EXPECT_TRUE(Match("not container.mount.dest[/proc*] exists", s));
  EXPECT_TRUE(Match("container.mounts contains /root/data:/data", s));
  EXPECT_TRUE(Match("k8s.ns.name = kube-system and k8s.pod.name = pause-1 and not k8s.pod.uid exists", s));
  EXPECT_TRUE(Match("container.duration = 5000000000 and container.start_ts = 1700000005000000000", s));
  // Metadata not known yet: the id still is, the rest cannot be read.
  s.state.containers.clear();
  EXPECT_TRUE(Match("container.id = abcdef012345 and not container.image.repository exists", s));
  EXPECT_FALSE(Match("container.privileged = false", s));
}

}  // namespace
}  // namespace bulwark::runtime::rules
