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

namespace {

Error io_error(const std::filesystem::path& file, std::string_view what, int err) {
  return make_error("key_file_io",
                    fmt::format("读写激活密钥文件失败 / activation key file I/O failed: {} {}: {}",
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

}  // namespace

Result<ActivationKey> ActivationKey::load_or_create(const std::filesystem::path& file) {
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
      Status st;
      std::size_t done = 0;
      while (st.ok() && done < text.size()) {
        ssize_t n = ::write(out.fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          st = io_error(file, "write", errno);
          break;
        }
        done += static_cast<std::size_t>(n);
      }
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
      ActivationKey key(bytes);
      OPENSSL_cleanse(bytes.data(), bytes.size());
      return key;
    }
    if (fd.fd < 0) return io_error(file, "open", errno);
    struct stat st {};
    if (::fstat(fd.fd, &st) != 0) return io_error(file, "fstat", errno);
    if (!S_ISREG(st.st_mode)) {
      return make_error("key_file_io",
                        "激活密钥路径不是普通文件 / activation key path is not a regular file",
                        {{"path", file.string()}});
    }
    if ((st.st_mode & 077) != 0) {
      return make_error(
          "key_file_permissions",
          "激活密钥文件可被组或其他用户访问，拒绝使用（应为 0600） / the activation key "
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
                        "激活密钥文件格式错误 / the activation key file is not 64 hex characters",
                        {{"path", file.string()}});
    }
    ActivationKey key(*h);
    OPENSSL_cleanse(h->data(), h->size());
    return key;
  }
  return io_error(file, "create", EEXIST);
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
