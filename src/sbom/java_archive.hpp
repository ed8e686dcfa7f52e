// Reading Java archives (jar, war, ear, par, sar, nar, jpi, hpi: zip files)
// from memory for the java-archive cataloger: the files that identify a
// Java package (META-INF/MANIFEST.MF and META-INF/maven/**/pom.properties,
// as Syft and Trivy read them; ../shared/notes/sca.md §1) and the archives
// nested in it (WEB-INF/lib/*.jar in a war, BOOT-INF/lib/*.jar in a Spring
// Boot jar, a war in an ear), recursed depth first.
//
// Archives are untrusted: libarchive reads them from memory, nothing is
// written to disk, and every read is bounded by JavaArchiveLimits (nesting
// depth, decompressed bytes over the whole top-level archive, size of one
// nested archive or text file, entries and pom.properties per archive), so
// what is held in memory stays bounded too. What a limit stops becomes a
// note naming the archive and entry. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bulwark::sbom {

struct JavaArchiveLimits {
  int max_depth = 4;                           // nested levels below the file in the image
  uint64_t max_total_bytes = 1ull << 30;       // decompressed bytes read, whole top-level file
  uint64_t max_nested_archive = 128ull << 20;  // one nested archive, held in memory to recurse
  uint64_t max_text_file = 1ull << 20;         // MANIFEST.MF
  uint64_t max_pom_file = 16ull << 10;         // one pom.properties (real ones: ~100 bytes)
  uint64_t max_pom_files = 2048;               // pom.properties kept per archive
  uint64_t max_entries = 500'000;              // entries listed per archive
};

// One archive as read: the file itself or one nested in it.
struct JavaArchive {
  // "/app/x.war" or, nested, "/app/x.war:WEB-INF/lib/y.jar" (one ':' per level).
  std::string location;
  std::string manifest;  // META-INF/MANIFEST.MF as stored; "" when absent
  std::vector<std::pair<std::string, std::string>> pom_properties;  // entry path -> text
};

using JavaArchiveVisitor = std::function<void(const JavaArchive&)>;

// Reads `data` (a zip archive found at `location`) and, depth first, the
// archives nested in it; calls `visit` once for every archive that could be
// opened (nested ones before the archive holding them). Appends a note for
// each archive that could not be read and each limit reached.
void ScanJavaArchive(std::string_view data, const std::string& location,
                     const JavaArchiveLimits& limits, const JavaArchiveVisitor& visit,
                     std::vector<std::string>& notes);

// The file name ends in a Java archive extension (case-insensitive).
bool IsJavaArchivePath(std::string_view path);

}  // namespace bulwark::sbom
