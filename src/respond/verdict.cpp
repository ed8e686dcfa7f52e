#include "respond/verdict.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>

#include <fmt/format.h>

namespace bulwark::respond {
namespace {

// THE scoring table. Each signal counts once per file however often it
// occurs (the reason says how often), so a string repeated a thousand
// times weighs what it weighs once.
constexpr std::array<Signal, 32> kSignals = {{
    {"yara-high", 40, "", "a shipped or user YARA rule with severity high (technique from its meta)"},
    {"yara-medium", 20, "", "a YARA rule with severity medium"},
    {"yara-low", 10, "", "a YARA rule with severity low or none"},
    {"miner-stratum-url", 50, "T1496", "a stratum+tcp/ssl mining-pool URL"},
    {"miner-wallet", 45, "T1496", "a Monero-wallet-like string"},
    {"miner-word", 40, "T1496", "miner vocabulary (xmrig, --donate-level, cryptonight, randomx, ...)"},
    {"miner-tuning", 25, "T1496", "huge pages or MSR access (/proc/sys/vm/nr_hugepages, /dev/cpu/*/msr)"},
    {"packer-upx", 30, "T1027.002", "UPX packer marks (UPX! magic or UPX0/UPX1 sections)"},
    {"high-entropy", 20, "T1027.002", "compressed or encrypted content: file entropy >= 7.2 or an executable section >= 7.4"},
    {"no-section-headers", 15, "T1027", "an ELF executable without section headers"},
    {"elf-anomaly", 10, "", "ELF headers that point outside the file or make no sense"},
    {"persistence-ld-preload", 35, "T1574.006", "/etc/ld.so.preload"},
    {"persistence-cron", 25, "T1053.003", "cron paths or crontab commands"},
    {"persistence-profile", 20, "T1546.004", "shell profile scripts (/etc/profile, .bashrc, ...)"},
    {"persistence-systemd", 20, "T1543.002", "systemd unit directories"},
    {"persistence-other", 15, "T1037", "rc.local, init.d or authorized_keys"},
    {"credential-files", 25, "T1552.001", "credential files (/etc/shadow, SSH keys, cloud and registry credentials)"},
    {"docker-socket", 30, "T1611", "the Docker socket (container escape, T1610 deploy container)"},
    {"download-and-run", 25, "T1105", "a command that fetches and runs code (curl|wget ... | sh)"},
    {"shell-command", 10, "T1059.004", "shell command lines (reverse shell, defence evasion, chmod +x, ...)"},
    {"raw-ip-endpoint", 10, "T1071", "a literal IPv4 address with a port"},
    {"static-stripped", 5, "", "a statically linked, stripped ELF executable (common for droppers; also for Go tools)"},
    // A live process (bulwark triage PID / --container): what it does, not only what its file holds.
    {"proc-kernel-thread-name", 40, "T1036.004,T1036.005", "a kernel thread's name (comm, or argv[0] in brackets) on a process that runs a file"},
    {"proc-exe-deleted", 30, "T1070.004", "the process's executable was deleted after it started"},
    {"proc-exe-temp-dir", 25, "T1036", "the executable lives in /tmp, /var/tmp, /dev/shm, /run/shm or /dev/mqueue"},
    {"proc-exe-hidden-dir", 25, "T1564.001", "the executable lives in a hidden directory (a path component starting with '.')"},
    {"proc-exe-not-in-image", 25, "T1105", "the executable is not a file of the container's image (added or changed at run time)"},
    {"proc-memfd-exec", 40, "T1620", "code runs from a memfd (fileless execution)"},
    {"proc-anon-exec", 15, "T1620", "anonymous executable memory (also JIT compilers: read the reason)"},
    {"proc-wx-memory", 15, "T1620", "memory mapped writable and executable at once"},
    {"proc-mining-connection", 45, "T1496", "a TCP connection to a mining-pool (stratum) port: 3333, 4444, 5555, 7777, 14444, ..."},
    {"proc-stratum-cmdline", 50, "T1496", "a stratum+tcp/ssl/tls URL in the command line"},
}};

// Occurrences of one signal: how many and the first one's text and place.
struct Hit {
  int count = 0;
  std::string what;
  std::string where;
  std::string attack;
};

class Collector {
 public:
  // `attack` overrides the table's technique (YARA rules name their own).
  void Raise(std::string_view id, std::string what, std::string where, std::string attack = {}) {
    Hit& h = hits_[std::string(id)];
    if (h.count++ == 0) {
      h.what = std::move(what);
      h.where = std::move(where);
    }
    // Every hit's techniques are kept (two YARA rules of one severity may name different ones).
    if (!attack.empty() && ("," + h.attack + ",").find("," + attack + ",") == std::string::npos) {
      h.attack += (h.attack.empty() ? "" : ",") + attack;
    }
  }
  void Finish(Assessment& a) const {
    for (const auto& s : kSignals) {  // table order: strongest first within groups
      auto it = hits_.find(std::string(s.id));
      if (it == hits_.end()) continue;
      const Hit& h = it->second;
      std::string what = h.what;
      if (h.count > 1) what += fmt::format(" (and {} more)", h.count - 1);
      std::string attack = h.attack.empty() ? std::string(s.attack) : h.attack;
      a.reasons.push_back({std::string(s.id), what, h.where, s.weight, attack});
      a.score += s.weight;
    }
  }

