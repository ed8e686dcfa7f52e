#include "core/suppression.hpp"

#include <fstream>
#include <sstream>

namespace bulwark::core {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Matches one path segment pattern (no '/') against a segment.
bool SegmentMatch(std::string_view pat, std::string_view text) {
  size_t p = 0, t = 0, star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pat.size() && pat[p] == '[') {
      size_t close = pat.find(']', p + 1);
      if (close != std::string_view::npos) {
        std::string_view set = pat.substr(p + 1, close - p - 1);
        bool negate = !set.empty() && (set[0] == '!' || set[0] == '^');
        if (negate) set.remove_prefix(1);
        bool hit = false;
        for (size_t i = 0; i < set.size(); ++i) {
          if (i + 2 < set.size() && set[i + 1] == '-') {
            hit |= text[t] >= set[i] && text[t] <= set[i + 2];
            i += 2;
          } else {
            hit |= text[t] == set[i];
          }
        }
        if (hit != negate) {
          p = close + 1;
          ++t;
          continue;
        }
      }
    } else if (p < pat.size() && (pat[p] == '?' || pat[p] == text[t])) {
      ++p;
      ++t;
      continue;
    } else if (p < pat.size() && pat[p] == '*') {
      star_p = p++;
      star_t = t;
      continue;
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p + 1;
    t = ++star_t;
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

std::vector<std::string_view> Split(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '/') {
      if (i > start) parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

bool SegmentsMatch(const std::vector<std::string_view>& pat, size_t pi,
                   const std::vector<std::string_view>& path, size_t ti) {
  if (pi == pat.size()) return ti == path.size();
  if (pat[pi] == "**") {
    for (size_t k = ti; k <= path.size(); ++k) {
      if (SegmentsMatch(pat, pi + 1, path, k)) return true;
    }
    return false;
  }
  if (ti == path.size()) return false;
  return SegmentMatch(pat[pi], path[ti]) && SegmentsMatch(pat, pi + 1, path, ti + 1);
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view path) {
  bool dir_only = !pattern.empty() && pattern.back() == '/';
  if (dir_only) pattern.remove_suffix(1);
  bool anchored = pattern.find('/') != std::string_view::npos;
  if (!pattern.empty() && pattern.front() == '/') pattern.remove_prefix(1);
  while (path.size() > 2 && path.substr(0, 2) == "./") path.remove_prefix(2);
  auto pat = Split(pattern);
  auto segs = Split(path);
  if (pat.empty()) return false;
  if (!anchored) {
    // Matches any segment; a directory match also covers everything below it.
    for (const auto& seg : segs) {
      if (SegmentMatch(pat[0], seg)) return true;
    }
    return false;
  }
  // Anchored patterns match the path or any of its leading directories.
  for (size_t n = segs.size(); n >= 1; --n) {
    std::vector<std::string_view> prefix(segs.begin(), segs.begin() + static_cast<long>(n));
    if (SegmentsMatch(pat, 0, prefix, 0)) return true;
  }
  return false;
}

IgnoreFile IgnoreFile::Parse(std::string_view text) {
  IgnoreFile file;
  int line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    ++line_no;
    pos = end + 1;
    std::string reason;
    if (size_t hash = line.find('#'); hash != std::string_view::npos) {
      reason = std::string(Trim(line.substr(hash + 1)));
      line = line.substr(0, hash);
    }
    line = Trim(line);
    if (line.empty()) {
      if (end == text.size()) break;
      continue;
    }
    IgnoreRule rule;
    rule.line = line_no;
    rule.reason = reason;
    if (size_t colon = line.rfind(':'); colon != std::string_view::npos) {
      rule.path_glob = std::string(Trim(line.substr(0, colon)));
      rule.id = std::string(Trim(line.substr(colon + 1)));
    } else {
      rule.id = std::string(line);
    }
    if (!rule.id.empty()) file.rules_.push_back(std::move(rule));
    if (end == text.size()) break;
  }
  return file;
}

Result<IgnoreFile> IgnoreFile::Load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kNotFound, "cannot read ignore file " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return Parse(text.str());
}

const IgnoreRule* IgnoreFile::Match(const Finding& finding) const {
  for (const IgnoreRule& rule : rules_) {
    if (rule.id != finding.id && rule.id != "*") continue;
    if (rule.path_glob.empty() || rule.path_glob == finding.location.path ||
        GlobMatch(rule.path_glob, finding.location.path)) {
      return &rule;
    }
  }
  return nullptr;
}

InlineIgnores InlineIgnores::Scan(std::string_view content) {
  static constexpr std::string_view kMarker = "bulwark:ignore";
  InlineIgnores out;
  size_t pos = content.find(kMarker);
  while (pos != std::string_view::npos) {
    int line = 1;
    // Count lines up to pos (the marker is rare, so this stays cheap).
    for (size_t i = 0; i < pos; ++i) line += content[i] == '\n';
    size_t end = content.find('\n', pos);
    std::string_view rest = content.substr(pos + kMarker.size(),
                                           (end == std::string_view::npos ? content.size() : end) -
                                               pos - kMarker.size());
    // Accept "bulwark:ignore ID,ID reason" and "bulwark:ignore=ID".
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '=' || rest.front() == '\t')) rest.remove_prefix(1);
    size_t ids_end = rest.find_first_of(" \t\r");
    std::string_view ids = rest.substr(0, ids_end);
    std::string reason(ids_end == std::string_view::npos ? std::string_view() : Trim(rest.substr(ids_end)));
    size_t start = 0;
    for (size_t i = 0; i <= ids.size(); ++i) {
      if (i == ids.size() || ids[i] == ',') {
        std::string_view id = Trim(ids.substr(start, i - start));
        if (!id.empty()) {
          out.by_line_[line].emplace(id, reason);
          out.by_line_[line + 1].emplace(id, reason);
        }
        start = i + 1;
      }
    }
    pos = content.find(kMarker, pos + kMarker.size());
  }
  return out;
}

std::optional<std::string> InlineIgnores::Match(const Finding& finding) const {
  auto it = by_line_.find(finding.location.line);
  if (it == by_line_.end()) return std::nullopt;
  auto id = it->second.find(finding.id);
  if (id == it->second.end()) id = it->second.find("*");
  if (id == it->second.end()) return std::nullopt;
  return id->second;
}

}  // namespace bulwark::core
