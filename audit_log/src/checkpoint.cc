#include "audit_log/checkpoint.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

namespace sunbid::audit {
namespace {

constexpr std::string_view kSigPrefix = "\xE2\x80\x94 ";  // U+2014 EM DASH, then a space
constexpr std::uint8_t kAlgEd25519 = 0x01;
constexpr std::size_t kMaxSignatures = 100;
constexpr std::size_t kMaxKeyFileBytes = 4096;

// ---- UTF-8, with the Go utf8.DecodeRune rules -------------------------------

constexpr char32_t kInvalidRune = 0xFFFFFFFF;

// Decodes one rune at s[0]; returns kInvalidRune with size 1 on any invalid
// sequence (bad lead, truncated, overlong, surrogate, above U+10FFFF).
std::pair<char32_t, std::size_t> decode_rune(std::string_view s) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) return {b0, 1};
  std::size_t n;
  char32_t r;
  char32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2, r = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3, r = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4, r = b0 & 0x07, min = 0x10000;
  } else {
    return {kInvalidRune, 1};
  }
  if (s.size() < n) return {kInvalidRune, 1};
  for (std::size_t i = 1; i < n; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xC0) != 0x80) return {kInvalidRune, 1};
    r = (r << 6) | (b & 0x3F);
  }
  if (r < min || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) return {kInvalidRune, 1};
  return {r, n};
}

// Go's unicode.IsSpace.
bool is_unicode_space(char32_t r) {
  switch (r) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200A;
  }
}

// Valid UTF-8 and no ASCII control character other than "\n" (signed-note rule).
bool is_clean_text(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto [r, size] = decode_rune(s.substr(i));
    if (r == kInvalidRune) return false;
    if (r < 0x20 && r != '\n') return false;
    i += size;
  }
  return true;
}

Error note_malformed(std::string reason) {
  return make_error("note_malformed", "签名便笺格式错误 / signed note is malformed",
                    {{"reason", std::move(reason)}});
}

Error checkpoint_malformed(std::string reason) {
  return make_error("checkpoint_malformed", "检查点正文格式错误 / checkpoint body is malformed",
                    {{"reason", std::move(reason)}});
}

Error crypto_failure(std::string_view what) {
  return make_error("crypto_failure", "密码库操作失败 / OpenSSL operation failed",
                    {{"operation", what}});
}

// Splits s at the first `sep`; `after` is empty when sep is absent (Go's chop).
std::pair<std::string_view, std::string_view> chop(std::string_view s, char sep) {
  auto i = s.find(sep);
  if (i == std::string_view::npos) return {s, {}};
  return {s.substr(0, i), s.substr(i + 1)};
}

std::optional<std::uint32_t> parse_key_id_hex(std::string_view hex) {
  if (hex.size() != 8) return std::nullopt;
  auto bytes = hex_decode(hex);
  if (!bytes) return std::nullopt;
  return (std::uint32_t{(*bytes)[0]} << 24) | (std::uint32_t{(*bytes)[1]} << 16) |
         (std::uint32_t{(*bytes)[2]} << 8) | std::uint32_t{(*bytes)[3]};
}

std::string key_id_hex(std::uint32_t id) {
  const std::uint8_t b[4] = {static_cast<std::uint8_t>(id >> 24),
                             static_cast<std::uint8_t>(id >> 16),
                             static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id)};
  return hex_encode(std::span<const std::uint8_t>(b, 4));
}

std::string encode_public_key(const std::array<std::uint8_t, 32>& public_key) {
  std::vector<std::uint8_t> bytes{kAlgEd25519};
  bytes.insert(bytes.end(), public_key.begin(), public_key.end());
  return base64_encode(bytes);
}

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

// Private key bytes wiped on every exit path.
struct Secret {
  std::vector<std::uint8_t> bytes;
  explicit Secret(std::size_t n = 0) : bytes(n) {}
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  ~Secret() {
    if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
  }
};

