// Helpers for the section tests: run one check of a section on facts, and
// take its single result.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "host/host_check.hpp"

namespace bulwark::host {

inline ResultSink RunCheckIn(const std::vector<HostCheck>& checks, const std::string& cis, const HostFacts& facts) {
  ResultSink sink;
  for (const HostCheck& check : checks) {
    if (check.cis == cis) {
      check.run(facts, sink);
      return sink;
    }
  }
  ADD_FAILURE() << "no check " << cis;
  return sink;
}

// The one result of a check (by value: the sink is usually a temporary).
inline HostResult Only(const ResultSink& sink) {
  EXPECT_EQ(sink.results().size(), 1u) << "skip: " << sink.skip_reason();
  return sink.results().empty() ? HostResult{} : sink.results()[0];
}

}  // namespace bulwark::host
