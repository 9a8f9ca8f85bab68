#include "audit_log/digest_key.h"

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

namespace sunbid::audit {

Result<DigestKey> DigestKey::load_or_create(const std::filesystem::path& file) {
  SUNBID_ASSIGN_OR_RETURN(Hash bytes, load_or_create_secret_file(file, "摘要密钥", "digest key"));
  DigestKey key(bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return key;
}

namespace {

// HMAC-SHA-256 with the key's inner and outer pad states hashed once per
// thread (RFC 2104): the salt is computed for every entry with a source on
// the writer thread, and OpenSSL's one-shot HMAC() fetches its algorithm on
// every call (a few microseconds of the writer's time per bid).
struct HmacState {
  std::array<std::uint8_t, 32> key{};
  bool ready = false;
  EVP_MD_CTX* inner = EVP_MD_CTX_new();
  EVP_MD_CTX* outer = EVP_MD_CTX_new();
  EVP_MD_CTX* work = EVP_MD_CTX_new();
  ~HmacState() {
    OPENSSL_cleanse(key.data(), key.size());
    EVP_MD_CTX_free(inner);
    EVP_MD_CTX_free(outer);
    EVP_MD_CTX_free(work);
  }
  bool init(const std::array<std::uint8_t, 32>& k) {
    std::uint8_t pad[64];
    bool ok = true;
    for (auto [ctx, x] :
         {std::pair{inner, std::uint8_t{0x36}}, std::pair{outer, std::uint8_t{0x5c}}}) {
      std::memset(pad, x, sizeof pad);
      for (std::size_t i = 0; i < k.size(); ++i) pad[i] ^= k[i];
      ok = ok && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
           EVP_DigestUpdate(ctx, pad, sizeof pad) == 1;
    }
    OPENSSL_cleanse(pad, sizeof pad);
    key = k;
    ready = ok;
    return ok;
  }
};

}  // namespace

Hash DigestKey::entry_salt(std::uint64_t index, std::string_view kind) const {
  std::uint8_t be[8];
  for (int i = 0; i < 8; ++i) be[i] = static_cast<std::uint8_t>(index >> (56 - 8 * i));
  Hash out{};
  thread_local HmacState st;
  if ((st.ready && st.key == key_) || st.init(key_)) {
    Hash inner{};
    unsigned int len = 0;
    if (EVP_MD_CTX_copy_ex(st.work, st.inner) == 1 && EVP_DigestUpdate(st.work, be, 8) == 1 &&
        EVP_DigestUpdate(st.work, kind.data(), kind.size()) == 1 &&
        EVP_DigestFinal_ex(st.work, inner.data(), &len) == 1 &&
        EVP_MD_CTX_copy_ex(st.work, st.outer) == 1 &&
        EVP_DigestUpdate(st.work, inner.data(), inner.size()) == 1 &&
        EVP_DigestFinal_ex(st.work, out.data(), &len) == 1) {
      return out;
    }
  }
  // The one-shot form (slower), should the cached states be unusable.
  std::string msg(reinterpret_cast<const char*>(be), 8);
  msg.append(kind);
  unsigned int len = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), out.data(), &len);
  return out;
}

std::string DigestKey::entry_digest(std::uint64_t index, std::string_view kind,
                                    std::string_view value) const {
  Hash salt = entry_salt(index, kind);
  Sha256 h;
  h.update(std::span<const std::uint8_t>(salt)).update(value);
  return hex_encode(h.finish());
}

}  // namespace sunbid::audit
