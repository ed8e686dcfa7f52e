// Parser of Falco condition strings, following the grammar of
// falcosecurity/libs userspace/libsinsp/filter/parser.h (notes section 1.6):
// `or` < `and` < `not` (repeatable, also `not(`), parentheses, checks
// `Field[Arg] Operator Value`, bare identifiers (macro references), quoted
// values with backslash escapes, numbers (also hex), bare strings and value
// lists `(a, b)`. Transformers tolower/toupper/b64/basename/len are parsed
// on the left-hand side; `val()` and the newer join/concat/getopt are
// reported as not supported.
//
// Untrusted input: recursion depth is bounded (Falco's rule loader uses
// 1000); errors carry the byte offset where parsing stopped. Stateless and
// thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/rules/condition_ast.hpp"

namespace bulwark::runtime::rules {

struct ParseResult {
  std::unique_ptr<Expr> expr;  // null on error
  size_t error_pos = 0;        // byte offset of the error
  std::string error;
};

inline constexpr uint32_t kDefaultMaxParseDepth = 1000;

ParseResult ParseCondition(std::string_view text, uint32_t max_depth = kDefaultMaxParseDepth);

// Every operator the parser accepts, as written ("=", "contains", "in", ...).
const std::vector<std::string>& SupportedOperators();
// Operators that take a list on the right: in, intersects, pmatch.
bool IsListOperator(std::string_view op);

// Unescapes a quoted string token (quotes included) like libs does:
// \b \f \n \r \t \\ \/ and the escaped delimiter; false on an unsupported escape.
bool UnescapeQuoted(std::string_view token, std::string& out, std::string& error);

}  // namespace bulwark::runtime::rules
