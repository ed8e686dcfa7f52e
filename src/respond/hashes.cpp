#include "respond/hashes.hpp"

#include <array>
#include <cstdio>
#include <memory>

#include <openssl/evp.h>

namespace bulwark::respond {
namespace {

struct CtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using CtxPtr = std::unique_ptr<EVP_MD_CTX, CtxDeleter>;

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

std::string Hex(const unsigned char* bytes, unsigned int n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (unsigned int i = 0; i < n; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0xf];
  }
  return out;
}

// The three digests fed in one pass.
class MultiDigest {
 public:
  MultiDigest() {
    const EVP_MD* mds[3] = {EVP_md5(), EVP_sha1(), EVP_sha256()};
    for (int i = 0; i < 3; ++i) {
      ctx_[i].reset(EVP_MD_CTX_new());
      ok_ = ok_ && ctx_[i] && EVP_DigestInit_ex(ctx_[i].get(), mds[i], nullptr) == 1;
    }
  }
  void Update(const void* data, size_t n) {
    for (auto& c : ctx_) ok_ = ok_ && EVP_DigestUpdate(c.get(), data, n) == 1;
  }
  core::Result<Hashes> Finish() {
    std::string out[3];
    for (int i = 0; i < 3 && ok_; ++i) {
      unsigned char md[EVP_MAX_MD_SIZE];
      unsigned int len = 0;
      ok_ = EVP_DigestFinal_ex(ctx_[i].get(), md, &len) == 1;
      out[i] = Hex(md, len);
    }
    if (!ok_) return core::Error(core::ErrorCode::kInternal, "OpenSSL digest failed");
    Hashes hashes;
    hashes.md5 = out[0];
    hashes.sha1 = out[1];
    hashes.sha256 = out[2];
    return hashes;
  }

 private:
  std::array<CtxPtr, 3> ctx_;
  bool ok_ = true;
};

}  // namespace

Hashes HashBytes(std::span<const uint8_t> data) {
  MultiDigest digest;
  digest.Update(data.data(), data.size());
  auto result = digest.Finish();
  return result.ok() ? result.value() : Hashes{};
}

core::Result<Hashes> HashFile(const std::string& path, uint64_t max_bytes) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) return core::Error(core::ErrorCode::kIoError, path + ": cannot open for hashing");
  MultiDigest digest;
  std::array<unsigned char, 64 * 1024> block{};
  uint64_t total = 0;
  size_t n = 0;
  while ((n = std::fread(block.data(), 1, block.size(), file.get())) > 0) {
    total += n;
    if (total > max_bytes) {
      return core::Error(core::ErrorCode::kTooLarge,
                         path + ": larger than the triage bound of " +
                             std::to_string(max_bytes >> 20) + " MiB");
    }
    digest.Update(block.data(), n);
  }
  if (std::ferror(file.get())) return core::Error(core::ErrorCode::kIoError, path + ": read error");
  return digest.Finish();
}

}  // namespace bulwark::respond
