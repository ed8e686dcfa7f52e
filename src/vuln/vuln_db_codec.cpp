#include "vuln/vuln_db_codec.hpp"

#include <nlohmann/json.hpp>

#include "vuln/json_reader.hpp"

namespace bulwark::vuln {
namespace {

using Json = nlohmann::json;

// One letter per event kind keeps the stored ranges small.
constexpr std::pair<RangeEvent::Kind, const char*> kEventCodes[] = {
    {RangeEvent::Kind::kIntroduced, "i"},
    {RangeEvent::Kind::kFixed, "f"},
    {RangeEvent::Kind::kLastAffected, "l"},
    {RangeEvent::Kind::kLimit, "m"},
};

const char* EventCode(RangeEvent::Kind kind) {
  for (const auto& [k, code] : kEventCodes) {
    if (k == kind) return code;
  }
  return "i";
}

bool EventKind(std::string_view code, RangeEvent::Kind& kind) {
  for (const auto& [k, c] : kEventCodes) {
    if (code == c) {
      kind = k;
      return true;
    }
  }
  return false;
}

void PutString(Json& out, const char* key, const std::string& value) {
  if (!value.empty()) out[key] = value;
}

void PutList(Json& out, const char* key, const std::vector<std::string>& values) {
  if (!values.empty()) out[key] = values;
}

std::string Dump(const Json& json) {
  // Replace: advisory text is untrusted and may hold invalid UTF-8.
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// The stored form of a range (see ReadRange).
Json EncodeRange(const VersionRange& range) {
  Json out = Json::array();
  out.push_back(range.type == "SEMVER" ? "S" : "E");
  for (const RangeEvent& event : range.events) out.push_back(Json::array({EventCode(event.kind), event.version}));
  return out;
}

void ReadStrings(JsonReader& in, std::vector<std::string>& out) {
  in.BeginArray();
  while (in.NextElement()) in.ReadString(out.emplace_back());
}

// [type, [code, version], ...]: "E" for ECOSYSTEM, "S" for SEMVER.
bool ReadRange(JsonReader& in, VersionRange& range) {
  std::string text;
  if (!in.BeginArray() || !in.NextElement() || !in.ReadString(text)) return false;
  range.type = text == "S" ? "SEMVER" : "ECOSYSTEM";
  while (in.NextElement()) {
    RangeEvent& event = range.events.emplace_back();
    if (!in.BeginArray() || !in.NextElement() || !in.ReadString(text) || !EventKind(text, event.kind) ||
        !in.NextElement() || !in.ReadString(event.version) || in.NextElement()) {
      return false;
    }
  }
  return in.ok();
}

}  // namespace

std::string EncodeAdvisoryData(const Advisory& advisory) {
  Json out = Json::object();
  PutList(out, "a", advisory.aliases);
  PutString(out, "s", advisory.summary);
  PutString(out, "v", advisory.cvss_vector);
  PutString(out, "p", advisory.published);
  PutString(out, "m", advisory.modified);
  PutList(out, "u", advisory.urls);
  PutList(out, "w", advisory.cwes);
  return Dump(out);
}

bool DecodeAdvisoryData(std::string_view text, Advisory& advisory) {
  JsonReader in(text);
  std::string key;
  if (!in.BeginObject()) return false;
  while (in.NextKey(key)) {
    if (key == "a") {
      ReadStrings(in, advisory.aliases);
    } else if (key == "s") {
      in.ReadString(advisory.summary);
    } else if (key == "v") {
      in.ReadString(advisory.cvss_vector);
    } else if (key == "p") {
      in.ReadString(advisory.published);
    } else if (key == "m") {
      in.ReadString(advisory.modified);
    } else if (key == "u") {
      ReadStrings(in, advisory.urls);
    } else if (key == "w") {
      ReadStrings(in, advisory.cwes);
    } else {
      in.Skip();
    }
  }
  return in.ok() && in.AtEnd();
}

std::string EncodeAffectedData(const AffectedPackage& affected) {
  Json out = Json::object();
  if (!affected.ranges.empty()) {
    Json ranges = Json::array();
    for (const VersionRange& range : affected.ranges) ranges.push_back(EncodeRange(range));
    out["r"] = std::move(ranges);
  }
  PutList(out, "v", affected.versions);
  if (affected.not_affected) out["n"] = 1;
  PutString(out, "s", affected.severity);
  return Dump(out);
}

bool DecodeAffectedData(std::string_view text, AffectedPackage& affected) {
  JsonReader in(text);
  std::string key;
  if (!in.BeginObject()) return false;
  while (in.NextKey(key)) {
    if (key == "r") {
      if (!in.BeginArray()) return false;
      while (in.NextElement()) {
        if (!ReadRange(in, affected.ranges.emplace_back())) return false;
      }
    } else if (key == "v") {
      ReadStrings(in, affected.versions);
    } else if (key == "n") {
      int64_t flag = 0;
      affected.not_affected = in.ReadInt(flag) && flag != 0;
    } else if (key == "s") {
      in.ReadString(affected.severity);
    } else {
      in.Skip();
    }
  }
  return in.ok() && in.AtEnd();
}

}  // namespace bulwark::vuln
