// A name or ID known to the local Docker daemon: inspected first (for a
// clear "not found"), then exported with GET /images/{name}/get and read as
// a docker-archive while it streams. libcurl runs in a thread and writes the
// body into a socketpair; libarchive reads the other end. Nothing of the
// image is written to disk but the captured files.
#include <curl/curl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>

#include "docker/engine_client.hpp"
#include "image/archive_io.hpp"
#include "image/docker_archive.hpp"
#include "image/fs_util.hpp"
#include "image/opened_image.hpp"

namespace bulwark::image {
namespace {

constexpr size_t kMaxErrorBody = 64 << 10;

// One GET whose body goes into a socket the caller reads.
class ExportStream {
 public:
  ~ExportStream() { (void)Finish(); }

  core::Status Start(const std::string& socket_path, const std::string& path) {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return ErrnoStatus(errno, "socketpair");
    read_end_ = UniqueFd(fds[0]);
    write_end_ = UniqueFd(fds[1]);
    thread_ = std::thread([this, socket_path, path] { Transfer(socket_path, path); });
    return core::Status::Ok();
  }

  int fd() const { return read_end_.get(); }

  // Stops reading (a writer still sending gets EPIPE and gives up) and
  // waits for the transfer. The daemon's refusal, if it refused.
  core::Status Finish() {
    cancelled_ = true;  // also stops a transfer still waiting for its first byte
    read_end_.Reset();
    if (thread_.joinable()) thread_.join();
    if (status_ != 0 && status_ != 200) {
      return core::Error(
          status_ == 404 ? core::ErrorCode::kNotFound : core::ErrorCode::kUnavailable,
          "the Docker daemon refused the export (HTTP " + std::to_string(status_) + "): " + error_body_);
    }
    return core::Status::Ok();
  }

  // Why the transfer itself failed, if it did (not our own early stop).
  std::string TransferError() const {
    if (code_ == CURLE_OK || code_ == CURLE_WRITE_ERROR || code_ == CURLE_ABORTED_BY_CALLBACK) return "";
    return curl_easy_strerror(code_);
  }

 private:
  void Transfer(const std::string& socket_path, const std::string& path) {
    CURL* curl = curl_easy_init();
    if (curl != nullptr) {
      std::string url = "http://localhost" + path;
      curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, socket_path.c_str());
      curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
      curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &ExportStream::Write);
      curl_easy_setopt(curl, CURLOPT_WRITEDATA, this);
      curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
      curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
      // A big image takes a while to start; a stalled one should not hang us.
      curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
      curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 300L);
      curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
      curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &ExportStream::Progress);
      curl_easy_setopt(curl, CURLOPT_XFERINFODATA, this);
      curl_ = curl;
      code_ = curl_easy_perform(curl);
      curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status_);
      curl_easy_cleanup(curl);
    } else {
      code_ = CURLE_FAILED_INIT;
    }
    write_end_.Reset();  // the reader sees the end of the stream
  }

  static int Progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<ExportStream*>(self)->cancelled_ ? 1 : 0;  // non-zero aborts
  }

  static size_t Write(char* data, size_t size, size_t count, void* self) {
    auto* stream = static_cast<ExportStream*>(self);
    size_t bytes = size * count;
    long status = 0;
    curl_easy_getinfo(static_cast<CURL*>(stream->curl_), CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) {  // an error document: keep it for the message
      stream->error_body_.append(
          data, std::min(bytes, kMaxErrorBody - std::min(kMaxErrorBody, stream->error_body_.size())));
      return bytes;
    }
    size_t done = 0;
    while (done < bytes) {
      ssize_t n = send(stream->write_end_.get(), data + done, bytes - done, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return 0;  // the reader is gone: curl stops with CURLE_WRITE_ERROR
      done += static_cast<size_t>(n);
    }
    return bytes;
  }

  UniqueFd read_end_;
  UniqueFd write_end_;
  std::thread thread_;
  std::atomic<bool> cancelled_{false};
  void* curl_ = nullptr;  // CURL*, for the write callback
  CURLcode code_ = CURLE_OK;
  long status_ = 0;
  std::string error_body_;
};

// Missing socket and permission problems, said plainly before curl's
// "Couldn't connect to server".
core::Status CheckSocket(const std::string& socket_path) {
  struct stat st {};
  if (stat(socket_path.c_str(), &st) != 0) {
    if (errno == EACCES) {
      return core::Error(
          core::ErrorCode::kPermissionDenied,
          "permission denied on the way to the Docker socket " + socket_path + ": run as root");
    }
    return core::Error(
        core::ErrorCode::kUnavailable,
        "no Docker daemon socket at " + socket_path +
            ": is dockerd running? (or give the image as docker-archive:FILE from docker save)");
  }
  if (access(socket_path.c_str(), R_OK | W_OK) != 0 && errno == EACCES) {
    return core::Error(core::ErrorCode::kPermissionDenied,
                       "permission denied on the Docker socket " + socket_path +
                           ": run as root or as a member of its group (docker)");
  }
  return core::Status::Ok();
}

}  // namespace

core::Result<std::unique_ptr<Image>> OpenDaemonImage(const std::string& reference,
                                                     const OpenOptions& options) {
  RETURN_IF_ERROR(CheckSocket(options.docker_socket));
  docker::EngineClient client(options.docker_socket);  // also initialises libcurl once
  auto inspect = client.InspectImage(reference);
  if (!inspect.ok()) {
    if (inspect.status().code() != core::ErrorCode::kNotFound) return inspect.status();
    return core::Error(core::ErrorCode::kNotFound,
                       "image not found: " + reference + " (docker images lists what the daemon has)");
  }
  ImageInfo info;
  info.source = "daemon";
  info.reference = reference;
  info.id = inspect->id;
  info.repo_tags = inspect->repo_tags;
  info.repo_digests = inspect->repo_digests;

  ExportStream stream;
  RETURN_IF_ERROR(
      stream.Start(options.docker_socket, "/images/" + docker::EscapePathSegment(reference) + "/get"));
  ArchivePtr outer = NewTarReader();
  std::string name = "image " + reference + " (exported by the daemon)";
  if (!outer || archive_read_open_fd(outer.get(), stream.fd(), kReadBlockSize) != ARCHIVE_OK) {
    core::Status refused = stream.Finish();
    return refused.ok() ? OpenFailed(name, outer.get()) : refused;
  }
  auto image = ReadDockerArchive(outer.get(), name, std::move(info), options, std::nullopt, NoteList());
  outer.reset();
  RETURN_IF_ERROR(stream.Finish());
  if (!image.ok() && !stream.TransferError().empty()) {
    return core::Error(core::ErrorCode::kUnavailable,
                       name + ": the export stream broke: " + stream.TransferError() + " (" +
                           image.status().message() + ")");
  }
  return image;
}

}  // namespace bulwark::image
