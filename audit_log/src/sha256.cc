#include "audit_log/sha256.h"

#include <openssl/evp.h>

#include <cstdlib>
#include <cstdio>

namespace sunbid {

namespace {

[[noreturn]] void openssl_abort(const char* what) {
  // A failing digest call means the crypto library is unusable; continuing
  // would produce wrong hashes in a tamper-evident log.
  std::fprintf(stderr, "sunbid: OpenSSL %s failed\n", what);
  std::abort();
}

// The SHA-256 implementation, fetched once: EVP_sha256() makes OpenSSL 3
// look the algorithm up (under a lock) at every init, which dominates the
// cost of hashing a short audit entry.
const EVP_MD* sha256_md() {
  static EVP_MD* md = [] {
    EVP_MD* m = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (m == nullptr) openssl_abort("EVP_MD_fetch(SHA256)");
    return m;
  }();
  return md;
}

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr || EVP_DigestInit_ex2(ctx_, sha256_md(), nullptr) != 1)
    openssl_abort("EVP_DigestInit_ex2");
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

Sha256& Sha256::update(std::span<const std::uint8_t> bytes) {
  if (EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()) != 1) openssl_abort("EVP_DigestUpdate");
  return *this;
}

Sha256& Sha256::update(std::string_view bytes) {
  if (EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()) != 1) openssl_abort("EVP_DigestUpdate");
  return *this;
}

Sha256& Sha256::update(std::uint8_t byte) {
  if (EVP_DigestUpdate(ctx_, &byte, 1) != 1) openssl_abort("EVP_DigestUpdate");
  return *this;
}

Hash Sha256::finish() {
  Hash out{};
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_, out.data(), &len) != 1 || len != out.size())
    openssl_abort("EVP_DigestFinal_ex");
  if (EVP_DigestInit_ex2(ctx_, sha256_md(), nullptr) != 1) openssl_abort("EVP_DigestInit_ex2");
  return out;
}

Hash sha256(std::string_view bytes) {
  // One context per thread, reused: no allocation or lookup per call.
  thread_local Sha256 h;
  return h.update(bytes).finish();
}

Hash sha256(std::span<const std::uint8_t> bytes) {
  return sha256(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string hex_encode(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0xf];
  }
  return out;
}

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::optional<std::vector<std::uint8_t>> hex_decode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::vector<std::uint8_t> out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    int hi = hex_value(hex[2 * i]);
    int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::optional<Hash> hash_from_hex(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  Hash h{};
  for (std::size_t i = 0; i < h.size(); ++i) {
    int hi = hex_value(hex[2 * i]);
    int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    h[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return h;
}

std::string base64_encode(std::span<const std::uint8_t> bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

namespace {
bool is_b64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}
}  // namespace

std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
  // EVP_DecodeBlock is lenient (skips whitespace, ignores padding counts), so
  // the shape is checked here first: groups of four, '=' only at the end.
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t pad = 0;
  if (!text.empty() && text.back() == '=') ++pad;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++pad;
  for (std::size_t i = 0; i < text.size() - pad; ++i)
    if (!is_b64_char(text[i])) return std::nullopt;
  std::vector<std::uint8_t> out(text.size() / 4 * 3);
  int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<std::size_t>(n) - pad);
  // Reject non-canonical encodings (unused low bits set) by re-encoding.
  if (base64_encode(out) != text) return std::nullopt;
  return out;
}

}  // namespace sunbid
