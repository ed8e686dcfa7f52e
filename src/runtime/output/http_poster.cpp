#include "runtime/output/http_poster.hpp"

#include <mutex>

#include <curl/curl.h>

namespace bulwark::runtime::output {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Response bodies are read and discarded (a receiver's reply carries nothing
// bulwark needs).
size_t DiscardBody(char* /*data*/, size_t size, size_t count, void* /*user*/) {
  return size * count;
}

class CurlPoster final : public HttpPoster {
 public:
  explicit CurlPoster(HttpPosterOptions options) : options_(std::move(options)) {}
  ~CurlPoster() override {
    if (curl_ != nullptr) curl_easy_cleanup(curl_);
    if (multi_ != nullptr) curl_multi_cleanup(multi_);
    if (headers_ != nullptr) curl_slist_free_all(headers_);
  }

  core::Status Init();
  core::Result<long> Post(std::string_view body) override;
  void Cancel() override {
    cancelled_.store(true, std::memory_order_relaxed);
    if (multi_ != nullptr) curl_multi_wakeup(multi_);  // thread-safe; ends a poll at once
  }

 private:
  core::Result<CURLcode> Perform();

  HttpPosterOptions options_;
  // The multi interface (one transfer at a time) so that Cancel can wake the
  // wait; the multi handle also keeps the connection alive between posts.
  CURLM* multi_ = nullptr;
  CURL* curl_ = nullptr;
  curl_slist* headers_ = nullptr;
  char error_[CURL_ERROR_SIZE] = {};
  std::atomic<bool> cancelled_{false};
};

core::Status CurlPoster::Init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  multi_ = curl_multi_init();
  curl_ = curl_easy_init();
  if (curl_ == nullptr || multi_ == nullptr) {
    return core::Error(core::ErrorCode::kInternal, "curl initialisation failed");
  }
  headers_ = curl_slist_append(headers_, "Content-Type: application/json");
  headers_ = curl_slist_append(headers_, "User-Agent: bulwark");
  // An empty Expect: keeps curl from waiting for "100 Continue" on big bodies.
  headers_ = curl_slist_append(headers_, "Expect:");
  for (const std::string& header : options_.headers) {
    headers_ = curl_slist_append(headers_, header.c_str());
  }
  curl_easy_setopt(curl_, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(curl_, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl_, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
  curl_easy_setopt(curl_, CURLOPT_POST, 1L);
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
  curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
  if (!options_.ca_file.empty()) curl_easy_setopt(curl_, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, DiscardBody);
  curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_);
  return core::Status::Ok();
}

core::Result<long> CurlPoster::Post(std::string_view body) {
  if (cancelled_.load(std::memory_order_relaxed)) {
    return core::Error(core::ErrorCode::kUnavailable, "POST " + options_.url + ": cancelled");
  }
  error_[0] = '\0';
  curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
  core::Result<CURLcode> performed = Perform();
  curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, nullptr);
  if (!performed.ok()) return performed.status();
  CURLcode rc = *performed;
  if (rc != CURLE_OK) {
    std::string why = error_[0] != '\0' ? error_ : curl_easy_strerror(rc);
    return core::Error(core::ErrorCode::kUnavailable, "POST " + options_.url + ": " + why);
  }
  long status = 0;
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

core::Result<CURLcode> CurlPoster::Perform() {
  if (curl_multi_add_handle(multi_, curl_) != CURLM_OK) {
    return core::Error(core::ErrorCode::kInternal, "curl_multi_add_handle failed");
  }
  CURLcode result = CURLE_OK;
  bool cancelled = false;
  for (int running = 1; running > 0;) {
    if (curl_multi_perform(multi_, &running) != CURLM_OK) {
      result = CURLE_FAILED_INIT;
      break;
    }
    if (running == 0) break;
    if (cancelled_.load(std::memory_order_relaxed)) {
      cancelled = true;
      break;
    }
    // The transfer's own timeouts end the loop; the poll only waits for I/O.
    curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);
  }
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
    if (msg->msg == CURLMSG_DONE) result = msg->data.result;
  }
  curl_multi_remove_handle(multi_, curl_);
  if (cancelled) {
    return core::Error(core::ErrorCode::kUnavailable, "POST " + options_.url + ": cancelled");
  }
  return result;
}

}  // namespace

core::Status ValidateHttpPosterOptions(const HttpPosterOptions& options) {
  if (!StartsWith(options.url, "http://") && !StartsWith(options.url, "https://")) {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       "webhook URL must start with http:// or https://: " + options.url);
  }
  if (options.url.find_first_of("\r\n ") != std::string::npos) {
    return core::Error(core::ErrorCode::kInvalidArgument, "webhook URL holds a space or newline");
  }
  for (const std::string& header : options.headers) {
    size_t colon = header.find(':');
    if (colon == std::string::npos || colon == 0 ||
        header.find_first_of("\r\n") != std::string::npos ||
        header.substr(0, colon).find_first_of(" \t") != std::string::npos) {
      return core::Error(core::ErrorCode::kInvalidArgument,
                         "webhook header must be \"Name: value\" on one line: " + header);
    }
  }
  if (options.timeout.count() <= 0 || options.connect_timeout.count() <= 0) {
    return core::Error(core::ErrorCode::kInvalidArgument, "webhook timeouts must be positive");
  }
  return core::Status::Ok();
}

core::Result<std::unique_ptr<HttpPoster>> MakeCurlPoster(const HttpPosterOptions& options) {
  RETURN_IF_ERROR(ValidateHttpPosterOptions(options));
  auto poster = std::make_unique<CurlPoster>(options);
  RETURN_IF_ERROR(poster->Init());
  return std::unique_ptr<HttpPoster>(std::move(poster));
}

}  // namespace bulwark::runtime::output
