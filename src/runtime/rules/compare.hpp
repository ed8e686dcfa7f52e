// Comparison operators of the condition language, compiled once per check:
// the right-hand values are converted for the field's type at load time
// (numbers, booleans, addresses, CIDR networks, regexes, hex byte strings,
// hash sets for long `in` lists, pre-lowered needles for icontains/iglob)
// and then compared against extracted values without allocating (glob
// copies the value into a reused scratch buffer to NUL-terminate it).
//
// Operand is immutable after CompileOperand(); CompareCheck is thread-safe
// for distinct scratch buffers.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <re2/re2.h>

#include "core/status.hpp"
#include "runtime/rules/field_value.hpp"
#include "runtime/rules/fields.hpp"

namespace bulwark::runtime::rules {

class DnsCache;

enum class Op : uint8_t {
  kEq, kNe, kLt, kLe, kGt, kGe, kContains, kIContains, kBContains, kStartsWith, kBStartsWith, kEndsWith, kGlob,
  kIGlob, kRegex, kPMatch, kIn, kIntersects, kExists,
};

std::optional<Op> ParseOp(std::string_view op);
std::string_view OpName(Op op);

struct Operand {
  std::vector<std::string> strs;
  std::vector<std::string> lowers;           // icontains, iglob
  std::unordered_set<std::string_view> set;  // long string lists (views into strs)
  std::vector<int64_t> nums;
  std::vector<bool> num_ok;                  // kDynamic: which strs are numbers
  std::vector<IpAddr> ips;
  std::vector<Cidr> nets;
  std::unique_ptr<RE2> regex;
  std::vector<std::vector<std::string>> paths;  // pmatch: components
  std::string bytes;                             // bcontains, bstartswith
  std::string glob_prefix;                       // glob: the literal text before its first wildcard
  const DnsCache* dns = nullptr;                 // kDnsName
};

// `type` is the field's type after transformers. Errors say what is wrong
// with which value (the caller adds the field name and position).
core::Result<std::unique_ptr<Operand>> CompileOperand(FieldType type, Op op, const std::vector<std::string>& values,
                                                      const DnsCache* dns);
// Whether `op` applies to fields of `type` ("" if so, else why not).
std::string CheckOperator(FieldType type, Op op, Multiplicity mult);

// The check over every value of an extraction, with Falco's semantics for
// absent fields (false for every operator but... none: also `exists`),
// ancestors (any), socket ends (any; `!=`: all) and lists.
bool CompareCheck(const Extraction& x, FieldType type, Multiplicity mult, Op op, const Operand& o,
                  std::string& scratch);

// The glob operator on one value (fnmatch, after a literal-prefix test).
bool GlobMatch(std::string_view v, const Operand& o, std::string& scratch);
// Case-insensitive ASCII substring search; `lower_needle` already lowered.
bool IContains(std::string_view hay, std::string_view lower_needle);
// libs' pmatch: `path` is at or below one of the patterns (glob components).
bool PathPrefixMatch(std::string_view path, const std::vector<std::vector<std::string>>& patterns,
                     std::string& scratch);

}  // namespace bulwark::runtime::rules