struct SecretString {
  std::string text;
  SecretString() = default;
  SecretString(const SecretString&) = delete;
  SecretString& operator=(const SecretString&) = delete;
  ~SecretString() {
    if (!text.empty()) OPENSSL_cleanse(text.data(), text.size());
  }
};

struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

Error key_file_io(const std::filesystem::path& file, std::string_view what, int err) {
  return make_error("key_file_io", "读写签名密钥文件失败 / key file I/O failed",
                    {{"path", file.string()}, {"operation", what}, {"errno", std::strerror(err)}});
}

Result<std::array<std::uint8_t, 32>> raw_public_key(EVP_PKEY* pkey) {
  std::array<std::uint8_t, 32> pub{};
  std::size_t len = pub.size();
  if (EVP_PKEY_get_raw_public_key(pkey, pub.data(), &len) != 1 || len != pub.size()) {
    return crypto_failure("EVP_PKEY_get_raw_public_key");
  }
  return pub;
}

bool ed25519_verify(const std::array<std::uint8_t, 32>& public_key, std::string_view msg,
                    std::span<const std::uint8_t> sig) {
  if (sig.size() != 64) return false;
  PkeyPtr pkey(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public_key.data(), public_key.size()));
  if (!pkey) return false;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), sig.data(), sig.size(),
                          reinterpret_cast<const unsigned char*>(msg.data()), msg.size()) == 1;
}

// Writes `contents` to a new file at `file`, never replacing an existing one.
// Returns false (and no error) if `file` appeared meanwhile.
Result<bool> create_key_file(const std::filesystem::path& file, std::string_view contents) {
  std::uint8_t rnd[8];
  if (RAND_bytes(rnd, sizeof rnd) != 1) return crypto_failure("RAND_bytes");
  const std::string tmp = file.string() + ".tmp." + hex_encode(std::span<const std::uint8_t>(rnd));
  {
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (fd.fd < 0) return key_file_io(tmp, "open", errno);
    std::size_t done = 0;
    while (done < contents.size()) {
      ssize_t n = ::write(fd.fd, contents.data() + done, contents.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return key_file_io(tmp, "write", err);
      }
      done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.fd) != 0) {
      const int err = errno;
      ::unlink(tmp.c_str());
      return key_file_io(tmp, "fsync", err);
    }
  }
  if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, file.c_str(), RENAME_NOREPLACE) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    if (err == EEXIST) return false;
    return key_file_io(file, "rename", err);
  }
  // Make the rename itself durable.
  auto dir = file.parent_path();
  if (dir.empty()) dir = ".";
  Fd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dfd.fd < 0) return key_file_io(dir, "open directory", errno);
  if (::fsync(dfd.fd) != 0) return key_file_io(dir, "fsync directory", errno);
  return true;
}

}  // namespace

// ---- Checkpoint body --------------------------------------------------------

Status check_checkpoint(const Checkpoint& cp) {
  if (cp.origin.empty() || cp.origin.find('\n') != std::string::npos || !is_clean_text(cp.origin)) {
    return checkpoint_malformed("origin must be non-empty UTF-8 without control characters");
  }
  for (const auto& ext : cp.extensions) {
    if (ext.empty() || ext.find('\n') != std::string::npos || !is_clean_text(ext)) {
      return checkpoint_malformed("extension lines must be non-empty, without control characters");
    }
  }
  return ok_status();
}

std::string format_checkpoint_body(const Checkpoint& cp) {
  assert(check_checkpoint(cp).ok());
  std::string out = cp.origin;
  out += '\n';
  out += std::to_string(cp.size);
  out += '\n';
  out += base64_encode(std::span<const std::uint8_t>(cp.root));
  out += '\n';
  for (const auto& ext : cp.extensions) {
    out += ext;
    out += '\n';
  }
  return out;
}