 private:
  std::map<std::string, Hit> hits_;
};

std::string At(uint64_t offset) { return fmt::format("string at 0x{:x}", offset); }

void FromIocs(const std::vector<Ioc>& iocs, Collector& c) {
  for (const auto& ioc : iocs) {
    std::string where = At(ioc.offset);
    switch (ioc.kind) {
      case IocKind::kStratumUrl: c.Raise("miner-stratum-url", ioc.value, where); break;
      case IocKind::kWallet: c.Raise("miner-wallet", ioc.value, where); break;
      case IocKind::kMinerWord:
        if (ioc.value == "nr_hugepages" || ioc.value == "/dev/cpu/*/msr") {
          c.Raise("miner-tuning", ioc.value, where);
        } else {
          c.Raise("miner-word", ioc.value, where);
        }
        break;
      case IocKind::kIpv4:
        if (ioc.value.find(':') != std::string::npos) c.Raise("raw-ip-endpoint", ioc.value, where);
        break;
      case IocKind::kShellCommand:
        if (ioc.tag == "download-and-run") {
          c.Raise("download-and-run", ioc.value, where);
        } else if (ioc.tag == "persistence:cron") {
          c.Raise("persistence-cron", ioc.value, where);
        } else if (ioc.tag != "download" && ioc.tag != "background") {
          c.Raise("shell-command", ioc.value + " [" + ioc.tag + "]", where);
        }
        break;
      case IocKind::kPath: {
        static const std::map<std::string_view, std::string_view> kByTag = {
            {"persistence:ld.so.preload", "persistence-ld-preload"},
            {"persistence:cron", "persistence-cron"},
            {"persistence:profile", "persistence-profile"},
            {"persistence:systemd", "persistence-systemd"},
            {"persistence:rc.local", "persistence-other"},
            {"persistence:init.d", "persistence-other"},
            {"persistence:ssh-key", "persistence-other"},
            {"sensitive:credentials", "credential-files"},
            {"sensitive:docker.sock", "docker-socket"},
            {"miner:hugepages", "miner-tuning"},
            {"miner:msr", "miner-tuning"}};
        auto it = kByTag.find(ioc.tag);
        if (it != kByTag.end()) c.Raise(it->second, ioc.value, where);
        break;
      }
      default: break;
    }
  }
}

bool IsExecutableSection(const ElfSection& s) { return (s.flags & 0x4) != 0; }  // SHF_EXECINSTR

void FromElf(const ElfFacts& elf, double file_entropy, Collector& c) {
  if (elf.upx_sections) c.Raise("packer-upx", "sections named UPX0/UPX1", "section headers");
  if (elf.upx_magic) c.Raise("packer-upx", "UPX! magic", "file contents");
  if (file_entropy >= 7.2) {
    c.Raise("high-entropy", fmt::format("file entropy {:.2f} bits/byte", file_entropy), "whole file");
  }
  for (const auto& s : elf.sections) {
    if (IsExecutableSection(s) && s.in_file && s.size >= 1024 && s.entropy >= 7.4) {
      c.Raise("high-entropy", fmt::format("executable section entropy {:.2f}", s.entropy),
              "section " + s.name);
    }
  }
  bool executable = elf.type == "executable" || elf.type.rfind("shared object", 0) == 0;
  if (executable && !elf.has_section_headers) {
    c.Raise("no-section-headers", "no section header table", "ELF header");
  }
  for (const auto& a : elf.anomalies) c.Raise("elf-anomaly", a, "ELF headers");
  if (!elf.is_dynamic && elf.stripped && elf.type == "executable") {
    c.Raise("static-stripped", "statically linked and stripped", "ELF headers");
  }
}

std::string Confidence(Verdict v, int score, bool elf_ok) {
  switch (v) {
    case Verdict::kMalicious: return score >= 100 ? "high" : "medium";
    case Verdict::kSuspicious: return score >= 50 ? "medium" : "low";
    case Verdict::kUnknown: return "low";
    case Verdict::kClean: return elf_ok ? "medium" : "low";
  }
  return "low";
}

// One reason per severity naming every rule of it (the signal counts once).
void FromYara(const std::vector<YaraMatch>& matches, Collector& c) {
  for (const char* severity : {"high", "medium", "low"}) {
    std::string rules, sources, attack;
    for (const auto& m : matches) {
      if (m.severity != severity) continue;
      rules += (rules.empty() ? "" : ", ") + m.rule;
      if (sources.find(m.source) == std::string::npos) sources += (sources.empty() ? "" : ", ") + m.source;
      if (!m.attack.empty()) attack += (attack.empty() ? "" : ",") + m.attack;
    }
    if (!rules.empty()) c.Raise(std::string("yara-") + severity, rules, "YARA rules of " + sources, attack);
  }
}

}  // namespace

std::span<const Signal> ScoringTable() { return kSignals; }

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kClean: return "clean";
    case Verdict::kUnknown: return "unknown";
    case Verdict::kSuspicious: return "suspicious";
    case Verdict::kMalicious: return "malicious";
  }
  return "unknown";
}

