// Hand-made results for the summary and renderer tests: JSON reports built
// from a few fields, saved with SaveResult into a temporary directory.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report/result_store.hpp"
#include "report/results_dir.hpp"
#include "test_support.hpp"

namespace bulwark::report::scenario {

using nlohmann::json;

struct F {
  std::string id;
  std::string severity = "medium";
  std::string category = "dockerfile";
  std::string path = "Dockerfile";
  std::string title;
  std::string status;   // host findings: "warn", "info"
  std::string subject;  // host findings: container name
  std::string package;  // vulnerabilities
};

inline json FindingJson(const F& f) {
  json j{{"id", f.id},
         {"title", f.title.empty() ? "Title of " + f.id : f.title},
         {"severity", f.severity},
         {"category", f.category},
         {"location", {{"path", f.path}, {"line", 1}, {"column", 1}}},
         {"remediation", "Fix " + f.id}};
  if (!f.status.empty()) {
    j["status"] = f.status;
    j["subject"] = {{"kind", "container"}, {"name", f.subject}, {"id", ""}};
    j["location"]["path"] = "";
  }
  if (f.category == "vulnerability") {
    j["package"] = {{"name", f.package}, {"version", "1.0"}, {"type", "deb"}, {"purl", ""}};
    j["installed"] = "1.0";
    j["fixed"] = "1.1";
  }
  return j;
}

inline json ReportJson(const std::string& target, const std::vector<F>& findings,
                       bool scan = false) {
  json list = json::array();
  for (const F& f : findings) list.push_back(FindingJson(f));
  json summary = json::object();
  if (scan) summary["packages"] = 50;
  return json{{"tool", {{"name", "bulwark"}, {"version", "test"}}},
              {"target", target},
              {"findings", list},
              {"diagnostics", json::array()},
              {"summary", summary}};
}

struct Element {
  std::string name;
  bool root = false;
  bool socket = false;
  std::string host_ip;  // published port 8080 on this address
  int inline_credentials = 0;
};

inline json ModelJson(const std::string& name, const std::vector<Element>& elements,
                      bool backend_isolated, int confirmed, int potential) {
  json els = json::array({{{"id", "actor:user"}, {"kind", "actor"}, {"name", "user"}}});
  for (const Element& e : elements) {
    json el{{"id", "service:" + e.name},   {"kind", "service"},      {"name", e.name},
            {"runs_as_root", e.root},      {"ports", json::array()}, {"mounts", json::array()},
            {"credentials", json::array()}};
    if (!e.host_ip.empty()) {
      el["ports"].push_back({{"container_port", 8080},
                             {"host_port", 8080},
                             {"host_ip", e.host_ip},
                             {"published", true}});
    }
    if (e.socket) el["mounts"].push_back({{"docker_socket", true}});
    for (int i = 0; i < e.inline_credentials; ++i)
      el["credentials"].push_back({{"inline_value", true}});
    els.push_back(el);
  }
  json threats = json::array();
  for (int i = 0; i < confirmed + potential; ++i) {
    threats.push_back({{"id", "TM-" + std::to_string(i) + "@service:web"},
                       {"rule", "TM-" + std::to_string(i)},
                       {"stride", i % 2 == 0 ? "E" : "I"},
                       {"target", "service:web"},
                       {"title", "Threat " + std::to_string(i)},
                       {"risk", i == 0 ? "critical" : "high"},
                       {"status", i < confirmed ? "confirmed" : "potential"}});
  }
  json boundaries =
      json::array({{{"id", "boundary:internet"}, {"kind", "internet"}, {"name", "internet"}},
                   {{"id", "boundary:network:backend"},
                    {"kind", "network"},
                    {"name", "backend"},
                    {"isolated", backend_isolated}}});
  json flows = json::array({{{"id", "flow:1"},
                             {"kind", "published-port"},
                             {"from", "actor:user"},
                             {"to", "service:web"},
                             {"label", "HTTP :8080"},
                             {"crosses", json::array({"boundary:internet"})}}});
  return json{
      {"system", {{"name", name}, {"elements", els}, {"boundaries", boundaries}, {"flows", flows}}},
      {"threats", threats},
      {"controls", json::array()},
      {"summary", json::object()}};
}

inline std::filesystem::path Save(const std::filesystem::path& dir, const std::string& command,
                                  const std::string& target, const std::string& time,
                                  const json& report, const std::string& baseline = "") {
  auto saved = SaveResult(dir, RunInfo{command, target, time, baseline}, report.dump());
  EXPECT_TRUE(saved.ok()) << saved.status().ToString();
  return saved.ok() ? *saved : std::filesystem::path();
}

inline std::vector<F> Many(const std::string& prefix, int n, const std::string& severity,
                           const std::string& category, const std::string& path = "Dockerfile") {
  std::vector<F> out;
  for (int i = 1; i <= n; ++i) {
    out.push_back(F{prefix + std::to_string(i), severity, category, path});
    if (category == "vulnerability") out.back().package = "libfoo";
  }
  return out;
}

inline std::vector<F> Concat(std::vector<std::vector<F>> parts) {
  std::vector<F> out;
  for (auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// The story of one hardening: audit 10 -> 3 (one new, one accepted with a
// reason), scan 7 -> 0, host warnings 12 -> 5, confirmed threats 6 -> 1, and
// the model's web service moved off root, the socket and 0.0.0.0.
inline std::filesystem::path WriteHardeningStory() {
  std::filesystem::path dir = bulwark::testing::MakeTempDir("bulwark-story") / ".bulwark";
  const std::string t1 = "2026-11-23T10:00:00Z";
  const std::string t2 = "2026-11-23T11:00:00Z";
  const std::string t3 = "2026-11-23T12:00:00Z";
  std::vector<F> audit_before = Concat({
      {F{"A1", "critical", "dockerfile", "Dockerfile", "Container runs as root"}},
      Many("H", 3, "high", "dockerfile"),
      Many("M", 4, "medium", "compose", "compose.yaml"),
      {F{"S1", "low", "secret", "app.py", "Password in the code"},
       F{"S2", "low", "secret", "app.py"}},
  });
  std::vector<F> audit_after = {F{"H2", "high", "dockerfile"},
                                F{"M1", "medium", "compose", "compose.yaml"},
                                F{"N1", "low", "code", "app.py", "New problem"}};
  std::filesystem::path before_file =
      Save(dir, "audit", "shop", t1, ReportJson("shop", audit_before));
  json after = ReportJson("shop", audit_after);
  after["suppressed"] = json::array({{{"id", "X9"},
                                      {"title", "Image tag not pinned"},
                                      {"severity", "low"},
                                      {"category", "dockerfile"},
                                      {"location", {{"path", "Dockerfile"}, {"line", 1}}},
                                      {"source", "inline"},
                                      {"reason", "pinned by digest in CI"}}});
  Save(dir, "audit", "shop", t3, after, before_file.string());

  json fix{
      {"target", "shop"},
      {"written", true},
      {"before", ReportJson("shop", audit_before)},
      {"after", ReportJson("shop", audit_after)},
      {"edits",
       json::array({{{"path", "Dockerfile"}, {"created", false}, {"fixed", {{"A1", 1}, {"H1", 1}}}},
                    {{"path", ".env"}, {"created", true}, {"fixed", {{"S1", 1}}}}})}};
  Save(dir, "fix", "shop", t2, fix);

  Save(dir, "scan", "shop-web:1.0", t1,
       ReportJson("shop-web:1.0", Many("CVE-2031-", 7, "high", "vulnerability"), true));
  Save(dir, "scan", "shop-web:1.0", t3, ReportJson("shop-web:1.0", {}, true));

  auto host = [](int warns) {
    std::vector<F> out;
    for (int i = 1; i <= warns; ++i)
      out.push_back(F{"BW-CIS-5." + std::to_string(i), "medium", "host", "", "", "warn", "web"});
    for (int i = 1; i <= 3; ++i)
      out.push_back(F{"BW-CIS-1." + std::to_string(i), "info", "host", "", "", "info", "web"});
    return out;
  };
  Save(dir, "audit-host", "localhost", t1, ReportJson("localhost", host(12)));
  Save(dir, "audit-host", "localhost", t3, ReportJson("localhost", host(5)));

  Save(dir, "model", "shop", t1,
       ModelJson("shop", {Element{"web", true, true, "0.0.0.0", 2}}, false, 6, 2));
  Save(dir, "model", "shop-hardened", t3,
       ModelJson("shop", {Element{"web", false, false, "127.0.0.1", 0}}, true, 1, 4), "shop");
  return dir;
}

}  // namespace bulwark::report::scenario
