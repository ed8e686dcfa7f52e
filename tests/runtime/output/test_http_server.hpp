// A small HTTP/1.1 server on 127.0.0.1 for the webhook tests, written on raw
// sockets (no dependency): it records every request, answers with the status
// the test chooses (keep-alive, Content-Length bodies), or "hangs" — reads
// the request and never answers — to play a slow receiver. Requests it
// answered with 2xx are kept in order: the alerts the receiver accepted.
//
// Thread-safe: one accept thread, one thread per connection, state under mu_.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace bulwark::runtime::output::testing_http {

struct Request {
  std::string method, path, body;
  std::map<std::string, std::string> headers;  // names lower-cased
};

class TestHttpServer {
 public:
  using StatusFunc = std::function<int(const Request&, size_t index)>;

  // port 0: any free port.
  explicit TestHttpServer(uint16_t port = 0) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok_ = bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
          listen(listen_fd_, 16) == 0;
    socklen_t len = sizeof addr;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    if (pipe(stop_pipe_) != 0) ok_ = false;
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }
  ~TestHttpServer() { Stop(); }

  bool ok() const { return ok_; }
  uint16_t port() const { return port_; }
  std::string Url(const std::string& path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  void SetStatusFunc(StatusFunc f) {
    std::lock_guard lock(mu_);
    status_ = std::move(f);
  }
  // The first `statuses` requests get these codes, later ones 200.
  void SetStatuses(std::vector<int> statuses) {
    SetStatusFunc([statuses](const Request&, size_t i) {
      return i < statuses.size() ? statuses[i] : 200;
    });
  }
  // Hang: read requests and never answer them.
  void SetHang(bool hang) {
    std::lock_guard lock(mu_);
    hang_ = hang;
  }

  std::vector<Request> Requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  std::vector<std::string> Accepted() const {
    std::lock_guard lock(mu_);
    return accepted_;
  }
  bool WaitForAccepted(size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return accepted_.size() >= n; });
  }
  bool WaitForRequests(size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
  }

  void Stop() {
    if (stopped_.exchange(true)) return;
    char c = 'x';
    (void)!write(stop_pipe_[1], &c, 1);
    if (accept_thread_.joinable()) accept_thread_.join();
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mu_);
      threads.swap(conn_threads_);
    }
    for (auto& t : threads) t.join();
    close(listen_fd_);
    close(stop_pipe_[0]);
    close(stop_pipe_[1]);
  }

 private:
  // Waits until `fd` is readable; false when the server stops first.
  bool WaitReadable(int fd) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    for (;;) {
      int n = poll(fds, 2, -1);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 || (fds[1].revents & POLLIN)) return false;
      return (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
    }
  }

  void AcceptLoop() {
    while (WaitReadable(listen_fd_)) {
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      std::lock_guard lock(mu_);
      conn_threads_.emplace_back([this, fd] {
        Serve(fd);
        close(fd);
      });
    }
  }

  // Reads more bytes into `buf`; false on EOF, error or stop.
  bool ReadMore(int fd, std::string& buf) {
    if (!WaitReadable(fd)) return false;
    char chunk[8192];
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf.append(chunk, static_cast<size_t>(n));
    return buf.size() < (16u << 20);
  }

  bool ReadRequest(int fd, std::string& buf, Request& req) {
    size_t end;
    while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
      if (!ReadMore(fd, buf)) return false;
    }
    std::string head = buf.substr(0, end);
    buf.erase(0, end + 4);
    size_t line_end = head.find("\r\n");
    std::string first = head.substr(0, line_end);
    size_t sp1 = first.find(' '), sp2 = first.find(' ', sp1 + 1);
    if (sp1 == std::string::npos || sp2 == std::string::npos) return false;
    req.method = first.substr(0, sp1);
    req.path = first.substr(sp1 + 1, sp2 - sp1 - 1);
    size_t at = line_end == std::string::npos ? head.size() : line_end + 2;
    while (at < head.size()) {
      size_t e = head.find("\r\n", at);
      if (e == std::string::npos) e = head.size();
      std::string line = head.substr(at, e - at);
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(), ::tolower);
        size_t v = line.find_first_not_of(' ', colon + 1);
        req.headers[name] = v == std::string::npos ? "" : line.substr(v);
      }
      at = e + 2;
    }
    auto cl = req.headers.find("content-length");
    size_t length = cl == req.headers.end() ? 0 : std::stoul(cl->second);
    while (buf.size() < length) {
      if (!ReadMore(fd, buf)) return false;
    }
    req.body = buf.substr(0, length);
    buf.erase(0, length);
    return true;
  }

  void Serve(int fd) {
    std::string buf;
    for (;;) {
      Request req;
      if (!ReadRequest(fd, buf, req)) return;
      int status = 200;
      bool hang = false;
      {
        std::lock_guard lock(mu_);
        size_t index = requests_.size();
        requests_.push_back(req);
        hang = hang_;
        if (!hang) {
          status = status_ ? status_(req, index) : 200;
          // Recorded before the client can see the answer.
          if (status >= 200 && status < 300) accepted_.push_back(req.body);
        }
      }
      cv_.notify_all();
      if (hang) {
        // Never answer: wait until the client gives up (or the test ends).
        while (ReadMore(fd, buf)) {
        }
        return;
      }
      std::string response = "HTTP/1.1 " + std::to_string(status) +
                             " X\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok";
      if (send(fd, response.data(), response.size(), MSG_NOSIGNAL) < 0) return;
    }
  }

  int listen_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};
  uint16_t port_ = 0;
  bool ok_ = false;
  std::atomic<bool> stopped_{false};
  std::thread accept_thread_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::thread> conn_threads_;  // guarded by mu_
  std::vector<Request> requests_;          // guarded by mu_
  std::vector<std::string> accepted_;      // guarded by mu_
  StatusFunc status_;                      // guarded by mu_
  bool hang_ = false;                      // guarded by mu_
};

// A loopback port nothing listens on (bound, then released).
inline uint16_t UnusedPort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace bulwark::runtime::output::testing_http
