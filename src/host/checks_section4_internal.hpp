// Internals of CIS section 4 (images and build files): how an image's
// history records are read, and the history-based checks (4.7, 4.9, 4.10)
// that checks_section4.cpp lists with their metadata. Pure functions of
// HostFacts; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "host/host_check.hpp"

namespace bulwark::host::section4 {

// The CreatedBy record of every history entry, newest first as the engine
// lists them. Imported and squashed images have one entry with an empty
// record, or none.
std::vector<std::string> CreatedByRecords(const ImageFacts& image);
// True when at least one record says how a layer was made.
bool HistoryReadable(const std::vector<std::string>& records);

// 4.7: a RUN that refreshes a package index (apt-get update, apk update, yum
// makecache, zypper refresh) without installing or upgrading in the same
// layer.
bool UpdatesWithoutInstall(std::string_view created_by);

// 4.9: what an ADD record fetched.
enum class AddSource {
  kNone,     // not an ADD
  kRemote,   // a URL (the classic builder records a download by its bare hash)
  kArchive,  // a local tar archive ADD unpacks (BuildKit records name it)
  kLocal,    // a local file or directory (COPY would do)
};
struct AddRecord {
  AddSource source = AddSource::kNone;
  std::string destination;  // "/" for a base image's root filesystem
};
AddRecord ClassifyAdd(std::string_view created_by);

// A record as evidence: without the build arguments a RUN saw, with
// secret-looking NAME=value words masked, shortened to `limit` characters.
std::string Abbreviated(std::string_view record, size_t limit = 120);

void CheckUpdateAlone(const HostFacts& facts, ResultSink& out);   // 4.7
void CheckCopyNotAdd(const HostFacts& facts, ResultSink& out);    // 4.9
void CheckBuildSecrets(const HostFacts& facts, ResultSink& out);  // 4.10

}  // namespace bulwark::host::section4