Result<Checkpoint> parse_checkpoint_body(std::string_view text) {
  if (text.empty() || text.back() != '\n') return checkpoint_malformed("must end with a newline");
  if (!is_clean_text(text)) {
    return checkpoint_malformed("must be UTF-8 without control characters other than newline");
  }
  std::vector<std::string_view> lines;
  for (std::string_view rest = text; !rest.empty();) {
    auto nl = rest.find('\n');
    lines.push_back(rest.substr(0, nl));
    rest.remove_prefix(nl + 1);
  }
  if (lines.size() < 3) return checkpoint_malformed("needs origin, size and root lines");
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty())
      return checkpoint_malformed("line " + std::to_string(i + 1) + " is empty");
  }

  Checkpoint cp;
  cp.origin = std::string(lines[0]);

  const std::string_view size = lines[1];
  if (size.size() > 1 && size[0] == '0')
    return checkpoint_malformed("tree size has a leading zero");
  for (char c : size) {
    if (c < '0' || c > '9') return checkpoint_malformed("tree size is not a decimal number");
  }
  auto [end, ec] = std::from_chars(size.data(), size.data() + size.size(), cp.size);
  if (ec != std::errc() || end != size.data() + size.size()) {
    return checkpoint_malformed("tree size does not fit in 64 bits");
  }

  auto root = base64_decode(lines[2]);
  if (!root || root->size() != cp.root.size()) {
    return checkpoint_malformed("root is not the canonical base64 of 32 bytes");
  }
  std::copy(root->begin(), root->end(), cp.root.begin());

  for (std::size_t i = 3; i < lines.size(); ++i) cp.extensions.emplace_back(lines[i]);
  return cp;
}

// ---- Signed notes -----------------------------------------------------------

Status check_note_text(std::string_view text) {
  if (text.empty() || text.back() != '\n') return note_malformed("text must end with a newline");
  if (!is_clean_text(text)) {
    return note_malformed("text must be UTF-8 without control characters other than newline");
  }
  return ok_status();
}

bool is_valid_key_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size();) {
    auto [r, size] = decode_rune(name.substr(i));
    if (r == kInvalidRune || r < 0x20 || r == 0x7F || r == '+' || is_unicode_space(r)) return false;
    i += size;
  }
  return true;
}

std::uint32_t ed25519_key_id(std::string_view name, std::span<const std::uint8_t, 32> public_key) {
  Sha256 h;
  h.update(name);
  h.update(std::uint8_t{'\n'});
  h.update(kAlgEd25519);
  h.update(std::span<const std::uint8_t>(public_key));
  const Hash d = h.finish();
  return (std::uint32_t{d[0]} << 24) | (std::uint32_t{d[1]} << 16) | (std::uint32_t{d[2]} << 8) |
         std::uint32_t{d[3]};
}

Result<SignedNote> parse_signed_note(std::string_view note) {
  if (!is_clean_text(note)) {
    return note_malformed("note must be UTF-8 without control characters other than newline");
  }
  // The signature block follows the last blank line.
  const auto split = note.rfind("\n\n");
  if (split == std::string_view::npos) return note_malformed("no blank line before signatures");
  SignedNote out;
  out.text = std::string(note.substr(0, split + 1));
  std::string_view sigs = note.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n') {
    return note_malformed("signature block must be non-empty and end with a newline");
  }
  while (!sigs.empty()) {
    const auto nl = sigs.find('\n');
    std::string_view line = sigs.substr(0, nl);
    sigs.remove_prefix(nl + 1);
    const std::string where = "signature line " + std::to_string(out.signatures.size() + 1);
    if (out.signatures.size() == kMaxSignatures) return note_malformed("more than 100 signatures");
    if (!line.starts_with(kSigPrefix)) return note_malformed(where + " does not start with \"— \"");
    line.remove_prefix(kSigPrefix.size());
    auto [name, b64] = chop(line, ' ');
    if (!is_valid_key_name(name)) return note_malformed(where + " has an invalid key name");
    auto sig = base64_decode(b64);
    if (b64.empty() || !sig) return note_malformed(where + " is not canonical base64");
    if (sig->size() < 5) return note_malformed(where + " is too short");
    SignatureLine s;
    s.name = std::string(name);
    s.key_id = (std::uint32_t{(*sig)[0]} << 24) | (std::uint32_t{(*sig)[1]} << 16) |
               (std::uint32_t{(*sig)[2]} << 8) | std::uint32_t{(*sig)[3]};
    s.signature.assign(sig->begin() + 4, sig->end());
    out.signatures.push_back(std::move(s));
  }
  return out;
}

