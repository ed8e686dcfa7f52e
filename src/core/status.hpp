// Status and Result<T>: expected failures (bad input, missing file, daemon
// down) travel as values, never as exceptions across module boundaries.
// Value types; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace bulwark::core {

enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,  // the user asked for something that cannot be done
  kNotFound,         // a file, image or object is not there
  kParseError,       // input was read but is not valid for its format
  kIoError,          // the operating system refused a read or write
  kPermissionDenied,
  kTooLarge,         // input exceeds a safety bound
  kUnavailable,      // a daemon or service could not be reached
  kInternal,         // an impossible state: a bug in bulwark
};

const char* ErrorCodeName(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return Status(); }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

inline Status Error(ErrorCode code, std::string message) {
  return Status(code, std::move(message));
}

}  // namespace bulwark::core

#define BULWARK_CONCAT_INNER(a, b) a##b
#define BULWARK_CONCAT(a, b) BULWARK_CONCAT_INNER(a, b)

#define RETURN_IF_ERROR(expr)                       \
  do {                                              \
    ::bulwark::core::Status bulwark_status_ = (expr); \
    if (!bulwark_status_.ok()) return bulwark_status_; \
  } while (false)

#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()

#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(BULWARK_CONCAT(bulwark_result_, __LINE__), lhs, expr)
