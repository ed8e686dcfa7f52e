#include "core/finding_json.hpp"

#include "core/json_read.hpp"
#include "core/severity.hpp"

namespace bulwark::core {
namespace {

using nlohmann::json;
using namespace json_read;  // NOLINT(google-build-using-namespace): local helpers

References ReadReferences(const json& j) {
  References r;
  r.cis = Strings(Member(j, "cis"), 50);
  r.attack = Strings(Member(j, "attack"), 50);
  r.nist = Strings(Member(j, "nist"), 50);
  r.cwe = Strings(Member(j, "cwe"), 50);
  r.urls = Strings(Member(j, "urls"), 50);
  return r;
}

}  // namespace

Finding FindingFromJson(const json& j) {
  Finding f;
  f.id = Str(j, "id");
  f.title = Str(j, "title");
  f.severity = ParseSeverity(Str(j, "severity")).value_or(Severity::kInfo);
  f.category = ParseCategory(Str(j, "category"));
  const json& location = Member(j, "location");
  f.location.path = Str(location, "path");
  f.location.line = Int(location, "line");
  f.location.column = Int(location, "column");
  f.message = Str(j, "message");
  f.remediation = Str(j, "remediation");
  f.references = ReadReferences(Member(j, "references"));
  f.fixable = Bool(j, "fixable");
  f.verdict = ParseVerdict(Str(j, "status"));
  const json& subject = Member(j, "subject");
  f.subject = Subject{Str(subject, "kind"), Str(subject, "name"), Str(subject, "id")};
  f.evidence = Str(j, "evidence");
  f.change = Str(j, "change");
  const json& package = Member(j, "package");
  f.package = PackageRef{Str(package, "name"), Str(package, "version"), Str(package, "type"), Str(package, "purl")};
  f.installed = Str(j, "installed");
  f.fixed = Str(j, "fixed");
  f.aliases = Strings(Member(j, "aliases"), 20);
  return f;
}

}  // namespace bulwark::core
