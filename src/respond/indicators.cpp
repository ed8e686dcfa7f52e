#include "respond/indicators.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <utility>

namespace bulwark::respond {
namespace {

bool IsPrintable(uint8_t c) { return (c >= 0x20 && c < 0x7f) || c == '\t'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

// Characters that end a URL or path inside a string.
bool EndsToken(char c) {
  return c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' ||
         c == '|' || c == ';' || c == ',' || c == '(' || c == ')' || c == '{' || c == '}' ||
         c == '\\';
}

std::string_view TokenAt(std::string_view text, size_t start) {
  size_t end = start;
  while (end < text.size() && !EndsToken(text[end])) ++end;
  return text.substr(start, end - start);
}

void Add(std::vector<Ioc>& out, IocKind kind, std::string_view value, uint64_t offset,
         std::string tag = {}) {
  out.push_back({kind, std::string(value.substr(0, 512)), offset, std::move(tag)});
}

// ---- URLs --------------------------------------------------------------

void FindUrls(std::string_view text, const std::string& lower, uint64_t offset,
              std::vector<Ioc>& out) {
  static constexpr std::array<std::string_view, 6> kStratum = {
      "stratum+tcp://", "stratum+ssl://", "stratum+tls://", "stratum2+tcp://", "stratum2+ssl://",
      "stratum1+tcp://"};
  static constexpr std::array<std::string_view, 4> kUrl = {"http://", "https://", "ftp://", "tcp://"};
  for (auto scheme : kStratum) {
    for (size_t p = lower.find(scheme); p != std::string::npos; p = lower.find(scheme, p + 1)) {
      auto token = TokenAt(text, p);
      if (token.size() > scheme.size()) Add(out, IocKind::kStratumUrl, token, offset);
    }
  }
  for (auto scheme : kUrl) {
    for (size_t p = lower.find(scheme); p != std::string::npos; p = lower.find(scheme, p + 1)) {
      if (p > 0 && (lower[p - 1] == '+' || IsAlnum(lower[p - 1]))) continue;  // stratum+tcp://, xtcp://
      auto token = TokenAt(text, p);
      // Need a host: at least one letter or digit after the scheme.
      if (token.size() > scheme.size() && IsAlnum(token[scheme.size()])) {
        Add(out, IocKind::kUrl, token, offset);
      }
    }
  }
}

// ---- IPv4 ---------------------------------------------------------------

// Parses a dotted quad at `p`; returns its length or 0.
size_t ParseIpv4(std::string_view s, size_t p) {
  size_t i = p;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (i >= s.size() || s[i] != '.') return 0;
      ++i;
    }
    size_t start = i;
    int value = 0;
    while (i < s.size() && IsDigit(s[i]) && i - start < 3) value = value * 10 + (s[i++] - '0');
    if (i == start || value > 255 || (i < s.size() && IsDigit(s[i]))) return 0;
    if (i - start > 1 && s[start] == '0') return 0;  // 01.2.3.4 is not how addresses are written
  }
  // Not part of a longer dotted run (1.2.3.4.5, version 1.2.3.4a).
  if (i < s.size() && (s[i] == '.' || IsAlnum(s[i]) || s[i] == '-')) {
    if (!(s[i] == '.' && (i + 1 >= s.size() || !IsAlnum(s[i + 1])))) return 0;
  }
  return i - p;
}

void FindIpv4(std::string_view text, uint64_t offset, std::vector<Ioc>& out) {
  for (size_t p = 0; p < text.size(); ++p) {
    if (!IsDigit(text[p])) continue;
    if (p > 0 && (IsAlnum(text[p - 1]) || text[p - 1] == '.' || text[p - 1] == '-' ||
                  text[p - 1] == '_')) {
      continue;
    }
    size_t len = ParseIpv4(text, p);
    if (len == 0) {
      while (p < text.size() && (IsDigit(text[p]) || text[p] == '.')) ++p;
      continue;
    }
    std::string value(text.substr(p, len));
    size_t end = p + len;
    if (value == "0.0.0.0" || value == "255.255.255.255") {
      p = end;
      continue;
    }
    // Optional :port (1-65535).
    if (end + 1 < text.size() && text[end] == ':' && IsDigit(text[end + 1])) {
      size_t q = end + 1;
      long port = 0;
      while (q < text.size() && IsDigit(text[q]) && q - end <= 5) port = port * 10 + (text[q++] - '0');
      if (port >= 1 && port <= 65535 && (q >= text.size() || !IsDigit(text[q]))) {
        value = std::string(text.substr(p, q - p));
        end = q;
      }
    }
    Add(out, IocKind::kIpv4, value, offset);
    p = end;
  }
}

// ---- Domains ------------------------------------------------------------

// Only TLDs that make a real domain likely; file names (libc.so.6,
// config.json, main.go) never end in one of these.
bool KnownTld(std::string_view tld) {
  static const std::set<std::string_view> kTlds = {
      "com", "net", "org", "io", "ru", "cn", "xyz", "top", "pw", "cc", "info", "biz", "tk",
      "onion", "su", "me", "co", "online", "site", "club", "live", "de", "uk", "fr", "nl",
      "br", "in", "jp", "kr", "ir", "ws", "to", "link", "app", "dev", "cloud", "us", "eu"};
  return kTlds.count(tld) != 0;
}

bool IsDomainChar(char c) { return IsAlnum(c) || c == '-' || c == '.'; }

void FindDomains(std::string_view text, uint64_t offset, std::vector<Ioc>& out) {
  size_t p = 0;
  while (p < text.size()) {
    if (!IsDomainChar(text[p])) {
      ++p;
      continue;
    }
    size_t start = p;
    while (p < text.size() && IsDomainChar(text[p])) ++p;
    std::string_view token = text.substr(start, p - start);
    // A domain inside a path (/usr/lib/x.com) or an e-mail-ish/option word is skipped.
    if (start > 0 && (text[start - 1] == '/' && !(start >= 2 && text[start - 2] == '/'))) continue;
    if (start > 0 && (text[start - 1] == '@' || text[start - 1] == '_')) continue;
    while (!token.empty() && token.back() == '.') token.remove_suffix(1);
    size_t last_dot = token.rfind('.');
    if (last_dot == std::string_view::npos || last_dot == 0 || token.size() > 253) continue;
    if (token.front() == '-' || token.front() == '.') continue;
    std::string lower = ToLower(token);
    if (token != lower) continue;  // mixed case: class names, not hosts
    if (!KnownTld(std::string_view(lower).substr(last_dot + 1))) continue;
    // Every label 1..63 characters; a letter somewhere before the TLD.
    bool ok = true;
    bool letter = std::any_of(lower.begin(), lower.begin() + static_cast<long>(last_dot),
                              [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
    size_t label = 0;
    for (char c : lower) {
      if (c == '.') {
        ok = ok && label > 0 && label <= 63;
        label = 0;
      } else {
        ++label;
      }
    }
    if (ok && letter && label > 0) Add(out, IocKind::kDomain, lower, offset);
  }
}

// ---- Monero wallets: 4[0-9AB][base58]{93} ------------------------------

bool IsBase58(char c) {
  return IsAlnum(c) && c != '0' && c != 'O' && c != 'I' && c != 'l';
}

void FindWallets(std::string_view text, uint64_t offset, std::vector<Ioc>& out) {
  size_t p = 0;
  while (p < text.size()) {
    if (!IsBase58(text[p]) && text[p] != '0') {
      ++p;
      continue;
    }
    size_t start = p;
    while (p < text.size() && IsAlnum(text[p])) ++p;
    std::string_view token = text.substr(start, p - start);
    if (token.size() != 95 || token[0] != '4') continue;
    if (!(IsDigit(token[1]) || token[1] == 'A' || token[1] == 'B')) continue;
    if (std::all_of(token.begin() + 2, token.end(), IsBase58)) Add(out, IocKind::kWallet, token, offset);
  }
}

// ---- Paths ---------------------------------------------------------------

struct PathRule {
  std::string_view needle;  // substring of the path
  std::string_view tag;
};
// Order matters: the first rule that matches tags the path.
constexpr std::array<PathRule, 24> kPathRules = {{
    {"/etc/ld.so.preload", "persistence:ld.so.preload"},
    {"/etc/cron", "persistence:cron"},
    {"/var/spool/cron", "persistence:cron"},
    {"/etc/anacrontab", "persistence:cron"},
    {"/etc/profile", "persistence:profile"},
    {"/.bashrc", "persistence:profile"},
    {"/.bash_profile", "persistence:profile"},
    {"/.profile", "persistence:profile"},
    {"/etc/bash.bashrc", "persistence:profile"},
    {"/etc/rc.local", "persistence:rc.local"},
    {"/etc/init.d/", "persistence:init.d"},
    {"/etc/systemd/system", "persistence:systemd"},
    {"/lib/systemd/system", "persistence:systemd"},
    {"/.config/systemd/user", "persistence:systemd"},
    {"/.ssh/authorized_keys", "persistence:ssh-key"},
    {"/etc/shadow", "sensitive:credentials"},
    {"/etc/gshadow", "sensitive:credentials"},
    {"/.ssh/id_", "sensitive:credentials"},
    {"/.aws/credentials", "sensitive:credentials"},
    {"/.docker/config.json", "sensitive:credentials"},
    {"/var/run/secrets/kubernetes.io", "sensitive:credentials"},
    {"docker.sock", "sensitive:docker.sock"},
    {"/proc/sys/vm/nr_hugepages", "miner:hugepages"},
    {"/msr", "miner:msr"},
}};

void FindPaths(std::string_view text, uint64_t offset, std::vector<Ioc>& out) {
  for (size_t p = 0; p < text.size(); ++p) {
    if (text[p] != '/' && text[p] != '~') continue;
    if (p > 0 && !EndsToken(text[p - 1]) && text[p - 1] != '=' && text[p - 1] != ':' &&
        text[p - 1] != '>') {
      continue;
    }
    if (p + 1 < text.size() && text[p + 1] == '/') continue;  // "//" of a URL
    std::string_view token = TokenAt(text, p);
    p += token.size();
    // A path: at least two components, no URL scheme.
    if (token.size() < 5 || std::count(token.begin(), token.end(), '/') < 2) continue;
    std::string tag;
    for (const auto& rule : kPathRules) {
      if (token.find(rule.needle) != std::string_view::npos) {
        if (rule.needle == "/msr" && token.find("/dev/cpu/") == std::string_view::npos) continue;
        tag = rule.tag;
        break;
      }
    }
    Add(out, IocKind::kPath, token, offset, tag);
  }
}

// ---- Shell commands and miner words -----------------------------------

struct Keyword {
  std::string_view needle;  // matched in the lower-cased string
  std::string_view tag;
};
constexpr std::array<Keyword, 20> kShellKeywords = {{
    {"| sh", "download-and-run"},     {"|sh", "download-and-run"},
    {"| bash", "download-and-run"},   {"|bash", "download-and-run"},
    {"curl ", "download"},            {"wget ", "download"},
    {"chmod +x", "make-executable"},  {"chmod 777", "make-executable"},
    {"/bin/sh -c", "shell"},          {"bash -c", "shell"},
    {"bash -i", "reverse-shell"},     {"/dev/tcp/", "reverse-shell"},
    {"nc -e", "reverse-shell"},       {"base64 -d", "decode"},
    {"nohup ", "background"},         {"crontab ", "persistence:cron"},
    {"setenforce 0", "defense-evasion"}, {"ufw disable", "defense-evasion"},
    {"history -c", "defense-evasion"}, {"pkill ", "kill-competitors"},
}};

constexpr std::array<std::string_view, 12> kMinerWords = {
    "xmrig", "--donate-level", "donate-level", "cryptonight", "randomx", "nr_hugepages",
    "/dev/cpu/", "minerd", "cpuminer", "nicehash", "xmr-stak", "coinhive"};

void FindShell(std::string_view text, const std::string& lower, uint64_t offset,
               std::vector<Ioc>& out) {
  // The first keyword in table order names the string's tag.
  std::string_view best;
  for (const auto& k : kShellKeywords) {
    if (lower.find(k.needle) != std::string::npos) {
      best = k.tag;
      break;
    }
  }
  // A pipe into a shell counts as download-and-run only with a fetch in the same string.
  if (best == "download-and-run" && lower.find("curl") == std::string::npos &&
      lower.find("wget") == std::string::npos) {
    best = "shell";
  }
  if (!best.empty()) Add(out, IocKind::kShellCommand, text.substr(0, 200), offset, std::string(best));
}

void FindMinerWords(const std::string& lower, uint64_t offset, std::vector<Ioc>& out) {
  for (auto word : kMinerWords) {
    size_t p = lower.find(word);
    if (p == std::string::npos) continue;
    if (word == "/dev/cpu/" && lower.find("msr", p) == std::string::npos) continue;
    if (word == "donate-level" && lower.find("--donate-level") != std::string::npos) continue;
    Add(out, IocKind::kMinerWord, word == "/dev/cpu/" ? "/dev/cpu/*/msr" : word, offset);
  }
}

}  // namespace

const char* IocKindName(IocKind kind) {
  switch (kind) {
    case IocKind::kUrl: return "url";
    case IocKind::kStratumUrl: return "stratum_url";
    case IocKind::kIpv4: return "ipv4";
    case IocKind::kDomain: return "domain";
    case IocKind::kWallet: return "wallet";
    case IocKind::kPath: return "path";
    case IocKind::kShellCommand: return "shell_command";
    case IocKind::kMinerWord: return "miner_word";
  }
  return "unknown";
}

std::vector<PrintableString> ExtractStrings(std::span<const uint8_t> data, StringsSummary& summary) {
  std::vector<PrintableString> out;
  summary = {};
  size_t i = 0;
  while (i < data.size()) {
    if (!IsPrintable(data[i])) {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < data.size() && IsPrintable(data[i])) ++i;
    if (i - start < kMinStringLength) continue;
    if (out.size() >= kMaxStrings) {
      summary.truncated = true;
      break;
    }
    size_t len = std::min(i - start, kMaxStringLength);
    out.push_back({start, std::string(reinterpret_cast<const char*>(data.data() + start), len)});
  }
  summary.count = out.size();
  return out;
}

void FindIndicators(std::string_view text, uint64_t offset, std::vector<Ioc>& out) {
  std::string lower = ToLower(text);
  FindUrls(text, lower, offset, out);
  FindIpv4(text, offset, out);
  FindDomains(text, offset, out);
  FindWallets(text, offset, out);
  size_t before = out.size();
  FindPaths(text, offset, out);
  // Compilers often build a path like /var/run/docker.sock from immediate
  // stores, leaving it in no string; a log line naming the socket still tells.
  if (lower.find("docker.sock") != std::string::npos &&
      std::none_of(out.begin() + static_cast<long>(before), out.end(),
                   [](const Ioc& i) { return i.tag == "sensitive:docker.sock"; })) {
    Add(out, IocKind::kPath, "docker.sock", offset, "sensitive:docker.sock");
  }
  FindShell(text, lower, offset, out);
  FindMinerWords(lower, offset, out);
}

std::vector<Ioc> ExtractIndicators(const std::vector<PrintableString>& strings) {
  std::vector<Ioc> out;
  std::set<std::pair<IocKind, std::string>> seen;
  std::vector<Ioc> found;
  for (const auto& s : strings) {
    found.clear();
    FindIndicators(s.text, s.offset, found);
    for (auto& ioc : found) {
      if (out.size() >= kMaxIocs) return out;
      if (seen.insert({ioc.kind, ioc.value}).second) out.push_back(std::move(ioc));
    }
  }
  return out;
}

}  // namespace bulwark::respond