void Assess(TriageReport& report) {
  Collector c;
  FromYara(report.yara, c);
  FromIocs(report.iocs, c);
  if (report.process) {
    for (const auto& sign : report.process->signs) c.Raise(sign.signal, sign.what, sign.where);
  }
  if (report.elf) FromElf(*report.elf, report.entropy, c);
  else if (report.entropy >= 7.2 && report.file_type.kind == FileKind::kData) {
    c.Raise("high-entropy", fmt::format("file entropy {:.2f} bits/byte", report.entropy), "whole file");
  }
  Assessment a;
  c.Finish(a);
  if (a.score >= kMaliciousScore) a.verdict = Verdict::kMalicious;
  else if (a.score >= kSuspiciousScore) a.verdict = Verdict::kSuspicious;
  else if (a.score > 0) a.verdict = Verdict::kUnknown;
  else a.verdict = Verdict::kClean;
  std::set<std::string> techniques;
  for (const auto& r : a.reasons) {
    size_t start = 0;  // a YARA rule may name several, comma-separated
    while (start < r.attack.size()) {
      size_t comma = r.attack.find(',', start);
      if (comma == std::string::npos) comma = r.attack.size();
      std::string id = r.attack.substr(start, comma - start);
      id.erase(0, id.find_first_not_of(' '));
      if (!id.empty()) techniques.insert(id);
      start = comma + 1;
    }
  }
  a.attack.assign(techniques.begin(), techniques.end());
  a.confidence = Confidence(a.verdict, a.score, report.elf && report.elf->anomalies.empty());
  report.assessment = std::move(a);
}

}  // namespace bulwark::respond
