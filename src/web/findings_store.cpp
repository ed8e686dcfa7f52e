#include "web/findings_store.hpp"

#include <nlohmann/json.hpp>

#include "core/severity.hpp"
#include "report/summary.hpp"
#include "web/alert_store.hpp"

namespace bulwark::web {
namespace {

using nlohmann::json;

constexpr size_t kMaxRemaining = 50;

json CountsJson(const report::Counts& counts) {
  json by_severity = json::object();
  for (core::Severity s : core::kAllSeverities) {
    by_severity[std::string(core::SeverityName(s))] = counts.by_severity[static_cast<size_t>(s)];
  }
  return {{"total", counts.total}, {"by_severity", std::move(by_severity)}};
}

json ComparisonJson(const report::Comparison& c) {
  json remaining = json::array();
  for (size_t i = 0; i < c.remaining.size() && i < kMaxRemaining; ++i) {
    const report::Item& item = c.remaining[i];
    remaining.push_back({{"id", item.id},
                         {"title", item.title},
                         {"severity", std::string(core::SeverityName(item.severity))},
                         {"category", item.category},
                         {"where", item.where}});
  }
  return {{"kind", std::string(report::ResultKindName(c.kind))},
          {"label", c.label},
          {"target", c.target},
          {"has_before", c.has_before},
          {"before_time", c.before_time},
          {"after_time", c.after_time},
          {"before", CountsJson(c.before)},
          {"after", CountsJson(c.after)},
          {"fixed", c.fixed.size()},
          {"added", c.added.size()},
          {"remaining_total", c.remaining.size()},
          {"remaining", std::move(remaining)}};
}

void AddTotals(const report::Comparison& c, FindingTotals& totals) {
  SeverityCounts* into = nullptr;
  if (c.kind == report::ResultKind::kAudit || c.kind == report::ResultKind::kHostAudit) {
    into = &totals.findings;
  } else if (c.kind == report::ResultKind::kScan) {
    into = &totals.vulnerabilities;
  }
  if (into == nullptr) return;
  for (size_t s = 0; s < into->size(); ++s) {
    (*into)[s] += static_cast<uint64_t>(std::max(0, c.after.by_severity[s]));
  }
}

}  // namespace

FindingsStore::FindingsStore(std::optional<std::filesystem::path> dir,
                             std::optional<std::filesystem::path> diagram,
                             std::chrono::seconds max_age)
    : dir_(std::move(dir)), diagram_(std::move(diagram)), max_age_(max_age) {}

void FindingsStore::RefreshLocked() {
  const auto now = std::chrono::steady_clock::now();
  if (loaded_ && now - loaded_at_ < max_age_) return;
  loaded_ = true;
  loaded_at_ = now;
  totals_ = {};
  json doc = {{"dir", dir_ ? dir_->string() : ""}, {"error", ""}, {"comparisons", json::array()}};
  if (dir_) {
    core::Result<report::ResultSet> results = report::LoadResults(*dir_);
    if (!results.ok()) {
      doc["error"] = results.status().message();
    } else {
      const report::Summary summary = report::BuildSummary(*results);
      for (const report::Comparison& c : summary.comparisons) {
        if (c.kind == report::ResultKind::kFix) continue;
        doc["comparisons"].push_back(ComparisonJson(c));
        AddTotals(c, totals_);
      }
    }
  }
  doc["has_diagram"] = Diagram().has_value();
  json_ = HtmlSafeJson(doc.dump(-1, ' ', false, json::error_handler_t::replace));
}

std::string FindingsStore::Json() {
  std::lock_guard lock(mu_);
  RefreshLocked();
  return json_;
}

FindingTotals FindingsStore::Totals() {
  std::lock_guard lock(mu_);
  RefreshLocked();
  return totals_;
}

std::optional<std::filesystem::path> FindingsStore::Diagram() const {
  std::filesystem::path path;
  if (diagram_) {
    path = *diagram_;
  } else if (dir_) {
    path = *dir_ / "architecture_diagram.svg";
  } else {
    return std::nullopt;
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  return path;
}

}  // namespace bulwark::web
