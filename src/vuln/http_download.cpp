#include "vuln/http_download.hpp"

#include <curl/curl.h>

#include <strings.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "core/version.hpp"

namespace bulwark::vuln {
namespace {

struct CurlCloser {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct FileCloser {
  void operator()(FILE* file) const { std::fclose(file); }
};

// State shared with libcurl's callbacks during one transfer.
struct Transfer {
  const DownloadRequest* request = nullptr;
  CURL* curl = nullptr;
  int64_t existing = 0;      // bytes of the .part before this attempt
  int64_t written = 0;       // bytes in the .part now
  long status = 0;           // HTTP status, known at the first body byte
  bool started = false;
  bool resumed = false;
  int64_t range_start = -1;  // from the last response's Content-Range
  bool stale = false;        // the .part cannot be continued
  std::unique_ptr<FILE, FileCloser> file;
  core::Status error;        // why a callback stopped the transfer
};

// Opens the .part on the first body byte: appending after a 206 that
// continues where it stopped, from scratch after a 200.
bool Start(Transfer& t) {
  t.started = true;
  curl_easy_getinfo(t.curl, CURLINFO_RESPONSE_CODE, &t.status);
  if (t.status != 200 && t.status != 206) return true;  // error body: discarded
  t.resumed = t.status == 206 && t.existing > 0;
  if (t.resumed && t.range_start != t.existing) {
    t.error = core::Error(core::ErrorCode::kUnavailable, t.request->url + ": the server resumed at byte " +
                                                             std::to_string(t.range_start) + ", not " +
                                                             std::to_string(t.existing));
    t.stale = true;
    return false;
  }
  t.file.reset(std::fopen(t.request->part.c_str(), t.resumed ? "ab" : "wb"));
  if (!t.file) {
    t.error = core::Error(core::ErrorCode::kIoError, t.request->part.string() + ": cannot write");
    return false;
  }
  t.written = t.resumed ? t.existing : 0;
  return true;
}

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  size_t n = size * count;
  if (!t.started && !Start(t)) return 0;
  if (!t.file) return n;
  if (t.written + static_cast<int64_t>(n) > t.request->max_bytes) {
    t.error = core::Error(core::ErrorCode::kTooLarge, t.request->url + ": larger than " +
                                                          std::to_string(t.request->max_bytes) + " bytes");
    return 0;
  }
  if (std::fwrite(data, 1, n, t.file.get()) != n) {
    t.error = core::Error(core::ErrorCode::kIoError, t.request->part.string() + ": write failed");
    return 0;
  }
  t.written += static_cast<int64_t>(n);
  return n;
}

// Content-Range: bytes START-END/TOTAL of the final response (a redirect's
// headers come first; each status line starts afresh).
size_t Header(char* data, size_t size, size_t count, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  size_t n = size * count;
  std::string_view line(data, n);
  if (line.starts_with("HTTP/")) t.range_start = -1;
  constexpr std::string_view kName = "content-range: bytes ";
  if (line.size() > kName.size() && strncasecmp(line.data(), kName.data(), kName.size()) == 0) {
    t.range_start = std::strtoll(std::string(line.substr(kName.size())).c_str(), nullptr, 10);
  }
  return n;
}

int Progress(void* user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t) {
  auto& t = *static_cast<Transfer*>(user);
  if (!t.request->progress || !t.started || !t.file) return 0;
  int64_t base = t.resumed ? t.existing : 0;
  t.request->progress(base + now, total > 0 ? base + total : -1);
  return 0;
}

void SetOptions(CURL* curl, const DownloadRequest& request, Transfer& t, const std::string& range) {
  static const std::string agent = std::string("bulwark/") + core::kVersion;
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, agent.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 20L);
  // A stalled transfer (under 1 byte/s for a minute) is a broken one.
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 60L);
  if (!request.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, request.ca_file.c_str());
  if (!range.empty()) curl_easy_setopt(curl, CURLOPT_RANGE, range.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, Header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, Progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
}

// What a failed curl_easy_perform means for the user.
DownloadOutcome CurlFailure(CURLcode code, const DownloadRequest& request, const char* detail) {
  std::string message = *detail ? detail : curl_easy_strerror(code);
  std::string host = UrlHost(request.url);
  DownloadOutcome out;
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      out.status = core::Error(core::ErrorCode::kUnavailable,
                               "could not reach " + host + ": " + message +
                                   "; import files you fetched elsewhere with bulwark db import");
      out.unreachable = true;
      return out;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      out.status = core::Error(core::ErrorCode::kUnavailable,
                               "TLS with " + host + " failed: " + message + " (a private mirror needs --ca-file)");
      return out;
    case CURLE_UNSUPPORTED_PROTOCOL:
      out.status = core::Error(core::ErrorCode::kInvalidArgument, request.url + ": only https:// URLs are used");
      return out;
    default:
      out.status = core::Error(core::ErrorCode::kUnavailable, "download of " + request.url + " broke off: " + message);
      out.retryable = true;  // cut off, timed out, reset: resume it
      return out;
  }
}

}  // namespace

std::string UrlHost(std::string_view url) {
  size_t start = url.find("://");
  start = start == std::string_view::npos ? 0 : start + 3;
  size_t end = url.find_first_of("/?#", start);
  return std::string(url.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
}

DownloadOutcome Download(const DownloadRequest& request) {
  std::unique_ptr<CURL, CurlCloser> curl(curl_easy_init());
  if (!curl) {
    DownloadOutcome failed;
    failed.status = core::Error(core::ErrorCode::kInternal, "libcurl could not start");
    return failed;
  }
  Transfer t;
  t.request = &request;
  t.curl = curl.get();
  std::error_code ec;
  auto existing = std::filesystem::file_size(request.part, ec);
  t.existing = ec ? 0 : static_cast<int64_t>(existing);
  std::string range = t.existing > 0 ? std::to_string(t.existing) + "-" : "";
  char detail[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, detail);
  SetOptions(curl.get(), request, t, range);
  CURLcode code = curl_easy_perform(curl.get());
  if (t.file && std::fflush(t.file.get()) != 0 && t.error.ok()) {
    t.error = core::Error(core::ErrorCode::kIoError, request.part.string() + ": write failed");
  }
  t.file.reset();
  DownloadOutcome out;
  out.resumed = t.resumed;
  out.bytes = t.written;
  if (!t.error.ok()) {
    out.status = t.error;
    if (t.stale) {
      std::filesystem::remove(request.part, ec);
      out.retryable = true;
    }
    return out;
  }
  long status = t.status;
  if (status == 0) curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (code != CURLE_OK && status < 400) return CurlFailure(code, request, detail);
  if (status == 416) {
    // Our .part is not a prefix of what the server has now: start over.
    std::filesystem::remove(request.part, ec);
    out.status = core::Error(core::ErrorCode::kUnavailable, request.url + ": the partial download is stale");
    out.retryable = true;
    return out;
  }
  if (status != 200 && status != 206) {
    out.status = core::Error(status == 404 ? core::ErrorCode::kNotFound : core::ErrorCode::kUnavailable,
                             request.url + ": HTTP " + std::to_string(status));
    return out;
  }
  if (!t.started) {  // empty body
    std::FILE* empty = std::fopen(request.part.c_str(), t.existing > 0 && status == 206 ? "ab" : "wb");
    if (empty) std::fclose(empty);
    out.bytes = status == 206 ? t.existing : 0;
  }
  return out;
}

}  // namespace bulwark::vuln
