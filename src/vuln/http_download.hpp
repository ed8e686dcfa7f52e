// Resumable HTTPS downloads with libcurl for `bulwark db update`: writes to
// NAME.part, continues an existing .part with a Range request (206 appends,
// 200 starts over), reports progress, and tells a dropped connection (worth
// resuming) from an unreachable host. One call = one attempt.
// Thread-compatible: one download per thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "core/status.hpp"

namespace bulwark::vuln {

struct DownloadRequest {
  std::string url;                        // https:// only
  std::filesystem::path part;             // where the bytes go (NAME.part)
  std::filesystem::path ca_file;          // extra CA bundle; empty = system store
  int64_t max_bytes = int64_t{4} << 30;   // refuse bigger bodies
  std::function<void(int64_t bytes, int64_t total)> progress;  // total -1 when unknown
};

struct DownloadOutcome {
  core::Status status;
  bool retryable = false;    // the transfer broke off: another attempt resumes it
  bool unreachable = false;  // no connection to the host at all (offline?)
  bool resumed = false;    // the server answered 206 to our Range request
  int64_t bytes = 0;       // size of the .part afterwards
};

DownloadOutcome Download(const DownloadRequest& request);

// "secdb.alpinelinux.org" from "https://secdb.alpinelinux.org/v3.19/main.json".
std::string UrlHost(std::string_view url);

}  // namespace bulwark::vuln
