// SHA-256 through OpenSSL, and the byte encodings used by every signed or
// persisted format (lowercase hex, standard base64 with padding).
//
// Thread-safety: the free functions are safe for concurrent use; a Sha256
// object is used by one thread at a time.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace sunbid {

using Hash = std::array<std::uint8_t, 32>;

// Incremental SHA-256.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  Sha256& update(std::span<const std::uint8_t> bytes);
  Sha256& update(std::string_view bytes);
  Sha256& update(std::uint8_t byte);
  // Returns the digest; the object is reset and may be reused.
  Hash finish();

 private:
  EVP_MD_CTX* ctx_;
};

Hash sha256(std::string_view bytes);
Hash sha256(std::span<const std::uint8_t> bytes);

std::string hex_encode(std::span<const std::uint8_t> bytes);
inline std::string hex_encode(const Hash& h) { return hex_encode(std::span<const std::uint8_t>(h)); }
// Lowercase or uppercase hex; nullopt on odd length or a non-hex character.
std::optional<std::vector<std::uint8_t>> hex_decode(std::string_view hex);
// Exactly 64 hex characters -> Hash.
std::optional<Hash> hash_from_hex(std::string_view hex);

std::string base64_encode(std::span<const std::uint8_t> bytes);
// Standard alphabet with padding, strict: nullopt on any other input.
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

}  // namespace sunbid
