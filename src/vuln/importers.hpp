// Parsers for the three vulnerability data formats the local DB is built
// from: OSV JSON records, Alpine secdb documents and the Debian security
// tracker's JSON. Each turns text (untrusted: bounded, never throws) into
// Advisory values; db_import.cpp decides which parser a file needs and
// stores the result. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "vuln/advisory.hpp"

namespace bulwark::vuln {

// The advisories one document yields, under the DB source they belong to.
struct ParsedSource {
  std::string source;  // "osv:PyPI", "alpine-secdb:v3.11/main", "debian-tracker"
  std::vector<Advisory> advisories;
  int64_t skipped = 0;  // records left out on purpose: withdrawn, undetermined
};

// PEP 503 normalised project name: lower case, runs of "-", "_", "." -> "-".
std::string NormalizePypiName(std::string_view name);

// The first line of `text`, at most about `max_chars` (cut at a word and
// UTF-8 boundary, "..." appended when cut).
std::string OneLineSummary(std::string_view text, size_t max_chars);

enum class DataFormat { kUnknown, kOsv, kAlpineSecdb, kDebianTracker, kZip };

// The format of a document from its first bytes and keys (a zip is taken
// for OSV's all.zip). Reads only as far as it needs to decide.
DataFormat SniffFormat(std::string_view data);

// Calls `fn(entry name, content)` for every regular entry of a zip file,
// read with libarchive. Entries over `max_entry_bytes`, a damaged archive
// or an error from `fn` stop the walk with an error naming the entry.
core::Status ForEachZipEntry(const std::filesystem::path& zip, uint64_t max_entry_bytes,
                             const std::function<core::Status(std::string_view, std::string_view)>& fn);

// One OSV record (https://ossf.github.io/osv-schema/). A withdrawn record
// comes back with `withdrawn` set (importers count it, never store it).
// ECOSYSTEM and SEMVER ranges are kept; GIT ranges are
// dropped (they need the repository graph) but the `versions` list stays.
core::Result<Advisory> ParseOsvRecord(std::string_view text);
// "osv:<ecosystem>" for the record's first affected package ("osv:PyPI";
// "Debian:12" -> "osv:Debian"), "osv:unknown" when it names none.
std::string OsvSourceFor(const Advisory& advisory);

// An Alpine secdb document (secdb.alpinelinux.org/v3.NN/main.json): one
// advisory per CVE, fixed-in versions only (introduced "0"); a fixed
// version "0" means not affected. Source "alpine-secdb:v3.NN/REPO".
core::Result<ParsedSource> ParseAlpineSecdb(std::string_view text);

// The Debian security tracker's JSON (security-tracker.debian.org/tracker/
// data/json): {source package: {CVE: {description, releases: {codename:
// {status, fixed_version, urgency}}}}}. One advisory per CVE; releases map
// to "Debian:<number>" ("Debian:sid"); undetermined entries are skipped.
// Parsed one package at a time, so memory stays near one package's DOM.
core::Result<ParsedSource> ParseDebianTracker(std::string_view text);

// "Debian:12" for "bookworm", "Debian:sid" for "sid"; "" when unknown.
std::string DebianEcosystemForCodename(std::string_view codename);

}  // namespace bulwark::vuln
