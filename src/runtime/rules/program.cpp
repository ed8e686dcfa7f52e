#include "runtime/rules/program.hpp"

#include <cstdio>
#include <ctime>
#include <utility>

#include "runtime/rules/dns_cache.hpp"

namespace bulwark::runtime::rules {
namespace {

// Falco's evt.time forms, in UTC (Falco uses local time; a sensor in a
// container has none worth trusting).
void AppendTime(int64_t ns, RenderStyle style, std::string& out) {
  time_t secs = static_cast<time_t>(ns / 1000000000);
  long frac = static_cast<long>(ns % 1000000000);
  if (frac < 0) frac = 0;
  tm t{};
  gmtime_r(&secs, &t);
  char buf[64];
  switch (style) {
    case RenderStyle::kTimeSeconds: std::snprintf(buf, sizeof(buf), "%02d:%02d:%02d", t.tm_hour, t.tm_min, t.tm_sec); break;
    case RenderStyle::kIso8601:
      std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday,
                    t.tm_hour, t.tm_min, t.tm_sec, frac);
      break;
    case RenderStyle::kDatetime:
      std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d:%02d.%09ld", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday,
                    t.tm_hour, t.tm_min, t.tm_sec, frac);
      break;
    default: std::snprintf(buf, sizeof(buf), "%02d:%02d:%02d.%09ld", t.tm_hour, t.tm_min, t.tm_sec, frac); break;
  }
  out += buf;
}

int B64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool B64Decode(std::string_view in, std::string& out) {
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = B64Value(c);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return true;
}

}  // namespace

uint32_t Program::SlotFor(const ResolvedField& field) {
  std::string key = std::string(field.provider->Name()) + ":" + field.display;
  auto it = slot_index_.find(key);
  if (it != slot_index_.end()) return it->second;
  Slot s;
  s.field = field;
  slots_.push_back(std::move(s));
  auto id = static_cast<uint32_t>(slots_.size() - 1);
  slot_index_.emplace(std::move(key), id);
  return id;
}

uint32_t Program::Intern(const std::string& key, Node node) {
  auto it = node_index_.find(key);
  if (it != node_index_.end()) {
    ++uses_[it->second];
    return it->second;
  }
  nodes_.push_back(node);
  uses_.push_back(1);
  auto id = static_cast<uint32_t>(nodes_.size() - 1);
  node_index_.emplace(key, id);
  return id;
}

std::optional<uint32_t> Program::FindCheck(const std::string& key) {
  auto it = node_index_.find("C" + key);
  if (it == node_index_.end()) return std::nullopt;
  ++uses_[it->second];
  return it->second;
}

uint32_t Program::AddCheck(CompiledCheck check, const std::string& key) {
  checks_.push_back(std::move(check));
  return Intern("C" + key, Node{NodeKind::kCheck, -1, static_cast<uint32_t>(checks_.size() - 1), 0});
}

uint32_t Program::AddTypeSet(const EventTypeSet& set) {
  std::string key = "T" + set.to_string();
  if (auto it = node_index_.find(key); it != node_index_.end()) {
    ++uses_[it->second];
    return it->second;
  }
  typesets_.push_back(set);
  return Intern(key, Node{NodeKind::kTypeSet, -1, static_cast<uint32_t>(typesets_.size() - 1), 0});
}

uint32_t Program::AddNot(uint32_t child) {
  return Intern("N" + std::to_string(child), Node{NodeKind::kNot, -1, child, 0});
}

uint32_t Program::AddGroup(NodeKind kind, const std::vector<uint32_t>& children) {
  std::string key = kind == NodeKind::kAnd ? "A" : "O";
  for (uint32_t c : children) key += std::to_string(c) + ",";
  if (auto it = node_index_.find(key); it != node_index_.end()) {
    ++uses_[it->second];
    return it->second;
  }
  auto first = static_cast<uint32_t>(children_.size());
  children_.insert(children_.end(), children.begin(), children.end());
  return Intern(key, Node{kind, -1, first, static_cast<uint32_t>(children_.size())});
}

