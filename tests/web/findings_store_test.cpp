#include "web/findings_store.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>

#include "core/severity.hpp"
#include "web/server.hpp"

namespace bulwark::web {
namespace {

namespace fs = std::filesystem;

class FindingsStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("bulwark_findings_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const fs::path fixtures = fs::path(BULWARK_SOURCE_DIR) / "tests/report/fixtures";
    fs::copy_file(fixtures / "bulwark_audit.json", dir_ / "bulwark_audit.json");
    fs::copy_file(fixtures / "bulwark_scan.json", dir_ / "bulwark_scan.json");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(FindingsStoreTest, ReadsTheResultsDirectoryAsBulwarkReportDoes) {
  FindingsStore store(dir_);
  const auto doc = nlohmann::json::parse(store.Json());
  EXPECT_EQ(doc["error"], "");
  ASSERT_EQ(doc["comparisons"].size(), 2u);
  std::map<std::string, nlohmann::json> by_kind;
  for (const auto& c : doc["comparisons"]) by_kind[c["kind"]] = c;
  EXPECT_EQ(by_kind["audit"]["after"]["total"], 2);
  EXPECT_EQ(by_kind["audit"]["after"]["by_severity"]["high"], 1);
  EXPECT_EQ(by_kind["scan"]["after"]["by_severity"]["critical"], 1);
  EXPECT_FALSE(doc["has_diagram"]);
  const FindingTotals totals = store.Totals();
  EXPECT_EQ(totals.findings[static_cast<size_t>(core::Severity::kHigh)], 1u);
  EXPECT_EQ(totals.findings[static_cast<size_t>(core::Severity::kMedium)], 1u);
  EXPECT_EQ(totals.vulnerabilities[static_cast<size_t>(core::Severity::kCritical)], 1u);
}

TEST_F(FindingsStoreTest, AMissingDirectoryIsAnEmptyViewWithTheError) {
  FindingsStore store(dir_ / "nope");
  const auto doc = nlohmann::json::parse(store.Json());
  EXPECT_NE(doc["error"], "");
  EXPECT_TRUE(doc["comparisons"].empty());
}

TEST_F(FindingsStoreTest, ServerServesFindingsMetricsAndTheDiagramWithItsOwnPolicy) {
  std::ofstream(dir_ / "architecture_diagram.svg")
      << "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
  AlertStore alerts;
  FindingsStore findings(dir_);
  ServerOptions options;
  options.port = 0;
  Server server(options, alerts, findings);
  auto port = server.Start();
  ASSERT_TRUE(port.ok());
  httplib::Client client("127.0.0.1", *port);
  auto svg = client.Get("/diagram.svg");
  ASSERT_TRUE(svg);
  EXPECT_EQ(svg->status, 200);
  EXPECT_EQ(svg->get_header_value("Content-Type"), "image/svg+xml");
  EXPECT_EQ(svg->get_header_value_count("Content-Security-Policy"), 1u);
  EXPECT_EQ(svg->get_header_value("Content-Security-Policy"),
            "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  EXPECT_EQ(svg->get_header_value("X-Content-Type-Options"), "nosniff");
  auto doc = nlohmann::json::parse(client.Get("/api/findings")->body);
  EXPECT_TRUE(doc["has_diagram"]);
  const std::string metrics = client.Get("/metrics")->body;
  EXPECT_NE(metrics.find("bulwark_findings{severity=\"high\"} 1\n"), std::string::npos);
  EXPECT_NE(metrics.find("bulwark_vulnerabilities{severity=\"critical\"} 1\n"), std::string::npos);
  server.Stop();
}

}  // namespace
}  // namespace bulwark::web
