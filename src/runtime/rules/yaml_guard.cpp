#include "runtime/rules/yaml_guard.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <exception>
#include <sstream>
#include <unordered_map>
#include <utility>
#include <vector>

namespace bulwark::runtime::rules {
namespace {

// Measures the event stream; throws Stop (the only way out of
// HandleNextDocument) when either bound is passed.
class ShapeMeter : public YAML::EventHandler {
 public:
  struct Stop {
    std::string code;
    std::string message;
  };

  ShapeMeter(size_t max_events, size_t max_bytes) : events_left_(max_events), max_bytes_(max_bytes) {}

  void OnDocumentStart(const YAML::Mark& m) override { Event(m); }
  void OnDocumentEnd() override { Event(last_); }
  void OnNull(const YAML::Mark& m, YAML::anchor_t anchor) override {
    Event(m);
    Leaf(anchor, 1);
  }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t anchor) override {
    Event(m);
    auto it = anchored_.find(anchor);
    Add(it == anchored_.end() ? 1 : it->second);
  }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t anchor, const std::string& value) override {
    Event(m);
    Leaf(anchor, value.size() + 1);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(m, anchor);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(m, anchor);
  }
  void OnMapEnd() override { Close(); }

  const YAML::Mark& last() const { return last_; }

 private:
  void Event(const YAML::Mark& m) {
    last_ = m;
    // Every event takes at least part of a token; more events than that
    // means the parser is going round in circles.
    if (events_left_ == 0) {
      throw Stop{"yaml-parse", "the YAML parser runs away on this file (malformed YAML); refused"};
    }
    --events_left_;
  }
  void Add(size_t bytes) {
    bytes_ += std::min(bytes, max_bytes_ + 1);
    if (bytes_ > max_bytes_) {
      throw Stop{"too-large", "YAML aliases expand this file to more than " + std::to_string(max_bytes_) +
                                  " bytes (the size limit of a rule file); refused"};
    }
  }
  void Leaf(YAML::anchor_t anchor, size_t bytes) {
    if (anchor != YAML::NullAnchor) anchored_[anchor] = bytes;
    Add(bytes);
  }
  void Open(const YAML::Mark& m, YAML::anchor_t anchor) {
    Event(m);
    open_.emplace_back(anchor, bytes_);
    Add(1);
  }
  void Close() {
    Event(last_);
    if (open_.empty()) return;
    auto [anchor, start] = open_.back();
    open_.pop_back();
    if (anchor != YAML::NullAnchor) anchored_[anchor] = bytes_ - start;
  }

  size_t events_left_;
  const size_t max_bytes_;
  size_t bytes_ = 0;  // scalar text so far, aliases expanded
  std::unordered_map<YAML::anchor_t, size_t> anchored_;         // anchor -> bytes it stands for
  std::vector<std::pair<YAML::anchor_t, size_t>> open_;         // open collections: anchor, bytes_ at start
  YAML::Mark last_ = YAML::Mark::null_mark();
};

}  // namespace

std::optional<YamlProblem> CheckYamlShape(std::string_view text, size_t max_expanded_bytes) {
  // A token yields at most a few events (`a:` is a key, a null value and
  // perhaps the start of a map); documents add a start and an end.
  ShapeMeter meter(1024 + 4 * text.size(), max_expanded_bytes);
  std::istringstream input{std::string(text)};
  try {
    YAML::Parser parser(input);
    while (parser.HandleNextDocument(meter)) {
    }
  } catch (const ShapeMeter::Stop& stop) {
    const YAML::Mark& m = meter.last();
    return YamlProblem{stop.code, m.line >= 0 ? m.line + 1 : 0, m.column >= 0 ? m.column + 1 : 0, stop.message};
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace bulwark::runtime::rules
