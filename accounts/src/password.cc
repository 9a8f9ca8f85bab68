#include "accounts/password.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <memory>
#include <string>

namespace sunbid::accounts {

namespace {

Error crypto_failure(std::string what) {
  return make_error("crypto_failure", "密码运算失败 / cryptographic operation failed",
                    {{"operation", std::move(what)}});
}

bool valid_params(const ScryptParams& p) {
  return p.n > 1 && (p.n & (p.n - 1)) == 0 && p.r >= 1 && p.p >= 1;
}

}  // namespace

Result<std::vector<std::uint8_t>> scrypt_derive(std::string_view password,
                                                std::span<const std::uint8_t> salt,
                                                const ScryptParams& params, std::size_t out_len) {
  if (!valid_params(params)) return crypto_failure("scrypt parameters");
  std::unique_ptr<EVP_KDF, decltype(&EVP_KDF_free)> kdf(EVP_KDF_fetch(nullptr, "SCRYPT", nullptr),
                                                        &EVP_KDF_free);
  if (!kdf) return crypto_failure("EVP_KDF_fetch SCRYPT");
  std::unique_ptr<EVP_KDF_CTX, decltype(&EVP_KDF_CTX_free)> ctx(EVP_KDF_CTX_new(kdf.get()),
                                                                &EVP_KDF_CTX_free);
  if (!ctx) return crypto_failure("EVP_KDF_CTX_new");
  std::uint64_t n = params.n;
  std::uint32_t r = params.r;
  std::uint32_t p = params.p;
  // 128·r·N for the large array plus headroom; the default cap (32 MiB in
  // some builds) is exactly the N=2^15, r=8 size and would refuse it.
  std::uint64_t maxmem = 256ull * r * n + (1u << 20);
  OSSL_PARAM ps[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, const_cast<char*>(password.data()),
                                        password.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<std::uint8_t*>(salt.data()),
                                        salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
      OSSL_PARAM_construct_end(),
  };
  std::vector<std::uint8_t> out(out_len);
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), ps) != 1) {
    return crypto_failure("EVP_KDF_derive SCRYPT");
  }
  return out;
}

Result<PasswordHash> hash_password(std::string_view password, const ScryptParams& params) {
  PasswordHash h;
  h.params = params;
  h.salt.resize(kPasswordSaltBytes);
  if (RAND_bytes(h.salt.data(), static_cast<int>(h.salt.size())) != 1) {
    return crypto_failure("RAND_bytes");
  }
  SUNBID_ASSIGN_OR_RETURN(h.hash, scrypt_derive(password, h.salt, params, kPasswordHashBytes));
  return h;
}

bool verify_password(std::string_view password, const PasswordHash& stored) {
  if (stored.hash.empty()) return false;
  auto derived = scrypt_derive(password, stored.salt, stored.params, stored.hash.size());
  if (!derived.ok()) return false;
  return CRYPTO_memcmp(derived->data(), stored.hash.data(), stored.hash.size()) == 0;
}

}  // namespace sunbid::accounts
