// Finds the dockerd that serves the audited socket by reading /proc (comm,
// cmdline, status) and each daemon's own daemon.json; reads daemon.json
// bounded and without exceptions.
#include "host/daemon_process.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>

namespace bulwark::host {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr size_t kMaxConfigBytes = 1 << 20;
constexpr size_t kMaxCmdlineBytes = 1 << 20;
constexpr size_t kMaxSmallFile = 64 << 10;
constexpr int kMaxConfigDepth = 64;
constexpr const char* kDefaultSocket = "/var/run/docker.sock";

std::string Join(const std::string& root, const std::string& path) {
  if (root.empty() || root == "/") return path;
  std::string joined = root;
  while (joined.size() > 1 && joined.back() == '/') joined.pop_back();
  return joined + (path.empty() || path[0] != '/' ? "/" : "") + path;
}

enum class ReadStatus { kOk, kAbsent, kTooLarge, kError };

// Up to `limit` bytes of a regular file or a /proc file; O_NONBLOCK so a
// FIFO planted at the path cannot hang the audit.
ReadStatus ReadBounded(const std::string& path, size_t limit, std::string* out,
                       std::string* error) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return ReadStatus::kAbsent;
    if (error != nullptr) *error = std::strerror(errno);
    return ReadStatus::kError;
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    if (error != nullptr) *error = "not a regular file";
    return ReadStatus::kError;
  }
  out->clear();
  char buffer[16384];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      if (error != nullptr) *error = std::strerror(errno);
      close(fd);
      return ReadStatus::kError;
    }
    if (n == 0) break;
    out->append(buffer, static_cast<size_t>(n));
    if (out->size() > limit) {
      close(fd);
      return ReadStatus::kTooLarge;
    }
  }
  close(fd);
  return ReadStatus::kOk;
}

std::string ReadSmall(const std::string& path, size_t limit = kMaxSmallFile) {
  std::string text;
  if (ReadBounded(path, limit, &text, nullptr) != ReadStatus::kOk) return "";
  return text;
}

// Validates the text without building anything: strict JSON, nesting bounded
// (so neither the parser's DOM nor a later dump can run out of stack), and
// nlohmann's message for the first error.
class CheckingSax : public nlohmann::json_sax<json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return Enter(); }
  bool key(string_t&) override { return true; }
  bool end_object() override { return Leave(); }
  bool start_array(std::size_t) override { return Enter(); }
  bool end_array() override { return Leave(); }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    error_ = ex.what();
    // "[json.exception.parse_error.101] parse error at line 1, ..." -> "parse error at line 1, ..."
    size_t bracket = error_.find("] ");
    if (error_.rfind("[json.exception.", 0) == 0 && bracket != std::string::npos) {
      error_.erase(0, bracket + 2);
    }
    return false;
  }
  const std::string& error() const { return error_; }

 private:
  bool Enter() {
    if (++depth_ <= kMaxConfigDepth) return true;
    error_ = "nested deeper than " + std::to_string(kMaxConfigDepth) + " levels";
    return false;
  }
  bool Leave() {
    --depth_;
    return true;
  }
  int depth_ = 0;
  std::string error_;
};

bool AllSpace(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

// Parses what ReadDaemonConfigFile read; fills json or error.
void ParseConfigText(const std::string& text, DaemonConfigFile& file) {
  if (AllSpace(text)) {
    file.json = json::object();
    return;
  }
  CheckingSax sax;
  if (!json::sax_parse(text, &sax) || !sax.error().empty()) {
    file.error = file.path + ": " + (sax.error().empty() ? "not valid JSON" : sax.error());
    return;
  }
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    file.error = file.path + ": not valid JSON";
  } else if (!parsed.is_object()) {
    file.error = file.path + ": the top level is a JSON " + std::string(parsed.type_name()) +
                 ", not an object";
  } else {
    file.json = std::move(parsed);
  }
}

// One dockerd seen in /proc.
struct Candidate {
  DaemonProcess process;
  std::vector<std::string> hosts;    // as configured, for messages
  std::vector<std::string> sockets;  // normalized unix socket paths
  std::string mount_ns;              // readlink of ns/mnt ("" when unreadable)
};

