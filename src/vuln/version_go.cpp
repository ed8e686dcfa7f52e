// Go module versions (go.dev/ref/mod#versions; see ../shared/notes/sca.md
// §3): SemVer with a 'v' prefix (OSV's "Go" ecosystem drops it), where
// "v1.2" is short for v1.2.0, "+incompatible" is build metadata, and
// pseudo-versions (v0.0.0-20191109021931-daa7c04131f5, vX.Y.(Z+1)-0.<time>-<rev>,
// vX.Y.Z-pre.0.<time>-<rev>) are pre-releases built to sort by their time.
// So Go needs no order of its own beyond SemVer; the toolchain's own "go"
// prefix (go1.21.5) is dropped as well.
#include "vuln/version_schemes.hpp"

namespace bulwark::vuln::internal {
namespace {

std::string_view StripGoPrefix(std::string_view v) {
  if (v.substr(0, 2) == "go" && v.size() > 2 && IsDigit(v[2])) v.remove_prefix(2);
  return v;
}

bool ValidNumber(std::string_view s) {
  return !s.empty() && SpanOf(s, IsDigit) == s.size() && (s.size() == 1 || s.front() != '0');
}

}  // namespace

int CompareGo(std::string_view a, std::string_view b) {
  return CompareSemver(StripGoPrefix(a), StripGoPrefix(b));
}

// golang.org/x/mod/semver.IsValid, with the 'v' optional: vMAJOR[.MINOR[.PATCH
// [-pre][+build]]]; the shorthands take no pre-release or build.
bool IsValidGo(std::string_view version) {
  std::string_view v = version;
  if (!v.empty() && v.front() == 'v') v.remove_prefix(1);
  SemverView parts;
  if (ParseSemverStrict(v, parts)) return true;
  std::size_t dot = v.find('.');
  if (dot == std::string_view::npos) return ValidNumber(v);
  return ValidNumber(v.substr(0, dot)) && ValidNumber(v.substr(dot + 1));
}

}  // namespace bulwark::vuln::internal