void Program::Finalize() {
  memos_.clear();
  for (size_t i = 0; i < nodes_.size(); ++i) {
    Node& n = nodes_[i];
    // Event-type tests cost less than their cache would.
    bool worth = n.kind != NodeKind::kTypeSet && n.kind != NodeKind::kConst;
    n.memo = uses_[i] > 1 && worth ? static_cast<int32_t>(memos_.size()) : -1;
    if (n.memo >= 0) memos_.emplace_back();
  }
}

const Extraction& Program::Field(uint32_t slot) {
  Slot& s = slots_[slot];
  if (s.epoch != epoch_) {
    s.value.Reset();
    s.field.provider->Extract(*s.field.desc, s.field.arg, *ctx_, s.value);
    s.epoch = epoch_;
  }
  return s.value;
}

bool Program::Eval(uint32_t index) {
  const Node& n = nodes_[index];
  if (n.memo < 0) return EvalNode(n);
  Memo& m = memos_[static_cast<size_t>(n.memo)];
  if (m.epoch != epoch_) {
    m.value = EvalNode(n);
    m.epoch = epoch_;
  }
  return m.value;
}

bool Program::EvalNode(const Node& n) {
  switch (n.kind) {
    case NodeKind::kAnd:
      for (uint32_t i = n.a; i < n.b; ++i) {
        if (!Eval(children_[i])) return false;
      }
      return true;
    case NodeKind::kOr:
      for (uint32_t i = n.a; i < n.b; ++i) {
        if (Eval(children_[i])) return true;
      }
      return false;
    case NodeKind::kNot: return !Eval(n.a);
    case NodeKind::kCheck: return EvalCheck(checks_[n.a]);
    case NodeKind::kTypeSet: return typesets_[n.a].test(static_cast<size_t>(ctx_->evt->type));
    case NodeKind::kConst: return n.a != 0;
  }
  return false;
}

bool Program::EvalCheck(const CompiledCheck& c) {
  const Extraction& x = Field(c.slot);
  if (c.transformers.empty()) return CompareCheck(x, c.type, c.mult, c.op, *c.operand, scratch_);
  return CompareCheck(Transform(x, c.transformers), c.type, c.mult, c.op, *c.operand, scratch_);
}

const Extraction& Program::Transform(const Extraction& x, const std::vector<Transformer>& tf) {
  transformed_.Reset();
  if (!x.present) return transformed_;
  for (const Value& original : x.values) {
    Value v = original;
    bool ok = true;
    for (Transformer t : tf) {
      if (v.kind != ValueKind::kString) break;
      switch (t) {
        case Transformer::kToLower:
        case Transformer::kToUpper: {
          std::string& b = transformed_.NewBuffer();
          b.assign(v.str);
          for (char& ch : b) {
            if (t == Transformer::kToLower && ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
            if (t == Transformer::kToUpper && ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
          }
          v = Value::Str(b);
          break;
        }
        case Transformer::kBasename: {
          size_t slash = v.str.rfind('/');
          if (slash != std::string_view::npos) v.str = v.str.substr(slash + 1);
          break;
        }
        case Transformer::kLen: v = Value::Int(static_cast<int64_t>(v.str.size())); break;
        case Transformer::kB64: {
          std::string& b = transformed_.NewBuffer();
          ok = B64Decode(v.str, b);
          v = Value::Str(b);
          break;
        }
      }
      if (!ok) break;
    }
    if (ok) transformed_.Set(v);
  }
  return transformed_;
}

bool Program::Render(uint32_t slot, std::string& out) {
  const Extraction& x = Field(slot);
  if (!x.present || x.values.empty()) return false;
  const FieldDesc& d = *slots_[slot].field.desc;
  size_t start = out.size();
  bool any = false;
  for (const Value& v : x.values) {
    if (d.type == FieldType::kDnsName) {
      auto name = dns_ != nullptr ? dns_->NameOf(v.ip) : std::nullopt;
      if (!name) continue;
      if (any) out += ' ';
      out += *name;
    } else {
      if (any) out += ' ';
      if (d.render != RenderStyle::kPlain && v.kind == ValueKind::kInt) {
        AppendTime(v.num, d.render, out);
      } else {
        AppendValue(v, out);
      }
    }
    any = true;
  }
  if (!any) out.resize(start);
  return any;
}

}  // namespace bulwark::runtime::rules
