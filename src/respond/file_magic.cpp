#include "respond/file_magic.hpp"

#include <algorithm>
#include <memory>

#ifdef BULWARK_HAVE_LIBMAGIC
#include <magic.h>
#endif

namespace bulwark::respond {

#ifdef BULWARK_HAVE_LIBMAGIC
namespace {

struct CookieCloser {
  void operator()(magic_set* cookie) const { magic_close(cookie); }
};

// Runs in the sandboxed child only.
core::Result<std::string> Describe(std::span<const uint8_t> data) {
  std::unique_ptr<magic_set, CookieCloser> cookie(magic_open(MAGIC_NONE | MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR));
  if (!cookie) return core::Error(core::ErrorCode::kInternal, "magic_open failed");
  if (magic_load(cookie.get(), nullptr) != 0) {
    const char* why = magic_error(cookie.get());
    return core::Error(core::ErrorCode::kUnavailable,
                       std::string("cannot load the magic database: ") + (why ? why : "unknown error"));
  }
  const char* text = magic_buffer(cookie.get(), data.data(), data.size());
  if (text == nullptr) {
    const char* why = magic_error(cookie.get());
    return core::Error(core::ErrorCode::kParseError, why ? why : "magic_buffer failed");
  }
  return std::string(text);
}

}  // namespace

bool LibmagicAvailable() { return true; }

core::Result<std::string> LibmagicDescribe(std::span<const uint8_t> data, const SandboxLimits& limits) {
  auto head = data.first(std::min(data.size(), kMaxMagicBytes));
  return RunSandboxed([head] { return Describe(head); }, limits);
}

#else

bool LibmagicAvailable() { return false; }

core::Result<std::string> LibmagicDescribe(std::span<const uint8_t>, const SandboxLimits&) {
  return core::Error(core::ErrorCode::kUnavailable, "this build has no libmagic");
}

#endif

}  // namespace bulwark::respond
