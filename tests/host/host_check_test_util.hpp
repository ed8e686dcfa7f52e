// Helpers for the section tests: find a check of a section by its CIS
// number, run it on facts, and take its single result.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "host/host_check.hpp"

namespace bulwark::host {

// The check numbered `cis`; fails the test (and returns the first) if absent.
inline const HostCheck& CheckNumbered(const std::vector<HostCheck>& checks, const std::string& cis) {
  auto it = std::find_if(checks.begin(), checks.end(), [&](const HostCheck& c) { return c.cis == cis; });
  if (it == checks.end()) {
    ADD_FAILURE() << "no check " << cis;
    return checks.front();
  }
  return *it;
}

inline ResultSink RunCheck(const std::vector<HostCheck>& checks, const std::string& cis, const HostFacts& facts) {
  ResultSink sink;
  CheckNumbered(checks, cis).run(facts, sink);
  return sink;
}

// The one result of a check (by value: the sink is usually a temporary).
inline HostResult Only(const ResultSink& sink) {
  EXPECT_EQ(sink.results().size(), 1u) << "skip: " << sink.skip_reason();
  return sink.results().empty() ? HostResult{} : sink.results()[0];
}

}  // namespace bulwark::host
