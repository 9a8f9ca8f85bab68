// Password hashing with scrypt (RFC 7914) through OpenSSL 3's EVP_KDF.
//
// The parameters are stored beside every hash, so they can be raised later
// without invalidating existing accounts. Verification recomputes the hash
// with the stored parameters and compares in constant time (CRYPTO_memcmp).
//
// Thread-safety: safe for concurrent use. Each call takes about 32 MiB of
// memory and tens of milliseconds with the default parameters: never call it
// on the ledger's writer thread.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "audit_log/result.h"

namespace sunbid::accounts {

struct ScryptParams {
  std::uint64_t n = 1u << 15;  // CPU/memory cost, a power of two
  std::uint32_t r = 8;
  std::uint32_t p = 1;
  bool operator==(const ScryptParams&) const = default;
};

inline constexpr std::size_t kPasswordSaltBytes = 16;
inline constexpr std::size_t kPasswordHashBytes = 32;

struct PasswordHash {
  ScryptParams params;
  std::vector<std::uint8_t> salt;  // kPasswordSaltBytes random bytes
  std::vector<std::uint8_t> hash;  // kPasswordHashBytes
};

// REQUIRES: params.n is a power of two > 1; r, p >= 1.
// Error `crypto_failure` when OpenSSL refuses.
Result<PasswordHash> hash_password(std::string_view password, const ScryptParams& params);
// The same with a given salt (known-answer tests).
Result<std::vector<std::uint8_t>> scrypt_derive(std::string_view password,
                                                std::span<const std::uint8_t> salt,
                                                const ScryptParams& params, std::size_t out_len);
// True when `password` matches `stored`.
bool verify_password(std::string_view password, const PasswordHash& stored);

}  // namespace sunbid::accounts
