// The facts `bulwark triage` gathers about one file, as plain values: the
// hashes, the file kind, the ELF facts, the printable strings' indicators
// and the verdict. Everything in here that came from the file is untrusted
// text; renderers escape it. Value types; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "respond/live_types.hpp"

namespace bulwark::respond {

struct Hashes {
  std::string md5;
  std::string sha1;
  std::string sha256;
  std::string ssdeep;  // fuzzy hash "blocksize:hash:hash"; empty without libfuzzy
};

enum class FileKind { kElf, kScript, kArchive, kText, kData, kEmpty };
const char* FileKindName(FileKind kind);

struct FileType {
  FileKind kind = FileKind::kData;
  std::string description;  // e.g. "gzip archive", "script for /bin/sh"
  // libmagic's description (quotes strings from the file: untrusted);
  // empty when libmagic was not run or gave no answer (see limits).
  std::string libmagic;
};

struct ElfSection {
  std::string name;
  uint32_t type = 0;
  uint64_t flags = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
  bool in_file = false;     // its bytes lie inside the file (NOBITS never do)
  double entropy = 0.0;     // Shannon entropy of its bytes, 0..8
};

struct ElfFacts {
  int bits = 0;              // 32 or 64
  bool little_endian = true;
  std::string machine;       // "x86-64", "AArch64", or "machine 0xNN"
  std::string type;          // "executable", "shared object (PIE or library)", ...
  bool is_dynamic = false;   // has PT_INTERP or PT_DYNAMIC
  std::string interpreter;   // PT_INTERP path
  bool stripped = true;      // no .symtab section
  bool has_section_headers = false;
  std::vector<ElfSection> sections;
  std::vector<std::string> needed;   // DT_NEEDED
  std::vector<std::string> imports;  // undefined symbols of .dynsym
  bool upx_magic = false;            // "UPX!" in the file
  bool upx_sections = false;         // sections named UPX0/UPX1/UPX2
  std::string go_build_id;
  std::vector<std::string> go_sections;  // .go.buildinfo, .gopclntab, .note.go.buildid
  // Header fields that point outside the file or make no sense: a hostile
  // or damaged file. Parsing goes on with what is still trustworthy.
  std::vector<std::string> anomalies;
};

enum class IocKind {
  kUrl,
  kStratumUrl,
  kIpv4,
  kDomain,
  kWallet,
  kPath,
  kShellCommand,
  kMinerWord,
};
const char* IocKindName(IocKind kind);

struct Ioc {
  IocKind kind = IocKind::kUrl;
  std::string value;
  uint64_t offset = 0;  // of the string it was found in
  // For paths and shell commands, what kind it is: "persistence:cron",
  // "sensitive:docker.sock", "download-and-run", ...; empty when plain.
  std::string tag;
};

struct StringsSummary {
  size_t count = 0;       // printable strings of at least kMinStringLength
  bool truncated = false;  // stopped at the bound
};

struct YaraMatch {
  std::string rule;
  std::string source;       // "bulwark" for the shipped rules, else the rule file
  std::string description;  // meta description
  std::string severity;     // meta severity: high / medium / low (else low)
  std::string attack;       // meta attack: technique IDs, comma-separated
  std::vector<std::string> tags;
};

enum class Verdict { kClean, kUnknown, kSuspicious, kMalicious };
const char* VerdictName(Verdict verdict);

struct Reason {
  std::string signal;  // the scoring table's ID, e.g. "miner-stratum-url"
  std::string what;    // what was found (may contain text from the file)
  std::string where;   // "strings at 0x1234", "section .text", "ELF header"
  int weight = 0;
  std::string attack;  // ATT&CK technique ID, or empty
};

struct Assessment {
  Verdict verdict = Verdict::kUnknown;
  int score = 0;
  std::string confidence;  // low / medium / high
  std::vector<Reason> reasons;
  std::vector<std::string> attack;  // distinct technique IDs, sorted
};

struct TriageReport {
  std::string path;  // the file; for a process, its exe as the process sees it
  uint64_t size = 0;
  Hashes hashes;
  FileType file_type;
  double entropy = 0.0;
  std::optional<ElfFacts> elf;
  StringsSummary strings;
  std::vector<Ioc> iocs;
  bool yara_ran = false;
  std::vector<YaraMatch> yara;
  Assessment assessment;
  std::vector<std::string> limits;  // what this run could not look at
  // Set when the target was a live process: its facts and signs, which
  // the assessment combines with the executable's.
  std::optional<ProcessFacts> process;
  // Set when the target was a file inside a container (--container NAME PATH).
  std::optional<ContainerRef> container;
};

}  // namespace bulwark::respond