Result<std::pair<Checkpoint, std::vector<SignatureLine>>> parse_signed_checkpoint(
    std::string_view note) {
  SUNBID_ASSIGN_OR_RETURN(SignedNote parsed, parse_signed_note(note));
  SUNBID_ASSIGN_OR_RETURN(Checkpoint cp, parse_checkpoint_body(parsed.text));
  return std::make_pair(std::move(cp), std::move(parsed.signatures));
}

// ---- SigningKey -------------------------------------------------------------

SigningKey::SigningKey(EVP_PKEY* pkey, std::string name, std::array<std::uint8_t, 32> public_key)
    : pkey_(pkey),
      name_(std::move(name)),
      public_key_(public_key),
      key_id_(ed25519_key_id(name_, public_key_)) {}

SigningKey::SigningKey(SigningKey&& other) noexcept
    : pkey_(std::exchange(other.pkey_, nullptr)),
      name_(std::move(other.name_)),
      public_key_(other.public_key_),
      key_id_(other.key_id_) {}

SigningKey& SigningKey::operator=(SigningKey&& other) noexcept {
  if (this != &other) {
    EVP_PKEY_free(pkey_);
    pkey_ = std::exchange(other.pkey_, nullptr);
    name_ = std::move(other.name_);
    public_key_ = other.public_key_;
    key_id_ = other.key_id_;
  }
  return *this;
}

SigningKey::~SigningKey() {
  EVP_PKEY_free(pkey_);
}

Result<SigningKey> SigningKey::from_signer_key(std::string_view signer_key) {
  auto [priv1, rest1] = chop(signer_key, '+');
  auto [priv2, rest2] = chop(rest1, '+');
  auto [name, rest3] = chop(rest2, '+');
  auto [hash16, key64] = chop(rest3, '+');
  const auto id = parse_key_id_hex(hash16);
  Secret key;
  if (auto decoded = base64_decode(key64)) key.bytes = std::move(*decoded);
  if (priv1 != "PRIVATE" || priv2 != "KEY" || !id || !is_valid_key_name(name) ||
      key.bytes.empty()) {
    return make_error("signer_key_malformed", "签名私钥格式错误 / signer key is malformed");
  }
  if (key.bytes[0] != kAlgEd25519 || key.bytes.size() != 33) {
    return make_error("signer_key_malformed",
                      "签名私钥不是 Ed25519 / signer key is not an Ed25519 key");
  }
  PkeyPtr pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, key.bytes.data() + 1, 32));
  if (!pkey) return crypto_failure("EVP_PKEY_new_raw_private_key");
  SUNBID_ASSIGN_OR_RETURN(auto pub, raw_public_key(pkey.get()));
  if (ed25519_key_id(name, pub) != *id) {
    return make_error("signer_key_hash_mismatch",
                      "签名私钥的密钥标识不符 / signer key id does not match the key",
                      {{"name", name}, {"key_id", std::string(hash16)}});
  }
  return SigningKey(pkey.release(), std::string(name), pub);
}

