// Is a Docker Engine release line still maintained upstream? A small table
// of release lines and their end-of-life dates (see engine_lifecycle.cpp
// for its source and date: it must be updated as lines reach end of life),
// used by CIS 1.2.2. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace bulwark::host {

enum class EngineSupport {
  kUnknown,     // no version, or a line the table does not know
  kMaintained,  // maintained upstream as of today (or of the table's date)
  kStale,       // maintained as of the table's date, which is over a year old
  kEndOfLife,   // past its upstream end of life
};

struct EngineLifecycle {
  EngineSupport support = EngineSupport::kUnknown;
  std::string line;           // "20.10", "28" (majors from 28 on are one line each)
  std::string eol;            // "2023-12-10"; "" when none was announced
  bool distribution = false;  // a distribution build ("+dfsg1", "~ds1"): fixes may be backported
  std::string explanation;    // one sentence for the message
};

// The date the table was last checked against its source (YYYY-MM-DD).
std::string_view EngineTableDate();

// version: the engine's /version "Version" ("20.10.24+dfsg1", "28.2.2");
// today: "YYYY-MM-DD".
EngineLifecycle JudgeEngineVersion(std::string_view version, std::string_view today);

// Today's date in UTC, "YYYY-MM-DD".
std::string TodayUtc();

}  // namespace bulwark::host
