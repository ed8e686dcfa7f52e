#include "runtime/rules/compare.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <utility>

#include "runtime/rules/dns_cache.hpp"

namespace bulwark::runtime::rules {
namespace {

using core::ErrorCode;

constexpr std::array<std::pair<std::string_view, Op>, 20> kOps = {{
    {"=", Op::kEq},           {"==", Op::kEq},           {"!=", Op::kNe},         {"<", Op::kLt},
    {"<=", Op::kLe},          {">", Op::kGt},            {">=", Op::kGe},         {"contains", Op::kContains},
    {"icontains", Op::kIContains}, {"bcontains", Op::kBContains}, {"startswith", Op::kStartsWith},
    {"bstartswith", Op::kBStartsWith}, {"endswith", Op::kEndsWith}, {"glob", Op::kGlob}, {"iglob", Op::kIGlob},
    {"regex", Op::kRegex},    {"pmatch", Op::kPMatch},   {"in", Op::kIn},         {"intersects", Op::kIntersects},
    {"exists", Op::kExists},
}};

// Lists longer than this are looked up in a hash set.
constexpr size_t kSetThreshold = 8;

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

bool ParseNumber(std::string_view s, int64_t& out) {
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  uint64_t u = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), u, base);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return false;
  if (u > static_cast<uint64_t>(INT64_MAX) + (neg ? 1 : 0)) return false;
  out = neg ? static_cast<int64_t>(0 - u) : static_cast<int64_t>(u);
  return true;
}

bool ParseHexBytes(std::string_view s, std::string& out) {
  if (s.size() % 2 != 0) return false;
  out.clear();
  for (size_t i = 0; i < s.size(); i += 2) {
    unsigned v = 0;
    auto [p, ec] = std::from_chars(s.data() + i, s.data() + i + 2, v, 16);
    if (ec != std::errc() || p != s.data() + i + 2) return false;
    out += static_cast<char>(v);
  }
  return true;
}

std::vector<std::string> PathComponents(std::string_view path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) parts.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

bool IsSetOp(Op op) { return op == Op::kIn || op == Op::kIntersects; }

core::Status Bad(std::string message) { return core::Error(ErrorCode::kInvalidArgument, std::move(message)); }

core::Status CompileTyped(FieldType type, Op op, const std::vector<std::string>& values, Operand& o) {
  for (const auto& v : values) {
    switch (type) {
      case FieldType::kInt: {
        int64_t n = 0;
        if (!ParseNumber(v, n)) return Bad("'" + v + "' is not a valid number");
        o.nums.push_back(n);
        break;
      }
      case FieldType::kBool:
        if (v != "true" && v != "false") return Bad("'" + v + "' is not a valid boolean (true or false)");
        o.nums.push_back(v == "true" ? 1 : 0);
        break;
      case FieldType::kIp: {
        auto ip = ParseIp(v);
        if (!ip) return Bad("'" + v + "' is not a valid IP address");
        o.ips.push_back(*ip);
        break;
      }
      case FieldType::kNet: {
        auto net = ParseCidr(v);
        if (!net) return Bad("'" + v + "' is not a valid IP network (CIDR)");
        o.nets.push_back(*net);
        break;
      }
      case FieldType::kDynamic: {
        int64_t n = 0;
        bool ok = ParseNumber(v, n);
        o.nums.push_back(ok ? n : 0);
        o.num_ok.push_back(ok);
        break;
      }
      default: break;
    }
  }
  (void)op;
  return core::Status();
}

bool CompareStrings(std::string_view v, Op op, const Operand& o, std::string& scratch) {
  const std::string_view rhs = o.strs.empty() ? std::string_view() : std::string_view(o.strs[0]);
  switch (op) {
    case Op::kEq: return v == rhs;
    case Op::kNe: return v != rhs;
    case Op::kLt: return v < rhs;
    case Op::kLe: return v <= rhs;
    case Op::kGt: return v > rhs;
    case Op::kGe: return v >= rhs;
    case Op::kContains: return v.find(rhs) != std::string_view::npos;
    case Op::kIContains: return IContains(v, o.lowers[0]);
    case Op::kBContains: return v.find(o.bytes) != std::string_view::npos;
    case Op::kStartsWith: return v.substr(0, rhs.size()) == rhs;
    case Op::kBStartsWith: return v.substr(0, o.bytes.size()) == o.bytes;
    case Op::kEndsWith: return v.size() >= rhs.size() && v.substr(v.size() - rhs.size()) == rhs;
    case Op::kGlob: return GlobMatch(v, o, scratch);
    case Op::kIGlob:
      // fnmatch needs NUL-terminated text; a NUL inside the value ends it, as in Falco.
      scratch.assign(v);
      return fnmatch(o.lowers[0].c_str(), scratch.c_str(), FNM_CASEFOLD) == 0;
    case Op::kRegex: return o.regex != nullptr && RE2::FullMatch(v, *o.regex);
    case Op::kPMatch: return PathPrefixMatch(v, o.paths, scratch);
    case Op::kIn:
    case Op::kIntersects:
      if (!o.set.empty()) return o.set.count(v) > 0;
      for (const auto& s : o.strs) {
        if (v == s) return true;
      }
      return false;
    case Op::kExists: return true;
  }
  return false;
}

