#include "docker/engine_client.hpp"

#include <curl/curl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <nlohmann/json.hpp>

namespace bulwark::docker {

namespace {

// API responses bulwark reads are small (inspect documents); a bound keeps a
// hostile or broken peer from filling memory.
constexpr size_t kMaxBody = size_t{64} << 20;

struct Sink {
  std::string* body;
  bool overflow = false;
};

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t bytes = size * count;
  if (sink->body->size() + bytes > kMaxBody) {
    sink->overflow = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  sink->body->append(data, bytes);
  return bytes;
}

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::vector<std::string> StringArray(const nlohmann::json& value) {
  std::vector<std::string> out;
  if (!value.is_array()) return out;
  for (const auto& item : value) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

// "docker.io/library/python:3.12" and "python:3.12" name the same repository.
std::string RepositoryOf(const std::string& reference) {
  std::string ref = reference;
  if (size_t at = ref.find('@'); at != std::string::npos) ref.resize(at);
  size_t slash = ref.rfind('/');
  size_t colon = ref.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) ref.resize(colon);
  for (const char* prefix : {"docker.io/library/", "docker.io/", "index.docker.io/library/",
                             "index.docker.io/"}) {
    std::string_view p(prefix);
    if (ref.compare(0, p.size(), p) == 0) {
      ref.erase(0, p.size());
      break;
    }
  }
  if (ref.compare(0, 8, "library/") == 0) ref.erase(0, 8);
  return ref;
}

// The characters of the reference grammar (distribution/reference), and no
// empty or dot-dot path segment, so a reference cannot reach another endpoint.
bool IsValidReference(const std::string& reference) {
  if (reference.empty() || reference.size() > 512) return false;
  for (unsigned char c : reference) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-' || c == '/' || c == ':' || c == '@';
    if (!ok) return false;
  }
  size_t start = 0;
  while (start <= reference.size()) {
    size_t slash = reference.find('/', start);
    std::string_view segment(reference.data() + start,
                             (slash == std::string::npos ? reference.size() : slash) - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return true;
}

// Why connecting failed, in words a user can act on: curl only says
// "Couldn't connect to server" whether the socket is missing or forbidden.
std::string SocketProblem(const std::string& path, const char* curl_error) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    if (errno == EACCES) return "permission denied on a directory above the socket: run as root";
    return "no such socket: is dockerd running? (set DOCKER_HOST=unix://PATH for another socket)";
  }
  if (!S_ISSOCK(st.st_mode)) return "not a socket";
  if (access(path.c_str(), R_OK | W_OK) != 0 && errno == EACCES) {
    return "permission denied: the socket is owned by uid " + std::to_string(st.st_uid) + ", gid " +
           std::to_string(st.st_gid) + "; run as root or as a member of the socket's group (docker)";
  }
  return std::string(curl_error) + ": is dockerd running?";
}

}  // namespace

std::string EngineClient::DefaultSocketPath() {
  const char* host = std::getenv("DOCKER_HOST");
  if (host != nullptr) {
    std::string_view value(host);
    if (value.rfind("unix://", 0) == 0) return std::string(value.substr(7));
  }
  return "/var/run/docker.sock";
}

EngineClient::EngineClient(std::string socket_path) : socket_path_(std::move(socket_path)) {
  GlobalInitOnce();
  curl_ = curl_easy_init();
}

