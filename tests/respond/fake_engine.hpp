// A fake Docker Engine for tests: an HTTP/1.1 server on a unix socket in a
// temporary directory, one request per connection (Connection: close),
// answering with a handler the test supplies and recording every request in
// order. Replies can be truncated (fewer bytes than Content-Length) or stall
// mid-body, to test the client's handling of a broken export.
// The server thread is the only one touching the socket; the request list is
// guarded by a mutex.
#pragma once

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "test_support.hpp"

namespace bulwark::testing {

struct FakeRequest {
  std::string method;
  std::string target;  // path and query
  std::string body;
  std::string Path() const { return target.substr(0, target.find('?')); }
};

struct FakeReply {
  enum class Mode { kNormal, kTruncate, kStall };
  int status = 200;
  std::string body;
  Mode mode = Mode::kNormal;
  int stall_ms = 0;
};

class FakeEngine {
 public:
  using Handler = std::function<FakeReply(const FakeRequest&)>;

  explicit FakeEngine(Handler handler) : handler_(std::move(handler)) {
    dir_ = MakeTempDir("fake_engine");
    socket_path_ = (dir_ / "docker.sock").string();
    listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, socket_path_.c_str(), sizeof(addr.sun_path) - 1);
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || listen(listen_fd_, 16) != 0) {
      throw std::runtime_error("fake engine: cannot listen on " + socket_path_);
    }
    thread_ = std::thread([this] { Serve(); });
  }

  ~FakeEngine() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    close(listen_fd_);
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  const std::string& socket_path() const { return socket_path_; }

  std::vector<FakeRequest> Requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  // "GET /containers/web/json" per request, query dropped.
  std::vector<std::string> Calls() {
    std::vector<std::string> calls;
    for (const auto& request : Requests()) calls.push_back(request.method + " " + request.Path());
    return calls;
  }

 private:
  void Serve() {
    while (!stop_) {
      pollfd pfd{listen_fd_, POLLIN, 0};
      if (poll(&pfd, 1, 50) <= 0) continue;
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      Handle(fd);
      close(fd);
    }
  }

  static bool ReadRequest(int fd, FakeRequest& request) {
    std::string data;
    char buffer[4096];
    size_t header_end = std::string::npos;
    while ((header_end = data.find("\r\n\r\n")) == std::string::npos) {
      ssize_t n = read(fd, buffer, sizeof(buffer));
      if (n <= 0) return false;
      data.append(buffer, static_cast<size_t>(n));
    }
    std::string head = data.substr(0, header_end);
    size_t sp1 = head.find(' ');
    size_t sp2 = head.find(' ', sp1 + 1);
    request.method = head.substr(0, sp1);
    request.target = head.substr(sp1 + 1, sp2 - sp1 - 1);
    size_t length = 0;
    for (const char* key : {"Content-Length:", "content-length:"}) {
      if (size_t at = head.find(key); at != std::string::npos) length = std::stoul(head.substr(at + 15));
    }
    request.body = data.substr(header_end + 4);
    while (request.body.size() < length) {
      ssize_t n = read(fd, buffer, sizeof(buffer));
      if (n <= 0) return false;
      request.body.append(buffer, static_cast<size_t>(n));
    }
    return true;
  }

  static void Send(int fd, const std::string& text) {
    size_t done = 0;
    while (done < text.size()) {
      ssize_t n = send(fd, text.data() + done, text.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return;
      done += static_cast<size_t>(n);
    }
  }

  void Handle(int fd) {
    FakeRequest request;
    if (!ReadRequest(fd, request)) return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(request);
    }
    FakeReply reply = handler_(request);
    size_t declared = reply.mode == FakeReply::Mode::kNormal ? reply.body.size() : reply.body.size() * 2 + 10;
    std::string head = "HTTP/1.1 " + std::to_string(reply.status) + " X\r\nContent-Type: application/json\r\n" +
                       "Content-Length: " + std::to_string(declared) + "\r\nConnection: close\r\n\r\n";
    Send(fd, head + reply.body);
    if (reply.mode == FakeReply::Mode::kStall) {
      auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(reply.stall_ms);
      // Until the time is up or the client hangs up (then serve the next one).
      while (!stop_ && std::chrono::steady_clock::now() < until) {
        pollfd pfd{fd, POLLIN, 0};
        char byte;
        if (poll(&pfd, 1, 20) > 0 && recv(fd, &byte, 1, MSG_DONTWAIT) <= 0) break;
      }
    }
  }

  Handler handler_;
  std::filesystem::path dir_;
  std::string socket_path_;
  int listen_fd_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::vector<FakeRequest> requests_;  // guarded by mutex_
};

}  // namespace bulwark::testing
