// deploy/ (Grafana, Prometheus, Loki beside bulwark): every file parses;
// every dashboard panel, query and variable names a provisioned datasource;
// every metric a PromQL expression selects is one bulwark exports
// (RenderPrometheus) or one deploy/README.md documents as coming from
// `bulwark serve`; Loki queries select bulwark's streams by its labels; the
// compose file keeps its hardening; `promtool check config` accepts
// prometheus.yml; `bulwark audit deploy/` reports nothing unsuppressed.
#include <regex>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "runtime/output/metrics.hpp"
#include "runtime/output/prometheus.hpp"
#include "test_support.hpp"

namespace bulwark {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path Deploy() { return testing::SourceDir() / "deploy"; }

// Metric names RenderPrometheus writes once every family has a sample.
std::set<std::string> WatchMetricNames() {
  runtime::output::AlertMetrics metrics;
  runtime::Alert alert;
  alert.rule = "r";
  metrics.SetEventsSeen(1);
  metrics.SetEventsDropped(1);
  metrics.CountAlert(alert);
  metrics.CountSuppressed("r");
  metrics.CountSummary();
  metrics.CountDelivered("s");
  metrics.CountSinkError("s");
  metrics.CountRejected("s");
  metrics.CountSinkDropped("s", 1);
  metrics.SetSpool("s", {});
  std::string text = runtime::output::RenderPrometheus(metrics.Snapshot());
  std::set<std::string> names;
  std::regex type_line("# TYPE (bulwark_[a-z_]+) ");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), type_line);
       it != std::sregex_iterator(); ++it) {
    names.insert((*it)[1]);
  }
  return names;
}

// The metrics deploy/README.md's "Metrics from `bulwark serve`" table names.
std::set<std::string> ServeMetricNames() {
  std::string readme = testing::ReadFile(Deploy() / "README.md");
  size_t start = readme.find("## Metrics from `bulwark serve`");
  EXPECT_NE(start, std::string::npos);
  std::string section = readme.substr(start, readme.find("\n## ", start + 1) - start);
  std::set<std::string> names;
  std::regex row("\\| `(bulwark_[a-z_]+)` \\|");
  for (auto it = std::sregex_iterator(section.begin(), section.end(), row);
       it != std::sregex_iterator(); ++it) {
    names.insert((*it)[1]);
  }
  return names;
}

std::map<std::string, std::string> DatasourceTypesByUid() {
  YAML::Node doc = YAML::LoadFile(
      (Deploy() / "grafana/provisioning/datasources/bulwark.yml").string());
  std::map<std::string, std::string> out;
  for (const YAML::Node& ds : doc["datasources"]) {
    out[ds["uid"].as<std::string>()] = ds["type"].as<std::string>();
  }
  return out;
}

// Every panel, rows' nested panels included.
std::vector<json> Panels(const json& dashboard) {
  std::vector<json> out;
  for (const json& panel : dashboard["panels"]) {
    out.push_back(panel);
    if (panel.contains("panels")) {
      for (const json& inner : panel["panels"]) out.push_back(inner);
    }
  }
  return out;
}

json Dashboard() {
  return json::parse(testing::ReadFile(Deploy() / "grafana/dashboards/bulwark.json"));
}

TEST(DeployFiles, DatasourcesAreThePrometheusAndLokiTheDashboardUses) {
  auto types = DatasourceTypesByUid();
  EXPECT_EQ(types, (std::map<std::string, std::string>{{"bulwark-loki", "loki"},
                                                       {"bulwark-prometheus", "prometheus"}}));
  YAML::Node providers =
      YAML::LoadFile((Deploy() / "grafana/provisioning/dashboards/bulwark.yml").string());
  EXPECT_EQ(providers["providers"][0]["options"]["path"].as<std::string>(),
            "/var/lib/grafana/dashboards/bulwark");
  json dash = Dashboard();
  EXPECT_EQ(dash["uid"], "bulwark");
  size_t queries = 0;
  for (const json& panel : Panels(dash)) {
    if (panel["type"] == "row") continue;
    const std::string uid = panel["datasource"]["uid"];
    ASSERT_TRUE(types.count(uid)) << panel["title"];
    EXPECT_EQ(panel["datasource"]["type"], types[uid]) << panel["title"];
    ASSERT_FALSE(panel["targets"].empty()) << panel["title"];
    for (const json& target : panel["targets"]) {
      EXPECT_EQ(target["datasource"]["uid"], uid) << panel["title"];
      EXPECT_FALSE(target["expr"].get<std::string>().empty());
      ++queries;
    }
  }
  EXPECT_GE(queries, 14u);
  for (const json& variable : dash["templating"]["list"]) {
    EXPECT_TRUE(types.count(variable["datasource"]["uid"])) << variable["name"];
  }
}