// Digits only and in range; nullopt otherwise (no exceptions on odd names).
template <typename T>
std::optional<T> ParseNumber(const std::string& text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::vector<std::string> SplitNul(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\0', start);
    if (end == std::string::npos) end = text.size();
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// The value of "Name:" in /proc/PID/status (first field), "" when absent.
std::string StatusField(const std::string& status, std::string_view name) {
  size_t pos = 0;
  while (pos < status.size()) {
    size_t end = status.find('\n', pos);
    if (end == std::string::npos) end = status.size();
    std::string_view line(status.data() + pos, end - pos);
    if (line.size() > name.size() && line.compare(0, name.size(), name) == 0 &&
        line[name.size()] == ':') {
      std::string_view rest = line.substr(name.size() + 1);
      size_t first = rest.find_first_not_of(" \t");
      if (first == std::string_view::npos) return "";
      rest = rest.substr(first);
      return std::string(rest.substr(0, rest.find_first_of(" \t")));
    }
    pos = end + 1;
  }
  return "";
}

std::string ReadLink(const std::string& path) {
  char buffer[256];
  ssize_t n = readlink(path.c_str(), buffer, sizeof buffer - 1);
  return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : "";
}

bool IsRootless(const DaemonProcess& process) {
  return process.uid != 0 ||
         std::find(process.argv.begin(), process.argv.end(), "--rootless") != process.argv.end();
}

// One variable of a process's environment; "" when unset or unreadable (only
// root and the process's own user may read it). Nothing else is kept.
std::string EnvironValue(const std::string& pid_dir, std::string_view name) {
  std::string prefix = std::string(name) + "=";
  for (const std::string& entry : SplitNul(ReadSmall(pid_dir + "/environ", kMaxCmdlineBytes))) {
    if (entry.size() > prefix.size() && entry.rfind(prefix, 0) == 0) {
      return entry.substr(prefix.size());
    }
  }
  return "";
}

// The home directory of uid in the host's /etc/passwd; "" when not listed.
std::string HomeOf(const std::string& root, uint32_t uid) {
  std::string passwd = ReadSmall(Join(root, "/etc/passwd"), kMaxConfigBytes);
  size_t pos = 0;
  while (pos < passwd.size()) {
    size_t end = passwd.find('\n', pos);
    if (end == std::string::npos) end = passwd.size();
    // name:password:uid:gid:gecos:home:shell
    std::vector<std::string> fields;
    size_t start = pos;
    for (size_t colon; (colon = passwd.find(':', start)) < end; start = colon + 1) {
      fields.push_back(passwd.substr(start, colon - start));
    }
    fields.push_back(passwd.substr(start, end - start));
    if (fields.size() >= 6 && ParseNumber<uint32_t>(fields[2]) == uid) return fields[5];
    pos = end + 1;
  }
  return "";
}

std::string PidDir(const std::string& root, const DaemonProcess& process) {
  return Join(root, "/proc/" + std::to_string(process.pid));
}

// A rootless daemon's default socket is $XDG_RUNTIME_DIR/docker.sock.
std::string DefaultSocketOf(const std::string& root, const DaemonProcess& process) {
  if (!IsRootless(process)) return kDefaultSocket;
  std::string runtime_dir = EnvironValue(PidDir(root, process), "XDG_RUNTIME_DIR");
  if (runtime_dir.empty()) runtime_dir = "/run/user/" + std::to_string(process.uid);
  return runtime_dir + "/docker.sock";
}

// nullopt for anything that is not a live dockerd with a command line.
std::optional<Candidate> ReadCandidate(const std::string& root, const std::string& pid_dir,
                                       int pid) {
  std::string comm = ReadSmall(pid_dir + "/comm");
  while (!comm.empty() && (comm.back() == '\n' || comm.back() == '\0')) comm.pop_back();
  if (comm != "dockerd") return std::nullopt;
  std::string status = ReadSmall(pid_dir + "/status");
  std::string state = StatusField(status, "State");
  if (state == "Z" || state == "X") return std::nullopt;  // a zombie has no command line
  Candidate c;
  c.process.pid = pid;
  c.process.argv = SplitNul(ReadSmall(pid_dir + "/cmdline", kMaxCmdlineBytes));
  if (c.process.argv.empty()) return std::nullopt;
  std::string uid = StatusField(status, "Uid");
  c.process.uid = ParseNumber<uint32_t>(uid).value_or(0);
  DaemonConfigFile file = ReadDaemonConfigFile(root, DaemonConfigFilePath(root, c.process));
  DaemonConfig config = DaemonConfig::From(c.process.argv, file.json, file.path);
  if (const DaemonOption* hosts = config.Find("hosts")) c.hosts = hosts->values;
  std::string default_socket = DefaultSocketOf(root, c.process);
  if (c.hosts.empty()) c.hosts.push_back("unix://" + default_socket + " (default)");
  c.sockets = DaemonUnixSockets(config, default_socket);
  c.mount_ns = ReadLink(pid_dir + "/ns/mnt");
  return c;
}

std::string Describe(const Candidate& c) {
  std::string text = "pid " + std::to_string(c.process.pid) + " listens on ";
  for (size_t i = 0; i < c.hosts.size(); ++i) text += (i ? ", " : "") + c.hosts[i];
  return text;
}

// Several daemons on one socket path live in different mount namespaces
// (docker-in-docker): the host's is the one of PID 1.
const Candidate* Pick(const std::vector<const Candidate*>& matches, const std::string& host_ns) {
  for (const Candidate* c : matches) {
    if (!host_ns.empty() && c->mount_ns == host_ns) return c;
  }
  return matches.front();
}

}  // namespace

std::string NormalizeSocketPath(std::string path) {
  if (path.rfind("unix://", 0) == 0) path.erase(0, 7);
  std::string out;
  for (char c : path) {
    if (c == '/' && !out.empty() && out.back() == '/') continue;
    out.push_back(c);
  }
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  if (out == "/var/run") return "/run";
  if (out.rfind("/var/run/", 0) == 0) out.erase(0, 4);
  return out;
}

std::vector<std::string> DaemonUnixSockets(const DaemonConfig& config,
                                           const std::string& default_socket) {
  std::vector<std::string> sockets;
  const DaemonOption* hosts = config.Find("hosts");
  if (hosts == nullptr || hosts->values.empty()) return {NormalizeSocketPath(default_socket)};
  for (const std::string& host : hosts->values) {
    // dockerd's ParseHost: "" and "unix://" are the default socket; fd:// is
    // the socket systemd hands over (docker.socket: the default path).
    if (host.empty() || host == "unix://" || host.rfind("fd://", 0) == 0) {
      sockets.push_back(NormalizeSocketPath(default_socket));
    } else if (host.rfind("unix://", 0) == 0) {
      sockets.push_back(NormalizeSocketPath(host));
    }
  }
  return sockets;
}

std::string DaemonConfigFilePath(const std::string& root, const DaemonProcess& process) {
  DaemonConfig flags = DaemonConfig::From(process.argv, json(), "");
  if (flags.Find("config-file") != nullptr || !IsRootless(process)) {
    return DaemonConfig::ConfigFilePath(process.argv);
  }
  // dockerd in rootless mode reads $XDG_CONFIG_HOME/docker/daemon.json.
  std::string pid_dir = PidDir(root, process);
  std::string config_home = EnvironValue(pid_dir, "XDG_CONFIG_HOME");
  if (config_home.empty()) {
    std::string home = EnvironValue(pid_dir, "HOME");
    if (home.empty()) home = HomeOf(root, process.uid);
    if (home.empty()) return DaemonConfig::ConfigFilePath(process.argv);
    config_home = home + "/.config";
  }
  return config_home + "/docker/daemon.json";
}

DaemonConfigFile ReadDaemonConfigFile(const std::string& root, const std::string& path) {
  DaemonConfigFile file;
  file.path = path;
  std::string text;
  std::string error;
  switch (ReadBounded(Join(root, path), kMaxConfigBytes, &text, &error)) {
    case ReadStatus::kAbsent:
      return file;
    case ReadStatus::kTooLarge:
      file.exists = true;
      file.error = path + ": larger than 1 MiB, not read";
      return file;
    case ReadStatus::kError:
      file.exists = true;
      file.error = path + ": " + error;
      return file;
    case ReadStatus::kOk:
      break;
  }
  file.exists = true;
  ParseConfigText(text, file);
  return file;
}

std::optional<DaemonProcess> FindDaemonProcess(const std::string& root,
                                               const std::string& socket_path,
                                               std::string* why_not) {
  std::string proc = Join(root, "/proc");
  std::error_code ec;
  fs::directory_iterator it(proc, ec);
  if (ec) {
    if (why_not != nullptr) *why_not = "cannot read " + proc + ": " + ec.message();
    return std::nullopt;
  }
  std::vector<Candidate> candidates;
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::optional<int> pid = ParseNumber<int>(it->path().filename().string());
    if (!pid || *pid <= 0) continue;
    if (auto c = ReadCandidate(root, it->path().string(), *pid)) {
      candidates.push_back(std::move(*c));
    }
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) { return a.process.pid < b.process.pid; });
  std::string wanted = NormalizeSocketPath(socket_path);
  std::vector<const Candidate*> matches;
  for (const Candidate& c : candidates) {
    if (std::find(c.sockets.begin(), c.sockets.end(), wanted) != c.sockets.end()) {
      matches.push_back(&c);
    }
  }
  if (!matches.empty()) return Pick(matches, ReadLink(proc + "/1/ns/mnt"))->process;
  if (why_not != nullptr) {
    if (candidates.empty()) {
      *why_not =
          "no dockerd process in " + proc +
          " (the daemon may run in another PID namespace, e.g. bulwark in a container without "
          "--pid=host)";
    } else {
      *why_not = "no dockerd listens on unix://" + socket_path + ":";
      for (size_t i = 0; i < candidates.size(); ++i)
        *why_not += (i ? "; " : " ") + Describe(candidates[i]);
    }
  }
  return std::nullopt;
}

}  // namespace bulwark::host
