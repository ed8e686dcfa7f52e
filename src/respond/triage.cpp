#include "respond/triage.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "respond/elf_facts.hpp"
#include "respond/file_kind.hpp"
#include "respond/file_magic.hpp"
#include "respond/fuzzy_hash.hpp"
#include "respond/hashes.hpp"
#include "respond/indicators.hpp"
#include "respond/verdict.hpp"

namespace bulwark::respond {
namespace {

// Closes a descriptor on every path out.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

core::Result<std::vector<uint8_t>> ReadFd(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return core::Error(core::ErrorCode::kIoError, path + ": cannot stat");
  if (!S_ISREG(st.st_mode)) {
    return core::Error(core::ErrorCode::kInvalidArgument, path + ": not a regular file");
  }
  if (static_cast<uint64_t>(st.st_size) > kMaxTriageBytes) {
    return core::Error(core::ErrorCode::kTooLarge,
                       path + ": " + std::to_string(st.st_size) + " bytes is over the triage bound of " +
                           std::to_string(kMaxTriageBytes >> 20) + " MiB");
  }
  std::vector<uint8_t> data(static_cast<size_t>(st.st_size));
  size_t got = 0;
  while (got < data.size()) {
    ssize_t n = ::read(fd, data.data() + got, data.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return core::Error(core::ErrorCode::kIoError, path + ": " + std::strerror(errno));
    if (n == 0) break;  // shrank while reading
    got += static_cast<size_t>(n);
  }
  data.resize(got);
  return data;
}

core::Result<std::vector<uint8_t>> ReadBounded(const std::string& path) {
  // O_NONBLOCK: opening a FIFO must not hang; regular files ignore it.
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) {
    int err = errno;
    auto code = err == ENOENT ? core::ErrorCode::kNotFound
                : err == EACCES ? core::ErrorCode::kPermissionDenied
                                : core::ErrorCode::kIoError;
    return core::Error(code, path + ": " + std::strerror(err));
  }
  return ReadFd(fd.get(), path);
}

void AddFuzzyHash(std::span<const uint8_t> data, TriageReport& report) {
  auto ssdeep = FuzzyHash(data);
  if (ssdeep.ok()) {
    report.hashes.ssdeep = std::move(ssdeep).value();
  } else {
    report.limits.push_back("no ssdeep fuzzy hash: " + ssdeep.status().message());
  }
}

void AddLibmagic(std::span<const uint8_t> data, TriageReport& report) {
  if (!LibmagicAvailable()) {
    report.limits.push_back("this build has no libmagic: the file type is bulwark's own signatures only");
    return;
  }
  auto described = LibmagicDescribe(data);
  if (described.ok()) {
    report.file_type.libmagic = std::move(described).value();
  } else {
    report.limits.push_back("libmagic: no answer (" + described.status().message() + ")");
  }
  if (data.size() > kMaxMagicBytes) {
    report.limits.push_back("libmagic saw only the first " + std::to_string(kMaxMagicBytes >> 20) + " MiB");
  }
}

}  // namespace

TriageReport TriageBytes(std::span<const uint8_t> data, const std::string& path) {
  TriageOptions options;
  options.yara = false;
  options.libmagic = false;
  auto report = TriageBytes(data, path, options);
  return report.ok() ? std::move(report).value() : TriageReport{};  // no YARA: cannot fail
}

core::Result<TriageReport> TriageBytes(std::span<const uint8_t> data, const std::string& path,
                                       const TriageOptions& options) {
  TriageReport report;
  report.path = path;
  report.size = data.size();
  report.hashes = HashBytes(data);
  AddFuzzyHash(data, report);
  report.file_type = DetectFileType(data);
  if (options.libmagic) AddLibmagic(data, report);
  report.entropy = ShannonEntropy(data);
  if (report.file_type.kind == FileKind::kElf) {
    report.elf = ParseElf(data);
    if (!report.elf) report.file_type.description = "ELF magic with an unknown class or byte order";
  }
  auto strings = ExtractStrings(data, report.strings);
  report.iocs = ExtractIndicators(strings);
  if (report.strings.truncated) {
    report.limits.push_back("only the first " + std::to_string(kMaxStrings) + " strings were searched");
  }
  if (report.iocs.size() >= kMaxIocs) {
    report.limits.push_back("indicators capped at " + std::to_string(kMaxIocs));
  }
  if (report.file_type.kind == FileKind::kArchive) {
    report.limits.push_back("archive members are not unpacked; triage each extracted file");
  }
  report.limits.push_back("static analysis only: the file was never executed; packed or encrypted "
                          "payloads hide their strings");
  if (options.yara && YaraAvailable()) {
    ASSIGN_OR_RETURN(report.yara, YaraScan(data, options.yara_options));
    report.yara_ran = true;
  } else if (options.yara) {
    report.limits.push_back("this build has no libyara: no YARA rules were run");
  }
  Assess(report);
  return report;
}

core::Result<TriageReport> TriageFile(const std::string& path, const TriageOptions& options) {
  ASSIGN_OR_RETURN(std::vector<uint8_t> data, ReadBounded(path));
  return TriageBytes(data, path, options);
}

core::Result<TriageReport> TriageOpenFile(int fd, const std::string& label, const TriageOptions& options) {
  ASSIGN_OR_RETURN(std::vector<uint8_t> data, ReadFd(fd, label));
  return TriageBytes(data, label, options);
}

}  // namespace bulwark::respond
