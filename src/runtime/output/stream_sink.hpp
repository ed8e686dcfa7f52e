// An output that writes one line per alert to a descriptor it does not own:
// stdout for `bulwark watch`, a pipe in tests. JSON lines or Falco's text
// form. Each alert is one write(2) of a whole line, so lines are flushed as
// they are written and never interleave with other writers' whole lines.
//
// Thread-compatible: called from the watch loop only.
#pragma once

#include <string>

#include "runtime/output/alert_format.hpp"
#include "runtime/output/sink.hpp"

namespace bulwark::runtime::output {

class StreamSink final : public AlertSink {
 public:
  StreamSink(int fd, AlertFormat format, std::string name = "stdout")
      : fd_(fd), format_(format), name_(std::move(name)) {}

  const std::string& Name() const override { return name_; }
  core::Status Write(const Alert& alert) override;
  core::Status Close() override { return core::Status::Ok(); }

 private:
  int fd_;
  AlertFormat format_;
  std::string name_;
};

}  // namespace bulwark::runtime::output
