// Activation codes (激活码) of owner onboarding: their text form, check
// symbol and keyed hash (docs/activation.md).
//
// A code is 12 data symbols of Crockford's base32 alphabet
// `0123456789ABCDEFGHJKMNPQRSTVWXYZ` (60 random bits from RAND_bytes) and one
// check symbol over the same alphabet: 13 symbols, shown as
// `XXXX-XXXX-XXXX-C`. The check symbol c makes the 13 symbol values v0..v12
// (v12 = c) satisfy
//     v0·α⁰ ⊕ v1·α¹ ⊕ … ⊕ v12·α¹² = 0
// in GF(32) = GF(2)[x]/(x⁵+x²+1), α = x (the value 2): so c is a value mod
// 32, a symbol of the same alphabet. Integer weights mod 32 cannot catch
// both every single substitution (odd weights) and every adjacent
// transposition (odd weight differences) — two odd numbers differ by an even
// one — whereas in the field every single substitution and every
// transposition of two symbols (adjacent or not, the check included) changes
// the sum.
//
// Input is forgiving: case-insensitive, `I`/`L` read as 1, `O` as 0, and
// hyphens and spaces ignored. `U` is not a symbol.
//
// A code is stored only as HMAC-SHA-256(activation key, normalized code),
// the key being a 32-byte secret in DATA_DIR/activation.key (mode 0600,
// created on first start beside the log's signing key). Neither the code nor
// its HMAC ever enters a log entry, a server log or an error.
//
// Thread-safety: pure functions; ActivationKey is immutable after load and
// safe for concurrent use.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "audit_log/result.h"
#include "audit_log/sha256.h"

namespace sunbid::accounts {

inline constexpr std::string_view kCrockfordAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
inline constexpr std::size_t kCodeDataSymbols = 12;
inline constexpr std::size_t kCodeSymbols = kCodeDataSymbols + 1;

// The value 0..31 of an input character after normalisation (case, I/L → 1,
// O → 0), or nullopt for a character that is no symbol.
std::optional<std::uint8_t> symbol_value(char c);

// GF(32) multiplication modulo x⁵+x²+1 (values 0..31).
std::uint8_t gf32_mul(std::uint8_t a, std::uint8_t b);

// The check symbol of 12 data symbols (normalized, upper case).
// REQUIRES: data is 12 symbols of kCrockfordAlphabet.
char check_symbol(std::string_view data);

// The presented text as the 13 canonical symbols (upper case, no
// separators), or nullopt when it is not 13 symbols or the check symbol does
// not match (a typo).
std::optional<std::string> normalize_activation_code(std::string_view presented);

// `ABCD-EFGH-JKMN-P` from 13 canonical symbols.
std::string format_activation_code(std::string_view normalized);

// A fresh code: 60 bits of RAND_bytes as 12 symbols, and its check symbol
// (13 canonical symbols). Error `crypto_failure`.
Result<std::string> new_activation_code();

// The activation key: the secret of the code HMACs.
class ActivationKey {
 public:
  // Loads `file`, creating it (O_EXCL, 0600, fsync) when absent. Errors:
  // `key_file_permissions` (readable by group or others), `key_file_io`,
  // `key_file_invalid`.
  static Result<ActivationKey> load_or_create(const std::filesystem::path& file);
  // For tests: a key from fixed bytes.
  explicit ActivationKey(const std::array<std::uint8_t, 32>& bytes) : key_(bytes) {}

  // HMAC-SHA-256(key, normalized): what the store keeps of a code.
  // REQUIRES: normalized is the output of normalize_activation_code.
  Hash code_hmac(std::string_view normalized) const;

 private:
  std::array<std::uint8_t, 32> key_{};
};

// The activation key's file inside a data directory, beside the log's
// signing key (log-signing.key) and the digest key.
inline std::filesystem::path activation_key_file(const std::filesystem::path& data_dir) {
  return data_dir / "activation.key";
}

}  // namespace sunbid::accounts
