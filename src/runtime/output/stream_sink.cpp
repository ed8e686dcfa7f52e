#include "runtime/output/stream_sink.hpp"

#include "runtime/output/fd.hpp"

namespace bulwark::runtime::output {

core::Status StreamSink::Write(const Alert& alert) {
  std::string line = FormatAlert(alert, format_);
  line.push_back('\n');
  return WriteAll(fd_, line, name_);
}

}  // namespace bulwark::runtime::output