bool CompareNumbers(int64_t v, Op op, const Operand& o) {
  auto has = [&](size_t i) { return o.num_ok.empty() || o.num_ok[i]; };
  if (IsSetOp(op)) {
    for (size_t i = 0; i < o.nums.size(); ++i) {
      if (has(i) && o.nums[i] == v) return true;
    }
    return false;
  }
  if (o.nums.empty() || !has(0)) return op == Op::kNe;
  int64_t r = o.nums[0];
  switch (op) {
    case Op::kEq: return v == r;
    case Op::kNe: return v != r;
    case Op::kLt: return v < r;
    case Op::kLe: return v <= r;
    case Op::kGt: return v > r;
    case Op::kGe: return v >= r;
    case Op::kExists: return true;
    default: return false;
  }
}

bool CompareIp(const IpAddr& ip, FieldType type, Op op, const Operand& o, std::string& scratch) {
  if (op == Op::kExists) return true;
  bool eq = false;
  if (type == FieldType::kIp) {
    eq = std::find(o.ips.begin(), o.ips.end(), ip) != o.ips.end();
  } else if (type == FieldType::kNet) {
    eq = std::any_of(o.nets.begin(), o.nets.end(), [&ip](const Cidr& c) { return c.Contains(ip); });
  } else if (type == FieldType::kDnsName) {
    if (o.dns == nullptr) return false;
    if (op == Op::kEq || op == Op::kNe || IsSetOp(op)) {
      eq = std::any_of(o.strs.begin(), o.strs.end(), [&](const std::string& n) { return o.dns->Matches(n, ip); });
    } else {
      auto name = o.dns->NameOf(ip);
      return name && CompareStrings(*name, op, o, scratch);
    }
  }
  return op == Op::kNe ? !eq : eq;
}

bool CompareValue(const Value& v, FieldType type, Op op, const Operand& o, std::string& scratch) {
  switch (v.kind) {
    case ValueKind::kString: return CompareStrings(v.str, op, o, scratch);
    case ValueKind::kInt:
    case ValueKind::kBool: return CompareNumbers(v.num, op, o);
    case ValueKind::kIp: return CompareIp(v.ip, type, op, o, scratch);
  }
  return false;
}

}  // namespace

std::optional<Op> ParseOp(std::string_view op) {
  for (const auto& [name, value] : kOps) {
    if (name == op) return value;
  }
  return std::nullopt;
}

std::string_view OpName(Op op) {
  for (const auto& [name, value] : kOps) {
    if (value == op) return name;
  }
  return "?";
}

std::string CheckOperator(FieldType type, Op op, Multiplicity mult) {
  const bool eq_ops = op == Op::kEq || op == Op::kNe || IsSetOp(op) || op == Op::kExists;
  const bool num_ops = op == Op::kLt || op == Op::kLe || op == Op::kGt || op == Op::kGe;
  bool ok = true;
  switch (type) {
    case FieldType::kString:
    case FieldType::kDynamic:
    case FieldType::kDnsName: ok = !(type == FieldType::kDnsName && num_ops); break;
    case FieldType::kBytes: ok = eq_ops || op == Op::kContains || op == Op::kBContains || op == Op::kStartsWith ||
                                 op == Op::kBStartsWith;
      break;
    case FieldType::kInt: ok = eq_ops || num_ops; break;
    case FieldType::kBool:
    case FieldType::kIp:
    case FieldType::kNet: ok = eq_ops; break;
  }
  if (ok && mult == Multiplicity::kList && !IsSetOp(op) && op != Op::kExists) ok = false;
  if (ok) return {};
  return "operator '" + std::string(OpName(op)) + "' is not supported for " + std::string(FieldTypeName(type)) +
         (mult == Multiplicity::kList ? " list" : "") + " fields";
}