EngineClient::~EngineClient() {
  if (curl_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

core::Status EngineClient::TransferError(const std::string& path, int curl_code) const {
  auto code = static_cast<CURLcode>(curl_code);
  if (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST) {
    return core::Status(core::ErrorCode::kUnavailable,
                        "cannot reach the Docker daemon at unix://" + socket_path_ + " (" +
                            SocketProblem(socket_path_, curl_easy_strerror(code)) + ")");
  }
  return core::Status(core::ErrorCode::kUnavailable, "Docker Engine API call " + path + " on unix://" +
                                                         socket_path_ + " failed: " +
                                                         curl_easy_strerror(code));
}

core::Result<HttpResponse> EngineClient::Perform(const char* method, const std::string& path,
                                                 const std::string* body) {
  auto* curl = static_cast<CURL*>(curl_);
  if (curl == nullptr) return core::Status(core::ErrorCode::kInternal, "libcurl could not start");
  HttpResponse response;
  Sink sink{&response.body};
  std::string url = "http://localhost" + path;
  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, socket_path_.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, request_timeout_);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_slist* headers = nullptr;
  if (body != nullptr) {
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  }
  CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  if (sink.overflow) {
    return core::Status(core::ErrorCode::kTooLarge,
                        "Docker Engine API answer to " + path + " is larger than 64 MiB");
  }
  if (code != CURLE_OK) return TransferError(path, code);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

core::Result<HttpResponse> EngineClient::Get(const std::string& path) {
  return Perform("GET", path, nullptr);
}

core::Result<HttpResponse> EngineClient::Post(const std::string& path, const std::string& json_body) {
  return Perform("POST", path, &json_body);
}

namespace {

struct StreamState {
  CURL* curl;
  const BodySink* sink;
  StreamResponse* response;
  long stall_seconds;
  bool sink_stopped = false;
  bool stalled = false;
  curl_off_t last_bytes = 0;
  std::chrono::steady_clock::time_point last_progress = std::chrono::steady_clock::now();
};

// Abandons a transfer that received nothing for stall_seconds (curl's own
// low-speed check averages over seconds of history, so it reacts late).
int StreamProgress(void* user, curl_off_t, curl_off_t now_bytes, curl_off_t, curl_off_t) {
  auto* state = static_cast<StreamState*>(user);
  auto now = std::chrono::steady_clock::now();
  if (now_bytes != state->last_bytes) {
    state->last_bytes = now_bytes;
    state->last_progress = now;
    return 0;
  }
  if (now - state->last_progress >= std::chrono::seconds(state->stall_seconds)) {
    state->stalled = true;
    return 1;
  }
  return 0;
}

constexpr size_t kMaxErrorBody = 64 << 10;

size_t WriteStream(char* data, size_t size, size_t count, void* user) {
  auto* state = static_cast<StreamState*>(user);
  size_t bytes = size * count;
  long status = 0;
  curl_easy_getinfo(state->curl, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299) {
    std::string& error = state->response->error_body;
    error.append(data, std::min(bytes, kMaxErrorBody - std::min(kMaxErrorBody, error.size())));
    return bytes;
  }
  if (!(*state->sink)(data, bytes)) {
    state->sink_stopped = true;
    return 0;
  }
  state->response->bytes += bytes;
  return bytes;
}

}  // namespace

core::Result<StreamResponse> EngineClient::GetStream(const std::string& path, const BodySink& sink) {
  auto* curl = static_cast<CURL*>(curl_);
  if (curl == nullptr) return core::Status(core::ErrorCode::kInternal, "libcurl could not start");
  StreamResponse response;
  StreamState state{curl, &sink, &response, stall_timeout_};
  std::string url = "http://localhost" + path;
  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, socket_path_.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteStream);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  // No whole-transfer bound (a big container takes long); a stall ends it.
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, StreamProgress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &state);
  CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  if (code == CURLE_OK) return response;
  if (state.sink_stopped) {
    return core::Status(core::ErrorCode::kIoError, "stopped after " + std::to_string(response.bytes) +
                                                       " bytes: the data could not be stored");
  }
  if (response.status == 0) return TransferError(path, code);
  std::string why = state.stalled
                        ? "stalled (nothing for " + std::to_string(stall_timeout_) + " s)"
                        : std::string(curl_easy_strerror(code));
  return core::Status(core::ErrorCode::kIoError, "broke off after " + std::to_string(response.bytes) +
                                                     " bytes: " + why);
}

core::Status EngineClient::Ping() {
  auto response = Get("/_ping");
  if (!response.ok()) return response.status();
  if (response->status != 200) {
    return core::Status(core::ErrorCode::kUnavailable,
                        "Docker daemon at unix://" + socket_path_ + " answered /_ping with HTTP " +
                            std::to_string(response->status));
  }
  return core::Status::Ok();
}

core::Result<ImageInfo> EngineClient::InspectImage(const std::string& reference) {
  if (!IsValidReference(reference)) {
    return core::Status(core::ErrorCode::kInvalidArgument,
                        "'" + reference + "' is not an image reference (name[:tag][@digest])");
  }
  auto response = Get("/images/" + EscapePathSegment(reference) + "/json");
  if (!response.ok()) return response.status();
  if (response->status == 404) {
    return core::Status(core::ErrorCode::kNotFound, "the Docker daemon has no image '" + reference + "'");
  }
  if (response->status != 200) {
    return core::Status(core::ErrorCode::kUnavailable, "image inspect of '" + reference +
                                                           "' failed with HTTP " +
                                                           std::to_string(response->status));
  }
  auto json = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) {
    return core::Status(core::ErrorCode::kParseError, "image inspect of '" + reference + "' is not JSON");
  }
  ImageInfo info;
  info.id = json.value("Id", "");
  info.repo_tags = StringArray(json.value("RepoTags", nlohmann::json()));
  info.repo_digests = StringArray(json.value("RepoDigests", nlohmann::json()));
  info.os = json.value("Os", "");
  if (const auto config = json.find("Config"); config != json.end() && config->is_object()) {
    if (auto user = config->find("User"); user != config->end() && user->is_string()) {
      info.user = user->get<std::string>();
    }
    if (auto ports = config->find("ExposedPorts"); ports != config->end() && ports->is_object()) {
      for (const auto& item : ports->items()) info.exposed_ports.push_back(item.key());
    }
  }
  return info;
}

std::optional<std::string> RepoDigestFor(const ImageInfo& image, const std::string& reference) {
  std::string wanted = RepositoryOf(reference);
  for (const std::string& entry : image.repo_digests) {
    size_t at = entry.find('@');
    if (at == std::string::npos) continue;
    if (RepositoryOf(entry.substr(0, at)) == wanted) return entry.substr(at + 1);
  }
  return std::nullopt;
}

std::string EscapePathSegment(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '.' || c == '~' || c == ':' || c == '/';
    if (safe) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace bulwark::docker
