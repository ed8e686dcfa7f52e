#include "respond/contain_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

namespace bulwark::respond {
namespace {

std::string FormatUtc(const char* format, bool millis) {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[64];
  size_t n = std::strftime(text, sizeof(text), format, &tm);
  std::string out(text, n);
  if (millis) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    char frac[8];
    std::snprintf(frac, sizeof(frac), ".%03d", static_cast<int>(ms));
    out += frac;
  }
  return out + "Z";
}

}  // namespace

const char* ActionResultName(ActionResult result) {
  switch (result) {
    case ActionResult::kOk: return "ok";
    case ActionResult::kFailed: return "failed";
    case ActionResult::kSkipped: return "skipped";
    case ActionResult::kPlanned: return "planned";
  }
  return "failed";
}

bool ContainReport::AllSucceeded() const {
  for (const auto& action : actions) {
    if (action.result == ActionResult::kFailed) return false;
  }
  return warnings.empty();
}

std::string UtcTimeMillis() { return FormatUtc("%Y-%m-%dT%H:%M:%S", true); }
std::string UtcTimeCompact() { return FormatUtc("%Y%m%dT%H%M%S", false); }

nlohmann::ordered_json ActionJson(const ActionRecord& record) {
  nlohmann::ordered_json evidence = nlohmann::ordered_json::array();
  for (const auto& file : record.evidence) {
    evidence.push_back({{"path", file.path}, {"sha256", file.sha256}, {"bytes", file.bytes}});
  }
  return {{"time", record.time},
          {"action", record.action},
          {"target", record.target},
          {"result", ActionResultName(record.result)},
          {"detail", record.detail},
          {"evidence", std::move(evidence)}};
}

std::string DumpJson(const nlohmann::ordered_json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

ActionLog::~ActionLog() {
  if (file_ != nullptr) std::fclose(file_);
}

core::Status ActionLog::Attach(int dir_fd) {
  int fd = openat(dir_fd, "actions.jsonl", O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_NOFOLLOW | O_CLOEXEC,
                  0600);
  if (fd < 0) {
    return core::Error(core::ErrorCode::kIoError,
                       std::string("cannot create actions.jsonl: ") + std::strerror(errno));
  }
  file_ = fdopen(fd, "a");
  if (file_ == nullptr) {
    close(fd);
    return core::Error(core::ErrorCode::kIoError, "cannot open actions.jsonl for writing");
  }
  for (const auto& record : records_) Write(record);
  return core::Status::Ok();
}

const ActionRecord& ActionLog::Add(std::string action, std::string target, ActionResult result,
                                   std::string detail, std::vector<EvidenceFile> evidence) {
  records_.push_back(ActionRecord{UtcTimeMillis(), std::move(action), std::move(target), result,
                                  std::move(detail), std::move(evidence)});
  if (file_ != nullptr) Write(records_.back());
  return records_.back();
}

void ActionLog::Write(const ActionRecord& record) {
  std::string line = DumpJson(ActionJson(record)) + "\n";
  bool ok = std::fwrite(line.data(), 1, line.size(), file_) == line.size() && std::fflush(file_) == 0;
  if (!ok && write_status_.ok()) {
    write_status_ = core::Error(core::ErrorCode::kIoError, "actions.jsonl: write failed");
  }
}

}  // namespace bulwark::respond
