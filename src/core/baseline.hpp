// --baseline: compares a report with an earlier run's, so a user can prove
// hardening progress (what is new, what is unchanged, what got fixed).
//
// The earlier run is either bulwark's own JSON report (any `audit`, file or
// host; also as saved in the results directory, wrapped in
// {"bulwark_result", "run", "report"}) or docker-bench-security's JSON log
// (`<log>.json`, version 1.6.0 layout). Matching:
//  - host findings (with a verdict): ID + verdict + subject kind + subject
//    name, one-to-one (a multiset, so duplicates pair up). A warn that became
//    info is a fixed warn plus a new info.
//  - file findings (no verdict): ID + path, preferring equal messages, then
//    pairing the remaining findings of that ID and path in order.
//  - docker-bench results (per check, not per subject): a WARN/INFO/NOTE
//    with items matches the current findings of that check and verdict whose
//    container or image is named in the items; without items it matches all
//    of them; findings about the host, daemon or a file match the check's
//    result whatever its items (docker-bench's items are not our subjects
//    there, e.g. the users of 1.1.2).
// Fixed: an earlier warn (or file finding) that no current finding matches,
// provided the check ran this time (it has a current finding or pass, and is
// not skipped) and, for a container or image, that subject was examined this
// time. So --only, --containers, a skipped check or a removed container never
// count as fixes. Earlier info and note results that are gone are not listed:
// they were never problems to fix.
// Thread-compatible; never throws.
#pragma once

#include <string>
#include <string_view>

#include "core/report.hpp"
#include "core/status.hpp"

namespace bulwark::core {

// Larger baselines are refused (kTooLarge), as are baselines listing more
// than a million findings or items, or nesting JSON deeper than 64 levels.
inline constexpr size_t kMaxBaselineBytes = 64u << 20;

// Marks every finding of `report` "new" or "unchanged", fills report.fixed,
// sets has_baseline and baseline_path. On error (unreadable JSON, unknown
// layout, too large; the message names `baseline_path`) the report is left
// unchanged.
Status ApplyBaseline(std::string_view baseline_text, const std::string& baseline_path,
                     Report& report);

}  // namespace bulwark::core