Result<SigningKey> SigningKey::load_or_create(const std::filesystem::path& file, std::string name) {
  if (!is_valid_key_name(name)) {
    return make_error("key_name_invalid",
                      "密钥名称无效（不能为空，不能含空白、加号或控制字符） / key name is invalid "
                      "(non-empty, no white space, '+' or control characters)",
                      {{"name", name}});
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (fd.fd < 0 && errno != ENOENT) return key_file_io(file, "open", errno);
    if (fd.fd < 0) {
      // First use: generate and store.
      PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
      if (!pkey) return crypto_failure("EVP_PKEY_Q_keygen");
      Secret seed(32);
      std::size_t len = seed.bytes.size();
      if (EVP_PKEY_get_raw_private_key(pkey.get(), seed.bytes.data(), &len) != 1 || len != 32) {
        return crypto_failure("EVP_PKEY_get_raw_private_key");
      }
      SUNBID_ASSIGN_OR_RETURN(auto pub, raw_public_key(pkey.get()));
      Secret encoded(33);
      encoded.bytes[0] = kAlgEd25519;
      std::copy(seed.bytes.begin(), seed.bytes.end(), encoded.bytes.begin() + 1);
      SecretString line;
      line.text = "PRIVATE+KEY+" + name + "+" + key_id_hex(ed25519_key_id(name, pub)) + "+" +
                  base64_encode(encoded.bytes) + "\n";
      SUNBID_ASSIGN_OR_RETURN(bool created, create_key_file(file, line.text));
      if (created) return SigningKey(pkey.release(), std::move(name), pub);
      continue;  // another process created it first: load that one
    }

    struct stat st {};
    if (::fstat(fd.fd, &st) != 0) return key_file_io(file, "fstat", errno);
    if (!S_ISREG(st.st_mode)) {
      return make_error("key_file_io", "签名密钥路径不是普通文件 / key path is not a regular file",
                        {{"path", file.string()}});
    }
    if ((st.st_mode & 077) != 0) {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
      return make_error("key_file_permissions",
                        "签名密钥文件可被组或其他用户访问，拒绝使用（应为 0600） / key file is "
                        "accessible by group or others; refusing it (chmod 600)",
                        {{"path", file.string()}, {"mode", mode}});
    }
    SecretString contents;
    contents.text.resize(kMaxKeyFileBytes + 1);
    std::size_t got = 0;
    while (got < contents.text.size()) {
      ssize_t n = ::read(fd.fd, contents.text.data() + got, contents.text.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return key_file_io(file, "read", errno);
      if (n == 0) break;
      got += static_cast<std::size_t>(n);
    }
    if (got > kMaxKeyFileBytes) {
      return make_error("signer_key_malformed", "签名密钥文件过大 / key file is too large",
                        {{"path", file.string()}});
    }
    std::string_view text(contents.text.data(), got);
    if (text.ends_with('\n')) text.remove_suffix(1);
    SUNBID_ASSIGN_OR_RETURN(SigningKey key, from_signer_key(text));
    if (key.name() != name) {
      return make_error("key_name_mismatch",
                        "密钥文件中的名称与配置不符 / key file holds a key with another name",
                        {{"path", file.string()}, {"expected", name}, {"found", key.name()}});
    }
    return key;
  }
  return key_file_io(file, "create", EEXIST);
}

std::string SigningKey::verifier_key() const {
  return name_ + "+" + key_id_hex(key_id_) + "+" + encode_public_key(public_key_);
}

std::string SigningKey::sign_note(std::string_view text) const {
  assert(check_note_text(text).ok());
  std::array<std::uint8_t, 64> sig{};
  std::size_t sig_len = sig.size();
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey_) != 1 ||
      EVP_DigestSign(ctx.get(), sig.data(), &sig_len,
                     reinterpret_cast<const unsigned char*>(text.data()), text.size()) != 1 ||
      sig_len != sig.size()) {
    std::fputs("sunbid: Ed25519 signing failed in OpenSSL\n", stderr);
    std::abort();
  }
  std::vector<std::uint8_t> blob = {
      static_cast<std::uint8_t>(key_id_ >> 24), static_cast<std::uint8_t>(key_id_ >> 16),
      static_cast<std::uint8_t>(key_id_ >> 8), static_cast<std::uint8_t>(key_id_)};
  blob.insert(blob.end(), sig.begin(), sig.end());
  std::string out(text);
  out += '\n';
  out += kSigPrefix;
  out += name_;
  out += ' ';
  out += base64_encode(blob);
  out += '\n';
  return out;
}

