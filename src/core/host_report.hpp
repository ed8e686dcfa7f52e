// What the renderers share about host audit reports (`audit --host`): whether
// a report carries CIS verdicts, per-check verdict counts, CIS number order,
// how a subject is named in text, and the baseline counts. Pure functions of
// their inputs; thread-safe. Text is returned raw: callers escape it for
// their medium.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/report.hpp"

namespace bulwark::core {

// True when the report comes from a host audit: any finding, pass or fixed
// finding has a verdict, or a check was skipped. File audits render exactly
// as before when this is false.
bool HasVerdicts(const Report& report);

// warn > info > note > pass > none: the verdict that decides a check with
// several subjects (docker-bench's order).
int VerdictRank(Verdict verdict);

// The CIS number of a finding: references.cis[0], else the ID without its
// "BW-CIS-" prefix, else "".
std::string CisOf(const Finding& finding);

// Orders CIS numbers component by component, numerically where both
// components are numbers: 1.1.2 < 1.1.10 < 2.1 < C.5.3.1.
bool CisLess(std::string_view a, std::string_view b);

// The CIS Docker Benchmark's title of a section ("5" -> "Container
// Runtime"), as docker-bench prints it; "" for an unknown section.
std::string_view CisSectionTitle(std::string_view section);
// The section of a CIS number: "5.4" -> "5", "1.1.2" -> "1".
std::string CisSection(std::string_view cis);

// Checks (not findings) by their deciding verdict: each check ID counts once,
// under the worst verdict of its findings and passes.
struct CheckCounts {
  int pass = 0;
  int warn = 0;
  int info = 0;
  int note = 0;
  int skipped = 0;
};
CheckCounts CountChecks(const Report& report);
// "60 checks (pass: 40, warn: 12, info: 5, note: 3), 2 skipped"
std::string CheckCountsText(const CheckCounts& counts);

// "container web (3f2a1b2c3d4e)", "file /etc/docker/daemon.json",
// "daemon dockerd (pid 1234)", "host h1"; "" for an empty subject.
std::string SubjectText(const Subject& subject);

// Findings marked new / unchanged by ApplyBaseline, and the fixed ones.
struct BaselineCounts {
  int added = 0;
  int unchanged = 0;
  int fixed = 0;
};
BaselineCounts CountBaseline(const Report& report);
// "Since baseline FILE: 3 new, 10 unchanged, 4 fixed"
std::string BaselineText(const Report& report);

}  // namespace bulwark::core
