// Output formats: %field, %field[arg], %evt.arg.<name>, %Nfield widths,
// <NA> for missing values and null in output_fields, the bare proc.aname
// list, time renderings, literal text around tokens, and format errors.
#include <gtest/gtest.h>

#include <string>

#include "runtime/rules/dns_cache.hpp"
#include "runtime/rules/fake_state.hpp"

namespace bulwark::runtime::rules {
namespace {

using testing::Errors;
using testing::LoadYaml;
using testing::OneRule;
using testing::Scene;

Alert Render(const std::string& output, const Scene& scene, const DnsCache* dns = nullptr) {
  LoadResult r;
  auto engine = LoadYaml(OneRule("evt.num > 0", output), r, dns);
  EXPECT_EQ(r.ErrorCount(), 0u) << Errors(r);
  std::vector<Alert> alerts;
  engine->Evaluate(scene.Context(), alerts);
  EXPECT_EQ(alerts.size(), 1u);
  return alerts.empty() ? Alert{} : alerts[0];
}

Scene Shell() {
  Scene s;
  s.state.Add(50, 1, "sshd");
  s.state.Add(100, 50, "bash", {"-c", "id"});
  s.Exec(100);
  return s;
}

TEST(Output, FieldsAndLiterals) {
  Alert a = Render("shell %proc.name (parent=%proc.pname) ran '%proc.cmdline' as %user.name.", Shell());
  EXPECT_EQ(a.output, "shell bash (parent=sshd) ran 'bash -c id' as root.");
  ASSERT_EQ(a.output_fields.size(), 4u);
  EXPECT_EQ(a.output_fields[0], (std::pair<std::string, std::optional<std::string>>{"proc.name", "bash"}));
  EXPECT_EQ(a.output_fields[3].first, "user.name");
}

TEST(Output, MissingValuesAreNA) {
  Scene s = Shell();
  Alert a = Render("file=%fd.name gp=%proc.aname[2] ggp=%proc.aname[3]", s);
  EXPECT_EQ(a.output, "file=<NA> gp=systemd ggp=<NA>");
  ASSERT_EQ(a.output_fields.size(), 3u);
  EXPECT_EQ(a.output_fields[0].first, "fd.name");
  EXPECT_FALSE(a.output_fields[0].second.has_value());
  EXPECT_EQ(a.output_fields[1].first, "proc.aname[2]");
  EXPECT_EQ(a.output_fields[1].second, "systemd");
  EXPECT_FALSE(a.output_fields[2].second.has_value());
}

TEST(Output, BareAncestorsPrintTheList) {
  Alert a = Render("lineage=%proc.aname pids=%proc.apid", Shell());
  EXPECT_EQ(a.output, "lineage=sshd systemd pids=50 1");
}

TEST(Output, EventArgumentsAndWidths) {
  Scene s = Shell();
  s.Open(100, "/var/log/syslog", 01 | 0100 | 01000);  // O_WRONLY|O_CREAT|O_TRUNC
  Alert a = Render("[%5proc.name][%2fd.name] %evt.arg.flags %evt.arg[1] res=%evt.res %evt.type", s);
  EXPECT_EQ(a.output, "[bash ][/v] O_WRONLY|O_CREAT|O_TRUNC /var/log/syslog res=SUCCESS openat");
  ASSERT_EQ(a.output_fields.size(), 6u);
  EXPECT_EQ(a.output_fields[2].first, "evt.arg.flags");
  EXPECT_EQ(a.output_fields[3].first, "evt.arg[1]");
  Scene failed = Shell();
  failed.Open(100, "/nope", 0, -2);
  EXPECT_EQ(Render("%evt.res %evt.rawres %evt.failed %fd.num", failed).output, "ENOENT -2 true -1");
  Alert args = Render("%evt.args", s);
  EXPECT_EQ(args.output, "res=3 dirfd=-100 name=/var/log/syslog flags=O_WRONLY|O_CREAT|O_TRUNC mode=0644");
}

TEST(Output, TimesAndContainerFields) {
  Scene s = Shell();
  s.evt.ts_ns = 1'700'000'000'123'456'789ULL;  // 2023-11-14T22:13:20.123456789Z
  Alert a = Render("%evt.time|%evt.time.s|%evt.time.iso8601|%evt.rawtime|%container.id|%container.name", s);
  EXPECT_EQ(a.output, "22:13:20.123456789|22:13:20|2023-11-14T22:13:20.123456789Z|1700000000123456789|host|host");
  s.state.AddContainer("abcdef012345", "nginx").privileged = true;
  s.state.procs[100].container_id = "abcdef012345";
  EXPECT_EQ(Render("%container.id %container.image.repository %container.privileged %k8s.ns.name", s).output,
            "abcdef012345 nginx true <NA>");
}

TEST(Output, CapabilitiesAndDnsNames) {
  Scene s = Shell();
  s.state.procs[100].cap_effective = (uint64_t{1} << 13) | (uint64_t{1} << 21);
  EXPECT_EQ(Render("%thread.cap_effective", s).output, "CAP_NET_RAW CAP_SYS_ADMIN");
  DnsCache dns;
  dns.Set("api.example", {*ParseIp("10.0.0.9")});
  s.Start(EventType::kConnect, 100);
  s.Socket4({10, 0, 0, 5}, 40000, {10, 0, 0, 9}, 443);
  EXPECT_EQ(Render("%fd.sip.name %fd.cip.name %fd.sip", s, &dns).output, "api.example <NA> 10.0.0.9");
}

TEST(Output, FormatErrors) {
  auto error = [](const std::string& output) {
    LoadResult r;
    LoadYaml(OneRule("evt.num > 0", output), r);
    return r.ErrorCount() == 1 ? FormatDiagnostic(r.diagnostics[0]) : Errors(r);
  };
  EXPECT_EQ(error("x %proc.nam y"), "test.yaml:4:14: error: rule 'r': invalid formatting token %proc.nam (nonexistent field)");
  EXPECT_EQ(error("100%"), "test.yaml:4:15: error: rule 'r': invalid formatting token: '%' must be followed by a field name");
  EXPECT_EQ(error("%proc.aname[x]"), "test.yaml:4:12: error: rule 'r': field 'proc.aname' needs a numeric index, got 'x'");
  EXPECT_EQ(error("%tolower(proc.name)"),
            "test.yaml:4:12: error: rule 'r': transformers in outputs are not supported by bulwark: %tolower(proc.name)");
}

}  // namespace
}  // namespace bulwark::runtime::rules