core::Result<std::unique_ptr<Operand>> CompileOperand(FieldType type, Op op, const std::vector<std::string>& values,
                                                      const DnsCache* dns) {
  auto o = std::make_unique<Operand>();
  o->dns = dns;
  o->strs = values;
  if (op == Op::kExists) return o;
  if (!IsSetOp(op) && op != Op::kPMatch && values.size() != 1) {
    return Bad("operator '" + std::string(OpName(op)) + "' takes one value");
  }
  RETURN_IF_ERROR(CompileTyped(type, op, values, *o));
  if (op == Op::kIContains || op == Op::kIGlob) {
    for (const auto& v : values) o->lowers.push_back(ToLower(v));
  }
  if (op == Op::kBContains || op == Op::kBStartsWith) {
    if (!ParseHexBytes(values[0], o->bytes)) return Bad("'" + values[0] + "' is not a valid hex string");
  }
  if (op == Op::kRegex) {
    RE2::Options opts;
    opts.set_log_errors(false);
    o->regex = std::make_unique<RE2>(values[0], opts);
    if (!o->regex->ok()) return Bad("invalid regular expression '" + values[0] + "': " + o->regex->error());
  }
  if (op == Op::kPMatch) {
    for (const auto& v : values) o->paths.push_back(PathComponents(v));
  }
  if (op == Op::kGlob) o->glob_prefix = values[0].substr(0, values[0].find_first_of("*?[\\"));
  if (IsSetOp(op) && o->strs.size() > kSetThreshold) {
    for (const auto& s : o->strs) o->set.insert(s);
  }
  return o;
}

bool CompareCheck(const Extraction& x, FieldType type, Multiplicity mult, Op op, const Operand& o,
                  std::string& scratch) {
  if (!x.present || x.values.empty()) return false;
  if (op == Op::kExists) return true;
  switch (mult) {
    case Multiplicity::kSingle: return CompareValue(x.values[0], type, op, o, scratch);
    case Multiplicity::kEitherEnd:
      if (op == Op::kNe) {
        return std::all_of(x.values.begin(), x.values.end(),
                           [&](const Value& v) { return CompareValue(v, type, op, o, scratch); });
      }
      [[fallthrough]];
    case Multiplicity::kAnyOf:
      return std::any_of(x.values.begin(), x.values.end(),
                         [&](const Value& v) { return CompareValue(v, type, op, o, scratch); });
    case Multiplicity::kList:
      if (op == Op::kIn) {
        return std::all_of(x.values.begin(), x.values.end(),
                           [&](const Value& v) { return CompareValue(v, type, op, o, scratch); });
      }
      return std::any_of(x.values.begin(), x.values.end(),
                         [&](const Value& v) { return CompareValue(v, type, op, o, scratch); });
  }
  return false;
}

bool GlobMatch(std::string_view v, const Operand& o, std::string& scratch) {
  // Without FNM_PATHNAME or FNM_PERIOD, text before the first wildcard
  // matches only itself: most values fail here, without a copy or fnmatch.
  // (A value cut short by a NUL fails it too, as it fails fnmatch.)
  if (v.substr(0, o.glob_prefix.size()) != o.glob_prefix) return false;
  // fnmatch needs NUL-terminated text; a NUL inside the value ends it, as in Falco.
  scratch.assign(v);
  return fnmatch(o.strs[0].c_str(), scratch.c_str(), 0) == 0;
}

bool IContains(std::string_view hay, std::string_view lower_needle) {
  const size_t n = lower_needle.size();
  if (n == 0) return true;
  if (hay.size() < n) return false;
  for (size_t i = 0; i + n <= hay.size(); ++i) {
    size_t k = 0;
    while (k < n && Lower(hay[i + k]) == lower_needle[k]) ++k;
    if (k == n) return true;
  }
  return false;
}

bool PathPrefixMatch(std::string_view path, const std::vector<std::vector<std::string>>& patterns,
                     std::string& scratch) {
  for (const auto& pattern : patterns) {
    size_t i = 0;
    bool ok = true;
    for (const auto& want : pattern) {
      while (i < path.size() && path[i] == '/') ++i;
      if (i >= path.size()) {
        ok = false;
        break;
      }
      size_t j = path.find('/', i);
      if (j == std::string_view::npos) j = path.size();
      std::string_view got = path.substr(i, j - i);
      if (want.find_first_of("*?[") == std::string::npos) {
        ok = got == want;
      } else {
        scratch.assign(got);
        ok = fnmatch(want.c_str(), scratch.c_str(), 0) == 0;
      }
      if (!ok) break;
      i = j;
    }
    if (ok) return true;
  }
  return false;
}

}  // namespace bulwark::runtime::rules
