// The action log of `bulwark contain`: every action is stamped with the UTC
// time it ended and appended to <evidence>/actions.jsonl the moment it is
// logged (one JSON object a line, flushed), so a crash mid-way still leaves
// the record of what was done. Also keeps the list for the command's own
// output. Not thread-safe: one run, one log.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.hpp"
#include "respond/contain_types.hpp"

namespace bulwark::respond {

// "2026-11-24T10:00:00.123Z"
std::string UtcTimeMillis();
// "20261124T100000Z": for file and image tag names.
std::string UtcTimeCompact();

nlohmann::ordered_json ActionJson(const ActionRecord& record);
// Dumps JSON with invalid UTF-8 replaced (text from containers may hold any byte).
std::string DumpJson(const nlohmann::ordered_json& value, int indent = -1);

class ActionLog {
 public:
  ActionLog() = default;
  ~ActionLog();
  ActionLog(const ActionLog&) = delete;
  ActionLog& operator=(const ActionLog&) = delete;

  // Opens <dir_fd>/actions.jsonl (created, 0600) and writes the records
  // logged so far.
  core::Status Attach(int dir_fd);

  const ActionRecord& Add(std::string action, std::string target, ActionResult result,
                          std::string detail, std::vector<EvidenceFile> evidence = {});
  const std::vector<ActionRecord>& records() const { return records_; }
  // The first write failure, if any (the log on disk is then incomplete).
  const core::Status& write_status() const { return write_status_; }

 private:
  void Write(const ActionRecord& record);

  std::vector<ActionRecord> records_;
  std::FILE* file_ = nullptr;
  core::Status write_status_;
};

}  // namespace bulwark::respond
