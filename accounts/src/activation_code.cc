#include "accounts/activation_code.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "audit_log/secret_file.h"

namespace sunbid::accounts {

namespace {

// α^k in GF(32), k = 0..30 (α = x = 2 is primitive for x⁵+x²+1).
constexpr std::array<std::uint8_t, 31> alpha_powers() {
  std::array<std::uint8_t, 31> p{};
  std::uint8_t v = 1;
  for (std::size_t k = 0; k < p.size(); ++k) {
    p[k] = v;
    v = static_cast<std::uint8_t>(v << 1);
    if (v & 0x20) v ^= 0x25;  // x⁵ = x² + 1
  }
  return p;
}
constexpr auto kAlphaPow = alpha_powers();

// Σ α^i ⊗ v_i over the symbols given.
std::uint8_t syndrome(std::string_view symbols) {
  std::uint8_t s = 0;
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    s ^= gf32_mul(kAlphaPow[i % 31], *symbol_value(symbols[i]));
  }
  return s;
}

}  // namespace

std::optional<std::uint8_t> symbol_value(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c == 'I' || c == 'L') c = '1';
  if (c == 'O') c = '0';
  auto pos = kCrockfordAlphabet.find(c);
  if (pos == std::string_view::npos) return std::nullopt;
  return static_cast<std::uint8_t>(pos);
}

std::uint8_t gf32_mul(std::uint8_t a, std::uint8_t b) {
  std::uint8_t r = 0;
  for (int i = 0; i < 5; ++i) {
    if (b & 1) r ^= a;
    b >>= 1;
    a = static_cast<std::uint8_t>(a << 1);
    if (a & 0x20) a ^= 0x25;
  }
  return r;
}

char check_symbol(std::string_view data) {
  // α¹² c = Σ_{i<12} α^i v_i, so c = α^(31−12) Σ (α³¹ = 1).
  const std::uint8_t c = gf32_mul(kAlphaPow[31 - kCodeDataSymbols], syndrome(data));
  return kCrockfordAlphabet[c];
}

std::optional<std::string> normalize_activation_code(std::string_view presented) {
  std::string out;
  out.reserve(kCodeSymbols);
  for (char c : presented) {
    if (c == '-' || c == ' ') continue;
    auto v = symbol_value(c);
    if (!v || out.size() == kCodeSymbols) return std::nullopt;
    out.push_back(kCrockfordAlphabet[*v]);
  }
  if (out.size() != kCodeSymbols || syndrome(out) != 0) return std::nullopt;
  return out;
}

std::string format_activation_code(std::string_view normalized) {
  std::string out;
  for (std::size_t i = 0; i < normalized.size(); ++i) {
    if (i > 0 && i % 4 == 0) out.push_back('-');
    out.push_back(normalized[i]);
  }
  return out;
}

Result<std::string> new_activation_code() {
  std::array<std::uint8_t, 8> rnd{};
  if (RAND_bytes(rnd.data(), static_cast<int>(rnd.size())) != 1) {
    return make_error("crypto_failure", "随机数生成失败 / random generation failed");
  }
  std::uint64_t bits = 0;
  for (std::uint8_t b : rnd) bits = (bits << 8) | b;
  OPENSSL_cleanse(rnd.data(), rnd.size());
  std::string code(kCodeDataSymbols, '0');
  for (std::size_t i = 0; i < kCodeDataSymbols; ++i) {
    code[kCodeDataSymbols - 1 - i] = kCrockfordAlphabet[bits & 31];  // 12 × 5 = 60 bits
    bits >>= 5;
  }
  code.push_back(check_symbol(code));
  return code;
}

// ---- the key file (as audit_log's digest key: O_EXCL, 0600, fsync, refused
// when group or others may read it)

Result<ActivationKey> ActivationKey::load_or_create(const std::filesystem::path& file) {
  SUNBID_ASSIGN_OR_RETURN(Hash bytes,
                          audit::load_or_create_secret_file(file, "激活密钥", "activation key"));
  ActivationKey key(bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return key;
}

Hash ActivationKey::code_hmac(std::string_view normalized) const {
  Hash out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(normalized.data()), normalized.size(), out.data(),
       &len);
  return out;
}

}  // namespace sunbid::accounts
