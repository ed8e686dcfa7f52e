// Which advisory format a JSON document is, from its first keys: a SAX pass
// that stops as soon as it can tell, so sniffing a 60 MB tracker file or
// each of thousands of OSV files costs next to nothing.
#include <cctype>

#include <nlohmann/json.hpp>

#include "vuln/importers.hpp"

namespace bulwark::vuln {
namespace {

using Json = nlohmann::json;

bool LooksLikeTrackerId(std::string_view key) {
  return key.starts_with("CVE-") || key.starts_with("TEMP-");
}

class Sniffer : public nlohmann::json_sax<Json> {
 public:
  DataFormat format = DataFormat::kUnknown;

  bool null() override { return Value(); }
  bool boolean(bool) override { return Value(); }
  bool number_integer(number_integer_t) override { return Value(); }
  bool number_unsigned(number_unsigned_t) override { return Value(); }
  bool number_float(number_float_t, const string_t&) override { return Value(); }
  bool string(string_t&) override { return Value(); }
  bool binary(binary_t&) override { return Value(); }
  bool start_object(std::size_t) override { return Open(true); }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open(false); }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

  bool key(string_t& key) override {
    if (depth_ == 1) {
      if (key == "distroversion" || key == "apkurl" || key == "reponame") return Decide(DataFormat::kAlpineSecdb);
      if (key == "id" || key == "affected" || key == "schema_version" || key == "modified") {
        return Decide(DataFormat::kOsv);
      }
    }
    if (depth_ == 2 && LooksLikeTrackerId(key)) return Decide(DataFormat::kDebianTracker);
    return true;
  }

 private:
  bool Decide(DataFormat decided) {
    format = decided;
    return false;  // stop parsing
  }
  bool Open(bool object) {
    if (depth_ == 0 && !object) return false;  // no format of ours is a top-level array
    ++depth_;
    return true;
  }
  bool Close() {
    --depth_;
    return true;
  }
  bool Value() { return depth_ > 0; }

  int depth_ = 0;
};

}  // namespace

DataFormat SniffFormat(std::string_view data) {
  if (data.starts_with("PK\x03\x04") || data.starts_with("PK\x05\x06")) return DataFormat::kZip;
  Sniffer sniffer;
  (void)Json::sax_parse(data, &sniffer, nlohmann::detail::input_format_t::json, false);
  return sniffer.format;
}

}  // namespace bulwark::vuln
