#include "host/engine_lifecycle.hpp"

#include <chrono>
#include <ctime>
#include <optional>

namespace bulwark::host {
namespace {

struct EngineLine {
  int major;
  int minor;        // -1: every minor of the major (from 28 on a major is one line)
  const char* eol;  // "" when no end of life was announced at kTableDate
};

// Source: endoflife.date products/docker-engine.md (endoflife-date/
// endoflife.date), which follows moby/moby project/BRANCHES-AND-TAGS.md;
// 23.0's date is Mirantis' announced end of maintenance, 26.1's the moby
// commit that ended its branch. Checked on kTableDate. UPDATE THIS TABLE when
// lines reach end of life or new ones appear: past a year after kTableDate
// a line listed as maintained is reported as "stale" (info), not passed.
constexpr const char* kTableDate = "2025-02-20";
constexpr EngineLine kLines[] = {
    {28, -1, ""},
    {27, 5, ""},
    {27, 4, ""},
    {27, 3, ""},
    {27, 2, ""},
    {27, 1, "2024-08-27"},
    {27, 0, "2024-07-22"},
    {26, 1, "2025-02-17"},
    {26, 0, "2024-06-08"},
    {25, 0, ""},
    {24, 0, "2024-06-08"},
    {23, 0, "2025-05-19"},
    {20, 10, "2023-12-10"},
    {19, 3, "2021-01-08"},
    {18, 9, "2019-08-22"},
};
// Every line before 18.09 ended by 2019 at the latest.
constexpr int kOldestMajor = 18;
constexpr int kOldestMinor = 9;

std::optional<int> TakeNumber(std::string_view& text) {
  size_t n = 0;
  int value = 0;
  while (n < text.size() && n < 6 && text[n] >= '0' && text[n] <= '9') {
    value = value * 10 + (text[n] - '0');
    ++n;
  }
  if (n == 0) return std::nullopt;
  text.remove_prefix(n);
  return value;
}

// "20.10.24+dfsg1" -> {20, 10}; "v28.2.2" -> {28, 2}.
std::optional<std::pair<int, int>> MajorMinor(std::string_view version) {
  if (!version.empty() && version[0] == 'v') version.remove_prefix(1);
  std::optional<int> major = TakeNumber(version);
  if (!major || version.empty() || version[0] != '.') return std::nullopt;
  version.remove_prefix(1);
  std::optional<int> minor = TakeNumber(version);
  if (!minor) return std::nullopt;
  return std::make_pair(*major, *minor);
}

const EngineLine* FindLine(int major, int minor) {
  for (const EngineLine& line : kLines) {
    if (line.major == major && line.minor == minor) return &line;
  }
  for (const EngineLine& line : kLines) {
    if (line.major == major && line.minor == -1) return &line;
  }
  return nullptr;
}

// "2025-02-20" -> "2026-02-20".
std::string OneYearLater(std::string_view date) {
  if (date.size() < 4) return std::string(date);
  int year = std::stoi(std::string(date.substr(0, 4)));
  return std::to_string(year + 1) + std::string(date.substr(4));
}

std::string LineName(int major, int minor) {
  return minor < 0 ? std::to_string(major) + ".x"
                   : std::to_string(major) + "." + std::to_string(minor);
}

}  // namespace

std::string_view EngineTableDate() { return kTableDate; }

EngineLifecycle JudgeEngineVersion(std::string_view version, std::string_view today) {
  EngineLifecycle out;
  out.distribution =
      version.find('+') != std::string_view::npos || version.find('~') != std::string_view::npos;
  std::optional<std::pair<int, int>> mm = MajorMinor(version);
  if (!mm) {
    out.explanation = "the engine version \"" + std::string(version) + "\" is not a release number";
    return out;
  }
  auto [major, minor] = *mm;
  const EngineLine* line = FindLine(major, minor);
  if (line == nullptr) {
    bool older = major < kOldestMajor || (major == kOldestMajor && minor < kOldestMinor);
    out.line = LineName(major, minor);
    if (older) {
      out.support = EngineSupport::kEndOfLife;
      out.explanation =
          "the " + out.line + " line is older than 18.09, whose upstream support ended in 2019";
    } else {
      out.explanation =
          "the " + out.line + " line is not in bulwark's release table (of " + kTableDate + ")";
    }
    return out;
  }
  out.line = LineName(line->major, line->minor);
  out.eol = line->eol;
  if (!out.eol.empty() && out.eol <= today) {
    out.support = EngineSupport::kEndOfLife;
    out.explanation = "the " + out.line + " line reached its upstream end of life on " + out.eol;
  } else if (!out.eol.empty()) {
    out.support = EngineSupport::kMaintained;
    out.explanation = "the " + out.line + " line is maintained upstream until " + out.eol;
  } else if (std::string(today) > OneYearLater(kTableDate)) {
    out.support = EngineSupport::kStale;
    out.explanation = "the " + out.line + " line was maintained upstream as of " + kTableDate +
                      ", but bulwark's release table is over a year old";
  } else {
    out.support = EngineSupport::kMaintained;
    out.explanation = "the " + out.line + " line is maintained upstream (as of " + kTableDate + ")";
  }
  return out;
}

std::string TodayUtc() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &tm);
  return buffer;
}

}  // namespace bulwark::host
