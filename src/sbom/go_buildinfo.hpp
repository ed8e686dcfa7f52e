// Go build info: the toolchain version and module list the Go linker embeds
// in every executable since Go 1.13 (what `go version -m` prints and what
// Go's debug/buildinfo reads; Syft and Trivy both use that package, see
// ../shared/notes/sca.md §1).
//
// Layout, as debug/buildinfo documents it: a 32-byte header starting with
// the 14-byte magic "\xff Go buildinf:" on a 16-byte boundary, normally at
// the start of the ELF section .go.buildinfo. Byte 14 is the pointer size,
// byte 15 the flags: bit 1 (0x2) set means the Go 1.18+ inline format, where
// the header is followed by two uvarint-length-prefixed strings (toolchain
// version, module info); otherwise bit 0 gives the byte order and two
// pointers at bytes 16 and 16+ptrsize point (virtual addresses, resolved
// through PT_LOAD segments) at Go string headers {data pointer, length}.
// The module info is framed by 16-byte sentinels and holds tab-separated
// lines: "path P", "mod P V SUM", "dep P V SUM", "=> P V SUM" (replaces the
// line before), "build K=V".
//
// Input is untrusted: every length is bounded by the bytes present (and the
// pointer format's strings by kMaxGoString). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.hpp"
#include "sbom/elf_reader.hpp"

namespace bulwark::sbom {

struct GoModule {
  std::string path;
  std::string version;  // "v1.2.3", a pseudo-version, or "(devel)"
  std::string sum;      // "h1:..." when recorded
  // Set by a "=>" line: the module actually built in.
  std::string replace_path;
  std::string replace_version;
  std::string replace_sum;
};

struct GoBuildInfo {
  std::string go_version;  // as embedded: "go1.21.4", "go1.22.3 X:boringcrypto"
  std::string path;        // main package path ("path" line)
  GoModule main;           // empty path for GOPATH-mode builds (no "mod" line)
  std::vector<GoModule> deps;
  std::vector<std::pair<std::string, std::string>> settings;  // "build" lines, unquoted
  int malformed_lines = 0;  // module-info lines skipped as unreadable
};

inline constexpr std::string_view kGoBuildInfoMagic("\xff Go buildinf:", 14);
inline constexpr uint64_t kMaxGoString = 1 << 20;

// Finds and decodes the build info of a Go executable (whole file bytes).
// kNotFound when the file carries none (not a Go binary: the usual case);
// kParseError when the magic is there but the blob is unreadable.
core::Result<GoBuildInfo> ReadGoBuildInfo(std::string_view file);

// Offset of the first magic on a 16-byte boundary with a whole header after
// it, or npos.
size_t FindGoBuildInfoMagic(std::string_view data);

// Decodes a blob that starts with the magic. `elf` resolves the pointer
// format's addresses; without it only the inline format can be read.
core::Result<GoBuildInfo> DecodeGoBuildInfo(std::string_view blob, const ElfFile* elf);

// Parses the module-info text (sentinels already removed) into `info`.
void ParseGoModInfo(std::string_view text, GoBuildInfo& info);

// Go's strconv.Unquote for "..." and `...` strings; false when malformed.
bool GoUnquote(std::string_view quoted, std::string& out);

}  // namespace bulwark::sbom
