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
  if (it != node_index_.end()) return it->second;
  nodes_.push_back(node);
  auto id = static_cast<uint32_t>(nodes_.size() - 1);
  node_index_.emplace(key, id);
  return id;
}

std::string Program::CheckKey(uint32_t slot, std::string_view op, const std::vector<std::string>& transformers,
                              const std::vector<std::string>& values) {
  std::string key = std::to_string(slot) + "|" + std::string(op) + "|";
  for (const auto& t : transformers) key += t + "(";
  key += "|";
  for (const auto& v : values) key += v + '\x1f';
  return key;
}

std::optional<uint32_t> Program::FindCheck(const std::string& key) {
  auto it = node_index_.find("C" + key);
  if (it == node_index_.end()) return std::nullopt;
  return it->second;
}

uint32_t Program::AddCheck(CompiledCheck check, const std::string& key) {
  check.fast = ChooseFastCheck(check.type, check.mult, check.op, *check.operand);
  checks_.push_back(std::move(check));
  return Intern("C" + key, Node{NodeKind::kCheck, -1, static_cast<uint32_t>(checks_.size() - 1), 0});
}

uint32_t Program::AddTypeSet(const EventTypeSet& set) {
  std::string key = "T" + set.to_string();
  if (auto it = node_index_.find(key); it != node_index_.end()) return it->second;
  typesets_.push_back(set);
  return Intern(key, Node{NodeKind::kTypeSet, -1, static_cast<uint32_t>(typesets_.size() - 1), 0});
}

uint32_t Program::AddNot(uint32_t child) {
  return Intern("N" + std::to_string(child), Node{NodeKind::kNot, -1, child, 0});
}

uint32_t Program::AddGroup(NodeKind kind, const std::vector<uint32_t>& children) {
  std::string key = kind == NodeKind::kAnd ? "A" : "O";
  for (uint32_t c : children) key += std::to_string(c) + ",";
  if (auto it = node_index_.find(key); it != node_index_.end()) return it->second;
  auto first = static_cast<uint32_t>(children_.size());
  children_.insert(children_.end(), children.begin(), children.end());
  return Intern(key, Node{kind, -1, first, static_cast<uint32_t>(children_.size())});
}

uint32_t Program::AddConst(bool value) {
  return Intern(value ? "K1" : "K0", Node{NodeKind::kConst, -1, value ? 1u : 0u, 0});
}

void Program::Extract(Slot& s) {
  s.value.Reset();
  s.field.provider->Extract(*s.field.desc, s.field.arg, *ctx_, s.value);
  s.epoch = epoch_;
}

bool Program::Eval(uint32_t index) {
  const Node& n = nodes_[index];
  Memo* memo = nullptr;
  if (n.memo >= 0) {
    memo = &memos_[static_cast<size_t>(n.memo)];
    if (memo->epoch == epoch_) return memo->value;
  }
  bool value = false;
  switch (n.kind) {
    case NodeKind::kAnd:
    case NodeKind::kOr: value = EvalGroup(n); break;
    case NodeKind::kNot: value = !Eval(n.a); break;
    case NodeKind::kCheck: value = EvalCheck(checks_[n.a]); break;
    case NodeKind::kTypeSet: value = typesets_[n.a].test(static_cast<size_t>(ctx_->evt->type)); break;
    case NodeKind::kConst: value = n.a != 0; break;
  }
  if (memo != nullptr) {
    memo->value = value;
    memo->epoch = epoch_;
  }
  return value;
}

bool Program::EvalGroup(const Node& n) {
  // `and` stops at the first false child, `or` at the first true one.
  const bool decisive = n.kind == NodeKind::kOr;
  for (uint32_t i = n.a; i < n.b; ++i) {
    const Node& child = nodes_[children_[i]];
    // Most children are uncached checks: test them without another visit.
    const bool value = child.kind == NodeKind::kCheck && child.memo < 0 ? EvalCheck(checks_[child.a])
                                                                         : Eval(children_[i]);
    if (value == decisive) return decisive;
  }
  return !decisive;
}

bool Program::EvalCheck(const CompiledCheck& c) {
  const Extraction& field = Field(c.slot);
  const Extraction& x = c.transformers.empty() ? field : Transform(field, c.transformers);
  if (c.fast != nullptr) return c.fast(x, *c.operand, scratch_);
  return CompareCheck(x, c.type, c.mult, c.op, *c.operand, scratch_);
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