// ---- Verifier ---------------------------------------------------------------

Result<Verifier> Verifier::parse(std::string_view verifier_key) {
  auto [name, rest] = chop(verifier_key, '+');
  auto [hash16, key64] = chop(rest, '+');
  const auto id = parse_key_id_hex(hash16);
  auto key = base64_decode(key64);
  if (!id || !key || key->empty() || !is_valid_key_name(name)) {
    return make_error("verifier_key_malformed",
                      "验证公钥格式错误（应为 名称+8位十六进制标识+base64） / verifier key is "
                      "malformed (want name+hex8+base64)");
  }
  // The key id covers the algorithm byte and the key, whatever the algorithm.
  {
    Sha256 h;
    h.update(name);
    h.update(std::uint8_t{'\n'});
    h.update(std::span<const std::uint8_t>(*key));
    const Hash d = h.finish();
    const std::uint32_t computed = (std::uint32_t{d[0]} << 24) | (std::uint32_t{d[1]} << 16) |
                                   (std::uint32_t{d[2]} << 8) | std::uint32_t{d[3]};
    if (computed != *id) {
      return make_error("verifier_key_hash_mismatch",
                        "验证公钥的密钥标识与公钥不符 / verifier key id does not match the key",
                        {{"name", name}, {"key_id", std::string(hash16)}});
    }
  }
  if ((*key)[0] != kAlgEd25519) {
    return make_error("verifier_key_algorithm_unknown",
                      "不支持的签名算法 / unsupported signature algorithm",
                      {{"algorithm", (*key)[0]}});
  }
  if (key->size() != 33) {
    return make_error("verifier_key_malformed",
                      "Ed25519 公钥长度应为 32 字节 / Ed25519 public key must be 32 bytes");
  }
  std::array<std::uint8_t, 32> pub{};
  std::copy(key->begin() + 1, key->end(), pub.begin());
  return Verifier(std::string(name), *id, pub);
}

std::string Verifier::verifier_key() const {
  return name_ + "+" + key_id_hex(key_id_) + "+" + encode_public_key(public_key_);
}

Result<std::string> Verifier::open_note(std::string_view note) const {
  SUNBID_ASSIGN_OR_RETURN(SignedNote parsed, parse_signed_note(note));
  bool verified = false;
  boost::json::array others;
  for (const auto& sig : parsed.signatures) {
    if (sig.name != name_ || sig.key_id != key_id_) {
      others.emplace_back(sig.name + "+" + key_id_hex(sig.key_id));
      continue;
    }
    if (!ed25519_verify(public_key_, parsed.text, sig.signature)) {
      return make_error("signature_invalid", "签名验证失败 / signature does not verify",
                        {{"key", name_ + "+" + key_id_hex(key_id_)}});
    }
    verified = true;
  }
  if (!verified) {
    return make_error("note_unverified",
                      "便笺没有此公钥的签名 / note carries no signature by this key",
                      {{"key", name_ + "+" + key_id_hex(key_id_)}, {"signers", std::move(others)}});
  }
  return std::move(parsed.text);
}

Result<Checkpoint> Verifier::verify_checkpoint(std::string_view note,
                                               std::string_view expected_origin) const {
  SUNBID_ASSIGN_OR_RETURN(std::string text, open_note(note));
  SUNBID_ASSIGN_OR_RETURN(Checkpoint cp, parse_checkpoint_body(text));
  if (!expected_origin.empty() && cp.origin != expected_origin) {
    return make_error("checkpoint_origin_mismatch",
                      "检查点来源与期望不符 / checkpoint origin is not the expected log",
                      {{"expected", expected_origin}, {"found", cp.origin}});
  }
  return cp;
}

}  // namespace sunbid::audit
