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

namespace sunbid::audit {

namespace {

Error io_error(const std::filesystem::path& file, std::string_view what, int err) {
  return make_error("key_file_io",
                    fmt::format("读写摘要密钥文件失败 / digest key file I/O failed: {} {}: {}",
                                what, file.string(), std::strerror(err)),
                    {{"path", file.string()}});
}

struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

Status write_all(int fd, std::string_view bytes, const std::filesystem::path& file) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return io_error(file, "write", errno);
    done += static_cast<std::size_t>(n);
  }
  return {};
}

}  // namespace

Result<DigestKey> DigestKey::load_or_create(const std::filesystem::path& file) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (fd.fd < 0 && errno == ENOENT) {
      std::array<std::uint8_t, 32> bytes{};
      if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        return make_error("crypto_failure", "随机数生成失败 / random generation failed");
      }
      Fd out(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
      if (out.fd < 0) {
        if (errno == EEXIST) continue;  // another process created it first: load that one
        return io_error(file, "create", errno);
      }
      std::string text = hex_encode(std::span<const std::uint8_t>(bytes)) + "\n";
      Status st = write_all(out.fd, text, file);
      if (st.ok() && ::fsync(out.fd) != 0) st = io_error(file, "fsync", errno);
      OPENSSL_cleanse(text.data(), text.size());
      if (!st.ok()) {
        ::unlink(file.c_str());
        return std::move(st).error();
      }
      auto dir = file.parent_path();
      if (dir.empty()) dir = ".";
      Fd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
      if (dfd.fd >= 0) (void)::fsync(dfd.fd);
      DigestKey key(bytes);
      OPENSSL_cleanse(bytes.data(), bytes.size());
      return key;
    }
    if (fd.fd < 0) return io_error(file, "open", errno);
    struct stat st {};
    if (::fstat(fd.fd, &st) != 0) return io_error(file, "fstat", errno);
    if (!S_ISREG(st.st_mode)) {
      return make_error("key_file_io",
                        "摘要密钥路径不是普通文件 / digest key path is not a regular file",
                        {{"path", file.string()}});
    }
    if ((st.st_mode & 077) != 0) {
      return make_error(
          "key_file_permissions",
          "摘要密钥文件可被组或其他用户访问，拒绝使用（应为 0600） / the digest key "
          "file is accessible by group or others; refusing it (chmod 600)",
          {{"path", file.string()},
           {"mode", fmt::format("{:04o}", static_cast<unsigned>(st.st_mode & 07777))}});
    }
    char buf[66];
    ssize_t n = 0;
    std::size_t got = 0;
    while (got < sizeof buf && (n = ::read(fd.fd, buf + got, sizeof buf - got)) != 0) {
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return io_error(file, "read", errno);
      got += static_cast<std::size_t>(n);
    }
    std::string_view text(buf, got);
    if (text.ends_with('\n')) text.remove_suffix(1);
    auto h = text.size() == 64 ? hash_from_hex(text) : std::nullopt;
    OPENSSL_cleanse(buf, sizeof buf);
    if (!h) {
      return make_error("key_file_invalid",
                        "摘要密钥文件格式错误 / the digest key file is not 64 hex characters",
                        {{"path", file.string()}});
    }
    DigestKey key(*h);
    OPENSSL_cleanse(h->data(), h->size());
    return key;
  }
  return io_error(file, "create", EEXIST);
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
    for (auto [ctx, x] : {std::pair{inner, std::uint8_t{0x36}}, std::pair{outer, std::uint8_t{0x5c}}}) {
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