TEST(DeployFiles, PromQlSelectsOnlyMetricsBulwarkExports) {
  std::set<std::string> known = WatchMetricNames();
  ASSERT_GE(known.size(), 15u);  // the families docs/watch-outputs.md lists
  for (const std::string& name : ServeMetricNames()) known.insert(name);
  ASSERT_TRUE(known.count("bulwark_findings"));
  // A selector: a name right before '{' or '[' or standing alone in a call.
  std::regex metric("\\b(bulwark_[a-zA-Z0-9_]+)\\b");
  std::regex any_selector("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*[\\{\\[]");
  std::set<std::string> used;
  for (const json& panel : Panels(Dashboard())) {
    if (panel["type"] == "row" || panel["datasource"]["type"] != "prometheus") continue;
    for (const json& target : panel["targets"]) {
      const std::string expr = target["expr"];
      size_t found = 0;
      for (auto it = std::sregex_iterator(expr.begin(), expr.end(), metric);
           it != std::sregex_iterator(); ++it, ++found) {
        EXPECT_TRUE(known.count((*it)[1])) << (*it)[1] << " in " << expr;
        used.insert((*it)[1]);
      }
      EXPECT_GT(found, 0u) << expr;
      for (auto it = std::sregex_iterator(expr.begin(), expr.end(), any_selector);
           it != std::sregex_iterator(); ++it) {
        EXPECT_EQ((*it)[1].str().rfind("bulwark_", 0), 0u) << "selector " << (*it)[1] << " in " << expr;
      }
    }
  }
  for (const char* needed : {"bulwark_alerts_total", "bulwark_alerts_by_container_total",
                             "bulwark_events_seen_total", "bulwark_events_dropped_total",
                             "bulwark_sink_errors_total", "bulwark_spool_records",
                             "bulwark_findings", "bulwark_vulnerabilities", "bulwark_build_info"}) {
    EXPECT_TRUE(used.count(needed)) << needed;
  }
}

TEST(DeployFiles, LokiQueriesSelectBulwarkStreamsByItsLabels) {
  const std::set<std::string> labels = {"rule", "priority", "container", "host", "source"};
  std::regex matcher("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"");
  std::regex by("by \\(([a-z_, ]+)\\)");
  size_t loki_queries = 0;
  for (const json& panel : Panels(Dashboard())) {
    if (panel["type"] == "row" || panel["datasource"]["type"] != "loki") continue;
    for (const json& target : panel["targets"]) {
      const std::string expr = target["expr"];
      ++loki_queries;
      EXPECT_NE(expr.find("source=\"bulwark\""), std::string::npos) << expr;
      std::string selector = expr.substr(expr.find('{'), expr.find('}') - expr.find('{'));
      for (auto it = std::sregex_iterator(selector.begin(), selector.end(), matcher);
           it != std::sregex_iterator(); ++it) {
        EXPECT_TRUE(labels.count((*it)[1])) << (*it)[1] << " in " << expr;
      }
      for (auto it = std::sregex_iterator(expr.begin(), expr.end(), by);
           it != std::sregex_iterator(); ++it) {
        EXPECT_TRUE(labels.count((*it)[1])) << (*it)[1] << " in " << expr;
      }
    }
  }
  EXPECT_GE(loki_queries, 3u);  // by priority, by rule, the live log
}

TEST(DeployFiles, ComposeKeepsItsHardening) {
  YAML::Node compose = YAML::LoadFile((Deploy() / "compose.monitoring.yml").string());
  std::set<std::string> services;
  for (const auto& entry : compose["services"]) {
    const std::string name = entry.first.as<std::string>();
    const YAML::Node& s = entry.second;
    services.insert(name);
    const std::string image = s["image"].as<std::string>();
    EXPECT_NE(image.find(':'), std::string::npos) << name;
    EXPECT_EQ(image.find(":latest"), std::string::npos) << name;
    EXPECT_TRUE(s["read_only"] && s["read_only"].as<bool>()) << name;
    EXPECT_FALSE(s["privileged"] && s["privileged"].as<bool>()) << name;
    EXPECT_TRUE(s["healthcheck"]) << name;
    EXPECT_TRUE(s["user"]) << name;
    EXPECT_EQ(s["cap_drop"][0].as<std::string>(), "ALL") << name;
    for (const YAML::Node& port : s["ports"]) {
      EXPECT_EQ(port.as<std::string>().rfind("127.0.0.1:", 0), 0u) << name;
    }
    for (const YAML::Node& volume : s["volumes"]) {
      const std::string v = volume.as<std::string>();
      if (v.rfind("./", 0) == 0) {
        EXPECT_EQ(v.substr(v.size() - 3), ":ro") << v;
      }
    }
  }
  EXPECT_EQ(services, (std::set<std::string>{"grafana", "loki", "prometheus"}));
  YAML::Node loki = YAML::LoadFile((Deploy() / "loki/loki.yml").string());
  EXPECT_EQ(loki["server"]["http_listen_port"].as<int>(), 3100);
}

TEST(DeployFiles, PromtoolAcceptsPrometheusConfig) {
  if (!fs::exists("/usr/bin/promtool")) GTEST_SKIP() << "SKIPPED: promtool is not installed";
  // promtool checks that the token file exists: a copy beside a dummy one.
  fs::path dir = testing::MakeTempDir("bulwark-promtool");
  fs::copy_file(Deploy() / "prometheus/prometheus.yml", dir / "prometheus.yml");
  testing::WriteFile(dir / "bulwark.token", "dummy\n");
  testing::CommandResult result =
      testing::RunCommand({"/usr/bin/promtool", "check", "config", (dir / "prometheus.yml").string()});
  fs::remove_all(dir);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  YAML::Node config = YAML::LoadFile((Deploy() / "prometheus/prometheus.yml").string());
  const YAML::Node job = config["scrape_configs"][0];
  EXPECT_EQ(job["metrics_path"].as<std::string>(), "/metrics");
  EXPECT_EQ(job["static_configs"][0]["targets"][0].as<std::string>(), "host.docker.internal:8080");
}

TEST(DeployFiles, BulwarkAuditFindsNothingUnsuppressed) {
  testing::CommandResult result = testing::RunCommand(
      {testing::BulwarkBinary().string(), "audit", Deploy().string(), "--format", "json",
       "--no-results"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  json report = json::parse(result.out);
  for (const json& finding : report["findings"]) ADD_FAILURE() << finding.dump();
}

}  // namespace
}  // namespace bulwark
