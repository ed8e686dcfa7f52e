// Every comparison operator and the semantics copied from Falco: absent
// fields make every comparison false (`!=` too), signed numeric compares,
// `in` lists (short and hashed), ancestors (any), socket ends (either;
// `!=`: neither), list fields (`in` all / `intersects` any), precedence
// truth table, transformers, and operator/value errors.
#include <fcntl.h>

#include <gtest/gtest.h>

#include <string>

#include "runtime/rules/compare.hpp"
#include "runtime/rules/dns_cache.hpp"
#include "runtime/rules/fake_state.hpp"

namespace bulwark::runtime::rules {
namespace {

using testing::Errors;
using testing::Fires;
using testing::LoadYaml;
using testing::OneRule;
using testing::Scene;

bool Match(const std::string& condition, const Scene& scene, const DnsCache* dns = nullptr) {
  LoadResult r;
  auto engine = LoadYaml(OneRule(condition), r, dns);
  EXPECT_EQ(r.ErrorCount(), 0u) << condition << "\n" << Errors(r);
  return Fires(*engine, scene, "r");
}

// The first error message of loading `condition`.
std::string ErrorOf(const std::string& condition) {
  LoadResult r;
  LoadYaml(OneRule(condition), r);
  for (const auto& d : r.diagnostics) {
    if (d.severity == DiagSeverity::kError) return d.message;
  }
  return "";
}

// bash (100) <- sshd (50) <- systemd (1), root, "bash -c echo hi".
Scene Shell() {
  Scene s;
  s.state.Add(50, 1, "sshd");
  Process& p = s.state.Add(100, 50, "bash", {"-c", "echo hi"}, "/usr/bin/bash");
  p.exe = "bash";
  s.Exec(100);
  return s;
}

TEST(Operators, EqualityOnStringsAndNumbers) {
  Scene s = Shell();
  EXPECT_TRUE(Match("proc.name = bash", s));
  EXPECT_TRUE(Match("proc.name == bash", s));
  EXPECT_FALSE(Match("proc.name = bas", s));
  EXPECT_TRUE(Match("proc.name != sh", s));
  EXPECT_FALSE(Match("proc.name != bash", s));
  EXPECT_TRUE(Match("proc.pid = 100", s));
  EXPECT_TRUE(Match("proc.pid = 0x64", s));
  EXPECT_TRUE(Match("proc.pid != 5", s));
  EXPECT_TRUE(Match("proc.cmdline = \"bash -c echo hi\"", s));
  EXPECT_TRUE(Match("proc.args = \"-c echo hi\"", s));
}

TEST(Operators, AbsentFieldIsFalseForEveryOperatorIncludingNotEquals) {
  Scene s = Shell();
  s.state.procs[100].ppid = 4242;  // parent unknown: proc.pname cannot be read
  for (const char* c : {"proc.pname = sshd", "proc.pname != sshd", "proc.pname contains s", "proc.pname in (sshd, x)",
                        "proc.pname startswith s", "proc.pname glob '*'", "proc.pname exists", "proc.pvpid < 1000",
                        "proc.pname intersects (sshd)", "proc.pname icontains S", "proc.pname regex '.*'"}) {
    EXPECT_FALSE(Match(c, s)) << c;
  }
  // Hence `not proc.pname = x` and `proc.pname != x` differ (notes 1.6).
  EXPECT_TRUE(Match("not proc.pname = sshd", s));
  EXPECT_TRUE(Match("not proc.pname exists", s));
  EXPECT_TRUE(Match("proc.name exists", s));
}

TEST(Operators, SignedNumericCompares) {
  Scene failed = Shell();
  failed.Open(100, "/etc/nothere", O_RDONLY, -2);
  EXPECT_TRUE(Match("fd.num < 0", failed));
  EXPECT_TRUE(Match("fd.num = -1", failed));
  EXPECT_TRUE(Match("evt.rawres < -1", failed));
  EXPECT_TRUE(Match("evt.rawres = -2", failed));
  EXPECT_TRUE(Match("evt.rawarg.res < -1", failed));
  EXPECT_FALSE(Match("evt.rawres >= 0", failed));
  Scene ok = Shell();
  ok.Open(100, "/etc/hosts", O_RDONLY, 7);
  EXPECT_TRUE(Match("fd.num >= 0 and fd.num <= 7 and fd.num > 6 and fd.num < 8", ok));
  EXPECT_TRUE(Match("evt.rawarg.dirfd = -100", ok));
  EXPECT_TRUE(Match("evt.rawarg.name = /etc/hosts", ok));
  EXPECT_TRUE(Match("proc.duration > 9000000000 and proc.duration < 11000000000", ok));
}

TEST(Operators, StringOperators) {
  Scene s = Shell();
  s.state.procs[100].cwd = "/home/Alice/src";
  EXPECT_TRUE(Match("proc.cwd contains Alice", s));
  EXPECT_FALSE(Match("proc.cwd contains alice", s));
  EXPECT_TRUE(Match("proc.cwd icontains ALICE", s));
  EXPECT_TRUE(Match("proc.cwd startswith /home/", s));
  EXPECT_FALSE(Match("proc.cwd startswith home", s));
  EXPECT_TRUE(Match("proc.cwd endswith /src", s));
  EXPECT_TRUE(Match("proc.cwd glob '/home/*/src'", s));
  EXPECT_TRUE(Match("proc.cwd glob '/home/?lice/sr[a-c]'", s));
  EXPECT_FALSE(Match("proc.cwd glob '/home/*/bin'", s));
  EXPECT_TRUE(Match("proc.cwd iglob '/HOME/*/SRC'", s));
  EXPECT_TRUE(Match("proc.cwd regex '/home/[A-Z][a-z]+/src'", s));
  EXPECT_FALSE(Match("proc.cwd regex 'Alice'", s));  // full match, not search
  // Numeric operators take numbers only (libs grammar).
  EXPECT_EQ(ErrorOf("proc.cwd > /a"), "expected a number value");
}

TEST(Operators, PathPrefixMatch) {
  Scene s = Shell();
  s.Open(100, "/etc/ssh/sshd_config", O_RDONLY);
  EXPECT_TRUE(Match("fd.name pmatch (/etc)", s));
  EXPECT_TRUE(Match("fd.name pmatch (/var, /etc/ssh)", s));
  EXPECT_TRUE(Match("fd.name pmatch (/etc/ssh/sshd_config)", s));
  EXPECT_FALSE(Match("fd.name pmatch (/et)", s));  // components, not characters
  EXPECT_FALSE(Match("fd.name pmatch (/etc/ssh/sshd_config/x)", s));
  EXPECT_TRUE(Match("fd.name pmatch (/e*/s?h)", s));
  EXPECT_TRUE(Match("fd.directory pmatch (/etc)", s));
}

TEST(Operators, InListsShortAndHashed) {
  Scene s = Shell();
  EXPECT_TRUE(Match("proc.name in (sh, bash)", s));
  EXPECT_FALSE(Match("proc.name in (sh, zsh)", s));
  EXPECT_FALSE(Match("proc.name in ()", s));
  std::string many = "proc.name in (a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, bash, a12)";
  EXPECT_TRUE(Match(many, s));
  EXPECT_FALSE(Match("proc.name in (a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12)", s));
  EXPECT_TRUE(Match("proc.pid in (1, 100, 200)", s));
  EXPECT_TRUE(Match("proc.name intersects (bash, x)", s));  // a scalar: like `in`
}

TEST(Operators, BareAncestorFieldsMatchAnyAncestor) {
  Scene s = Shell();
  EXPECT_TRUE(Match("proc.aname = sshd", s));
  EXPECT_TRUE(Match("proc.aname = systemd", s));
  EXPECT_FALSE(Match("proc.aname = bash", s));  // the process itself is not its own ancestor
  EXPECT_TRUE(Match("proc.aname in (nginx, systemd)", s));
  EXPECT_TRUE(Match("proc.aname != sshd", s));  // systemd differs: any ancestor
  EXPECT_TRUE(Match("proc.aname[0] = bash and proc.aname[1] = sshd and proc.aname[2] = systemd", s));
  EXPECT_FALSE(Match("proc.aname[3] exists", s));
  EXPECT_FALSE(Match("proc.aname[3] != x", s));
  EXPECT_TRUE(Match("proc.apid = 1 and proc.apid[1] = 50", s));
  EXPECT_TRUE(Match("proc.aexepath = /usr/bin/sshd", s));
  EXPECT_TRUE(Match("proc.acmdline startswith systemd", s));
  EXPECT_TRUE(Match("proc.pname = sshd and proc.pexepath = /usr/bin/sshd", s));
}

TEST(Operators, SocketEndsEitherAndNeither) {
  Scene s = Shell();
  s.Start(EventType::kConnect, 100);
  s.Socket4({10, 0, 0, 5}, 40000, {93, 184, 216, 34}, 443);
  EXPECT_TRUE(Match("fd.ip = 10.0.0.5", s));
  EXPECT_TRUE(Match("fd.ip = 93.184.216.34", s));
  EXPECT_FALSE(Match("fd.ip != 10.0.0.5", s));  // one end equals
  EXPECT_TRUE(Match("fd.ip != 1.1.1.1", s));
  EXPECT_TRUE(Match("fd.sip = 93.184.216.34 and fd.cip = 10.0.0.5", s));
  EXPECT_TRUE(Match("fd.rip = 93.184.216.34 and fd.lip = 10.0.0.5", s));
  EXPECT_TRUE(Match("fd.net = 10.0.0.0/8", s));
  EXPECT_FALSE(Match("fd.net != 10.0.0.0/8", s));
  EXPECT_FALSE(Match("fd.snet = 10.0.0.0/8", s));
  EXPECT_TRUE(Match("fd.snet in (\"10.0.0.0/8\", \"93.184.0.0/16\")", s));
  EXPECT_TRUE(Match("fd.cnet = 10.0.0.0/24 and fd.rnet = 93.184.216.34 and fd.lnet = 10.0.0.5/32", s));
  EXPECT_TRUE(Match("fd.port = 443 and fd.port = 40000 and fd.sport = 443 and fd.cport = 40000", s));
  EXPECT_FALSE(Match("fd.port != 443", s));
  EXPECT_TRUE(Match("fd.port > 1000", s));  // either end
  EXPECT_TRUE(Match("fd.lport = 40000 and fd.rport = 443", s));
  EXPECT_TRUE(Match("fd.sport in (80, 443)", s));
  EXPECT_TRUE(Match("fd.l4proto = tcp and fd.sockfamily = ip and fd.typechar = 4 and fd.type = ipv4", s));
  EXPECT_TRUE(Match("fd.name = 10.0.0.5:40000->93.184.216.34:443", s));
  // IPv6 literals.
  s.fd.type = FdType::kIpv6;
  s.fd.remote.family = 10;
  s.fd.remote.ip = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  EXPECT_TRUE(Match("fd.sip = 2001:db8::1 and fd.snet = 2001:db8::/32", s));
}

TEST(Operators, DnsNamesThroughTheCache) {
  DnsCache dns;
  dns.Set("api.example", {*ParseIp("93.184.216.34")});
  Scene s = Shell();
  s.Start(EventType::kConnect, 100);
  s.Socket4({10, 0, 0, 5}, 40000, {93, 184, 216, 34}, 443);
  EXPECT_TRUE(Match("fd.sip.name = api.example", s, &dns));
  EXPECT_TRUE(Match("fd.rip.name in (x.example, api.example)", s, &dns));
  EXPECT_FALSE(Match("fd.cip.name = api.example", s, &dns));
  EXPECT_TRUE(Match("fd.sip.name endswith .example", s, &dns));
  EXPECT_FALSE(Match("fd.sip.name = api.example", s, nullptr));  // no cache: never matches
  // A lookup that fails (".invalid" never resolves, RFC 6761) keeps the
  // last good answer.
  dns.Set("pool.invalid", {*ParseIp("93.184.216.34")});
  EXPECT_EQ(dns.Refresh({"pool.invalid"}), 0u);
  EXPECT_TRUE(Match("fd.sip.name = pool.invalid", s, &dns));
}

TEST(Operators, BytesOperators) {
  Scene s = Shell();
  s.Start(EventType::kSendto, 100, 8);
  s.Arg("fd", ArgKind::kFd).num = 3;
  s.Arg("data", ArgKind::kBytes).text = std::string("\xca\xfe\xba\xbe\x00\x01", 6);
  EXPECT_TRUE(Match("evt.buffer bcontains cafebabe", s));
  EXPECT_TRUE(Match("evt.buffer bcontains BABE0001", s));
  EXPECT_TRUE(Match("evt.buffer bstartswith cafe", s));
  EXPECT_FALSE(Match("evt.buffer bstartswith babe", s));
  EXPECT_EQ(ErrorOf("evt.buffer bcontains cafeb"), "'cafeb' is not a valid hex string for evt.buffer");
}

TEST(Operators, ListFieldsInMeansAllIntersectsMeansAny) {
  auto operand = CompileOperand(FieldType::kString, Op::kIn, {"a", "b", "c"}, nullptr);
  ASSERT_TRUE(operand.ok());
  auto inter = CompileOperand(FieldType::kString, Op::kIntersects, {"a", "b", "c"}, nullptr);
  ASSERT_TRUE(inter.ok());
  Extraction x;
  x.Set(Value::Str("a"));
  x.Set(Value::Str("z"));
  std::string scratch;
  EXPECT_FALSE(CompareCheck(x, FieldType::kString, Multiplicity::kList, Op::kIn, **operand, scratch));
  EXPECT_TRUE(CompareCheck(x, FieldType::kString, Multiplicity::kList, Op::kIntersects, **inter, scratch));
  Extraction all;
  all.Set(Value::Str("a"));
  all.Set(Value::Str("c"));
  EXPECT_TRUE(CompareCheck(all, FieldType::kString, Multiplicity::kList, Op::kIn, **operand, scratch));
  // Ancestors instead: `in` is any.
  EXPECT_TRUE(CompareCheck(x, FieldType::kString, Multiplicity::kAnyOf, Op::kIn, **operand, scratch));
  EXPECT_NE(CheckOperator(FieldType::kString, Op::kContains, Multiplicity::kList), "");
}

// a or b and c == a or (b and c); not binds tighter than and.
TEST(Operators, PrecedenceTruthTable) {
  const std::vector<std::pair<std::string, bool (*)(bool, bool, bool)>> table = {
      {"A or B and C", [](bool a, bool b, bool c) { return a || (b && c); }},
      {"A and B or C", [](bool a, bool b, bool c) { return (a && b) || c; }},
      {"not A and B", [](bool a, bool b, bool) { return !a && b; }},
      {"not (A and B) or C", [](bool a, bool b, bool c) { return !(a && b) || c; }},
      {"not not A or not B and not C", [](bool a, bool b, bool c) { return a || (!b && !c); }},
      {"(A or B) and not(C)", [](bool a, bool b, bool c) { return (a || b) && !c; }},
  };
  for (const auto& [expr, truth] : table) {
    std::string cond = expr;
    for (const auto& [var, arg] : {std::pair{"A", "evt.rawarg.a = 1"}, {"B", "evt.rawarg.b = 1"}, {"C", "evt.rawarg.c = 1"}}) {
      for (size_t p; (p = cond.find(var)) != std::string::npos;) cond.replace(p, 1, arg);
    }
    LoadResult r;
    auto engine = LoadYaml(OneRule(cond), r);
    ASSERT_EQ(r.ErrorCount(), 0u) << Errors(r);
    for (int bits = 0; bits < 8; ++bits) {
      Scene s = Shell();
      s.Start(EventType::kKill, 100);
      s.Arg("a", ArgKind::kInt).num = bits & 1;
      s.Arg("b", ArgKind::kInt).num = (bits >> 1) & 1;
      s.Arg("c", ArgKind::kInt).num = (bits >> 2) & 1;
      EXPECT_EQ(Fires(*engine, s, "r"), truth(bits & 1, (bits >> 1) & 1, (bits >> 2) & 1)) << expr << " bits=" << bits;
    }
  }
}

TEST(Operators, Transformers) {
  Scene s = Shell();
  s.state.procs[100].comm = "BaSh";
  EXPECT_TRUE(Match("tolower(proc.name) = bash", s));
  EXPECT_TRUE(Match("toupper(proc.name) = BASH", s));
  EXPECT_TRUE(Match("len(proc.name) = 4", s));
  EXPECT_TRUE(Match("basename(proc.exepath) = bash", s));
  EXPECT_TRUE(Match("toupper(basename(proc.exepath)) = BASH", s));
  EXPECT_TRUE(Match("tolower(proc.aname) = systemd", s));
  s.state.procs[100].args = {"aGVsbG8="};
  EXPECT_TRUE(Match("b64(proc.args) = hello", s));
  EXPECT_EQ(ErrorOf("len(proc.pid) = 3"), "transformer 'len' needs a string field, 'proc.pid' is a number");
}

TEST(Operators, BooleanFields) {
  Scene s = Shell();
  s.state.procs[100].exe_upper_layer = true;
  EXPECT_TRUE(Match("proc.is_exe_upper_layer = true", s));
  EXPECT_FALSE(Match("proc.is_exe_upper_layer = false", s));
  EXPECT_TRUE(Match("proc.is_exe_from_memfd != true", s));
  EXPECT_EQ(ErrorOf("proc.is_exe_upper_layer = yes"),
            "'yes' is not a valid boolean (true or false) for proc.is_exe_upper_layer");
}

TEST(Operators, OperatorAndValueErrors) {
  EXPECT_EQ(ErrorOf("proc.pid contains 1"), "operator 'contains' is not supported for number fields ('proc.pid')");
  EXPECT_EQ(ErrorOf("fd.ip = notanip"), "'notanip' is not a valid IP address for fd.ip");
  EXPECT_EQ(ErrorOf("fd.net = 10.0.0.0/33"), "'10.0.0.0/33' is not a valid IP network (CIDR) for fd.net");
  EXPECT_EQ(ErrorOf("fd.num = three"), "'three' is not a valid number for fd.num");
  EXPECT_EQ(ErrorOf("proc.name regex '(('"),
            "invalid regular expression '((': missing ): (( for proc.name");
  EXPECT_EQ(ErrorOf("proc.nam = x"), "nonexistent field proc.nam");
  EXPECT_EQ(ErrorOf("proc.aname[x] = y"), "field 'proc.aname' needs a numeric index, got 'x'");
  EXPECT_EQ(ErrorOf("proc.name[1] = y"), "field 'proc.name' does not take an argument");
  EXPECT_EQ(ErrorOf("container.label = y"), "field 'container.label' requires an argument");
  EXPECT_EQ(ErrorOf("fd.ip contains 1"), "operator 'contains' is not supported for ip address fields ('fd.ip')");
}

}  // namespace
}  // namespace bulwark::runtime::rules
